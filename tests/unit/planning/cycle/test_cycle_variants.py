"""Plan variants, their consequences and hashes; targets, tracing and re-plan inputs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from councilplan.errors import InvalidInput
from councilplan.planning import Economy, labour_values, optimise_plan
from councilplan.planning.cycle import (
    NeedTable,
    PlanInputs,
    VariantResult,
    VariantSpec,
    allocate_delivered,
    compute_variant,
    consequences,
    plan_targets,
    trace_councils,
    trace_target,
)
from councilplan.planning.cycle.digest import array_digest, canonical, num, text_digest
from councilplan.planning.cycle.report import OutputReport, progress, report_problems

MakeInputs = Callable[..., PlanInputs]

SQUARE = [  # one maker per product: the structured method applies
    {"workplace": "farm", "product": "grain", "labour": 2.0, "capacity": None,
     "inputs": {"tools": 0.05, "grain": 0.1}},
    {"workplace": "smith", "product": "tools", "labour": 5.0, "capacity": None,
     "inputs": {"grain": 0.2}},
    {"workplace": "bakery", "product": "bread", "labour": 0.1, "capacity": None,
     "inputs": {"grain": 0.5, "tools": 0.001}},
]


def test_inputs_are_ordered_by_product_then_workplace(make_inputs: MakeInputs) -> None:
    inp = make_inputs()
    assert inp.products == ("bread", "grain", "tools")
    assert inp.technique_keys == ("bakery/bread", "bakery2/bread", "farm/grain",
                                  "smith/tools")
    assert not inp.is_square
    assert make_inputs(SQUARE).is_square
    assert inp.A[1, 0] == 0.5  # grain into bakery's bread
    assert inp.technique("smith", "tools") == 3


def test_an_input_nobody_makes_is_refused_and_an_unmade_need_may_be_left_out(
        make_inputs: MakeInputs) -> None:
    with pytest.raises(InvalidInput) as info:
        make_inputs([*SQUARE[:2], {**SQUARE[2], "inputs": {"grain": 0.5, "salt": 0.01}}])
    assert "salt" in str(info.value)
    assert "no workplace of the scope registered a technique that makes it" in str(info.value)
    needs = [*SQUARE_NEEDS, {"council": "res1", "product": "salt", "quantity": 5}]
    with pytest.raises(InvalidInput, match="no workplace of the scope makes it"):
        make_inputs(SQUARE, needs)
    left = make_inputs(SQUARE, needs, unmade="leave")
    assert left.unmade == ("n3",)
    assert len(left.needs) == 3


SQUARE_NEEDS = [
    {"council": "res1", "product": "bread", "quantity": 3000, "tier": 1},
    {"council": "res2", "product": "bread", "quantity": 2000, "tier": 2},
    {"council": "nat", "product": "tools", "quantity": 100, "tier": 3,
     "category": "investment"},
]


def _plain_economy(inp: PlanInputs) -> Economy:
    return Economy.from_arrays(inp.A, inp.labour, makes=inp.makes, products=inp.products,
                               capacity=inp.capacity)


def test_every_need_met_when_hours_suffice(make_inputs: MakeInputs) -> None:
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    r = compute_variant(inp, VariantSpec("35h", "35-hour week", hours_per_week=35))
    assert r.optimal
    assert r.thetas == (1.0, 1.0, 1.0)
    assert r.delivered == pytest.approx(r.requested)
    # the structured method's exact plan: z = (I - A)^-1 d
    d = np.bincount(inp.need_product, weights=inp.needs.quantities, minlength=inp.n)
    x = np.linalg.solve(np.eye(3) - inp.A.toarray(), d)
    assert r.activity == pytest.approx(x, rel=1e-9)
    assert r.labour_used == pytest.approx(float(inp.labour @ x), rel=1e-9)
    assert r.labour_values == pytest.approx(labour_values(_plain_economy(inp)), rel=1e-9)
    assert r.labour_available == 35 * 46 * 20


def test_a_shorter_week_meets_the_lower_tiers_partly(make_inputs: MakeInputs) -> None:
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    full = compute_variant(inp, VariantSpec("35h", "35", hours_per_week=35))
    hours = full.labour_used * 0.9 / (46 * 20)
    short = compute_variant(inp, VariantSpec("short", "short", hours_per_week=hours))
    assert short.labour_binds
    assert short.labour_used == pytest.approx(short.labour_available, rel=1e-9)
    t1, t2, t3 = short.thetas
    assert t1 == 1.0
    assert 0 < t2 < 1 or (t2 == 1.0 and t3 < 1)
    assert short.theta_of(1) == 1.0
    # every need of a tier gets the same share
    for row in range(len(inp.needs)):
        tier = int(inp.needs.tiers[row])
        assert short.delivered[row] == pytest.approx(short.theta_of(tier)
                                                     * short.requested[row])
    said = consequences(inp, short)
    assert said.statement[0].startswith("Needs met: tier 1 needs in full")
    assert "Labour binds" in said.text()
    assert said.summary["hours"]["labour_binds"] is True


def test_one_product_in_two_tiers_is_planned_through_a_delivery_product(
        make_inputs: MakeInputs) -> None:
    """Bread in tier 1 and tier 2: with optimise_plan run on the needs per tier directly,
    the same shares come out."""
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    full = compute_variant(inp, VariantSpec("a", "a"))
    L = full.labour_used * 0.8
    weeks = L / (46 * 20)
    r = compute_variant(inp, VariantSpec("b", "b", hours_per_week=weeks))
    # by hand: tier 1 first, then tier 2 with the rest of the hours
    eco = _plain_economy(inp)
    d1 = np.array([3000.0, 0.0, 0.0])
    d2 = np.array([2000.0, 0.0, 0.0])
    x1 = np.linalg.solve(np.eye(3) - inp.A.toarray(), d1)
    x2 = np.linalg.solve(np.eye(3) - inp.A.toarray(), d2)
    theta2 = min(1.0, (L - inp.labour @ x1) / (inp.labour @ x2))
    assert r.theta_of(2) == pytest.approx(theta2, rel=1e-9)
    assert r.theta_of(3) == 0.0
    alone = optimise_plan(eco, d1 + d2, labour_available=L)
    assert alone.theta < 1.0  # one tier for all bread would share the cut differently


def test_several_makers_of_a_product_choose_by_labour_and_capacity(
        make_inputs: MakeInputs) -> None:
    inp = make_inputs()  # two bakeries, capacity 3000 each, 5000 bread needed
    r = compute_variant(inp, VariantSpec("35h", "35", hours_per_week=35))
    assert r.optimal
    assert r.thetas == (1.0, 1.0, 1.0)
    bread = r.activity[:2]
    assert bread.sum() == pytest.approx(5000.0, rel=1e-8)
    assert max(bread) == pytest.approx(3000.0, rel=1e-8)  # one bakery at capacity
    assert len(r.binding) == 1
    said = consequences(inp, r)
    assert "1 capacity binds" in said.text()


def test_more_investment_scales_the_investment_needs(make_inputs: MakeInputs) -> None:
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    base = compute_variant(inp, VariantSpec("base", "base"))
    more = compute_variant(inp, VariantSpec("inv", "more investment",
                                            need_scale={"investment": 1.5}))
    assert more.requested[2] == 150.0
    assert more.requested[:2].tolist() == base.requested[:2].tolist()
    assert more.labour_used > base.labour_used


def test_per_workplace_hours_bind_the_workplace_that_runs_short(
        make_inputs: MakeInputs) -> None:
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    r = compute_variant(inp, VariantSpec("wp", "own hours", hours_per_week=3.0,
                                         labour_rule="workplace"))
    assert r.optimal
    assert r.labour_binds
    assert r.binding_workplaces.size >= 1
    used = r.labour_by_workplace
    assert (used <= r.hours_by_workplace * (1 + 1e-9)).all()


def test_a_variant_needs_its_working_time_decided(make_inputs: MakeInputs) -> None:
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    object.__setattr__(inp.workforce, "decided_by", ("",) * len(inp.workforce.workplaces))
    with pytest.raises(InvalidInput, match="labour available cannot be known"):
        compute_variant(inp, VariantSpec("a", "a"))
    r = compute_variant(inp, VariantSpec("a", "a", hours_per_week=35, weeks=46))
    assert r.labour_available > 0


def test_bad_variant_settings_are_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        VariantSpec("Big Plan", "", hours_per_week=0, need_scale={"luxury": 2.0},
                    method="magic")
    text = str(info.value)
    for bit in ("the key must be", "needs a name", "is not a working week",
                "unknown need category 'luxury'", "unknown method 'magic'"):
        assert bit in text


# -- hashes ---------------------------------------------------------------------------------


def test_the_variant_hash_is_deterministic_and_covers_every_number(
        make_inputs: MakeInputs) -> None:
    inp = make_inputs()
    spec = VariantSpec("35h", "35", hours_per_week=35)
    a = compute_variant(inp, spec)
    b = compute_variant(make_inputs(), spec)
    assert a.digest(inp.document()) == b.digest(inp.document())
    # rebuilt from its parts (what a store keeps), the hash is the same
    rebuilt = VariantResult.from_parts(spec, a.scalars(), a.arrays())
    assert rebuilt.digest(inp.document()) == a.digest(inp.document())
    # one number changed anywhere changes it
    changed = VariantResult.from_parts(spec, a.scalars(), {**a.arrays(),
                                                            "activity": a.activity * (1 + 1e-15)})
    assert changed.digest(inp.document()) != a.digest(inp.document())
    other = make_inputs(hours=34.0)
    assert other.digest != inp.digest
    assert compute_variant(other, spec).digest(other.document()) != a.digest(inp.document())


def test_digests_follow_the_documented_encoding() -> None:
    import hashlib
    arr = np.array([1.5, -2.0])
    expected = hashlib.sha256(b"councilplan-array-v1\nx\n<f8\n2\n" + arr.astype("<f8")
                              .tobytes()).hexdigest()
    assert array_digest("x", arr) == expected
    assert text_digest("ids", ["a", "b"]) == hashlib.sha256(
        b"councilplan-text-v1\nids\na\nb\n").hexdigest()
    assert num(0.1) == "0.1"
    assert num(1e-5) == "1e-05"
    with pytest.raises(TypeError):
        canonical({"x": 0.5})


# -- targets and tracing ----------------------------------------------------------------------


@pytest.mark.parametrize("techniques", [None, SQUARE], ids=["two-bakeries", "square"])
def test_targets_split_inputs_across_suppliers_and_list_the_needs_they_serve(
        make_inputs: MakeInputs, techniques: list[dict[str, object]] | None) -> None:
    inp = make_inputs() if techniques is None else make_inputs(techniques)
    r = compute_variant(inp, VariantSpec("35h", "35", hours_per_week=35))
    ts = plan_targets(inp, r)
    z = r.activity
    # what receivers get of each input adds up to what their techniques use
    used = np.asarray(inp.A @ z)
    got = np.bincount(ts.delivery_product, weights=ts.delivery_quantity, minlength=inp.n)
    assert got == pytest.approx(used, rel=1e-12)
    # each supplier sends its share z_s / x_i of what is used of its product
    sent = np.bincount(ts.delivery_supplier, weights=ts.delivery_quantity, minlength=inp.m)
    share = z / r.output[inp.makes]
    assert sent == pytest.approx(used[inp.makes] * share, rel=1e-12)
    # needs served directly and the surplus add up to the target's net output share
    for j in range(inp.m):
        direct = sum(q for *_, q in ts.needs_of(j))
        assert direct + ts.surplus_share[j] == pytest.approx(ts.net_share[j], rel=1e-12,
                                                             abs=1e-9)
        assert sum(q for _, q in ts.sub_period_outputs(j)) == pytest.approx(z[j])
    # every need is served in full by the targets of its product
    served = np.bincount(ts.need_row, weights=ts.need_quantity, minlength=len(inp.needs))
    assert served == pytest.approx(r.delivered, rel=1e-12)


@pytest.mark.parametrize("techniques", [None, SQUARE], ids=["two-bakeries", "square"])
def test_a_targets_needs_add_up_to_it(make_inputs: MakeInputs,
                                      techniques: list[dict[str, object]] | None) -> None:
    """The tracing rule: through the Leontief inverse of the plan's technique mix, the
    parts of every need a target serves, and the surplus, add up to the target."""
    inp = make_inputs() if techniques is None else make_inputs(techniques)
    r = compute_variant(inp, VariantSpec("short", "short", hours_per_week=3.0))
    for j in range(inp.m):
        tr = trace_target(inp, r, j)
        assert tr.total == pytest.approx(r.activity[j], rel=1e-9, abs=1e-9)
        assert (tr.quantity >= -1e-12).all()
        assert tr.direct.sum() <= tr.quantity.sum() + 1e-9
    # and the other way round: all councils' needs call for the whole plan
    everyone = trace_councils(inp, r, set(inp.needs.councils))
    surplus = r.net_output - np.bincount(inp.need_product, weights=r.delivered,
                                         minlength=inp.n)
    assert np.abs(surplus).max() < 1e-6 * max(1.0, float(r.output.max()))
    assert everyone.activity == pytest.approx(r.activity, rel=1e-7, abs=1e-6)


def test_the_grain_of_the_bakery_serves_the_bread_needs(make_inputs: MakeInputs) -> None:
    inp = make_inputs(SQUARE, SQUARE_NEEDS)
    r = compute_variant(inp, VariantSpec("35h", "35", hours_per_week=35))
    tr = trace_target(inp, r, inp.technique("farm", "grain"))
    by = tr.by_council(inp)
    assert set(by) == {"res1", "res2", "nat"}
    assert by["res1"] / by["res2"] == pytest.approx(3000 / 2000)  # bread needs, 3:2
    assert tr.direct.sum() == 0.0  # nobody needs grain itself


# -- reports and re-planning ------------------------------------------------------------------


def test_what_was_delivered_goes_to_the_needs_tier_by_tier() -> None:
    needs = NeedTable.from_rows([
        {"council": "a", "product": "bread", "quantity": 30, "tier": 1},
        {"council": "b", "product": "bread", "quantity": 10, "tier": 1},
        {"council": "c", "product": "bread", "quantity": 50, "tier": 2},
        {"council": "c", "product": "milk", "quantity": 5, "tier": 1},
    ], kinds={"a": "residential", "b": "residential", "c": "residential"})
    received, remaining = allocate_delivered(needs, {"bread": 60.0, "milk": 10.0})
    assert received.tolist() == [30.0, 10.0, 20.0, 5.0]
    assert remaining.tolist() == [0.0, 0.0, 30.0, 0.0]
    received, remaining = allocate_delivered(needs, {"bread": 20.0})
    assert received.tolist() == [15.0, 5.0, 0.0, 0.0]
    assert (received + remaining).tolist() == needs.quantities.tolist()


def test_progress_sets_reports_against_targets() -> None:
    targets = {("farm", "grain"): (400.0, 800.0), ("smith", "tools"): (40.0, 200.0)}
    reports = [OutputReport("Q1", "farm", "grain", 50.0, 120.0),
               OutputReport("Q2", "farm", "grain", 100.0, 200.0)]
    rows = progress(targets, {"Q1": 0.25, "Q2": 0.25}, ["Q1"], reports)
    farm = next(r for r in rows if r.workplace == "farm")
    assert farm.planned_to_date == 100.0
    assert farm.actual_to_date == 50.0
    assert farm.shortfall == 50.0
    assert farm.share == 0.5
    smith = next(r for r in rows if r.workplace == "smith")
    assert smith.actual_to_date == 0.0
    assert smith.reported == ()
    problems = report_problems(
        [OutputReport("Q9", "farm", "grain", -1.0, 1.0),
         OutputReport("Q1", "farm", "steel", 1.0, 1.0),
         OutputReport("Q1", "farm", "steel", 1.0, 1.0)], ["Q1", "Q2"], targets)
    text = "\n".join(str(p) for p in problems)
    assert "no such sub-period" in text
    assert "output -1.0 is not a number >= 0" in text
    assert "farm has no target for steel" in text
    assert "listed twice" in text
