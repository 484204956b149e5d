"""The ``councilplan`` command: one Typer sub-app per noun (and ``serve``, ``demo``).

Sub-apps live in their own modules (``cli/plan.py``, ``cli/economy.py``, ...) and are
registered here; commands only translate arguments into calls of the cores and
services, and results into tables or ``--json``.
"""

from __future__ import annotations

import typer

from councilplan.cli import (
    account,
    audit,
    council,
    count,
    cycle,
    db,
    demo,
    dispute,
    economy,
    plan,
    serve,
)

app = typer.Typer(
    name="councilplan",
    help="Workers' council democracy and democratic planning of production.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(plan.app, name="plan")
app.add_typer(economy.app, name="economy")
app.add_typer(council.app, name="council")
app.add_typer(dispute.app, name="dispute")
app.add_typer(cycle.app, name="cycle")
app.add_typer(db.app, name="db")
app.add_typer(audit.app, name="audit")
app.add_typer(account.app, name="account")
app.command("count")(count.count)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)


def main() -> None:  # pragma: no cover - console script entry
    app()
