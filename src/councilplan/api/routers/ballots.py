"""Ballots: elections, casting with a receipt, "did my vote count?", close, results with
the stage tables, and the published anonymised papers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from councilplan.api import actions
from councilplan.api.auth.sessions import SESSION_COOKIE
from councilplan.api.casting_lane import cast_for_session
from councilplan.api.deps import Me, Now, State, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import (
    ElectionIn,
    IdPath,
    ReceiptIn,
    VoteIn,
    VoteReceipt,
    view_list,
    view_model,
)
from councilplan.services import list_ballots
from councilplan.services.views import BallotView, CountView, PublishedBallots, ReceiptCheck

__all__ = ["router"]

router = api_router("", "ballots")

Ballot = view_model(BallotView)
Ballots = view_list(BallotView)


@router.get("/ballots", response_model=Ballots, summary="Ballots of my councils")
def my_ballots(me: Me, uow: UoW) -> JSONResponse:
    return answer_all(actions.my_ballots(me, uow))


@router.get("/councils/{council_id}/ballots", response_model=Ballots,
            summary="A council's ballots")
def council_ballots(council_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    me.require_sees(council_id, f"see the ballots of {council_id}")
    return answer_all(list_ballots(uow, council_id))


@router.post("/councils/{council_id}/elections", status_code=201, response_model=Ballot,
             summary="Open an election")
def open_election(council_id: IdPath, body: ElectionIn, me: Me, uow: UoW, now: Now
                  ) -> JSONResponse:
    """Open the election for seats of the council that are due (Scottish STV by default).
    The council's officers open it; a council with no officer in office may have any
    constituent open it, so it can always elect its first officers."""
    return answer(actions.open_election(me, uow, council_id, body.seat_ids, body.candidates,
                                        now, days=body.days, method=body.method.value), 201)


@router.get("/ballots/{ballot_id}", response_model=Ballot, summary="One ballot")
def ballot(ballot_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    """Question, options, method, electorate hash and size, checkpoints; the result, the
    seed and the box digest only after the close."""
    return answer(actions.see_ballot(me, uow, ballot_id))


@router.post("/ballots/{ballot_id}/votes", status_code=201, response_model=VoteReceipt,
             summary="Cast my vote")
def cast(ballot_id: IdPath, body: VoteIn, request: Request, uow: UoW, now: Now, state: State
         ) -> JSONResponse:
    """Cast the signed-in member's paper; returns the receipt (keep the token secret: it
    is the only way to check the vote or replace it). A second vote must present the
    last receipt's token as ``previous``: it replaces that paper, never adds one."""
    session = request.cookies.get(SESSION_COOKIE, "")
    return JSONResponse(cast_for_session(state, uow, ballot_id, session, body, now),
                        status_code=201)


@router.post("/ballots/{ballot_id}/receipt-check", response_model=view_model(ReceiptCheck),
             summary="Did my vote count?")
def check_receipt(ballot_id: IdPath, body: ReceiptIn, me: Me, uow: UoW) -> JSONResponse:
    """Finds the receipt's paper in the box (the paper is shown only after the close).
    A POST, so the token stays out of URLs and logs."""
    return answer(actions.check_receipt(me, uow, ballot_id, body.token))


@router.post("/ballots/{ballot_id}/close", response_model=Ballot, summary="Close a ballot")
def close(ballot_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """At or after its closing time: seal, count, publish, apply the result (refused
    before). Any constituent may: the result is fixed by the papers and the seed."""
    return answer(actions.close_ballot(me, uow, ballot_id, now))


@router.get("/ballots/{ballot_id}/count", response_model=view_model(CountView),
            summary="The count, stage by stage")
def count(ballot_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    """A recount from the published papers: the elected and every stage (STV stage
    table), and whether it matches the declared result."""
    return answer(actions.count(me, uow, ballot_id))


@router.get("/ballots/{ballot_id}/papers", response_model=view_model(PublishedBallots),
            summary="The published ballots")
def papers(ballot_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    """The anonymised ballot set after the close, ``[receipt code, paper]`` in code order,
    so anyone can recount it and find their own receipt."""
    return answer(actions.papers(me, uow, ballot_id))
