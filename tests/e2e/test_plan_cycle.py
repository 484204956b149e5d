"""The democratic plan cycle, step by step, on a real national table and on a generated
economy, on SQLite and on PostgreSQL.

A national planning council, four regions, a workplace council per industry (five
industries split between two workplaces with their own techniques, so the plan
chooses between them), a residential council per region. Step by step:

1. the catalogue from the table's codes (mapped to NACE / CPA), a period with quarters;
2. a bad registration refused whole -- nothing written, nothing logged;
3. techniques, needs (residential councils and the national council's collective
   needs, by tier) and working time registered;
4. three variants computed -- every need on a 35-hour week, a 30-hour week with the
   lower tiers partly met, more investment -- each stating its consequences;
5. the delegates vote (weighted by the members they represent, an open vote); one
   variant is adopted with its hash in the audit log, the others rejected;
6. targets published; every target's needs add up to it (tracing);
7. first-quarter reports with a shortfall at one workplace; a re-plan of the rest of
   the year from the actuals, ratified the same way; the new targets make it up;
8. the audit log verifies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.engine import URL

from councilplan import services
from councilplan.errors import InvalidInput
from councilplan.io import read_wiod
from councilplan.io.catalogue import products_from_economy
from councilplan.planning import Economy, generate_economy, gross_output
from councilplan.planning.cycle import (
    NeedTable,
    OutputReport,
    Product,
    TechniqueTable,
    VariantSpec,
    WorkingTime,
)
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import postgresql_reachable, scratch_database, server_for_tests

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
REGIONS = ("northeast", "midwest", "south", "west")
SPLIT = 5  # the first five industries have two workplaces each
HOURS, WEEKS = 35.0, 46.0


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    if request.param == "postgresql":
        why = postgresql_reachable(server_for_tests())
        if why is not None:
            pytest.skip(why)
    with scratch_database(request.param, tmp_path) as url:
        yield url


def _events(uow: UnitOfWork, kind: str) -> list[dict[str, object]]:
    return [json.loads(c)["payload"] for _s, _h, c in services.audit_entries(uow)
            if json.loads(c)["kind"] == kind]


def _category(code: str) -> str:
    if code.startswith("Q"):
        return "health"
    if code.startswith("P"):
        return "education"
    if code in ("L68", "F"):
        return "housing"
    if code[:3] in ("C26", "C27", "C28", "C29", "C30") or code.startswith("M72"):
        return "investment"
    return "reserves"


def _tier(code: str) -> int:
    essential = ("A01", "C10-C12", "D35", "E36", "Q", "P85", "L68", "H49")
    return 1 if code in essential else 2


class World:
    """The federation and the registrations of one economy."""

    def __init__(self, uow: UnitOfWork, eco: Economy, products: list[Product],
                 output: np.ndarray) -> None:
        self.uow, self.eco, self.products, self.x = uow, eco, products, output
        self.codes = [p.code for p in products]
        self.workplaces: list[str] = []
        self.owner: list[int] = []  # technique -> product
        for i, code in enumerate(self.codes):
            n_wp = 2 if i < SPLIT else 1
            for k in range(n_wp):
                self.workplaces.append(f"wp-{code}-{k}")
                self.owner.append(i)
        self.region = {w: REGIONS[k % len(REGIONS)] for k, w in enumerate(self.workplaces)}

    def form(self) -> None:
        uow = self.uow
        services.create_council(uow, "national", "National planning council", "national", T0)
        for r in REGIONS:
            services.create_council(uow, r, f"{r} council", "regional", T0, parent_id="national")
            services.create_council(uow, f"res-{r}", f"{r} residents", "residential", T0,
                                    parent_id=r)
        for w in self.workplaces:
            services.create_council(uow, w, w, "workplace", T0, parent_id=self.region[w])
            services.admit_member(uow, f"{w}/m1", w, T0)
        extra = self.workplaces[0]  # the northeast has one member more
        services.admit_member(uow, f"{extra}/m2", extra, T0)
        for r in REGIONS:
            holder = next(f"{w}/m1" for w in self.workplaces if self.region[w] == r)
            services.define_seat(uow, f"{r}/delegate", r, "delegate", "delegate", T0,
                                 term_length=365 * DAY, election_lead=28 * DAY,
                                 delegate_to="national")
            ballot = services.open_election(uow, [f"{r}/delegate"], [holder], T0, T0 + DAY)
            services.cast_vote(uow, ballot.ballot_id, holder, [holder], T0)
            services.close_ballot(uow, ballot.ballot_id, T0 + DAY)

    def techniques(self) -> TechniqueTable:
        """Column i of A for each workplace making product i; a second workplace uses 10%
        more labour and 5% less of each input; capacities 1.05 x shared 60/40."""
        eco = self.eco
        A = eco.A.tocsc()
        rows = []
        for j, w in enumerate(self.workplaces):
            i = self.owner[j]
            second = w.endswith("-1")
            split = i < SPLIT
            a, b = int(A.indptr[i]), int(A.indptr[i + 1])
            factor = 0.95 if second else 1.0
            inputs = {self.codes[int(r)]: float(q) * factor
                      for r, q in zip(A.indices[a:b], A.data[a:b], strict=True)}
            share = (0.4 if second else 0.6) if split else 1.0
            rows.append({"workplace": w, "product": self.codes[i],
                         "labour": float(eco.labour[i]) * (1.1 if second else 1.0),
                         "capacity": 1.05 * share * float(self.x[i]), "inputs": inputs})
        return TechniqueTable.from_rows(rows)

    def needs(self) -> NeedTable:
        """70% of each product's final demand for the residential councils (split by
        region), 30% the national council's collective needs; tiers by product."""
        rows = []
        weights = (0.2, 0.25, 0.35, 0.2)
        for i, code in enumerate(self.codes):
            d = float(self.eco.needs[i])
            if d <= 0:
                continue
            for r, wgt in zip(REGIONS, weights, strict=True):
                rows.append({"council": f"res-{r}", "product": code, "quantity": 0.7 * d * wgt,
                             "tier": _tier(code), "reason": "households"})
            cat = _category(code)
            rows.append({"council": "national", "product": code, "quantity": 0.3 * d,
                         "tier": 3 if cat in ("investment", "reserves") else _tier(code),
                         "category": cat})
        return NeedTable.from_rows(rows)

    def working_time(self) -> list[WorkingTime]:
        """35 hours for 46 weeks; each workplace's head-count covers 102% of the hours
        its share of the full plan takes."""
        out = [WorkingTime("national", HOURS, WEEKS)]
        hours = self.eco.labour * self.x
        for j, w in enumerate(self.workplaces):
            i = self.owner[j]
            share = (0.4 if w.endswith("-1") else 0.6) if i < SPLIT else 1.0
            people = int(np.ceil(1.02 * hours[i] * share / (HOURS * WEEKS)))
            out.append(WorkingTime(w, HOURS, WEEKS, members=max(people, 1)))
        return out


