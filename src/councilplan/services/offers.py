"""Employer offers: recorded as they arrive, with full text and summary, and published
to every striker.

Recording an offer publishes it at once to everybody on the roster (the audit log
keeps the size and hash of the roster it went to); a ballot on it publishes it again
to strikers who joined since. Nobody can accept an offer here: that is what a
strikers' ballot does (:func:`councilplan.services.open_strike_ballot`).
"""

from __future__ import annotations

from datetime import datetime

from councilplan.councils.event import Event
from councilplan.councils.offer import Offer, publish_offer, record_offer
from councilplan.errors import NotFound, PreconditionFailed, Problem
from councilplan.services.dispute_views import OfferView
from councilplan.services.ids import new_id
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["list_offers", "offer_view", "offers_for_striker", "record_employer_offer",
           "show_offer"]


def offer_view(uow: UnitOfWork, o: Offer) -> OfferView:
    return OfferView(
        offer_id=o.offer_id, dispute_id=o.dispute_id, received_at=o.received_at,
        summary=o.summary, text=o.text, text_sha256=o.text_sha256, status=o.status.value,
        decided_at=o.decided_at, ballot_id=o.ballot_id,
        published_to=uow.offers.recipient_count(o.offer_id), recorded_by=o.recorded_by,
    )


def record_employer_offer(
    uow: UnitOfWork,
    dispute_id: str,
    text: str,
    summary: str,
    now: datetime,
    *,
    received_at: datetime | None = None,
    recorded_by: str | None = None,
    offer_id: str | None = None,
) -> OfferView:
    """Record the employer's offer as it arrived (``received_at``, default ``now``) and
    publish it to every striker on the roster."""
    oid = offer_id or new_id("of")
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        if uow.offers.find(oid) is not None:
            raise PreconditionFailed(f"offer {oid} not recorded",
                                     [Problem(oid, "an offer with this id exists")])
        if recorded_by is not None:
            uow.members.get(recorded_by)
        offer = Offer(oid, dispute_id, received_at or now, text, summary,
                      recorded_by=recorded_by)
        events: list[Event] = [record_offer(dispute, offer, now)]
        uow.offers.add(offer, now)
        strikers = uow.disputes.roster(dispute_id).strikers(now)
        new, published = publish_offer(offer, strikers, (), now)
        uow.offers.add_recipients(oid, new, now)
        if published is not None:
            events.append(published)
        uow.audit.append(events)
        return offer_view(uow, offer)


def show_offer(uow: UnitOfWork, offer_id: str) -> OfferView:
    with uow.reading():
        return offer_view(uow, uow.offers.get(offer_id))


def list_offers(uow: UnitOfWork, dispute_id: str) -> tuple[OfferView, ...]:
    """The dispute's offers, in the order they arrived."""
    with uow.reading():
        uow.disputes.get(dispute_id)
        return tuple(offer_view(uow, o) for o in uow.offers.of_dispute(dispute_id))


def offers_for_striker(uow: UnitOfWork, member_id: str) -> tuple[OfferView, ...]:
    """Every offer published to ``member_id``, in every dispute they are or were in."""
    with uow.reading():
        uow.members.get(member_id)
        out = []
        for dispute_id in uow.disputes.disputes_of_member(member_id):
            for o in uow.offers.of_dispute(dispute_id):
                if member_id in uow.offers.recipients(o.offer_id):
                    out.append(offer_view(uow, o))
        if not out and not uow.disputes.disputes_of_member(member_id):
            raise NotFound(f"member {member_id} has not been on the roster of any dispute")
        return tuple(out)
