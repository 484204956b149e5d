"""The ratification of a plan: the plan ballot with its weighted electorate and, after
the close, the delegates' recorded votes; casting a vote on it.

A ballot of the owner's delegates is an open, recorded vote: each delegate votes with
their weight (the members they represent, exact), and the roll call is published at the
close. A ballot of all members is secret (a receipt comes back). The ballot opens with
``POST /api/plan/periods/{id}/ballot`` and closes with ``POST /api/ballots/{id}/close``
(which counts the roll call with the frozen weights and adopts the winner).

Who may: everyone in the federation of the period's owner reads the ballot; only the
delegates frozen in its electorate (or, for a secret ballot, its voters) vote, each only
as themself.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse

from councilplan.api.authz import council_of_plan_ballot, require_federation, require_plan_voter
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.plan_schemas import PlanVoteIn
from councilplan.api.routers._common import answer, api_router
from councilplan.api.schemas import IdPath, view_model
from councilplan.services import plan_cycle as pc
from councilplan.services.plan_cycle.views import PlanBallotView, VoteRecorded

__all__ = ["router"]

router = api_router("/plan/ballots", "plan")


@router.get("/{ballot_id}", response_model=view_model(PlanBallotView),
            summary="A plan ballot, its weights and (closed) its roll call")
def show(ballot_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    require_federation(me, council_of_plan_ballot(uow, ballot_id),
                       f"see plan ballot {ballot_id}")
    return answer(pc.show_plan_ballot(uow, ballot_id))


@router.post("/{ballot_id}/votes", status_code=201, response_model=view_model(VoteRecorded),
             summary="Vote on the plan (recorded with my weight, or secret)")
def vote(ballot_id: IdPath, body: PlanVoteIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """A delegate's vote is recorded openly with their weight (a later vote replaces it);
    in a ballot of all members the vote is secret and its receipt comes back."""
    what = f"vote in plan ballot {ballot_id}"
    require_federation(me, council_of_plan_ballot(uow, ballot_id), what)
    require_plan_voter(me, uow, ballot_id, what)
    with uow.reading():
        method = uow.ballots.get(ballot_id).ballot.method
    choice: object = body.choice if method != "approval" else sorted(set(body.choice))
    return answer(pc.cast_plan_vote(uow, ballot_id, me.member_id, choice, now,
                                    previous=body.previous), 201)