def _cycle(world: World) -> None:
    uow = world.uow
    at = T0 + 3 * DAY
    world.form()
    # 1. catalogue and period
    added = pc.add_products(uow, world.products, at)
    assert added.added == len(world.products)
    period = pc.open_period(uow, "y2026", "Plan 2026", T0, T0 + 365 * DAY, at)
    assert (period.council_id, period.electorate) == ("national", "delegates")
    # 2. a bad registration is refused whole
    good = world.techniques()
    bad = TechniqueTable.concat([good, TechniqueTable.from_rows([
        {"workplace": world.workplaces[0], "product": "no-such-product", "labour": 1.0},
        {"workplace": world.workplaces[1], "product": world.codes[0], "labour": 1.0,
         "inputs": {world.codes[0]: 1.5}}])])
    log_before = services.verify_audit(uow).entries
    with pytest.raises(InvalidInput) as info:
        pc.register_techniques(uow, "y2026", bad, at)
    assert len(info.value.problems) == 3  # unknown product, listed twice, impossible input
    assert pc.show_period(uow, "y2026").techniques == 0
    assert services.verify_audit(uow).entries == log_before
    # 3. registrations
    assert pc.register_techniques(uow, "y2026", good, at).techniques == len(world.workplaces)
    needs = pc.register_needs(uow, "y2026", world.needs(), at)
    assert needs.councils == len(REGIONS) + 1
    pc.decide_working_times(uow, "y2026", world.working_time(), at)
    top = pc.needs_summary(uow, "y2026")
    assert {o for a in top for o, _ in a.origins} == {*REGIONS, "national"}
    # 4. three variants
    specs = [VariantSpec("35h", "Every need on a 35-hour week", hours_per_week=35.0),
             VariantSpec("30h", "A 30-hour week, the lower tiers partly met",
                         hours_per_week=30.0),
             VariantSpec("invest", "More investment", hours_per_week=35.0,
                         need_scale={"investment": 1.5})]
    views = {v.key: v for v in pc.compute_variants(uow, "y2026", specs, at)}
    assert views["35h"].statement[0].startswith("Every need is met in full")
    tiers_30 = views["30h"].summary["tiers"]
    assert tiers_30[0]["share_met"] == pytest.approx(1.0)
    assert min(t["share_met"] for t in tiers_30) < 1.0
    assert views["30h"].summary["hours"]["labour_binds"] is True
    # more investment runs into the capacities: it states which bind
    assert views["invest"].summary["binding_capacities"]["count"] >= 1
    # labour values: hours embodied in what the needs receive = the hours worked
    with uow.reading():
        rec = uow.variants.get(views["35h"].variant_id)
        inputs = uow.variants.load_inputs(rec.snapshot_id)
        result = uow.variants.load_result(rec)
    assert float(result.labour_values @ result.net_output) == pytest.approx(
        result.labour_used, rel=1e-8)
    # 5. the delegates vote: three regions for 35h, one for 30h
    ballot = pc.open_plan_ballot(uow, "y2026", at, at + 7 * DAY)
    weights = dict(ballot.weights)
    assert len(weights) == len(REGIONS)
    assert sum(int(w) for w in weights.values()) == len(world.workplaces) + 1
    for r in REGIONS:
        holder = next(f"{w}/m1" for w in world.workplaces if world.region[w] == r)
        order = ["30h", "35h", "invest"] if r == "west" else ["35h", "invest", "30h"]
        pc.cast_plan_vote(uow, ballot.ballot_id, holder, order, at + DAY)
    assert services.close_ballot(uow, ballot.ballot_id, at + 7 * DAY).elected == ("35h",)
    adopted = _events(uow, "plan.adopted")
    assert adopted[0]["variant_sha256"] == views["35h"].variant_sha256
    rejected = {e["key"] for e in _events(uow, "plan.variant_rejected")}
    assert rejected == {"30h", "invest"}  # the rejected variants
    assert pc.verify_variant(uow, views["35h"].variant_id)["ok"] is True
    # 6. targets, and each traced to the needs it serves
    published = pc.publish_targets(uow, "y2026", at + 8 * DAY)
    assert published.targets == len(world.workplaces)
    assert published.variant_id == views["35h"].variant_id  # never a rejected one
    for w in (world.workplaces[0], world.workplaces[1], world.workplaces[-1]):
        (target,) = pc.workplace_targets(uow, "y2026", w)
        direct = sum(n["quantity"] for n in target.needs_served)
        assert direct + target.surplus_share == pytest.approx(target.net_share, rel=1e-7,
                                                              abs=1e-6)
        if target.output > 0:
            trace = pc.trace_target(uow, "y2026", w, target.product, limit=None)
            assert trace.traced == pytest.approx(target.output, rel=1e-7)
            assert sum(q for _, q in trace.by_branch) + trace.surplus == pytest.approx(
                target.output, rel=1e-7)
            assert {b for b, _ in trace.by_branch} <= {*REGIONS, "national"}
    # 7. Q1 reports, one workplace at half its target, and the re-plan
    short = world.workplaces[2 * SPLIT + 3]  # a product with one maker
    reports = []
    for w in world.workplaces:
        (target,) = pc.workplace_targets(uow, "y2026", w)
        q1 = dict(target.by_sub_period)["Q1"]
        reports.append(OutputReport("Q1", w, target.product, q1 * (0.5 if w == short else 1.0),
                                    target.labour / 4))
    q2 = T0 + 91 * DAY
    pc.report_output(uow, "y2026", reports, q2)
    progress = pc.plan_progress(uow, "y2026")
    assert progress.behind == 1
    assert next(r for r in progress.rows if r["workplace"] == short)["share"] == \
        pytest.approx(0.5)
    replan = pc.start_replan(uow, "y2026", "Q2", q2)
    assert replan.covers == ("Q2", "Q3", "Q4")
    assert replan.unreported == ()
    rest = pc.compute_variants(uow, "y2026", [VariantSpec("rest", "The rest of the year",
                                                          hours_per_week=35.0)], q2)[0]
    assert rest.revision == 2
    with uow.reading():
        rec2 = uow.variants.get(rest.variant_id)
        inputs2 = uow.variants.load_inputs(rec2.snapshot_id)
        result2 = uow.variants.load_result(rec2)
    assert inputs2.delivered_before is not None
    # what Q1 delivered and what the re-plan delivers make up each need of a tier the
    # re-plan meets in full (capacities cut what it can make up of the others)
    original = {nid: q for nid, q in zip(inputs.needs.need_ids,
                                         inputs.needs.quantities.tolist(), strict=True)}
    want = np.array([original[n] for n in inputs2.needs.need_ids])
    total = inputs2.delivered_before + result2.delivered
    full = np.array([result2.theta_of(int(t)) >= 1 - 1e-9 for t in inputs2.needs.tiers])
    assert full.any()
    assert total[full] == pytest.approx(want[full], rel=1e-6, abs=1e-6)
    assert (total <= want * (1 + 1e-6) + 1e-6).all()
    ballot2 = pc.open_plan_ballot(uow, "y2026", q2, q2 + 7 * DAY)
    for holder in dict(ballot2.weights):
        pc.cast_plan_vote(uow, ballot2.ballot_id, holder, ["rest"], q2)
    services.close_ballot(uow, ballot2.ballot_id, q2 + 7 * DAY)
    pc.publish_targets(uow, "y2026", q2 + 8 * DAY)
    (behind,) = pc.workplace_targets(uow, "y2026", short)
    (before,) = pc.workplace_targets(uow, "y2026", short, revision=1)
    remaining_share = 1 - dict(before.by_sub_period)["Q1"] / before.output
    assert behind.revision == 2
    assert behind.output > before.output * remaining_share * (1 + 1e-6)  # it catches up
    # 8. the record
    check = services.verify_audit(uow)
    assert check.ok, check.message
    assert len(_events(uow, "plan.adopted")) == 2


def test_the_plan_cycle_on_the_wiod_usa_table(database: URL, io_tables: Path) -> None:
    result = read_wiod(io_tables / "wiod2016_usaiot.csv", io_tables / "wiod2016_usasea.csv",
                       year=2014)
    eco = result.economy
    products = products_from_economy(eco, "wiod")
    assert next(p for p in products if p.code == "C10-C12").classifications["cpa"] == \
        "CPA_C10-12"
    engine = make_engine(database)
    try:
        _cycle(World(UnitOfWork(engine), eco, products, result.output))
    finally:
        engine.dispose()


def test_the_plan_cycle_on_a_generated_economy(database: URL) -> None:
    base = generate_economy(300, 8, seed=3)
    eco = base.with_needs(base.needs * 1e5)  # hours enough that head-counts are fine-grained
    x = gross_output(eco)
    products = [Product(p, f"product {p}", "unit") for p in eco.products]
    engine = make_engine(database)
    try:
        _cycle(World(UnitOfWork(engine), eco, products, x))
    finally:
        engine.dispose()
