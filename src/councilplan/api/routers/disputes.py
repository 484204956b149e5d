"""Disputes, run by the strikers: the roster, the employer's offers, strikers' ballots with
their results notices, the fund's runway, calls to action and the settlement.

Who may do what (checked per dispute, from the store, by :mod:`councilplan.api.authz`):
the members of the dispute's councils read it; only strikers on the roster read the
offers' full text and the fund; the strike committee records offers, opens ballots,
calls action and settles (the service refuses a settlement no ballot accepted); the
officers of all its councils open a dispute.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api.authz import (
    dispute_of_offer,
    dispute_of_strike_ballot,
    refuse,
    require_committee,
    require_dispute_reader,
    require_striker,
)
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import (
    ActionCallIn,
    DisputeIn,
    IdPath,
    OfferIn,
    RosterIn,
    SettleIn,
    StrikeBallotIn,
    view_list,
    view_model,
)
from councilplan.services.dispute_views import (
    ActionCallView,
    DisputeView,
    FundView,
    OfferView,
    ResultsNoticeView,
    RosterView,
    SettlementView,
    StrikeBallotView,
)

__all__ = ["router"]

router = api_router("", "disputes")

WITHHELD = ""  # an offer's text as shown to those not on strike (its summary and hash stay)


def _withheld(offer: OfferView) -> OfferView:
    return dataclasses.replace(offer, text=WITHHELD)


@router.get("/disputes", response_model=view_list(DisputeView),
            summary="Disputes of my councils")
def disputes(me: Me, uow: UoW, now: Now) -> JSONResponse:
    return answer_all(d for d in services.list_disputes(uow, now)
                      if any(me.sees(c) for c in d.council_ids))


@router.post("/disputes", status_code=201, response_model=view_model(DisputeView),
             summary="Open a dispute")
def open_dispute(body: DisputeIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """The officers of every council in the dispute open it (``jurisdiction`` and
    ``sector`` choose the rule sets, e.g. GB and manufacturing)."""
    for council_id in body.council_ids:
        me.require_runs(council_id, f"open a dispute of {council_id}")
    return answer(services.open_dispute(uow, body.dispute_id, body.council_ids, body.employer,
                                        body.demands, body.jurisdiction, body.sector, now), 201)


@router.get("/disputes/{dispute_id}", response_model=view_model(DisputeView),
            summary="One dispute")
def dispute(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_dispute_reader(me, uow, dispute_id, now, f"see dispute {dispute_id}")
    (found,) = [d for d in services.list_disputes(uow, now) if d.dispute_id == dispute_id]
    return answer(found)


@router.get("/disputes/{dispute_id}/roster", response_model=view_model(RosterView),
            summary="The roster: who is on strike")
def roster(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_dispute_reader(me, uow, dispute_id, now, f"see the roster of {dispute_id}")
    return answer(services.roster_of(uow, dispute_id, now))


@router.post("/disputes/{dispute_id}/roster", response_model=view_model(RosterView),
             summary="Record roster events")
def roster_events(dispute_id: IdPath, body: RosterIn, me: Me, uow: UoW, now: Now
                  ) -> JSONResponse:
    """Members joined, returned, were dismissed or reinstated (all or none). The strike
    committee records them; while none is in office, the councils' officers."""
    require_committee(me, uow, dispute_id, now, f"change the roster of {dispute_id}",
                      or_officer_without_committee=True)
    record = {"joined": services.join_strike, "returned": services.return_to_work,
              "dismissed": services.record_dismissal,
              "reinstated": services.record_reinstatement}[body.kind]
    return answer(record(uow, dispute_id, body.member_ids, now))


@router.get("/disputes/{dispute_id}/offers", response_model=view_list(OfferView),
            summary="The employer's offers")
