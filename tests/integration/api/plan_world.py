"""More of Riverside's planning, for the plan-cycle steps after registration (built by
:func:`world.build` after :func:`world._plan`):

* ``rv-2024`` (the year before ``T0``): registered, a 35-hour variant computed, put to
  the vote of Riverside's delegates (``del_m``, weighted by the Mill's members, voted
  openly), adopted, its targets published, the Mill's output reported for Q1;
* ``rv-2026`` (the year after): registered, two variants, their ballot of delegates open
  at ``NOW`` (``PLAN_BALLOT``), nobody voted yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from councilplan import services
from councilplan.planning.cycle import (
    NeedTable,
    OutputReport,
    TechniqueTable,
    VariantSpec,
    WorkingTime,
)
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork
from tests.integration.api.world import DAY, NOW, T0

ADOPTED_PERIOD = "rv-2024"
VOTING_PERIOD = "rv-2026"
PLAN_BALLOT = "pb-rv-2026"
ADOPTED_BALLOT = "pb-rv-2024"
YEAR = timedelta(days=365)


def _register(uow: UnitOfWork, period_id: str, at: datetime) -> None:
    pc.register_techniques(uow, period_id, TechniqueTable.from_rows([
        {"workplace": "mill", "product": "cloth", "labour": 2.0, "capacity": None,
         "inputs": {"steel": 0.01}},
        {"workplace": "works", "product": "steel", "labour": 5.0, "capacity": None,
         "inputs": {"cloth": 0.05}}]), at)
    pc.register_needs(uow, period_id, NeedTable.from_rows([
        {"council": "mill", "product": "cloth", "quantity": 100, "tier": 1},
        {"council": "works", "product": "steel", "quantity": 10, "tier": 1},
        {"council": "works", "product": "cloth", "quantity": 30, "tier": 2}]),
        at)
    pc.decide_working_time(uow, period_id, WorkingTime("riverside", 35.0, 46.0),
                           at)


def build_more(uow: UnitOfWork) -> None:
    at = NOW - 3 * DAY
    pc.open_period(uow, ADOPTED_PERIOD, "Riverside plan 2024", T0 - YEAR, T0, at,
                   council_id="riverside")
    _register(uow, ADOPTED_PERIOD, at)
    pc.compute_variants(uow, ADOPTED_PERIOD, [VariantSpec("35h", "A 35-hour week")], at)
    pc.open_plan_ballot(uow, ADOPTED_PERIOD, at, at + DAY, ballot_id=ADOPTED_BALLOT)
    pc.cast_plan_vote(uow, ADOPTED_BALLOT, "del_m", ["35h"], at + DAY / 2)
    services.close_ballot(uow, ADOPTED_BALLOT, at + DAY)
    pc.publish_targets(uow, ADOPTED_PERIOD, at + DAY)
    pc.report_output(uow, ADOPTED_PERIOD, [OutputReport("Q1", "mill", "cloth", 30.0, 60.0)],
                     at + DAY)
    pc.open_period(uow, VOTING_PERIOD, "Riverside plan 2026", T0 + YEAR, T0 + 2 * YEAR, at,
                   council_id="riverside")
    _register(uow, VOTING_PERIOD, at)
    pc.compute_variants(uow, VOTING_PERIOD, [VariantSpec("35h", "A 35-hour week"),
                                             VariantSpec("2h", "A 2-hour week",
                                                         hours_per_week=2)], at)
    pc.open_plan_ballot(uow, VOTING_PERIOD, NOW - DAY, NOW + 6 * DAY, ballot_id=PLAN_BALLOT)
