"""The plan cycle's further steps around a period: opening it, the councils' working
time and the labour it makes available, withdrawing needs, a variant's detail and its
re-hash check.

Who may (:mod:`councilplan.api.authz`): the planners of a council (the holders of its
mandates and the delegates to it) open periods it owns and decide its working time;
the members of a council withdraw its needs; everyone in the period's federation reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan.api.authz import (
    council_of_period,
    council_of_variant,
    require_federation,
    require_own_council,
    require_planner,
)
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.plan_schemas import OpenPeriodIn, WithdrawNeedsIn, WorkingTimeIn
from councilplan.api.routers._common import answer, api_router
from councilplan.api.schemas import IdPath, view_model
from councilplan.planning.cycle import WorkingTime
from councilplan.services import plan_cycle as pc
from councilplan.services.plan_cycle.views import LabourView, PeriodView, VariantDetail

__all__ = ["router"]

router = api_router("/plan", "plan")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@router.post("/periods", status_code=201, response_model=view_model(PeriodView),
             summary="Open a planning period")
def open_period(body: OpenPeriodIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """The planners of a council open a period it owns (refused if it overlaps another of
    the same council)."""
    require_planner(me, uow, body.council_id, now, f"open a period of {body.council_id}")
    return answer(pc.open_period(
        uow, body.period_id, body.name, _midnight(body.starts_on), _midnight(body.ends_on), now,
        council_id=body.council_id, sub_periods=body.sub_periods, electorate=body.electorate,
        method=body.method), 201)


@router.post("/periods/{period_id}/working-time", status_code=201,
             summary="Decide a council's working time")
def working_time(period_id: IdPath, body: WorkingTimeIn, me: Me, uow: UoW, now: Now
                 ) -> JSONResponse:
    """A council's planners decide its working week and weeks; a later decision replaces
    the earlier."""
    require_federation(me, council_of_period(uow, period_id), f"decide working time in "
                       f"{period_id}")
    require_planner(me, uow, body.council_id, now,
                    f"decide the working time of {body.council_id}")
    (decided,) = pc.decide_working_times(uow, period_id, [WorkingTime(
        body.council_id, body.hours_per_week, body.weeks, body.members)], now)
    return answer(decided.to_dict(), 201)


@router.get("/periods/{period_id}/labour", response_model=view_model(LabourView),
            summary="The labour available")
def labour(period_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    """Hours available from the councils' decisions, and the workplaces none covers."""
    require_federation(me, council_of_period(uow, period_id), f"see the labour of {period_id}")
    return answer(pc.labour_available(uow, period_id))


@router.post("/periods/{period_id}/needs/withdrawals", summary="Withdraw my council's needs")
def withdraw(period_id: IdPath, body: WithdrawNeedsIn, me: Me, uow: UoW, now: Now
             ) -> JSONResponse:
    """The members of a council withdraw its needs (all, or those named; all or none)."""
    require_federation(me, council_of_period(uow, period_id), f"withdraw needs in {period_id}")
    require_own_council(me, body.council_id, f"withdraw the needs of {body.council_id}")
    count = pc.withdraw_needs(uow, period_id, body.council_id, now, need_ids=body.need_ids)
    return answer({"period_id": period_id, "council_id": body.council_id, "withdrawn": count})


@router.get("/variants/{variant_id}", response_model=view_model(VariantDetail),
            summary="A variant in detail")
def variant(variant_id: IdPath, me: Me, uow: UoW,
            top: Annotated[int, Query(ge=1, le=10_000)] = 20) -> JSONResponse:
    """Labour values and output of the products embodying most hours, fulfilment by
    council, every binding capacity."""
    require_federation(me, council_of_variant(uow, variant_id), f"see variant {variant_id}")
    return answer(pc.variant_detail(uow, variant_id, top=top))


@router.get("/variants/{variant_id}/verify", summary="Re-hash a variant")
def verify(variant_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    """Re-hash the stored variant from its arrays against its recorded SHA-256."""
    require_federation(me, council_of_variant(uow, variant_id), f"verify variant {variant_id}")
    return answer(pc.verify_variant(uow, variant_id))
