"""``councilplan demo``: a real national economy through the planning engine.

It imports the WIOD 2016 USA table with hours worked when ``../shared/data/io-tables``
(or ``COUNCILPLAN_SHARED_DATA``) is there; otherwise it uses the Germany 1995 table of
the Eurostat manual, which ships inside the package, and says which it used. Then it
computes gross output, labour values and a plan under a labour shortfall and two
capacity limits, and prints a report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@handle_errors
def demo(
    labour_share: Annotated[float, typer.Option(
        help="labour available, as a share of what meeting every need takes")] = 0.9,
) -> None:
    """Import a real national economy, compute gross output, labour values and a
    constrained optimal plan, and print the report."""
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
