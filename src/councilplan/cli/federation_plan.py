"""The demo federation's plan cycle, on the real economy the demo uses (WIOD USA 2014
with hours worked from ``../shared/data`` when it is there, else the Eurostat Germany
1995 table shipped in the package: :func:`councilplan.cli.demo.demo_economy`).

    seed_plan_cycle(uow, fed, now) -> DemoPlan

Three periods of the national council (the top of the federation), a year each:

* **in force** (from two months ago): adopted by the members' secret ballot, its
  targets published, the workplaces' output reported for its first quarter;
* **voting** (the year after): needs and techniques registered, the national working
  time decided (35 hours for 46 weeks), three variants computed (35, 32 and 30 hours a
  week), and their ratification ballot open for a week;
* **registering** (the year after that): techniques registered, the needs of the
  second to fourth workplaces in, the first workplace's still to come.

The economy's industries, largest labour first, are split among the four workplace
councils (the first four are theirs, the rest dealt out in turn); each registers one
technique per industry: the economy's input coefficients, and its hours per unit,
where a unit is a thousand of the table's currency (employment tables count 1,650 hours
a person-year). The needs are the economy's final demand scaled to what the members can
make in about 33.5 hours a week, split among the workplace councils; the largest third
of the final-demand items are tier 1, the rest tier 2. The largest industry can make
what tier 1 needs of it and 97% of the rest, so a capacity binds.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from councilplan import services
from councilplan.cli.demo import DemoEconomy, _shared_tables, demo_economy
from councilplan.planning import Economy, gross_output
from councilplan.planning.cycle import (
    NeedTable,
    OutputReport,
    Product,
    TechniqueTable,
    VariantSpec,
    WorkingTime,
)
from councilplan.services import plan_cycle as pc
from councilplan.services.constituency import load_constituency
from councilplan.store import UnitOfWork

__all__ = ["DemoPlan", "seed_plan_cycle"]

DAY = timedelta(days=1)
NATIONAL = "national"
WEEKS = 46.0
HOURS_PER_PERSON_YEAR = 1650.0
AIMED_WEEK = 33.5  # the hours a week that meeting every need takes
VARIANTS = (("35h", "A 35-hour week", 35.0), ("32h", "A 32-hour week", 32.0),
            ("30h", "A 30-hour week", 30.0))


@dataclass
class DemoPlan:
    in_force: str = ""  # the adopted period, its targets published
    voting: str = ""  # the period whose variants are on the ballot
    registering: str = ""  # the period open for needs
    ballot: str = ""  # the open ratification ballot
    variants: list[str] = field(default_factory=list)  # their keys
    economy: str = ""  # which table
    planner: str = ""  # the North's delegate to the national council


@functools.cache
def _economy_of(tables: Path | None) -> DemoEconomy:
    return demo_economy()


def _economy() -> DemoEconomy:
    """The demo's economy, read once per process for each place the tables are found."""
    return _economy_of(_shared_tables())


