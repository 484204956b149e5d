"""The strike committee, the strikers' mandates and the rule sets of disputes.

Who may do what (:mod:`councilplan.api.authz`): the members of a dispute's councils read
its committee, mandates, calls and the rule set in force; the committee defines its seats
and opens its elections (the strikers and the councils' officers while none is in
office), and records the employer's agreement to a longer mandate; a member reads the
offers published to them only for themself; the rule book is public to the signed-in.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api.authz import (
    dispute_of_strike_ballot,
    require_committee,
    require_committee_setup,
    require_dispute_reader,
)
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.dispute_schemas import CommitteeElectionIn, CommitteeSeatIn
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import IdPath, view_list, view_model
from councilplan.errors import InvalidInput, Problem
from councilplan.services.dispute_records import rules_of_dispute
from councilplan.services.dispute_views import (
    ActionCallView,
    ActionMandateView,
    CommitteeSeatView,
    OfferView,
    RuleSetView,
)
from councilplan.services.views import BallotView

__all__ = ["router"]

router = api_router("", "disputes")

Code = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_ -]{0,63}$")]


@router.get("/disputes/{dispute_id}/committee", response_model=view_list(CommitteeSeatView),
            summary="The strike committee: its seats and who holds them")
def committee(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_dispute_reader(me, uow, dispute_id, now, f"see the committee of {dispute_id}")
    return answer_all(services.show_dispute(uow, dispute_id, now).committee)


@router.post("/disputes/{dispute_id}/committee/seats", status_code=201,
             response_model=view_model(CommitteeSeatView), summary="Define a committee seat")
def define_seat(dispute_id: IdPath, body: CommitteeSeatIn, me: Me, uow: UoW, now: Now
                ) -> JSONResponse:
    """A seat on the strike committee, elected by and from the strikers for a fixed term
    and recallable by them."""
    require_committee_setup(me, uow, dispute_id, now, f"define a committee seat of {dispute_id}")
    return answer(services.define_committee_seat(
        uow, dispute_id, body.seat_id, body.title, now,
        term_length=timedelta(days=body.term_days),
        election_lead=timedelta(days=body.lead_days)), 201)


@router.post("/disputes/{dispute_id}/committee/elections", status_code=201,
             response_model=view_model(BallotView), summary="Open a committee election")
def open_election(dispute_id: IdPath, body: CommitteeElectionIn, me: Me, uow: UoW, now: Now
                  ) -> JSONResponse:
    """The strikers at opening elect, from among themselves (Scottish STV by default)."""
    require_committee_setup(me, uow, dispute_id, now,
                            f"open a committee election in {dispute_id}")
    return answer(services.open_committee_election(
        uow, dispute_id, body.seat_ids, body.candidates, now, now + timedelta(days=body.days),
        method=body.method.value), 201)


@router.get("/disputes/{dispute_id}/mandates", response_model=view_list(ActionMandateView),
            summary="The strikers' mandates for action")
def mandates(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Each mandate a strikers' ballot granted: its form, the last day of action it
    covers, when it expires and how far the employer may agree to extend it."""
    require_dispute_reader(me, uow, dispute_id, now, f"see the mandates of {dispute_id}")
    return answer_all(services.show_dispute(uow, dispute_id, now).mandates)


@router.post("/strike-ballots/{ballot_id}/mandate/extension",
             response_model=view_model(ActionMandateView),
             summary="Record the employer's agreement to a longer mandate")
def extend(ballot_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """The strike committee records it before the mandate expires (404 when the ballot
    granted no mandate)."""
    dispute_id = dispute_of_strike_ballot(uow, ballot_id)
    require_committee(me, uow, dispute_id, now, f"extend the mandate of {ballot_id}")
    return answer(services.extend_mandate(uow, ballot_id, now))


@router.get("/disputes/{dispute_id}/calls", response_model=view_list(ActionCallView),
            summary="The calls to action")
def calls(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_dispute_reader(me, uow, dispute_id, now, f"see the calls to action of {dispute_id}")
    return answer_all(services.show_dispute(uow, dispute_id, now).calls)


@router.get("/disputes/{dispute_id}/rules", response_model=view_model(RuleSetView),
            summary="The rule set a ballot opening now is held under")
def rules(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_dispute_reader(me, uow, dispute_id, now, f"see the rules of {dispute_id}")
    return answer(rules_of_dispute(uow, dispute_id, now))


@router.get("/rule-sets", response_model=view_list(RuleSetView),
            summary="The rule book of strike ballots")
def rule_sets(me: Me, jurisdiction: Code = None, sector: Code = None,
              on: Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                                              description="a day, YYYY-MM-DD")] = None
              ) -> JSONResponse:
    """Every rule set known (of one ``jurisdiction``, when given); with ``jurisdiction``,
    ``sector`` and ``on``: the one in force that day (404 naming what is known)."""
    return answer_all(services.rule_sets(jurisdiction, sector, _day(on)))


def _day(text: str | None) -> date | None:
    """``on`` as a day: written out (a bare number is no day, though pydantic would read
    it as seconds since 1970), and a real one (2026-02-30 is refused naming ``on``)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"on: {text!r} is not a day of the calendar (YYYY-MM-DD)",
                           [Problem("on", "not a day of the calendar")]) from None


@router.get("/members/{member_id}/offers", response_model=view_list(OfferView),
            summary="The offers published to me")
def my_offers(member_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    """Every offer published to the member, in every dispute they are or were in on
    strike; a member reads only their own."""
    me.require_self(member_id, f"read the offers published to {member_id}")
    return answer_all(services.offers_for_striker(uow, member_id))
