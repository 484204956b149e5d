"""Every service test runs on SQLite (a file in tmp_path) and on PostgreSQL (a fresh schema
on 127.0.0.1:5432, database ``test``, or ``$COUNCILPLAN_TEST_POSTGRESQL``); PostgreSQL is
skipped, with the reason, only when the server does not answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.two_databases import db_url, engine, postgresql_engine, sqlite_engine, uow

from councilplan import services
from councilplan.store import UnitOfWork

__all__ = ["db_url", "engine", "postgresql_engine", "sqlite_engine", "uow"]


T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def mill(uow: UnitOfWork) -> UnitOfWork:
    """Riverside area council; under it the Mill workplace council of 20 members
    w00..w19; the Mill's delegate seat to Riverside (one-year term, 28 days' lead)."""
    services.create_council(uow, "area", "Riverside area council", "area", T0)
    services.create_council(uow, "mill", "Mill workers' council", "workplace", T0,
                            parent_id="area")
    for i in range(20):
        services.admit_member(uow, f"w{i:02d}", "mill", T0, name=f"Worker {i}")
    services.define_seat(uow, "mill/delegate", "mill", "Delegate to Riverside", "delegate", T0,
                         term_length=365 * DAY, election_lead=28 * DAY, delegate_to="area")
    return uow


# -- the plan cycle -------------------------------------------------------------------------

PLAN_T0 = datetime(2026, 1, 1, tzinfo=UTC)
PLAN_AT = PLAN_T0 + 3 * DAY  # when the period's registrations happen
PLAN_COUNCILS = [
    ("farm", "north", "workplace"), ("smith", "north", "workplace"),
    ("bakery", "south", "workplace"), ("bakery2", "south", "workplace"),
    ("res1", "north", "residential"), ("res2", "south", "residential"),
]
PLAN_TECHNIQUES = [
    {"workplace": "farm", "product": "grain", "labour": 2.0, "capacity": None,
     "inputs": {"tools": 0.05, "grain": 0.1}},
    {"workplace": "smith", "product": "tools", "labour": 5.0, "capacity": 1000.0,
     "inputs": {"grain": 0.2}},
    {"workplace": "bakery", "product": "bread", "labour": 0.1, "capacity": 3000.0,
     "inputs": {"grain": 0.5, "tools": 0.001}},
    {"workplace": "bakery2", "product": "bread", "labour": 0.12, "capacity": 3000.0,
     "inputs": {"grain": 0.45, "tools": 0.001}},
]
PLAN_NEEDS = [
    {"council": "res1", "product": "bread", "quantity": 3000, "tier": 1, "reason": "daily bread"},
    {"council": "res2", "product": "bread", "quantity": 2000, "tier": 2},
    {"council": "res2", "product": "grain", "quantity": 50, "tier": 1},
    {"council": "nat", "product": "tools", "quantity": 100, "tier": 3,
     "category": "investment", "reason": "new workshops"},
]


@pytest.fixture
def federation(uow: UnitOfWork) -> UnitOfWork:
    """A national council over regions north and south; four workplaces (3 members
    each; farm also has w-extra: 4), two residential councils; each region elects one
    delegate to the national council (farm0 for north, bakery0 for south)."""
    services.create_council(uow, "nat", "National planning council", "national", PLAN_T0)
    for r in ("north", "south"):
        services.create_council(uow, r, f"{r} regional council", "regional", PLAN_T0,
                                parent_id="nat")
    for c, parent, kind in PLAN_COUNCILS:
        services.create_council(uow, c, c, kind, PLAN_T0, parent_id=parent)
    for wp in ("farm", "smith", "bakery", "bakery2"):
        for i in range(3):
            services.admit_member(uow, f"{wp}{i}", wp, PLAN_T0)
    services.admit_member(uow, "farm3", "farm", PLAN_T0)
    for region, holder in (("north", "farm0"), ("south", "bakery0")):
        services.define_seat(uow, f"{region}/delegate", region, "delegate to nat",
                             "delegate", PLAN_T0, term_length=365 * DAY,
                             election_lead=28 * DAY, delegate_to="nat")
        b = services.open_election(uow, [f"{region}/delegate"], [holder], PLAN_T0,
                                   PLAN_T0 + DAY)
        services.cast_vote(uow, b.ballot_id, holder, [holder], PLAN_T0)
        services.close_ballot(uow, b.ballot_id, PLAN_T0 + DAY)
    return uow


@pytest.fixture
def registered(federation: UnitOfWork) -> UnitOfWork:
    """The federation with a catalogue, period ``y2026`` (quarters) and every
    registration: techniques, needs, a 35-hour week for 46 weeks."""
    from councilplan.planning.cycle import NeedTable, Product, TechniqueTable, WorkingTime
    from councilplan.services import plan_cycle as pc

    uow = federation
    pc.add_products(uow, [Product("grain", "Grain", "t"), Product("tools", "Tools", "piece"),
                          Product("bread", "Bread", "loaf")], PLAN_AT)
    pc.open_period(uow, "y2026", "Plan 2026", PLAN_T0, PLAN_T0 + 365 * DAY, PLAN_AT)
    pc.register_techniques(uow, "y2026", TechniqueTable.from_rows(PLAN_TECHNIQUES), PLAN_AT)
    kinds = {c: k for c, _, k in PLAN_COUNCILS} | {"nat": "national"}
    pc.register_needs(uow, "y2026", NeedTable.from_rows(PLAN_NEEDS, kinds=kinds), PLAN_AT)
    pc.decide_working_time(uow, "y2026", WorkingTime("nat", 35.0, 46.0), PLAN_AT)
    return uow