def _months_later(moment: datetime, months: int) -> datetime:
    k = moment.month - 1 + months
    return moment.replace(year=moment.year + k // 12, month=k % 12 + 1, day=1)


@dataclass(frozen=True)
class _Registrations:
    products: list[Product]
    techniques: list[dict[str, Any]]
    needs: list[dict[str, Any]]


def _hours_per_million(eco: Economy) -> np.ndarray:
    unit = str(eco.meta.get("units", {}).get("labour", ""))
    labour = np.asarray(eco.labour, dtype=np.float64)
    if unit.startswith("thousand persons"):
        return labour * 1000.0 * HOURS_PER_PERSON_YEAR
    return labour  # hours per million of output (WIOD's Socio-Economic Accounts)


def _registrations(eco: Economy, workplaces: list[str], people: int, rng: random.Random
                   ) -> _Registrations:
    money = str(eco.meta.get("units", {}).get("products", "million"))
    currency = money.split()[1] if money.startswith("million ") else "units"
    unit = f"thousand {currency}"
    names = eco.product_names or [str(p) for p in eco.products]
    codes = [str(p) for p in eco.products]
    hours = _hours_per_million(eco) / 1000.0  # per thousand
    d = np.asarray(eco.needs, dtype=np.float64) * 1000.0
    x = gross_output(eco, d)
    scale = AIMED_WEEK * WEEKS * people / float(hours @ x)
    d, x = d * scale, x * scale
    tier = np.where(np.argsort(np.argsort(-d)) < max(1, eco.n // 3), 1, 2)
    x1 = gross_output(eco, np.where(tier == 1, d, 0.0))
    ranked = np.argsort(-(hours * x), kind="stable").tolist()
    maker = {j: workplaces[k % len(workplaces)] for k, j in enumerate(ranked)}
    A = eco.A.tocsc()
    techniques = []
    for j in range(eco.m):
        lo, hi = int(A.indptr[j]), int(A.indptr[j + 1])
        i = int(eco.makes[j])
        capacity = (float(x1[i] + 0.97 * (x[i] - x1[i])) if j == ranked[0] else None)
        techniques.append({"workplace": maker[j], "product": codes[i],
                           "labour": float(hours[j]), "capacity": capacity,
                           "inputs": {codes[int(r)]: float(q) for r, q in
                                      zip(A.indices[lo:hi], A.data[lo:hi], strict=True)
                                      if q > 0}})
    needs = []
    for i in range(eco.n):
        if d[i] <= 0:
            continue
        shares = [rng.uniform(0.6, 1.4) for _ in workplaces]
        for wp, s in zip(workplaces, shares, strict=True):
            q = round(float(d[i]) * s / sum(shares), 1)
            if q > 0:
                needs.append({"council": wp, "product": codes[i], "quantity": q,
                              "tier": int(tier[i]),
                              "reason": "everyday needs of our households" if tier[i] == 1
                              else "more of what we use"})
    products = [Product(codes[i], str(names[i])[:200], unit) for i in range(eco.n)]
    return _Registrations(products, techniques, needs)


def _register(uow: UnitOfWork, period_id: str, reg: _Registrations, at: datetime, *,
              skip_council: str | None = None) -> None:
    pc.register_techniques(uow, period_id, TechniqueTable.from_rows(reg.techniques), at)
    rows = [n for n in reg.needs if n["council"] != skip_council]
    pc.register_needs(uow, period_id, NeedTable.from_rows(rows), at)
    pc.decide_working_time(uow, period_id, WorkingTime(NATIONAL, 35.0, WEEKS), at)


def _adopt(uow: UnitOfWork, period_id: str, voters: list[str], at: datetime,
           rng: random.Random) -> None:
    pc.compute_variants(uow, period_id, [VariantSpec("35h", "A 35-hour week",
                                                     hours_per_week=35.0)], at)
    ballot = pc.open_plan_ballot(uow, period_id, at, at + 2 * DAY, include_none=True)
    for voter in voters:
        paper = ["35h", "none"] if rng.random() < 0.85 else ["none", "35h"]
        services.cast_vote(uow, ballot.ballot_id, voter, paper, at + DAY)
    services.close_ballot(uow, ballot.ballot_id, at + 2 * DAY)
    pc.publish_targets(uow, period_id, at + 2 * DAY)


def _report_first_quarter(uow: UnitOfWork, period_id: str, workplaces: list[str],
                          at: datetime, rng: random.Random) -> None:
    reports = []
    for wp in workplaces:
        for t in pc.workplace_targets(uow, period_id, wp):
            planned = dict(t.by_sub_period).get("Q1", 0.0)
            done = round(planned * rng.uniform(0.85, 1.05), 1)
            share = done / t.output if t.output > 0 else 0.0
            reports.append(OutputReport("Q1", wp, t.product, done, round(t.labour * share, 1)))
    pc.report_output(uow, period_id, reports, at)


def _national_delegate(uow: UnitOfWork, fed: Any, voters: list[str], now: datetime) -> str:
    """The North elects its delegate to the national council (who plans with it)."""
    opens = now - 60 * DAY
    services.define_seat(uow, "north/delegate", "north", "Delegate to the national council",
                         "delegate", opens, term_length=365 * DAY, election_lead=28 * DAY,
                         delegate_to=NATIONAL)
    taken = {login.username for login in fed.logins}
    candidates = [m for m in voters if m not in taken][:2]
    ballot = services.open_election(uow, ["north/delegate"], candidates, opens, opens + 7 * DAY)
    for voter in voters:
        services.cast_vote(uow, ballot.ballot_id, voter, candidates, opens + DAY)
    return services.close_ballot(uow, ballot.ballot_id, opens + 7 * DAY).elected[0]


def seed_plan_cycle(uow: UnitOfWork, fed: Any, now: datetime, *, seed: int = 2026) -> DemoPlan:
    """Seed the plan cycle of the demo federation ``fed`` (a
    :class:`~councilplan.cli.federation.DemoFederation`); see the module docstring."""
    rng = random.Random(seed)
    chosen = _economy()
    workplaces = [w for w, _ in fed.workplaces]
    voters = _members(uow)
    planner = _national_delegate(uow, fed, voters, now)
    names = services.member_names(uow, [planner])
    from councilplan.cli.federation import DemoLogin  # (it imports this module)

    fed.logins.append(DemoLogin(planner, names.get(planner, planner), "delegate of the North "
                                "to the national council: computes the plan's variants"))
    reg = _registrations(chosen.economy, workplaces, len(voters), rng)
    out = DemoPlan(economy=chosen.description, variants=[k for k, _, _ in VARIANTS],
                   planner=planner)
    pc.add_products(uow, reg.products, now - 70 * DAY)
    # the first of the month 35 to 65 days ago: after the federation began (70 days ago)
    start = _months_later((now - 35 * DAY).astimezone(UTC), 0).replace(
        hour=0, minute=0, second=0, microsecond=0)
    spans = [(start, _months_later(start, 12)), (_months_later(start, 12),
                                                 _months_later(start, 24)),
             (_months_later(start, 24), _months_later(start, 36))]
    ids = [f"plan-{a:%Y-%m}" for a, _ in spans]
    for (a, b), pid in zip(spans, ids, strict=True):
        pc.open_period(uow, pid, f"National plan {a:%B %Y} to {b - DAY:%B %Y}", a, b,
                       start - 3 * DAY, council_id=NATIONAL, electorate="members")
    out.in_force, out.voting, out.registering = ids
    _register(uow, out.in_force, reg, start - 3 * DAY)
    _adopt(uow, out.in_force, voters, start - 3 * DAY, rng)
    _report_first_quarter(uow, out.in_force, workplaces, now - DAY, rng)
    _register(uow, out.voting, reg, now - 10 * DAY)
    pc.compute_variants(uow, out.voting, [VariantSpec(k, name, hours_per_week=h)
                                          for k, name, h in VARIANTS], now - 3 * DAY)
    out.ballot = pc.open_plan_ballot(uow, out.voting, now - DAY, now + 7 * DAY).ballot_id
    _register(uow, out.registering, reg, now - 2 * DAY, skip_council=workplaces[0])
    return out


def _members(uow: UnitOfWork) -> list[str]:
    with uow.reading():
        return sorted(load_constituency(uow, NATIONAL).members)
