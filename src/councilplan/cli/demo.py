"""``councilplan demo``: a real national economy through the planning engine, then a
working federation of councils in the browser.

It imports the WIOD 2016 USA table with hours worked when ``../shared/data/io-tables``
(or ``COUNCILPLAN_SHARED_DATA``) is there; otherwise it uses the Germany 1995 table of
the Eurostat manual, which ships inside the package, and says which it used. Then it
computes gross output, labour values and a plan under a labour shortfall and two
capacity limits, and prints a report.

Then it seeds a small federation into a SQLite file (``councilplan-demo.db``): the
workplace councils of the economy's four largest industries (by the labour they take)
under an area, a regional and a national council, members with wages, delegates and
officers elected for their terms with their pay under the cap, an open election, a
recall petition and a motion (:mod:`councilplan.cli.federation`). It prints the address
and the demo logins and serves the web application; ``--no-serve`` seeds and exits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from councilplan.cli.errors import handle_errors
from councilplan.cli.plan import print_plan
from councilplan.cli.progress import stages
from councilplan.io import read_bundle, read_wiod
from councilplan.planning import (
    Economy,
    optimise_plan,
    solve_gross_output,
    solve_labour_values,
    spectral_radius,
)

console = Console()


@dataclass(frozen=True)
class DemoEconomy:
    economy: Economy
    description: str
    value_unit: str


def _shared_tables() -> Path | None:
    env = os.environ.get("COUNCILPLAN_SHARED_DATA")
    for base in ([Path(env)] if env else []) + [Path.cwd().parent / "shared" / "data",
                                                 Path.cwd() / "shared" / "data"]:
        tables = base / "io-tables"
        if all((tables / f"wiod2016_usa{part}.csv").is_file() for part in ("iot", "sea")):
            return tables
    return None


def demo_economy() -> DemoEconomy:
    """The economy the demo uses: WIOD USA 2014 with hours if present, else Germany 1995."""
    tables = _shared_tables()
    if tables is not None:
        res = read_wiod(tables / "wiod2016_usaiot.csv", tables / "wiod2016_usasea.csv")
        year = res.economy.meta.get("year")
        return DemoEconomy(
            res.economy,
            f"WIOD 2016 release, USA {year}: 55 industries, hours worked from the "
            "Socio-Economic Accounts (read from ../shared/data/io-tables)",
            "hours per million USD",
        )
    bundle = resources.files("councilplan") / "data" / "germany-1995"
    with resources.as_file(bundle) as path:
        eco = read_bundle(path)
    return DemoEconomy(
        eco,
        "Eurostat manual (2008) Germany 1995: 6 product groups with employment, shipped "
        "with councilplan (the real WIOD tables were not found in ../shared/data)",
        "thousand persons per million EUR",
    )


DEMO_DB = "councilplan-demo.db"


@handle_errors
def demo(
    labour_share: Annotated[float, typer.Option(
        help="labour available, as a share of what meeting every need takes")] = 0.9,
    db: Annotated[str, typer.Option("--db", help="the SQLite file (or database URL) to seed "
                                    "the federation into")] = DEMO_DB,
    host: Annotated[str, typer.Option("--host", help="address to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to serve on")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="seed and exit")] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="delete the demo SQLite file first "
                                        "and seed it anew")] = False,
) -> None:
    """Import a real national economy, compute gross output, labour values and a
    constrained optimal plan, and print the report; then seed a federation of councils
    on that economy and serve it in the browser."""
    industries = plan_report(labour_share)
    seed_and_serve(industries, db, host=host, port=port, serve=not no_serve, fresh=fresh)


def seed_and_serve(industries: list[str], db: str, *, host: str, port: int, serve: bool,
                   fresh: bool) -> None:
    from councilplan.api.auth.passwords import Passwords
    from councilplan.api.settings import Settings
    from councilplan.cli.federation import DEMO_PASSWORD, is_seeded, seed_federation
    from councilplan.cli.serve import run_server
    from councilplan.store import UnitOfWork, database_url, is_sqlite, make_engine, upgrade

    url = database_url(db)
    if fresh and is_sqlite(url) and url.database:
        for suffix in ("", "-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)
    upgrade(url)
    engine = make_engine(url)
    try:
        uow = UnitOfWork(engine)
        console.rule("[bold]A federation of councils")
        if is_seeded(uow):
            console.print(f"{url.render_as_string(hide_password=True)} holds the demo "
                          "federation already (--fresh seeds it anew)", highlight=False)
            logins = None
        else:
            with stages() as s:
                password_hash = Passwords(Settings()).hash(DEMO_PASSWORD)
                fed = s.run("seeding councils, members, wages, elections, pay, a recall "
                            "petition and a motion",
                            lambda: seed_federation(uow, industries, datetime.now(UTC),
                                                    password_hash=password_hash))
            table = Table(title="Workplace councils")
            table.add_column("council")
            table.add_column("name")
            for wid, name in fed.workplaces:
                table.add_row(wid, name)
            console.print(table)
            logins = fed.logins
    finally:
        engine.dispose()
    shown = f"http://{host}:{port}/"
    console.print(f"[bold]Address[/]: {shown}", highlight=False)
    console.print(f"[bold]Demo logins[/] (password [bold]{DEMO_PASSWORD}[/] for every member):",
                  highlight=False)
    if logins is None:
        console.print("  ada, bert, jonas, ... (each member's first name, lower case)")
    else:
        for login in logins:
            console.print(f"  {login.username:10s} {login.name:20s} {login.role}",
                          highlight=False)
    if serve:
        console.print("Serving; press Ctrl+C to stop.")
        run_server(url.render_as_string(hide_password=False), host, port, log_level="warning")


def plan_report(labour_share: float) -> list[str]:
    """The planning part of the demo; returns the industries, largest labour first."""
    with stages() as s:
        chosen = s.run("importing a real national economy", demo_economy)
        eco = chosen.economy
        x_sol = s.run("gross output x = (I - A)^-1 d", lambda: solve_gross_output(eco))
        v_sol = s.run("labour values (I - A^T) v = l", lambda: solve_labour_values(eco))
    x, v = x_sol.x, v_sol.x
    d = eco.needs
    total = float(eco.labour @ x)
    console.rule("[bold]councilplan demo")
    console.print(f"[bold]Economy[/]: {chosen.description}", highlight=False)
    console.print(f"  {eco.n} products, {eco.A.nnz} input coefficients, spectral radius of A "
                  f"{spectral_radius(eco):.4f}", highlight=False)
    console.print(f"  gross output solved in {x_sol.iterations} matrix-vector products "
                  f"(residual {x_sol.residual:.1e}); labour values in {v_sol.iterations} "
                  f"(residual {v_sol.residual:.1e})", highlight=False)
    console.print(f"  labour to meet every need: l . x = {total:.6g}; counted the other way, "
                  f"v . d = {float(v @ d):.6g}", highlight=False)

    names = eco.product_names or [str(p) for p in eco.products]
    table = Table(title=f"Biggest labour contents ({chosen.value_unit})")
    table.add_column("product")
    table.add_column("labour value", justify="right")
    table.add_column("direct", justify="right")
    for i in np.argsort(-v)[:10]:
        table.add_row(str(names[i])[:70], f"{v[i]:.5g}", f"{eco.labour[i]:.5g}")
    console.print(table)

    # A plan under pressure: labour short of what every need takes, and the two
    # largest industries limited to what the first tier needs of them and half the rest.
    tiers = np.where(np.argsort(np.argsort(-d)) < eco.n // 3, 1, 2)  # biggest third: tier 1
    x1 = solve_gross_output(eco, np.where(tiers == 1, d, 0.0)).x
    cap = np.full(eco.m, np.inf)
    largest = np.argsort(-x)[:2]
    cap[largest] = x1[largest] + 0.5 * (x[largest] - x1[largest])
    planned = Economy.from_matrix(eco.A, eco.labour, cap, eco.products, needs=d, tiers=tiers,
                                  product_names=eco.product_names, check_productive=False)
    L = labour_share * total
    with stages() as s:
        plan = s.run("optimising the plan", lambda: optimise_plan(planned, labour_available=L))
    console.print(f"[bold]Plan with {100 * labour_share:.0f}% of the labour and "
                  f"{names[largest[0]]!s:.40} and {names[largest[1]]!s:.40} capped[/]",
                  highlight=False)
    console.print("  tier 1: the largest third of needs; tier 2: the rest; each capped industry "
                  "can make what tier 1 needs of it and half of what tier 2 needs", highlight=False)
    print_plan(planned, plan, console)
    short = np.argsort(np.nan_to_num(plan.fulfilment, nan=np.inf))[:5]
    table = Table(title="Least-met needs")
    table.add_column("product")
    table.add_column("tier", justify="right")
    table.add_column("met", justify="right")
    for i in short:
        met = max(0.0, 100 * float(plan.fulfilment[i]))
        table.add_row(str(names[i])[:70], str(tiers[i]), f"{met:.1f}%")
    console.print(table)
    return [str(names[i]) for i in np.argsort(-(eco.labour * x))]
