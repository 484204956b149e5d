"""Settlements: an offer becomes a settlement only through a strikers' ballot that accepted it.

:func:`settle_dispute` settles a dispute on an offer and cites the ballot that
accepted it -- an ``offer`` ballot ("accept the offer?") or a ``settle`` ballot
("settle on its terms?") of that dispute, closed and carried. Anything less is
refused with :class:`~councilplan.errors.PreconditionFailed` saying why: no ballot
was held, it is still open, it did not carry. Negotiators, the committee and the
councils have no power to accept on the strikers' behalf.

The settlement records the SHA-256 of the offer's full text (its terms), and the
``dispute.settled`` event carries it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from councilplan.councils._checks import require_aware
from councilplan.councils.ballot import BallotStatus
from councilplan.councils.dispute import Dispute, DisputeStatus, ensure_open
from councilplan.councils.event import Event
from councilplan.councils.offer import Offer
from councilplan.councils.strike_ballot import StrikeBallot
from councilplan.errors import PreconditionFailed, Problem

__all__ = ["DISPUTE_SETTLED", "Settlement", "settle_dispute"]

DISPUTE_SETTLED = "dispute.settled"


@dataclass(frozen=True, slots=True)
class Settlement:
    """``dispute_id`` settled on ``offer_id``, accepted by the strikers in ``ballot_id``."""

    dispute_id: str
    offer_id: str
    ballot_id: str
    settled_at: datetime
    terms_sha256: str


def settle_dispute(
    dispute: Dispute,
    offer: Offer,
    ballots: Iterable[StrikeBallot],
    at: datetime,
    *,
    ballot_id: str | None = None,
) -> tuple[Dispute, Settlement, Event]:
    """Settle ``dispute`` on ``offer``; ``ballots`` are the dispute's strike ballots.

    ``ballot_id`` names the accepting ballot (``None``: the latest ballot on this offer
    that accepted it).
    """
    require_aware(at, "at")
    ensure_open(dispute, "no settlement")
    problems: list[Problem] = []
    if offer.dispute_id != dispute.dispute_id:
        problems.append(Problem(offer.offer_id, f"is an offer in dispute {offer.dispute_id}"))
    on_offer = [b for b in ballots if b.offer_id == offer.offer_id
                and b.dispute_id == dispute.dispute_id]
    accepting = [b for b in on_offer if b.accepts(offer.offer_id) and b.closes_at <= at]
    chosen: StrikeBallot | None = None
    if ballot_id is not None:
        named = [b for b in on_offer if b.ballot_id == ballot_id]
        if not named:
            problems.append(Problem(ballot_id, f"is not a strikers' ballot on offer "
                                    f"{offer.offer_id}"))
        elif named[0] not in accepting:
            state = ("is still open" if named[0].status is not BallotStatus.CLOSED
                     else "did not accept it")
            problems.append(Problem(ballot_id, f"{state}: only a strikers' ballot that accepted "
                                    "the offer settles the dispute"))
        else:
            chosen = named[0]
    elif accepting:
        chosen = max(accepting, key=lambda b: b.closes_at)
    else:
        if not on_offer:
            why = "no strikers' ballot on it has been held"
        else:
            why = "no strikers' ballot on it accepted it (" + ", ".join(
                f"{b.ballot_id}: {'open' if b.status is not BallotStatus.CLOSED else 'rejected'}"
                for b in on_offer) + ")"
        problems.append(Problem(offer.offer_id, f"{why}; negotiators have no power to accept an "
                                "offer: the strikers decide by ballot"))
    if problems or chosen is None:
        raise PreconditionFailed(
            f"dispute {dispute.dispute_id} cannot be settled on offer {offer.offer_id}", problems
        )
    settled = replace(dispute, status=DisputeStatus.SETTLED, settled_at=at)
    settlement = Settlement(dispute.dispute_id, offer.offer_id, chosen.ballot_id, at,
                            offer.text_sha256)
    event = Event.of(DISPUTE_SETTLED, at, dispute_id=dispute.dispute_id,
                     offer_id=offer.offer_id, ballot_id=chosen.ballot_id,
                     terms_sha256=offer.text_sha256)
    return settled, settlement, event
