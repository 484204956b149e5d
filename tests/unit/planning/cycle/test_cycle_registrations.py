"""The pure registration rules: catalogue, periods, federation scope, needs, techniques,
working time -- every fault named, nothing accepted half."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from councilplan.errors import InvalidInput
from councilplan.planning.cycle import (
    Catalogue,
    Federation,
    NeedTable,
    PlanningPeriod,
    Product,
    SubPeriod,
    TechniqueTable,
    WorkingTime,
    aggregate_needs,
    resolve_workforce,
    split_period,
)
from councilplan.planning.cycle.catalogue import catalogue_problems
from councilplan.planning.cycle.need import need_problems
from councilplan.planning.cycle.technique import technique_problems
from councilplan.planning.cycle.working_time import working_time_problems

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2027, 1, 1, tzinfo=UTC)


# -- catalogue --------------------------------------------------------------------------


def test_a_product_needs_a_code_a_name_and_a_unit() -> None:
    with pytest.raises(InvalidInput) as info:
        Product("bad code!", "", "", classifications={"sitc": "01"})
    text = str(info.value)
    assert "is not a product code" in text
    assert "needs a name" in text
    assert "needs a unit" in text
    assert "unknown classification 'sitc'" in text


def test_adding_the_same_product_again_is_no_change_and_a_changed_one_is_refused(
        catalogue: Catalogue) -> None:
    same = Product("grain", "Grain", "t", "reworded", classifications={"cpa": "CPA_A01"})
    assert catalogue_problems(catalogue, [same]) == []
    assert len(catalogue.with_products([same])) == len(catalogue)
    other = Product("grain", "Wheat", "kg")
    problems = catalogue_problems(catalogue, [other, Product("x", "X", "u"),
                                              Product("x", "X", "u")])
    assert [p.where for p in problems] == ["product 1 (grain)", "product 3 (x)"]
    assert "never changes its product" in problems[0].message
    with pytest.raises(InvalidInput):
        catalogue.with_products([other])


def test_the_catalogue_finds_codes_and_lists_unknown_ones(catalogue: Catalogue) -> None:
    assert catalogue.index("tools") == 1
    assert catalogue.unknown(["tools", "steel", "steel", "coal"]) == ["steel", "coal"]
    assert catalogue.get("grain").classifications["cpa"] == "CPA_A01"


# -- periods ----------------------------------------------------------------------------


def test_a_year_splits_into_quarters_months_or_equal_parts() -> None:
    q = split_period(T0, T1, "quarters")
    assert [s.label for s in q] == ["Q1", "Q2", "Q3", "Q4"]
    assert q[1].starts_at == datetime(2026, 4, 1, tzinfo=UTC)
    assert len(split_period(T0, T1, "months")) == 12
    parts = split_period(T0, T1, 3)
    assert parts[-1].ends_at == T1
    period = PlanningPeriod("p", "nat", "Plan", T0, T1, q)
    assert sum(period.shares()) == pytest.approx(1.0, abs=1e-15)
    assert period.shares()[0] == pytest.approx(90 / 365)
    assert period.covered() == ("Q1", "Q2", "Q3", "Q4")
    assert period.elapsed() == ()


def test_sub_periods_must_cover_the_period_without_gaps() -> None:
    gap = (SubPeriod("A", T0, T0 + timedelta(days=100)),
           SubPeriod("B", T0 + timedelta(days=101), T1))
    with pytest.raises(InvalidInput, match="no gaps"):
        PlanningPeriod("p", "nat", "Plan", T0, T1, gap)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        PlanningPeriod("p", "nat", "Plan", T1, T0, gap)


def test_a_replan_covers_the_rest_of_the_period() -> None:
    period = PlanningPeriod("p", "nat", "Plan", T0, T1, split_period(T0, T1), revision=2,
                            replan_from="Q3")
    assert period.covered() == ("Q3", "Q4")
    assert period.elapsed() == ("Q1", "Q2")


# -- the scope ----------------------------------------------------------------------------


def test_the_scope_is_the_owner_and_every_council_below_it(federation: Federation) -> None:
    assert federation.in_scope("bakery")
    assert federation.in_scope("nat")
    north = Federation("north", federation.parents, federation.kinds)
    assert not north.in_scope("bakery")
    assert north.workplaces() == ("farm", "smith")
    assert federation.branch("bakery") == "south"
    assert federation.branch("nat") == "nat"
    assert federation.path("farm") == ("farm", "north", "nat")


# -- needs --------------------------------------------------------------------------------


def test_needs_are_checked_row_by_row(catalogue: Catalogue, federation: Federation) -> None:
    table = NeedTable.from_rows([
        {"council": "res1", "product": "bread", "quantity": 10, "tier": 1},     # fine
        {"council": "res1", "product": "steel", "quantity": 10},                # unknown
        {"council": "res1", "product": "bread", "quantity": -1},                # negative
        {"council": "res1", "product": "bread", "quantity": "lots"},            # not a number
        {"council": "res1", "product": "bread", "quantity": 1, "tier": 0},      # tier
        {"council": "res1", "product": "bread", "quantity": 1, "category": "health"},
        {"council": "north", "product": "bread", "quantity": 1, "category": "consumption"},
        {"council": "north", "product": "bread", "quantity": 1},                # no category
        {"council": "mars", "product": "bread", "quantity": 1},                 # no council
    ], kinds=federation.kinds)
    problems = need_problems(table, catalogue, federation)
    rows = sorted({p.where.split(" ")[1] for p in problems}, key=int)
    assert rows == ["2", "3", "4", "5", "6", "7", "8", "9"]
    text = "\n".join(str(p) for p in problems)
    assert "'steel' is not in the catalogue" in text
    assert "is not a positive number" in text
    assert "the tier must be 1, 2, 3" in text
    assert "not collective health needs" in text
    assert "adds collective needs" in text
    assert "council mars does not exist" in text


def test_needs_aggregate_up_the_tree_with_their_origin_kept(federation: Federation) -> None:
    table = NeedTable.from_rows([
        {"council": "res1", "product": "bread", "quantity": 30, "tier": 1},
        {"council": "farm", "product": "bread", "quantity": 5, "tier": 1},
        {"council": "res2", "product": "bread", "quantity": 20, "tier": 1},
        {"council": "res2", "product": "bread", "quantity": 7, "tier": 2},
        {"council": "nat", "product": "tools", "quantity": 4, "category": "investment"},
    ], kinds=federation.kinds)
    top = aggregate_needs(table, federation)
    bread1 = next(a for a in top if a.product == "bread" and a.tier == 1)
    assert bread1.quantity == 55
    assert bread1.needs == 3
    assert bread1.origins == (("north", 35.0), ("south", 20.0))
    tools = next(a for a in top if a.product == "tools")
    assert tools.origins == (("nat", 4.0),)
    north = aggregate_needs(table, federation, "north")
    assert [(a.product, a.tier, a.origins) for a in north] == [
        ("bread", 1, (("farm", 5.0), ("res1", 30.0)))]
    for a in top:  # the origins add up to the total
        assert sum(q for _, q in a.origins) == pytest.approx(a.quantity)


# -- techniques ---------------------------------------------------------------------------


def test_techniques_are_checked_against_the_catalogue_and_for_impossible_figures(
        catalogue: Catalogue, federation: Federation) -> None:
    table = TechniqueTable.from_rows([
        {"workplace": "farm", "product": "grain", "labour": 2, "inputs": {"tools": 0.1}},
        {"workplace": "farm", "product": "steel", "labour": 2},
        {"workplace": "smith", "product": "tools", "labour": -1, "inputs": {"coal": 1}},
        {"workplace": "smith", "product": "bread", "labour": 1, "capacity": float("nan"),
         "inputs": {"grain": -0.5}},
        {"workplace": "bakery", "product": "bread", "labour": 1, "inputs": {"bread": 1.0}},
        {"workplace": "res1", "product": "bread", "labour": 1},
        {"workplace": "farm", "product": "grain", "labour": 1},
    ])
    problems = technique_problems(table, catalogue, federation)
    text = "\n".join(str(p) for p in problems)
    assert "makes product 'steel', which is not in the catalogue" in text
    assert "uses product 'coal', which is not in the catalogue" in text
    assert "labour -1.0 hours per unit is not a number >= 0" in text
    assert "capacity nan is not a number >= 0" in text
    assert "input of grain -0.5 per unit is not a number >= 0" in text
    assert "can never yield any" in text
    assert "only workplace councils register techniques" in text
    assert "listed twice (also technique 1)" in text
    assert "technique 1 " not in text  # the first row is fine


def test_an_input_listed_twice_is_refused(catalogue: Catalogue, federation: Federation) -> None:
    table = TechniqueTable(["farm"], ["grain"], np.array([1.0]), np.array([np.inf]),
                           np.array([0, 2]), ["tools", "tools"], np.array([0.1, 0.2]))
    problems = technique_problems(table, catalogue, federation)
    assert [p.message for p in problems] == ["lists input tools twice"]


def test_techniques_come_from_an_economy_and_back_as_rows() -> None:
    from councilplan.planning import Economy
    eco = Economy.from_matrix(np.array([[0.1, 0.2], [0.3, 0.0]]), [1.0, 2.0],
                              capacity=[5.0, np.inf], products=["a", "b"])
    table = TechniqueTable.from_economy(eco, ["w1", "w2"])
    assert table.rows() == [
        {"workplace": "w1", "product": "a", "labour": 1.0, "capacity": 5.0,
         "inputs": {"a": 0.1, "b": 0.3}},
        {"workplace": "w2", "product": "b", "labour": 2.0, "capacity": None,
         "inputs": {"a": 0.2}}]
    assert table.take([1]).rows()[0]["inputs"] == {"a": 0.2}


# -- working time -------------------------------------------------------------------------


def test_each_workplace_works_by_the_nearest_decision_up_the_tree(
        federation: Federation) -> None:
    decisions = [WorkingTime("nat", 35, 46), WorkingTime("south", 30, 44),
                 WorkingTime("bakery2", 32, 40, members=7)]
    wf = resolve_workforce(federation, decisions,
                           {"farm": 10, "smith": 5, "bakery": 3, "bakery2": 2})
    got = dict(zip(wf.workplaces, zip(wf.members, wf.hours_per_week, wf.weeks,
                                      wf.decided_by, strict=True), strict=True))
    assert got["farm"] == (10, 35, 46, "nat")
    assert got["bakery"] == (3, 30, 44, "south")
    assert got["bakery2"] == (7, 32, 40, "bakery2")  # its own head-count
    assert wf.hours().sum() == 10 * 35 * 46 + 5 * 35 * 46 + 3 * 30 * 44 + 7 * 32 * 40
    assert wf.hours(hours_per_week=30).sum() == 30 * (15 * 46 + 3 * 44 + 7 * 40)


def test_labour_is_unknown_where_no_council_decided(federation: Federation) -> None:
    with pytest.raises(InvalidInput) as info:
        resolve_workforce(federation, [WorkingTime("north", 35, 46)], {})
    assert {p.where for p in info.value.problems} == {"bakery", "bakery2"}
    lax = resolve_workforce(federation, [WorkingTime("north", 35, 46)], {}, strict=False)
    assert lax.undecided() == ("bakery", "bakery2")


def test_impossible_working_time_is_refused(federation: Federation) -> None:
    assert working_time_problems(WorkingTime("nat", 35, 46), federation, 52.1) == []
    bad = working_time_problems(WorkingTime("north", 200, 60, members=4), federation, 52.1)
    text = "\n".join(p.message for p in bad)
    assert "at most 168 hours" in text
    assert "at most the 52.1 weeks" in text
    assert "only a workplace council states how many people work there" in text
