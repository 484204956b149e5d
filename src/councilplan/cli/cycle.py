"""``councilplan cycle ...``: the democratic plan cycle against a database.

Every command takes ``--db`` and ``--at`` (the time of the action) and prints JSON with
``--json``; each step is a service call, in one transaction, in the audit log.

    councilplan cycle catalogue import wiod --iot wiod2016_usaiot.csv --sea wiod2016_usasea.csv
    councilplan cycle catalogue add products.csv
    councilplan cycle period open y2026 "Plan 2026" --from 2026-01-01 --to 2027-01-01
    councilplan cycle needs register y2026 needs.csv [--council res1] [--replace]
    councilplan cycle techniques register y2026 techniques.csv --inputs inputs.csv
    councilplan cycle working-time y2026 nat --hours 35 --weeks 46
    councilplan cycle variants compute y2026 --variant "35h:Every need, 35-hour week:hours=35" \\
        --variant "30h:A 30-hour week:hours=30" --variant "invest:More investment:investment=1.5"
    councilplan cycle ballot open y2026 --days 7          # delegates (weighted) or members
    councilplan cycle ballot vote BALLOT farm0 invest 35h 30h
    councilplan cycle ballot close BALLOT                  # adopts the winner, logs its hash
    councilplan cycle targets publish y2026
    councilplan cycle targets show y2026 farm
    councilplan cycle trace y2026 farm grain
    councilplan cycle report y2026 reports.csv
    councilplan cycle progress y2026
    councilplan cycle replan y2026 --from Q2
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from councilplan import services
from councilplan.cli.db import AtOpt, DbOpt, JsonOpt, emit, moment, open_uow
from councilplan.cli.errors import handle_errors
from councilplan.cli.quiet import quiet_highs
from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle import VariantSpec, WorkingTime
from councilplan.planning.cycle.consequences import quantity_text
from councilplan.planning.cycle.need import NeedCategory
from councilplan.services import plan_cycle as pc

__all__ = ["app"]

app = typer.Typer(help="The plan cycle: needs, techniques, variants, ballot, targets, reports.",
                  no_args_is_help=True)
catalogue_app = typer.Typer(help="The product catalogue.", no_args_is_help=True)
period_app = typer.Typer(help="Planning periods.", no_args_is_help=True)
needs_app = typer.Typer(help="Needs registered by councils.", no_args_is_help=True)
techniques_app = typer.Typer(help="Techniques and capacities of workplaces.",
                             no_args_is_help=True)
variants_app = typer.Typer(help="Plan variants.", no_args_is_help=True)
ballot_app = typer.Typer(help="Ratification: the variants put to the owning council's vote.",
                         no_args_is_help=True)
targets_app = typer.Typer(help="Targets of the adopted plan.", no_args_is_help=True)
import_app = typer.Typer(help="Products from a real input-output table.", no_args_is_help=True)
catalogue_app.add_typer(import_app, name="import")
for sub, name in ((catalogue_app, "catalogue"), (period_app, "period"), (needs_app, "needs"),
                  (techniques_app, "techniques"), (variants_app, "variants"),
                  (ballot_app, "ballot"), (targets_app, "targets")):
    app.add_typer(sub, name=name)

console = Console()


def _day(text: str, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput("not a date", [Problem(where, f"{text!r} is not ISO-8601")]) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# -- catalogue ------------------------------------------------------------------------------


def _add(db: str | None, at: str | None, products: list[Any], as_json: bool) -> None:
    view = pc.add_products(open_uow(db), products, moment(at))
    emit(view.to_dict(), as_json, f"{view.added} product(s) added ({view.already} already in "
                                  f"the catalogue); the catalogue holds {view.catalogue}")


@catalogue_app.command("add")
@handle_errors
def catalogue_add(
    products: Annotated[Path, typer.Argument(help="CSV: code,name,unit[,description,nace,cpa,"
                                                  "wiod,bea,naics,isic,label]")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Add products to the catalogue (codes never change their product)."""
    from councilplan.io.catalogue import read_products_csv

    _add(db, at, read_products_csv(products), as_json)


