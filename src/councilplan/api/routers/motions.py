"""Motions and amendments, decided by yes/no ballots of the council's constituency."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import (
    AmendmentIn,
    IdPath,
    MotionBallotIn,
    MotionIn,
    view_list,
    view_model,
)
from councilplan.councils.motion import Motion as MotionValue
from councilplan.services.views import BallotView

__all__ = ["router"]

router = api_router("", "motions")

Motion = view_model(MotionValue)
Motions = view_list(MotionValue)


@router.get("/councils/{council_id}/motions", response_model=Motions,
            summary="Motions before a council")
def motions(council_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    me.require_sees(council_id, f"see the motions of {council_id}")
    return answer_all(services.list_motions(uow, council_id))


@router.post("/councils/{council_id}/motions", status_code=201, response_model=Motion,
             summary="Table a motion")
def table(council_id: IdPath, body: MotionIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    return answer(actions.table_motion(me, uow, council_id, body.text, now), 201)


@router.get("/motions/{motion_id}", response_model=Motion, summary="One motion")
def motion(motion_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    return answer(actions.see_motion(me, uow, motion_id))


@router.post("/motions/{motion_id}/amendments", status_code=201, response_model=Motion,
             summary="Propose an amendment")
def amend(motion_id: IdPath, body: AmendmentIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    return answer(actions.amend_motion(me, uow, motion_id, body.old_text, body.new_text, now),
                  201)


@router.post("/motions/{motion_id}/ballots", status_code=201,
             response_model=view_model(BallotView), summary="Put a motion to the vote")
def ballot(motion_id: IdPath, body: MotionBallotIn, me: Me, uow: UoW, now: Now
           ) -> JSONResponse:
    """The yes/no ballot on an amendment, or on the motion once no amendment is pending;
    opened by the council's officers or the motion's proposer."""
    return answer(actions.open_motion_ballot(me, uow, motion_id, now, days=body.days,
                                             amendment_id=body.amendment_id), 201)
