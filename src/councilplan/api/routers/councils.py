"""``/api/councils``: the councils a member stands in, one council in full, forming one."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import CouncilIn, IdPath, Period, view_list, view_model
from councilplan.services.views import CouncilDetail, CouncilView, ElectionCallView

__all__ = ["router"]

router = api_router("/councils", "councils")


@router.get("", response_model=view_list(CouncilView), summary="My councils")
def my_councils(me: Me, uow: UoW) -> JSONResponse:
    """The councils whose constituency holds the member: theirs and every one above."""
    return answer_all(actions.my_councils(me, uow))


@router.post("", status_code=201, response_model=view_model(CouncilView),
             summary="Form a council below another")
def form_council(body: CouncilIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """The officers of the parent council (or of the council above it) form a council
    below it."""
    return answer(actions.form_council(me, uow, body.council_id, body.name, body.kind.value,
                                       body.parent_id, now), 201)


@router.get("/{council_id}", response_model=view_model(CouncilDetail), summary="One council")
def council(council_id: IdPath, me: Me, uow: UoW, now: Now,
            period: Annotated[Period | None, Query(description="show each mandate's pay cap "
                                                   "for this pay period")] = None
            ) -> JSONResponse:
    """Members, seats and their holders, mandates with terms, pay and cap, ballots,
    petitions and elections due."""
    return answer(actions.see_council(me, uow, council_id, now, period=period))


@router.get("/{council_id}/elections-due", response_model=view_list(ElectionCallView),
            summary="Elections due")
def elections_due(council_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    me.require_sees(council_id, f"see council {council_id}")
    return answer_all(services.elections_due_now(uow, now, council_id))
