"""Offers from the employer: recorded as they arrive, published to every striker.

An :class:`Offer` keeps the employer's full text, a summary for the strikers, and
the instant it arrived. Recording it (:func:`record_offer`) publishes it at once to
everybody on the roster (:func:`publish_offer`: who it reached is kept, and the
event carries the size and hash of the roster it went to); a ballot on it publishes
it again to strikers who joined since, so nobody votes on an offer they were not
given.

Nobody accepts an offer on the strikers' behalf: an offer's status changes only
when a strikers' ballot on it closes (:func:`decide_offer`): ``received`` ->
``accepted`` or ``rejected``. Only an accepted offer can become a settlement
(:mod:`councilplan.councils.settlement`).

Events: ``offer.received`` (texts as SHA-256), ``offer.published`` (recipients,
roster size and hash), ``offer.accepted`` / ``offer.rejected`` (the ballot).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import iso, require_aware, require_id
from councilplan.councils.dispute import Dispute, ensure_open, text_sha256
from councilplan.councils.electorate import Electorate
from councilplan.councils.event import Event
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "OFFER_ACCEPTED",
    "OFFER_PUBLISHED",
    "OFFER_RECEIVED",
    "OFFER_REJECTED",
    "Offer",
    "OfferStatus",
    "decide_offer",
    "publish_offer",
    "record_offer",
]

OFFER_RECEIVED = "offer.received"
OFFER_PUBLISHED = "offer.published"
OFFER_ACCEPTED = "offer.accepted"
OFFER_REJECTED = "offer.rejected"


class OfferStatus(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"  # a strikers' ballot accepted it
    REJECTED = "rejected"  # a strikers' ballot did not


@dataclass(frozen=True, slots=True)
class Offer:
    """The employer's offer ``offer_id`` in ``dispute_id``: full text and summary."""

    offer_id: str
    dispute_id: str
    received_at: datetime
    text: str
    summary: str
    status: OfferStatus = OfferStatus.RECEIVED
    decided_at: datetime | None = None
    ballot_id: str | None = None  # the ballot that decided it
    recorded_by: str | None = None

    def __post_init__(self) -> None:
        require_id(self.offer_id, "offer_id")
        require_id(self.dispute_id, "dispute_id")
        require_aware(self.received_at, "received_at")
        object.__setattr__(self, "status", OfferStatus(self.status))

    @property
    def text_sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def summary_sha256(self) -> str:
        return text_sha256(self.summary)


def record_offer(dispute: Dispute, offer: Offer, at: datetime) -> Event:
    """Check an offer as it arrives; its ``offer.received`` event.

    Refused on a settled dispute, without text or summary, or dated before the
    dispute opened.
    """
    require_aware(at, "at")
    ensure_open(dispute, f"offer {offer.offer_id} not recorded")
    problems: list[Problem] = []
    if offer.dispute_id != dispute.dispute_id:
        raise InvalidInput(f"offer {offer.offer_id} is for dispute {offer.dispute_id}")
    if not offer.text.strip():
        problems.append(Problem(offer.offer_id, "the offer's full text is missing"))
    if not offer.summary.strip():
        problems.append(Problem(offer.offer_id, "a summary for the strikers is missing"))
    if offer.received_at < dispute.opened_at:
        problems.append(Problem(offer.offer_id, "received before the dispute was opened"))
    if offer.received_at > at:
        problems.append(Problem(offer.offer_id, "cannot be recorded before it arrives"))
    if offer.status is not OfferStatus.RECEIVED:
        problems.append(Problem(offer.offer_id, "a new offer has not been decided on"))
    if problems:
        raise PreconditionFailed(f"offer {offer.offer_id} not recorded", problems)
    return Event.of(OFFER_RECEIVED, at, offer_id=offer.offer_id, dispute_id=dispute.dispute_id,
                    received_at=iso(offer.received_at), text_sha256=offer.text_sha256,
                    summary_sha256=offer.summary_sha256, recorded_by=offer.recorded_by)


def publish_offer(offer: Offer, strikers: Collection[str], published_to: Collection[str],
                  at: datetime) -> tuple[tuple[str, ...], Event | None]:
    """Publish ``offer`` to every striker it has not reached yet.

    Returns the new recipients (sorted) and the ``offer.published`` event (``None``
    when everybody on the roster has it already). The event names the roster it went
    to by size and hash (:class:`~councilplan.councils.electorate.Electorate`).
    """
    require_aware(at, "at")
    roster = Electorate.freeze(strikers)
    new = tuple(m for m in roster.member_ids if m not in published_to)
    if not new:
        return (), None
    return new, Event.of(OFFER_PUBLISHED, at, offer_id=offer.offer_id,
                         dispute_id=offer.dispute_id, recipients=len(new),
                         roster_size=roster.size, roster_hash=roster.digest,
                         text_sha256=offer.text_sha256)


def decide_offer(offer: Offer, ballot_id: str, accepted: bool,
                 at: datetime) -> tuple[Offer, Event]:
    """A strikers' ballot on ``offer`` closed: accepted or rejected (the only way)."""
    require_aware(at, "at")
    if offer.status is not OfferStatus.RECEIVED:
        raise PreconditionFailed(
            f"offer {offer.offer_id} was decided already",
            [Problem(offer.offer_id, f"{offer.status.value} by ballot {offer.ballot_id}")],
        )
    status = OfferStatus.ACCEPTED if accepted else OfferStatus.REJECTED
    decided = replace(offer, status=status, decided_at=at, ballot_id=ballot_id)
    kind = OFFER_ACCEPTED if accepted else OFFER_REJECTED
    return decided, Event.of(kind, at, offer_id=offer.offer_id, dispute_id=offer.dispute_id,
                             ballot_id=ballot_id, text_sha256=offer.text_sha256)
