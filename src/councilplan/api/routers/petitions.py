"""Recall petitions: open one against a mandate, sign it, the recall ballot."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import (
    IdPath,
    PetitionIn,
    RecallBallotIn,
    SignIn,
    view_list,
    view_model,
)
from councilplan.services.views import PetitionView

__all__ = ["router"]

router = api_router("", "recall")

Petition = view_model(PetitionView)
Petitions = view_list(PetitionView)


@router.get("/councils/{council_id}/petitions", response_model=Petitions,
            summary="Recall petitions in a council")
def petitions(council_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    me.require_sees(council_id, f"see the petitions of {council_id}")
    return answer_all(services.list_petitions(uow, council_id, now))


@router.post("/petitions", status_code=201, response_model=Petition,
             summary="Open a recall petition")
def open_petition(body: PetitionIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Any constituent opens a petition to recall an active mandate; it succeeds when
    ``threshold`` of the constituency at opening sign within the window."""
    return answer(actions.open_petition(me, uow, body.mandate_id, now,
                                        threshold=Fraction(body.threshold),
                                        window=timedelta(days=body.window_days)), 201)


@router.get("/petitions/{petition_id}", response_model=Petition, summary="One petition")
def petition(petition_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    return answer(actions.see_petition(me, uow, petition_id, now))


@router.post("/petitions/{petition_id}/signatures", response_model=Petition,
             summary="Sign a recall petition")
def sign(petition_id: IdPath, body: SignIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Sign as the signed-in member; the signature that reaches the threshold opens the
    recall ballot at once."""
    return answer(actions.sign_petition(me, uow, petition_id, now, ballot_days=body.ballot_days))


@router.post("/petitions/{petition_id}/ballot", status_code=201, response_model=Petition,
             summary="Open the recall ballot")
def recall_ballot(petition_id: IdPath, body: RecallBallotIn, me: Me, uow: UoW, now: Now
                  ) -> JSONResponse:
    """Open the recall ballot of a petition that reached its threshold (when it was not
    opened at once)."""
    return answer(actions.open_recall_ballot(me, uow, petition_id, now, days=body.days), 201)