@import_app.command("wiod")
@handle_errors
def catalogue_import_wiod(
    iot: Annotated[Path, typer.Option(help="WIOD national IO table, e.g. wiod2016_usaiot.csv")],
    sea: Annotated[Path, typer.Option(help="WIOD Socio-Economic Accounts, e.g. *sea.csv")],
    year: Annotated[int | None, typer.Option(help="default: the latest")] = None,
    prefix: Annotated[str, typer.Option(help="put before each code")] = "",
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """The industries of a WIOD table as products (mapped to NACE, CPA and ISIC)."""
    from councilplan.io import read_wiod
    from councilplan.io.catalogue import products_from_economy

    eco = read_wiod(iot, sea, year=year).economy
    _add(db, at, products_from_economy(eco, "wiod", prefix=prefix), as_json)


@import_app.command("bea")
@handle_errors
def catalogue_import_bea(
    use: Annotated[Path, typer.Option(help="BEA detail Use table CSV")],
    make: Annotated[Path, typer.Option(help="BEA detail Make table CSV")],
    prefix: Annotated[str, typer.Option(help="put before each code")] = "",
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """The commodities of the BEA detail tables as products (mapped to NAICS)."""
    from councilplan.io import read_bea
    from councilplan.io.catalogue import products_from_economy

    eco = read_bea(use, make).economy
    _add(db, at, products_from_economy(eco, "bea", prefix=prefix), as_json)


@import_app.command("symmetric")
@handle_errors
def catalogue_import_symmetric(
    table: Annotated[Path, typer.Argument(help="symmetric product-by-product table CSV")],
    prefix: Annotated[str, typer.Option(help="put before each code")] = "",
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """The products of a symmetric table (the Eurostat manual's, say)."""
    from councilplan.io import read_symmetric
    from councilplan.io.catalogue import products_from_economy

    eco = read_symmetric(table).economy
    _add(db, at, products_from_economy(eco, "label", prefix=prefix), as_json)


@catalogue_app.command("list")
@handle_errors
def catalogue_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """The catalogue: code, name, unit, classifications."""
    products = list(pc.catalogue(open_uow(db)))
    if as_json:
        emit([p.to_dict() for p in products], True, "")
        return
    table = Table("code", "name", "unit", "classifications")
    for p in products:
        table.add_row(p.code, p.name, p.unit,
                      ", ".join(f"{k} {v}" for k, v in p.classifications.items()))
    console.print(table)


# -- periods --------------------------------------------------------------------------------


@period_app.command("open")
@handle_errors
def period_open(
    period_id: Annotated[str, typer.Argument(help="an id for the period, e.g. y2026")],
    name: Annotated[str, typer.Argument()],
    starts: Annotated[str, typer.Option("--from", help="first day, e.g. 2026-01-01")],
    ends: Annotated[str, typer.Option("--to", help="the day after the last, e.g. 2027-01-01")],
    council: Annotated[str | None, typer.Option(
        "--council", help="the planning council (default: the national council)")] = None,
    split: Annotated[str, typer.Option(
        "--split", help="quarters, months, whole, or a number of equal parts")] = "quarters",
    electorate: Annotated[str | None, typer.Option(
        "--electorate", help="delegates (weighted, open vote) or members (secret ballot); "
                             "default by the council's level")] = None,
    method: Annotated[str, typer.Option("--method", help="schulze or approval")] = "schulze",
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open a planning period owned by a council, with its sub-periods."""
    parts: str | int = int(split) if split.isdigit() else split
    view = pc.open_period(open_uow(db), period_id, name, _day(starts, "--from"),
                          _day(ends, "--to"), moment(at), council_id=council, sub_periods=parts,
                          electorate=electorate, method=method)
    emit(view.to_dict(), as_json,
          f"period {view.period_id} of {view.council_id} opened: "
          + ", ".join(s["label"] for s in view.sub_periods)
          + f"; ratified by {view.electorate} ({view.method})")


def _show_period(view: Any) -> None:
    console.print(f"[bold]{view.name}[/] ({view.period_id}, council {view.council_id}): "
                  f"{view.status}, revision {view.revision}"
                  + (f", re-planned from {view.replan_from}" if view.replan_from else ""))
    console.print(f"  {view.starts_at:%Y-%m-%d} .. {view.ends_at:%Y-%m-%d}: "
                  + ", ".join(s["label"] for s in view.sub_periods)
                  + f"; {view.techniques} techniques, {view.needs} needs")
    table = Table("variant", "revision", "key", "name", "status", "sha256")
    for v in view.variants:
        table.add_row(v["variant_id"], str(v["revision"]), v["key"], v["name"], v["status"],
                      v["sha256"][:16] + "...")
    console.print(table)


@period_app.command("show")
@handle_errors
def period_show(period_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                as_json: JsonOpt = False) -> None:
    """A period: status, revision, sub-periods, registrations, variants."""
    view = pc.show_period(open_uow(db), period_id)
    if as_json:
        emit(view.to_dict(), True, "")
    else:
        _show_period(view)


@period_app.command("list")
@handle_errors
def period_list(council: Annotated[str | None, typer.Option("--council")] = None,
                db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Planning periods."""
    views = pc.list_periods(open_uow(db), council)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    table = Table("period", "council", "name", "from", "to", "status", "revision")
    for v in views:
        table.add_row(v.period_id, v.council_id, v.name, f"{v.starts_at:%Y-%m-%d}",
                      f"{v.ends_at:%Y-%m-%d}", v.status, str(v.revision))
    console.print(table)


# -- needs, techniques, working time -----------------------------------------------------


@needs_app.command("register")
@handle_errors
def needs_register(
    period_id: Annotated[str, typer.Argument()],
    needs: Annotated[Path, typer.Argument(
        help="CSV: council,product,quantity[,tier][,category][,reason]")],
    council: Annotated[str | None, typer.Option(
        "--council", help="the council of every row (instead of a column)")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="withdraw the councils' live needs first")] = False,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Register needs (all or nothing: every fault is listed, nothing is written)."""
    from councilplan.io.plan_files import read_needs_csv

    view = pc.register_needs(open_uow(db), period_id, read_needs_csv(needs, council=council),
                             moment(at), replace=replace)
    emit(view.to_dict(), as_json, f"{view.needs} needs of {view.councils} council(s) "
                                  f"registered (batch {view.batch_id})"
                                  + (f"; {view.withdrawn} withdrawn" if view.withdrawn else ""))


@needs_app.command("withdraw")
@handle_errors
def needs_withdraw(period_id: Annotated[str, typer.Argument()],
                   council: Annotated[str, typer.Argument()], db: DbOpt = None,
                   at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """A council withdraws its needs."""
    n = pc.withdraw_needs(open_uow(db), period_id, council, moment(at))
    emit({"withdrawn": n}, as_json, f"{n} needs of {council} withdrawn")


@needs_app.command("show")
@handle_errors
def needs_show(
    period_id: Annotated[str, typer.Argument()],
    council: Annotated[str | None, typer.Option(
        "--council", help="a council's subtree (default: the whole scope)")] = None,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """The needs added up the tree: by product and tier, with each branch's part."""
    rows = pc.needs_summary(open_uow(db), period_id, council)
    if as_json:
        emit([r.to_dict() for r in rows], True, "")
        return
    table = Table("product", "tier", "quantity", "needs", "origins")
    for r in rows:
        table.add_row(r.product, str(r.tier), quantity_text(r.quantity), str(r.needs),
                      ", ".join(f"{c} {quantity_text(q)}" for c, q in r.origins))
    console.print(table)


@techniques_app.command("register")
@handle_errors
def techniques_register(
    period_id: Annotated[str, typer.Argument()],
    techniques: Annotated[Path, typer.Argument(help="CSV: workplace,product,labour[,capacity]")],
    inputs: Annotated[Path | None, typer.Option(
        "--inputs", help="CSV: workplace,product,input,quantity")] = None,
    workplace: Annotated[str | None, typer.Option(
        "--workplace", help="the workplace of every row (instead of a column)")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Register techniques and capacities (a product registered again: a new version)."""
    from councilplan.io.plan_files import read_techniques_csv

    table = read_techniques_csv(techniques, inputs, workplace=workplace)
    view = pc.register_techniques(open_uow(db), period_id, table, moment(at))
    emit(view.to_dict(), as_json,
          f"{view.techniques} techniques of {view.workplaces} workplace(s) registered"
          + (f" ({view.new_versions} new versions)" if view.new_versions else ""))


@app.command("working-time")
@handle_errors
def working_time(
    period_id: Annotated[str, typer.Argument()],
    council: Annotated[str, typer.Argument(help="the deciding council")],
    hours: Annotated[float, typer.Option("--hours", help="hours per week")],
    weeks: Annotated[float, typer.Option("--weeks", help="weeks worked in the period")],
    members: Annotated[int | None, typer.Option(
        "--members", help="a workplace: how many work there (default: its members)")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """A council's decision on the working week for the period."""
    uow = open_uow(db)
    pc.decide_working_time(uow, period_id, WorkingTime(council, hours, weeks, members),
                           moment(at))
    view = pc.labour_available(uow, period_id)
    emit(view.to_dict(), as_json,
          f"{council}: {hours:g} hours a week for {weeks:g} weeks; the period now has "
          f"{quantity_text(view.hours_available)} hours from {quantity_text(view.people)} "
          "people" + (f"; {len(view.undecided)} workplace(s) undecided" if view.undecided
                      else ""))


@app.command("labour")
@handle_errors
def labour(period_id: Annotated[str, typer.Argument()], db: DbOpt = None,
           as_json: JsonOpt = False) -> None:
    """The hours the councils' decisions make available."""
    view = pc.labour_available(open_uow(db), period_id)
    emit(view.to_dict(), as_json,
          f"{quantity_text(view.hours_available)} hours from {quantity_text(view.people)} "
          f"people in {view.workplaces} workplaces"
          + (f"; undecided: {', '.join(view.undecided)}" if view.undecided else ""))


# -- variants -------------------------------------------------------------------------------


def parse_variant(text: str) -> VariantSpec:
    """``KEY:NAME[:setting=value,...]``: settings ``hours``, ``weeks``, ``labour``
    (pooled or workplace), ``method``, and a need category (``investment=1.5``) to scale
    that category's needs."""
    parts = text.split(":", 2)
    if len(parts) < 2:
        raise InvalidInput("not a variant", [Problem("--variant", f"{text!r}: KEY:NAME"
                                                                 "[:setting=value,...]")])
    key, name = parts[0].strip(), parts[1].strip()
    kw: dict[str, Any] = {}
    scale: dict[str, float] = {}
    cats = {c.value for c in NeedCategory}
    problems: list[Problem] = []
    for item in (parts[2].split(",") if len(parts) == 3 and parts[2].strip() else []):
        k, _, v = item.partition("=")
        k, v = k.strip(), v.strip()
        try:
            if k == "hours":
                kw["hours_per_week"] = float(v)
            elif k == "weeks":
                kw["weeks"] = float(v)
            elif k == "labour":
                kw["labour_rule"] = v
            elif k == "method":
                kw["method"] = v
            elif k in cats:
                scale[k] = float(v)
            else:
                problems.append(Problem("--variant", f"unknown setting {k!r} in {text!r}"))
        except ValueError:
            problems.append(Problem("--variant", f"{item!r} is not a number in {text!r}"))
    if problems:
        raise InvalidInput("not a variant", problems)
    return VariantSpec(key, name, need_scale=scale, **kw)


def _variant_lines(v: Any) -> str:
    lines = [f"variant {v.key} ({v.variant_id}, revision {v.revision}): {v.name} -- {v.status}",
             f"  sha256 {v.variant_sha256}"]
    lines += [f"  {s}" for s in v.statement]
    return "\n".join(lines)


@variants_app.command("compute")
@handle_errors
def variants_compute(
    period_id: Annotated[str, typer.Argument()],
    variant: Annotated[list[str], typer.Option(
        "--variant", help="KEY:NAME[:hours=35,weeks=46,labour=workplace,investment=1.5]")],
    leave_unmade: Annotated[bool, typer.Option(
        "--leave-unmade", help="plan without the needs of products nobody makes")] = False,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Compute plan variants with optimise_plan; each states its consequences."""
    specs = [parse_variant(v) for v in variant]
    quiet_highs()
    views = pc.compute_variants(open_uow(db), period_id, specs, moment(at),
                                unmade="leave" if leave_unmade else "refuse")
    emit([v.to_dict() for v in views], as_json, "\n".join(_variant_lines(v) for v in views))


@variants_app.command("list")
@handle_errors
def variants_list(period_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                  as_json: JsonOpt = False) -> None:
    """The period's variants with what they would mean."""
    views = pc.list_variants(open_uow(db), period_id)
    emit([v.to_dict() for v in views], as_json, "\n".join(_variant_lines(v) for v in views))


@variants_app.command("show")
@handle_errors
def variants_show(variant_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                  as_json: JsonOpt = False) -> None:
    """One variant: its consequences and figures."""
    view = pc.show_variant(open_uow(db), variant_id)
    emit(view.to_dict(), as_json, _variant_lines(view))


@variants_app.command("values")
@handle_errors
def variants_values(
    variant_id: Annotated[str, typer.Argument()],
    top: Annotated[int, typer.Option("--top", help="products to list (0: all)")] = 20,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Labour values of the products, fulfilment by council, binding capacities."""
    d = pc.variant_detail(open_uow(db), variant_id, top=top or None)
    if as_json:
        emit(d.to_dict(), True, "")
        return
    table = Table("product", "hours per unit", "output", "final use", title="labour values")
    for p in d.products:
        table.add_row(p["product"], f"{p['labour_value']:.6g}",
                      f"{quantity_text(p['output'])} {p['unit']}",
                      f"{quantity_text(p['final_use'])} {p['unit']}")
    console.print(table)
    councils = Table("council", "needs (hours)", "share met", title="fulfilment by council")
    for c in d.councils:
        councils.add_row(c["council"], quantity_text(c["needed_hours"]),
                         f"{100 * c['share_met']:.1f}%")
    console.print(councils)
    for b in d.binding:
        console.print(f"at capacity: {b['workplace']} ({b['product']}): "
                      f"{quantity_text(b['capacity'])}")


@variants_app.command("verify")
@handle_errors
def variants_verify(variant_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                    as_json: JsonOpt = False) -> None:
    """Re-hash a stored variant from its arrays and check it against its recorded hash."""
    out = pc.verify_variant(open_uow(db), variant_id)
    problems = out.get("problems", [])
    assert isinstance(problems, list)
    emit(out, as_json, f"variant {variant_id}: " + (
        f"OK, sha256 {out['sha256']}" if out["ok"] else "ALTERED: "
        + "; ".join(str(p) for p in problems)))
    if not out["ok"]:
        raise typer.Exit(1)


# -- ballot ---------------------------------------------------------------------------------


def _ballot_lines(b: Any) -> str:
    lines = [f"plan ballot {b.ballot_id} (period {b.period_id}, revision {b.revision}): "
             f"{b.status}, {b.method} among {', '.join(b.options)}; closes "
             f"{b.closes_at:%Y-%m-%d %H:%M} UTC"]
    if b.weights:
        lines.append(f"  delegates (an open, recorded vote), total weight {b.total_weight}: "
                     + ", ".join(f"{m} {w}" for m, w in b.weights))
    else:
        lines.append(f"  all {b.electorate_size} members of the constituency (secret ballot)")
    if b.unrepresented:
        lines.append("  councils with no delegate: " + ", ".join(b.unrepresented))
    for r in b.roll_call:
        lines.append(f"  {r['member_id']} ({r['weight']}): {' > '.join(r['paper'])}")
    if b.status == "closed":
        lines.append(f"  adopted: {b.adopted or 'none'}")
    return "\n".join(lines)


@ballot_app.command("open")
@handle_errors
def ballot_open(
    period_id: Annotated[str, typer.Argument()],
    days: Annotated[float, typer.Option("--days", help="voting runs this many days")] = 7.0,
    keys: Annotated[str | None, typer.Option(
        "--keys", help="comma-separated variant keys (default: every computed one)")] = None,
    none_option: Annotated[bool, typer.Option(
        "--none", help="add the option 'none of these'")] = False,
    method: Annotated[str | None, typer.Option("--method", help="schulze or approval")] = None,
    electorate: Annotated[str | None, typer.Option(
        "--electorate", help="delegates or members (default: the period's rule)")] = None,
    ballot_id: Annotated[str | None, typer.Option("--ballot-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Put the variants to the vote of the period's council."""
    now = moment(at)
    view = pc.open_plan_ballot(
        open_uow(db), period_id, now, now + timedelta(days=days),
        keys=None if keys is None else [k.strip() for k in keys.split(",") if k.strip()],
        include_none=none_option, method=method, electorate=electorate, ballot_id=ballot_id)
    emit(view.to_dict(), as_json, _ballot_lines(view))


@ballot_app.command("vote")
@handle_errors
def ballot_vote(
    ballot_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    choice: Annotated[list[str], typer.Argument(
        help="schulze: the variants in order of preference; approval: those approved")],
    replace: Annotated[str | None, typer.Option(
        "--replace", help="secret ballot: the receipt token of your last vote")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Vote on a plan ballot (delegates: recorded with your weight; members: secret, with
    a receipt)."""
    v = pc.cast_plan_vote(open_uow(db), ballot_id, member_id, choice, moment(at),
                          previous=replace)
    if v.weight is not None:
        text = (f"{member_id} voted {' > '.join(v.paper)} with weight {v.weight} (recorded"
                + ("; replaces the earlier vote)" if v.replaced else ")"))
    else:
        text = (f"vote cast in {ballot_id}\nreceipt token (keep it secret): {v.receipt_token}"
                f"\nreceipt code: {v.receipt_code}")
    emit(v.to_dict(), as_json, text)


@ballot_app.command("close")
@handle_errors
def ballot_close(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                 at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Close, count and apply: the winner is adopted and its hash logged."""
    uow = open_uow(db)
    services.close_ballot(uow, ballot_id, moment(at))
    view = pc.show_plan_ballot(uow, ballot_id)
    emit(view.to_dict(), as_json, _ballot_lines(view))


@ballot_app.command("show")
@handle_errors
def ballot_show(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                as_json: JsonOpt = False) -> None:
    """A plan ballot: options, electorate and weights; after the close the roll call."""
    view = pc.show_plan_ballot(open_uow(db), ballot_id)
    emit(view.to_dict(), as_json, _ballot_lines(view))


# -- targets, tracing, reports --------------------------------------------------------------


@targets_app.command("publish")
@handle_errors
def targets_publish(period_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                    at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Publish the adopted plan's targets to the workplaces."""
    v = pc.publish_targets(open_uow(db), period_id, moment(at))
    emit(v.to_dict(), as_json, f"{v.targets} targets of {v.workplaces} workplaces published "
                                f"(revision {v.revision}, {', '.join(v.sub_periods)}); "
                                f"sha256 {v.sha256}")


@targets_app.command("show")
@handle_errors
def targets_show(
    period_id: Annotated[str, typer.Argument()],
    workplace: Annotated[str, typer.Argument()],
    revision: Annotated[int | None, typer.Option("--revision")] = None,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """A workplace's targets: output by sub-period, inputs and suppliers, needs served."""
    views = pc.workplace_targets(open_uow(db), period_id, workplace, revision=revision)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    for t in views:
        console.print(f"[bold]{t.workplace}: {quantity_text(t.output)} {t.unit} of "
                      f"{t.product}[/] ({quantity_text(t.labour)} hours; revision "
                      f"{t.revision})")
        console.print("  by sub-period: " + ", ".join(f"{s} {quantity_text(q)}"
                                                       for s, q in t.by_sub_period))
        for i in t.inputs:
            console.print(f"  receives {quantity_text(i['quantity'])} {i['product']} from "
                          f"{i['supplier']}")
        for n in t.needs_served[:20]:
            console.print(f"  serves need {n['need_id']} of {n['council']} (tier {n['tier']}):"
                          f" {quantity_text(n['quantity'])}")
        if len(t.needs_served) > 20:
            console.print(f"  ... and {len(t.needs_served) - 20} more needs")


@app.command("trace")
@handle_errors
def trace(
    period_id: Annotated[str, typer.Argument()],
    workplace: Annotated[str, typer.Argument()],
    product: Annotated[str, typer.Argument()],
    top: Annotated[int, typer.Option("--top", help="needs to list")] = 20,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Every unit of a target traced to the needs it serves (through the Leontief inverse)."""
    t = pc.trace_target(open_uow(db), period_id, workplace, product, limit=top)
    if as_json:
        emit(t.to_dict(), True, "")
        return
    console.print(f"{workplace}/{product}: {quantity_text(t.output)} planned, "
                  f"{quantity_text(t.traced)} traced ({quantity_text(t.direct)} delivered "
                  "directly)")
    for b, q in t.by_branch:
        console.print(f"  for {b}: {quantity_text(q)}")
    for n in t.needs:
        console.print(f"  {n['council']} {n['product']} (tier {n['tier']}, {n['need_id']}): "
                      f"{quantity_text(n['quantity'])}")


@app.command("report")
@handle_errors
def report(
    period_id: Annotated[str, typer.Argument()],
    reports: Annotated[Path, typer.Argument(
        help="CSV: sub_period,workplace,product,output,hours")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Workplaces report actual output and hours."""
    from councilplan.io.plan_files import read_reports_csv

    v = pc.report_output(open_uow(db), period_id, read_reports_csv(reports), moment(at))
    emit(v.to_dict(), as_json, f"{v.reports} reports of {v.workplaces} workplaces taken"
                                + (f" ({v.replaced} replace earlier ones)" if v.replaced
                                   else ""))


@app.command("progress")
@handle_errors
def progress_command(
    period_id: Annotated[str, typer.Argument()],
    through: Annotated[str | None, typer.Option("--through", help="up to this sub-period")]
    = None,
    workplace: Annotated[str | None, typer.Option("--workplace")] = None,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Fulfilment of the plan so far: targets against reports."""
    v = pc.plan_progress(open_uow(db), period_id, through=through, workplace=workplace)
    if as_json:
        emit(v.to_dict(), True, "")
        return
    console.print(f"through {', '.join(v.through) or '(nothing reported)'}: {v.behind} of "
                  f"{v.targets} targets behind plan")
    table = Table("workplace", "product", "planned", "actual", "share")
    for r in v.rows:
        table.add_row(r["workplace"], r["product"], quantity_text(r["planned_to_date"]),
                      quantity_text(r["actual_to_date"]), f"{100 * r['share']:.1f}%")
    console.print(table)


@app.command("replan")
@handle_errors
def replan(
    period_id: Annotated[str, typer.Argument()],
    start: Annotated[str, typer.Option("--from", help="the first sub-period to re-plan")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open a re-plan of the rest of the period from the actuals (then compute variants
    and put them to the vote, as for the first plan)."""
    v = pc.start_replan(open_uow(db), period_id, start, moment(at))
    emit(v.to_dict(), as_json,
          f"revision {v.revision} of {period_id} opened: re-plans {', '.join(v.covers)} "
          f"({100 * v.share:.1f}% of the period)"
          + (f"; {len(v.unreported)} targets were not reported (counted as nothing made)"
             if v.unreported else ""))
