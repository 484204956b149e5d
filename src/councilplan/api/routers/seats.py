"""Seats: a council's offices and delegations, and defining one."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from councilplan.api import actions
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import IdPath, SeatIn, view_list, view_model
from councilplan.services.views import SeatView

__all__ = ["router"]

router = api_router("/councils/{council_id}/seats", "seats")


@router.get("", response_model=view_list(SeatView), summary="A council's seats")
def seats(council_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    return answer_all(actions.see_council(me, uow, council_id, now).seats)


@router.post("", status_code=201, response_model=view_model(SeatView), summary="Define a seat")
def define(council_id: IdPath, body: SeatIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """An office of the council, or (with ``delegate_to``) a delegate seat to its parent."""
    return answer(actions.define_seat(me, uow, council_id, body.seat_id, body.title, now,
                                      term_days=body.term_days, lead_days=body.lead_days,
                                      delegate_to=body.delegate_to), 201)
