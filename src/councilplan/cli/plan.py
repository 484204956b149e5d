"""``councilplan plan ...``: labour values, gross output, optimal plans, imports."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from councilplan.cli.errors import handle_errors
from councilplan.cli.progress import stages
from councilplan.cli.quiet import quiet_highs
from councilplan.errors import InvalidInput, Problem
from councilplan.io import load_economy, save_economy
from councilplan.io.needs import read_needs
from councilplan.planning import (
    Economy,
    Plan,
    optimise_plan,
    solve_gross_output,
    solve_labour_values,
)

app = typer.Typer(help="Plan production: labour values, gross output, optimal plans.",
                  no_args_is_help=True)
import_app = typer.Typer(help="Import a real input-output table as an economy.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")

console = Console()

BundleArg = Annotated[Path, typer.Argument(help="economy bundle folder or .npz file")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON for machines")]


class Method(StrEnum):
    auto = "auto"
    leontief = "leontief"
    highs = "highs"
    highs_simplex = "highs-simplex"
    highs_ipm = "highs-ipm"
    pdlp = "pdlp"


def _unit(eco: Economy, key: str, default: str = "") -> str:
    units = eco.meta.get("units", {})
    return str(units.get(key, default)) if isinstance(units, dict) else default


def _name(eco: Economy, i: int) -> str:
    return str(eco.product_names[i]) if eco.product_names is not None else str(eco.products[i])


def _economy_summary(eco: Economy, path: Path) -> dict[str, Any]:
    return {"path": str(path), "products": eco.n, "techniques": eco.m, "nonzeros": eco.A.nnz,
            "source": eco.meta.get("source", "")}


def _top(values: np.ndarray, k: int) -> np.ndarray:
    k = min(k, values.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.argpartition(-values, k - 1)[:k]
    return idx[np.argsort(-values[idx])]


@app.command("values")
@handle_errors
def values(bundle: BundleArg, top: Annotated[int | None, typer.Option(
        help="show only the N largest labour values")] = None,
        search: Annotated[str | None, typer.Option(help="only products whose id or name "
                                                   "contains this text")] = None,
        as_json: JsonOpt = False) -> None:
    """Labour values v solving (I - A^T) v = l: the hours embodied in a unit of each product."""
    with stages(as_json) as s:
        eco = s.run(f"loading {bundle}", lambda: load_economy(bundle))
        sol = s.run("solving (I - A^T) v = l", lambda: solve_labour_values(eco))
    v = sol.x
    idx = np.arange(eco.n)
    if search:
        needle = search.lower()
        idx = np.array([i for i in idx if needle in str(eco.products[int(i)]).lower()
                        or needle in _name(eco, int(i)).lower()], dtype=np.int64)
    if top is not None:
        idx = idx[_top(v[idx], top)] if idx.size else idx
    elif not as_json:
        idx = idx[_top(v[idx], 20)] if idx.size else idx
    if as_json:
        out = {"economy": _economy_summary(eco, bundle),
               "unit": _unit(eco, "labour values", "hours per unit"),
               "solve": {"iterations": sol.iterations, "residual": sol.residual,
                         "method": sol.method},
               "labour_values": [{"product": str(eco.products[i]), "name": _name(eco, i),
                                  "value": float(v[i])} for i in idx.tolist()]}
        typer.echo(json.dumps(out, indent=2))
        return
    table = Table(title=f"Labour values ({_unit(eco, 'labour values', 'hours per unit')})")
    table.add_column("product")
    table.add_column("name")
    table.add_column("labour value", justify="right")
    for i in idx.tolist():
        table.add_row(str(eco.products[i]), _name(eco, i), f"{v[i]:.6g}")
    console.print(table)
    console.print(f"{eco.n} products; solved in {sol.iterations} matrix-vector products to "
                  f"relative residual {sol.residual:.2e} ({sol.method})")


@app.command("output")
@handle_errors
def output(bundle: BundleArg, needs: Annotated[Path | None, typer.Option(
        help="CSV product,quantity[,tier]; default: the bundle's needs")] = None,
        as_json: JsonOpt = False) -> None:
    """Gross output x = (I - A)^-1 d for the needs, and the labour it takes (l . x)."""
    with stages(as_json) as s:
        eco = s.run(f"loading {bundle}", lambda: load_economy(bundle))
        d = read_needs(needs, eco).needs if needs else eco.needs
        sol = s.run("solving (I - A) x = d", lambda: solve_gross_output(eco, d))
    _, lab = eco.square()
    hours = float(lab @ sol.x)
    if as_json:
        typer.echo(json.dumps({
            "economy": _economy_summary(eco, bundle), "labour_used": hours,
            "solve": {"iterations": sol.iterations, "residual": sol.residual},
            "gross_output": {str(eco.products[i]): float(sol.x[i]) for i in range(eco.n)}},
            indent=2))
        return
    table = Table(title="Gross output, largest 20")
    table.add_column("product")
    table.add_column("need", justify="right")
    table.add_column("gross output", justify="right")
    for i in _top(sol.x, 20):
        table.add_row(_name(eco, int(i)), f"{d[i]:.6g}", f"{sol.x[i]:.6g}")
    console.print(table)
    console.print(f"labour needed l . x = {hours:.6g}; {sol.iterations} products, "
                  f"residual {sol.residual:.2e}")


def plan_to_dict(eco: Economy, plan: Plan, full: bool) -> dict[str, Any]:
    """The plan as JSON-able data (activities per technique only when ``full``)."""
    out: dict[str, Any] = {
        "status": plan.status.value,
        "theta": plan.theta,
        "thetas": {str(t): th for t, th in zip(plan.tiers, plan.thetas, strict=True)},
        "labour_used": plan.labour_used,
        "labour_available": plan.labour_available if np.isfinite(plan.labour_available)
        else None,
        "shadow_labour": plan.shadow_labour,
        "critical_tier": plan.critical_tier,
        "method": plan.method,
        "binding": [{"kind": b.kind, "name": b.name,
                     "shadow_price": float(plan.shadow_capacity[b.index]) if b.kind == "capacity"
                     else float(plan.shadow_resources[b.index]) if b.kind == "resource"
                     else plan.shadow_labour} for b in plan.binding],
        "message": plan.message,
    }
    if full:
        out["activity"] = {str(eco.techniques[j]): float(plan.activity[j]) for j in range(eco.m)}
        out["fulfilment"] = {str(eco.products[i]): float(plan.fulfilment[i])
                             for i in range(eco.n) if np.isfinite(plan.fulfilment[i])}
        out["shadow_products"] = {str(eco.products[i]): float(plan.shadow_products[i])
                                  for i in range(eco.n)}
    return out


def print_plan(eco: Economy, plan: Plan, out: Console) -> None:
    out.print(f"[bold]Plan[/]: {plan.status.value} ({plan.method})")
    for t, th in zip(plan.tiers, plan.thetas, strict=True):
        out.print(f"  tier {t}: every need met to {100 * th:.2f}%")
    avail = (f"{plan.labour_available:.6g}" if np.isfinite(plan.labour_available)
             else "unlimited")
    out.print(f"  labour used {plan.labour_used:.6g} of {avail}")
    if plan.binding:
        table = Table(title="Binding constraints")
        table.add_column("kind")
        table.add_column("name")
        table.add_column("shadow price", justify="right")
        for b in plan.binding[:30]:
            price = (plan.shadow_capacity[b.index] if b.kind == "capacity"
                     else plan.shadow_resources[b.index] if b.kind == "resource"
                     else plan.shadow_labour)
            table.add_row(b.kind, b.name, f"{price:.4g}")
        out.print(table)
        if len(plan.binding) > 30:
            out.print(f"  ... {len(plan.binding) - 30} more binding constraints")
    else:
        out.print("  no constraint binds: every need is met")
    if plan.critical_tier is not None:
        out.print(f"  shadow prices are the rise of tier {plan.critical_tier}'s share "
                  "per extra unit")


@app.command("solve")
@handle_errors
def solve(
    bundle: BundleArg,
    needs: Annotated[Path | None, typer.Option(help="CSV product,quantity[,tier]")] = None,
    labour: Annotated[float | None, typer.Option(help="labour available (hours)")] = None,
    labour_share: Annotated[float | None, typer.Option(
        help="labour available as a share of what meeting every need takes")] = None,
    method: Annotated[Method, typer.Option(help="solver")] = Method.auto,
    full: Annotated[bool, typer.Option(help="include every activity in --json")] = False,
    as_json: JsonOpt = False,
) -> None:
    """The best plan that can be met: tier by tier, the largest common share of needs."""
    if labour is not None and labour_share is not None:
        raise InvalidInput("give --labour or --labour-share, not both",
                           [Problem("--labour-share", "conflicts with --labour")])
    quiet_highs()
    with stages(as_json) as s:
        eco = s.run(f"loading {bundle}", lambda: load_economy(bundle))
        if needs is not None:
            nf = read_needs(needs, eco)
            d, tiers = nf.needs, nf.tiers
        else:
            d, tiers = eco.needs, eco.tiers
        L = labour
        if labour_share is not None:
            x = s.run("gross output for every need", lambda: solve_gross_output(eco, d).x)
            L = labour_share * float(eco.square()[1] @ x)
        plan = s.run("optimising the plan", lambda: optimise_plan(
            eco, d, labour_available=L, tiers=tiers, method=method.value))
    if as_json:
        out = plan_to_dict(eco, plan, full or eco.m <= 10_000)
        out["economy"] = _economy_summary(eco, bundle)
        typer.echo(json.dumps(out, indent=2))
        return
    print_plan(eco, plan, console)


OutOpt = Annotated[Path, typer.Option("--out", help="bundle folder, or a .npz file")]


def _save(result: Any, out: Path, as_json: bool) -> None:
    save_economy(result.economy, out)
    eco = result.economy
    if as_json:
        typer.echo(json.dumps({"out": str(out), "products": eco.n, "nonzeros": eco.A.nnz,
                               "report": result.report.as_meta()}, indent=2))
        return
    console.print(str(result.report), markup=False, highlight=False)
    console.print(f"wrote {eco.n} products ({eco.A.nnz} input coefficients) to {out}")


@import_app.command("wiod")
@handle_errors
def import_wiod(
    iot: Annotated[Path, typer.Option(help="WIOD national IO table, e.g. wiod2016_usaiot.csv")],
    sea: Annotated[Path, typer.Option(help="WIOD Socio-Economic Accounts, e.g. *sea.csv")],
    out: OutOpt,
    year: Annotated[int | None, typer.Option(help="default: the latest")] = None,
    as_json: JsonOpt = False,
) -> None:
    """WIOD 2016 national table with hours worked (labour per unit = hours / gross output)."""
    from councilplan.io import read_wiod

    _save(read_wiod(iot, sea, year=year), out, as_json)


@import_app.command("bea")
@handle_errors
def import_bea(
    use: Annotated[Path, typer.Option(help="BEA detail Use table CSV")],
    make: Annotated[Path, typer.Option(help="BEA detail Make table CSV")],
    out: OutOpt,
    negatives: Annotated[str, typer.Option(help="zero (listed) or error")] = "zero",
    as_json: JsonOpt = False,
) -> None:
    """BEA Use and Make tables, commodity by commodity (industry-technology assumption)."""
    from councilplan.io import read_bea

    _save(read_bea(use, make, negatives=negatives), out, as_json)


@import_app.command("symmetric")
@handle_errors
def import_symmetric(
    table: Annotated[Path, typer.Argument(help="symmetric product-by-product table CSV")],
    out: OutOpt,
    labour_row: Annotated[str | None, typer.Option(help="row giving labour per product")] = None,
    as_json: JsonOpt = False,
) -> None:
    """A symmetric table such as the Eurostat manual's examples."""
    from councilplan.io import read_symmetric

    kw: dict[str, Any] = {} if labour_row is None else {"labour_row": labour_row}
    _save(read_symmetric(table, **kw), out, as_json)


@import_app.command("pymrio")
@handle_errors
def import_pymrio(
    out: OutOpt,
    path: Annotated[Path | None, typer.Argument(help="a saved pymrio IOSystem folder")] = None,
    test_system: Annotated[bool, typer.Option("--test-system",
                                              help="pymrio's bundled test MRIO")] = False,
    as_json: JsonOpt = False,
) -> None:
    """A pymrio IOSystem (a saved folder, or pymrio's own test system)."""
    import pymrio

    from councilplan.io import economy_from_pymrio

    if (path is None) == (not test_system):
        raise InvalidInput("give a pymrio folder or --test-system",
                           [Problem("path", "exactly one of PATH and --test-system")])
    io_system = pymrio.load_test() if test_system else pymrio.load(str(path))
    _save(economy_from_pymrio(io_system), out, as_json)