def offers(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Strikers read every offer in full; the other members of the dispute's councils
    see the summaries and hashes, with the text withheld (``""``)."""
    standing = require_dispute_reader(me, uow, dispute_id, now, f"see the offers in {dispute_id}")
    found = services.list_offers(uow, dispute_id)
    return answer_all(found if standing.striker else [_withheld(o) for o in found])


@router.post("/disputes/{dispute_id}/offers", status_code=201,
             response_model=view_model(OfferView), summary="Record the employer's offer")
def record_offer(dispute_id: IdPath, body: OfferIn, me: Me, uow: UoW, now: Now
                 ) -> JSONResponse:
    """The strike committee records an offer as it arrived; it is published to every
    striker on the roster."""
    require_committee(me, uow, dispute_id, now, f"record an offer in {dispute_id}")
    return answer(services.record_employer_offer(uow, dispute_id, body.text, body.summary, now,
                                                 recorded_by=me.member_id,
                                                 offer_id=body.offer_id), 201)


@router.get("/offers/{offer_id}", response_model=view_model(OfferView),
            summary="One offer, in full")
def offer(offer_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Only strikers on the roster read an offer's full text."""
    require_striker(me, uow, dispute_of_offer(uow, offer_id), now, f"read offer {offer_id}")
    return answer(services.show_offer(uow, offer_id))


@router.get("/disputes/{dispute_id}/ballots", response_model=view_list(StrikeBallotView),
            summary="The strikers' ballots")
def strike_ballots(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_dispute_reader(me, uow, dispute_id, now, f"see the ballots of {dispute_id}")
    return answer_all(services.show_dispute(uow, dispute_id, now).ballots)


@router.post("/disputes/{dispute_id}/ballots", status_code=201,
             response_model=view_model(StrikeBallotView), summary="Open a strikers' ballot")
def open_strike_ballot(dispute_id: IdPath, body: StrikeBallotIn, me: Me, uow: UoW, now: Now
                       ) -> JSONResponse:
    """The strike committee opens a ballot on action (give ``form``), continuing, an
    offer or settling (give ``offer_id``); the roster now is its electorate."""
    require_committee(me, uow, dispute_id, now, f"open a ballot in {dispute_id}")
    return answer(services.open_strike_ballot(uow, dispute_id, body.kind, now,
                                              now + timedelta(days=body.days), form=body.form,
                                              offer_id=body.offer_id), 201)


@router.get("/strike-ballots/{ballot_id}/notice", response_model=view_model(ResultsNoticeView),
            summary="A strikers' ballot's results notice")
def notice(ballot_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Entitled, cast, yes, no, spoilt, turnout, each threshold met or missed (refused
    until the ballot closes)."""
    dispute_id = dispute_of_strike_ballot(uow, ballot_id)
    require_dispute_reader(me, uow, dispute_id, now, f"see the results of {ballot_id}")
    return answer(services.results_notice(uow, ballot_id))


@router.get("/disputes/{dispute_id}/fund", response_model=view_model(FundView),
            summary="The strike fund and its runway")
def fund(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_striker(me, uow, dispute_id, now, f"see the fund of {dispute_id}")
    return answer(services.fund_of(uow, dispute_id, now))


@router.post("/disputes/{dispute_id}/calls", status_code=201,
             response_model=view_model(ActionCallView), summary="Call action")
def call_action(dispute_id: IdPath, body: ActionCallIn, me: Me, uow: UoW, now: Now
                ) -> JSONResponse:
    """The strike committee calls the strikers out; refused unless a strikers' mandate
    for that form of action covers it."""
    require_committee(me, uow, dispute_id, now, f"call action in {dispute_id}")
    starts = now + timedelta(days=body.starts_in_days)
    return answer(services.call_action(uow, dispute_id, body.form, starts,
                                       starts + timedelta(days=body.days), now,
                                       notice_agreed=body.notice_agreed), 201)


@router.post("/disputes/{dispute_id}/settlement", status_code=201,
             response_model=view_model(SettlementView), summary="Settle the dispute")
def settle(dispute_id: IdPath, body: SettleIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """The strike committee records the settlement on an offer; the service refuses it
    (409) unless a strikers' ballot accepted that offer."""
    standing = require_committee(me, uow, dispute_id, now, f"settle {dispute_id}")
    if dispute_of_offer(uow, body.offer_id) != standing.dispute_id:
        raise refuse(f"settle {dispute_id}", f"offer {body.offer_id} is of another dispute")
    return answer(services.settle(uow, dispute_id, body.offer_id, now,
                                  ballot_id=body.ballot_id), 201)
