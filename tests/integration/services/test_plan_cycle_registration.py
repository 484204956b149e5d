"""The plan cycle's registrations through the services, on SQLite and PostgreSQL: the
catalogue, periods, needs, techniques and working time -- all or nothing, each step in
the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from councilplan import services
from councilplan.errors import InvalidInput, PreconditionFailed
from councilplan.planning.cycle import NeedTable, Product, TechniqueTable, WorkingTime
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork
from councilplan.store.tables import plan_needs, plan_techniques

DAY = timedelta(days=1)
PLAN_T0 = datetime(2026, 1, 1, tzinfo=UTC)  # as in conftest.py
PLAN_AT = datetime(2026, 1, 4, tzinfo=UTC)  # conftest.py registers at this time

KINDS = {"res1": "residential", "res2": "residential", "farm": "workplace",
         "nat": "national", "north": "regional"}


def _events(uow: UnitOfWork, kind: str) -> list[dict[str, object]]:
    out = []
    for _seq, _hash, canonical in services.audit_entries(uow):
        event = json.loads(canonical)
        if event["kind"] == kind:
            out.append(event["payload"])
    return out


def _rows(uow: UnitOfWork, table: object) -> int:
    with uow.reading():
        return int(uow.connection.execute(select(func.count()).select_from(table))  # type: ignore[arg-type]
                   .scalar_one())


def test_the_catalogue_takes_a_product_once_and_never_changes_a_code(
        federation: UnitOfWork) -> None:
    uow = federation
    first = pc.add_products(uow, [Product("grain", "Grain", "t", classifications={
        "cpa": "CPA_A01", "nace": "A01"})], PLAN_AT)
    assert (first.added, first.catalogue) == (1, 1)
    again = pc.add_products(uow, [Product("grain", "Grain", "t", classifications={
        "cpa": "CPA_A01", "nace": "A01"}), Product("bread", "Bread", "loaf")], PLAN_AT)
    assert (again.added, again.already, again.catalogue) == (1, 1, 2)
    with pytest.raises(PreconditionFailed, match="never changes its product"):
        pc.add_products(uow, [Product("grain", "Wheat", "kg"), Product("milk", "Milk", "l")],
                        PLAN_AT)
    assert len(pc.catalogue(uow)) == 2  # milk did not go in either
    assert pc.catalogue(uow).get("grain").classifications == {"cpa": "CPA_A01", "nace": "A01"}
    assert [e["products"] for e in _events(uow, "plan.products_added")] == [1, 1]


def test_a_period_is_owned_by_the_national_council_by_default(federation: UnitOfWork) -> None:
    uow = federation
    view = pc.open_period(uow, "y2026", "Plan 2026", PLAN_T0, PLAN_T0 + 365 * DAY, PLAN_AT)
    assert view.council_id == "nat"
    assert view.electorate == "delegates"
    assert [s["label"] for s in view.sub_periods] == ["Q1", "Q2", "Q3", "Q4"]
    with pytest.raises(PreconditionFailed, match="already plans"):
        pc.open_period(uow, "again", "Overlap", PLAN_T0 + 100 * DAY, PLAN_T0 + 400 * DAY,
                       PLAN_AT)
    north = pc.open_period(uow, "north26", "North's own plan", PLAN_T0, PLAN_T0 + 365 * DAY,
                           PLAN_AT, council_id="north", sub_periods="months")
    assert north.council_id == "north"
    assert len(north.sub_periods) == 12
    farm = pc.open_period(uow, "farm26", "Farm plan", PLAN_T0, PLAN_T0 + 365 * DAY,
                          PLAN_AT, council_id="farm", sub_periods="whole")
    assert farm.electorate == "members"
    assert {p.period_id for p in pc.list_periods(uow)} == {"y2026", "north26", "farm26"}
    opened = _events(uow, "plan.period_opened")
    assert [e["period_id"] for e in opened] == ["y2026", "north26", "farm26"]


def test_bad_needs_are_refused_whole_with_every_fault_named(registered: UnitOfWork) -> None:
    uow = registered
    before_rows = _rows(uow, plan_needs)
    before_log = services.verify_audit(uow).entries
    bad = NeedTable.from_rows([
        {"council": "res1", "product": "bread", "quantity": 10},         # fine
        {"council": "res1", "product": "caviar", "quantity": 1},
        {"council": "res1", "product": "bread", "quantity": 0},
        {"council": "north", "product": "bread", "quantity": 5, "category": "housing",
         "tier": 0},
    ], kinds=KINDS)
    with pytest.raises(InvalidInput) as info:
        pc.register_needs(uow, "y2026", bad, PLAN_AT)
    assert {p.where.split(" (")[0] for p in info.value.problems} == {"need 2", "need 3",
                                                                     "need 4"}
    assert _rows(uow, plan_needs) == before_rows  # no partial writes
    assert services.verify_audit(uow).entries == before_log


def test_needs_register_with_their_origin_and_add_up_the_tree(registered: UnitOfWork) -> None:
    uow = registered
    more = pc.register_needs(uow, "y2026", NeedTable.from_rows([
        {"council": "farm", "product": "bread", "quantity": 40, "reason": "canteen"},
        {"council": "north", "product": "tools", "quantity": 9, "category": "health"},
    ], kinds=KINDS), PLAN_AT)
    assert (more.needs, more.councils) == (2, 2)
    top = {(a.product, a.tier): a for a in pc.needs_summary(uow, "y2026")}
    assert top[("bread", 1)].quantity == 3040
    assert top[("bread", 1)].origins == (("north", 3040.0),)
    assert top[("tools", 1)].origins == (("north", 9.0),)
    assert top[("tools", 3)].origins == (("nat", 100.0),)
    north = {(a.product, a.tier): a for a in pc.needs_summary(uow, "y2026", "north")}
    assert north[("bread", 1)].origins == (("farm", 40.0), ("res1", 3000.0))
    logged = _events(uow, "plan.needs_registered")
    assert {e["council_id"] for e in logged} == {"res1", "res2", "nat", "farm", "north"}
    # a council re-registering its whole list replaces it
    again = pc.register_needs(uow, "y2026", NeedTable.from_rows(
        [{"council": "farm", "product": "bread", "quantity": 45}], kinds=KINDS), PLAN_AT,
        replace=True)
    assert again.withdrawn == 1
    top = {(a.product, a.tier): a for a in pc.needs_summary(uow, "y2026")}
    assert top[("bread", 1)].quantity == 3045
    assert pc.withdraw_needs(uow, "y2026", "farm", PLAN_AT) == 1


def test_bad_techniques_are_refused_whole(registered: UnitOfWork) -> None:
    uow = registered
    before = _rows(uow, plan_techniques)
    bad = TechniqueTable.from_rows([
        {"workplace": "farm", "product": "grain", "labour": 1.5, "inputs": {"tools": 0.04}},
        {"workplace": "smith", "product": "tools", "labour": 4.0, "inputs": {"iron": 0.5}},
        {"workplace": "bakery", "product": "bread", "labour": 0.1, "capacity": -5},
        {"workplace": "north", "product": "bread", "labour": 0.1},
    ])
    with pytest.raises(InvalidInput) as info:
        pc.register_techniques(uow, "y2026", bad, PLAN_AT)
    text = str(info.value)
    assert "uses product 'iron', which is not in the catalogue" in text
    assert "capacity -5.0 is not a number >= 0" in text
    assert "only workplace councils register techniques" in text
    assert _rows(uow, plan_techniques) == before


def test_a_technique_registered_again_is_a_new_version(registered: UnitOfWork) -> None:
    uow = registered
    done = pc.register_techniques(uow, "y2026", TechniqueTable.from_rows([
        {"workplace": "farm", "product": "grain", "labour": 1.8, "capacity": 9000,
         "inputs": {"tools": 0.05, "grain": 0.1}}]), PLAN_AT + DAY)
    assert done.new_versions == 1
    with uow.reading():
        current = uow.plans.techniques("y2026", workplaces=["farm"])
        every = uow.plans.techniques("y2026", workplaces=["farm"], current=False)
    assert current.rows() == [{"workplace": "farm", "product": "grain", "labour": 1.8,
                               "capacity": 9000.0, "inputs": {"tools": 0.05, "grain": 0.1},
                               "version": 2}]
    assert [r["version"] for r in every.rows()] == [1, 2]
    logged = _events(uow, "plan.techniques_registered")
    assert logged[-1]["versions"] == [["grain", 2]]


def test_working_time_gives_the_hours_available(registered: UnitOfWork) -> None:
    uow = registered
    view = pc.labour_available(uow, "y2026")
    assert view.people == 13  # registered members of the four workplaces
    assert view.hours_available == 13 * 35 * 46
    pc.decide_working_times(uow, "y2026", [WorkingTime("south", 32.0, 45.0),
                                           WorkingTime("farm", 35.0, 46.0, members=40)],
                            PLAN_AT)
    view = pc.labour_available(uow, "y2026")
    assert view.hours_available == (40 + 3) * 35 * 46 + 6 * 32 * 45
    pc.decide_working_time(uow, "y2026", WorkingTime("south", 30.0, 45.0), PLAN_AT)
    assert pc.labour_available(uow, "y2026").hours_available == 43 * 35 * 46 + 6 * 30 * 45
    with pytest.raises(InvalidInput, match="at most 168 hours"):
        pc.decide_working_time(uow, "y2026", WorkingTime("nat", 170.0, 46.0), PLAN_AT)
    assert [e["replaces"] for e in _events(uow, "plan.working_time_decided")] == [
        False, False, False, True]


def test_registrations_wait_while_the_variants_are_voted_on(registered: UnitOfWork) -> None:
    from councilplan.planning.cycle import VariantSpec
    uow = registered
    pc.compute_variants(uow, "y2026", [VariantSpec("35h", "35-hour week")], PLAN_AT)
    pc.open_plan_ballot(uow, "y2026", PLAN_AT, PLAN_AT + 7 * DAY)
    with pytest.raises(PreconditionFailed, match="voting on its plan variants"):
        pc.register_needs(uow, "y2026", NeedTable.from_rows(
            [{"council": "res1", "product": "bread", "quantity": 1}], kinds=KINDS), PLAN_AT)
    with pytest.raises(PreconditionFailed, match="voting on its plan variants"):
        pc.decide_working_time(uow, "y2026", WorkingTime("nat", 30.0, 46.0), PLAN_AT)
