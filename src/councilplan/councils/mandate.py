"""Mandates: a holder in a seat for a fixed term.

A mandate is **active only while** ``term.start <= now < term.end`` **and it
has not been ended** by recall or resignation. Nothing extends a term: when
the end instant passes, the mandate is over whether or not anybody records it
(:func:`expiry_events` gives the ``mandate.expired`` events for a period, for
the audit log), and a seat is filled again only by a new election
(:mod:`councilplan.councils.election`). A new mandate for a seat may not
overlap another live mandate of that seat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import iso, require_aware, require_id
from councilplan.councils.constituency import Constituency
from councilplan.councils.event import Event, EventKind
from councilplan.councils.seat import Seat
from councilplan.councils.term import Term
from councilplan.errors import InvalidInput, PreconditionFailed, Problem, RuleViolation

__all__ = [
    "EndReason",
    "Mandate",
    "MandateStatus",
    "active_mandate",
    "end_mandate",
    "expiry_events",
    "start_mandate",
]


class MandateStatus(StrEnum):
    PENDING = "pending"  # elected, term not yet begun
    ACTIVE = "active"
    EXPIRED = "expired"  # the term ran out
    RECALLED = "recalled"
    RESIGNED = "resigned"


class EndReason(StrEnum):
    """Why a mandate ended before its term: recall by the constituency, or resignation."""

    RECALLED = "recalled"
    RESIGNED = "resigned"


@dataclass(frozen=True, slots=True)
class Mandate:
    """``holder_id`` holds ``seat_id`` for ``term`` unless ended early at ``ended_at``."""

    mandate_id: str
    seat_id: str
    council_id: str
    holder_id: str
    term: Term
    ended_at: datetime | None = None
    end_reason: EndReason | None = None

    def __post_init__(self) -> None:
        require_id(self.mandate_id, "mandate_id")
        require_id(self.seat_id, "seat_id")
        require_id(self.council_id, "council_id")
        require_id(self.holder_id, "holder_id")
        if (self.ended_at is None) != (self.end_reason is None):
            raise InvalidInput("a mandate has both an end time and an end reason, or neither")
        if self.ended_at is not None:
            require_aware(self.ended_at, "ended_at")

    def status_at(self, now: datetime) -> MandateStatus:
        """Where the mandate stands at ``now``; expiry needs no event to take effect."""
        require_aware(now, "now")
        if self.ended_at is not None and now >= self.ended_at:
            assert self.end_reason is not None
            return MandateStatus(self.end_reason.value)
        if now < self.term.start:
            return MandateStatus.PENDING
        if now >= self.term.end:
            return MandateStatus.EXPIRED
        return MandateStatus.ACTIVE

    def is_active(self, now: datetime) -> bool:
        return self.status_at(now) is MandateStatus.ACTIVE

    @property
    def effective_end(self) -> datetime:
        """When the mandate stops: the term end or the earlier recall / resignation."""
        if self.ended_at is not None and self.ended_at < self.term.end:
            return self.ended_at
        return self.term.end

    def live_during(self) -> Term | None:
        """The interval the holder actually holds (or will hold) the seat; ``None`` if never."""
        end = self.effective_end
        return Term(self.term.start, end) if self.term.start < end else None


def start_mandate(
    seat: Seat,
    mandate_id: str,
    holder_id: str,
    start: datetime,
    constituency: Constituency,
    seat_mandates: Iterable[Mandate],
    at: datetime,
    *,
    term: Term | None = None,
) -> tuple[Mandate, Event]:
    """A new mandate for the winner of an election to ``seat``.

    The term is ``[start, start + seat.term_length)`` unless ``term`` is given
    (a by-election fills the remainder of the recalled holder's term; it may
    not be longer than the seat's term length). Refused with
    :class:`PreconditionFailed` when the holder is not in the electing
    constituency or the term overlaps another live mandate of the seat.
    """
    require_aware(at, "at")
    chosen = term if term is not None else Term.starting(start, seat.term_length)
    problems: list[Problem] = []
    if constituency.council_id != seat.council_id:
        problems.append(
            Problem(seat.seat_id, f"constituency of {constituency.council_id} given for a seat "
                    f"of council {seat.council_id}")
        )
    if holder_id not in constituency:
        problems.append(
            Problem(holder_id, f"not in the constituency of council {seat.council_id}")
        )
    if chosen.length > seat.term_length:
        problems.append(Problem(seat.seat_id, "term longer than the seat's fixed term length"))
    for other in seat_mandates:
        if other.seat_id != seat.seat_id:
            raise InvalidInput(
                f"mandate {other.mandate_id} is not a mandate of seat {seat.seat_id}"
            )
        if other.mandate_id == mandate_id:
            problems.append(Problem(mandate_id, "a mandate with this id already exists"))
        live = other.live_during()
        if live is not None and live.overlaps(chosen):
            problems.append(
                Problem(other.mandate_id, f"seat {seat.seat_id} is held by this mandate until "
                        f"{iso(live.end)}")
            )
    if problems:
        raise PreconditionFailed(f"no new mandate for seat {seat.seat_id}", problems)
    mandate = Mandate(mandate_id, seat.seat_id, seat.council_id, holder_id, chosen)
    event = Event.of(
        EventKind.MANDATE_STARTED,
        at,
        mandate_id=mandate_id,
        seat_id=seat.seat_id,
        council_id=seat.council_id,
        holder_id=holder_id,
        term_start=iso(chosen.start),
        term_end=iso(chosen.end),
    )
    return mandate, event


def end_mandate(mandate: Mandate, reason: EndReason, at: datetime) -> tuple[Mandate, Event]:
    """End a pending or active mandate early (recall, resignation): new value and event.

    Refused with :class:`RuleViolation` when the mandate is already over at ``at``.
    """
    status = mandate.status_at(at)
    if status not in (MandateStatus.ACTIVE, MandateStatus.PENDING):
        raise RuleViolation(
            f"mandate {mandate.mandate_id} is already over ({status.value}) at {iso(at)}"
        )
    ended = replace(mandate, ended_at=at, end_reason=EndReason(reason))
    event = Event.of(
        EventKind.MANDATE_ENDED,
        at,
        mandate_id=mandate.mandate_id,
        seat_id=mandate.seat_id,
        council_id=mandate.council_id,
        holder_id=mandate.holder_id,
        reason=EndReason(reason).value,
        term_end=iso(mandate.term.end),
    )
    return ended, event


def active_mandate(seat_id: str, mandates: Iterable[Mandate], now: datetime) -> Mandate | None:
    """The mandate holding ``seat_id`` at ``now``, or ``None`` if the seat is vacant."""
    for m in mandates:
        if m.seat_id == seat_id and m.is_active(now):
            return m
    return None


def expiry_events(
    mandates: Iterable[Mandate], after: datetime, until: datetime
) -> tuple[Event, ...]:
    """``mandate.expired`` events for terms that ran out in ``(after, until]``.

    The event is dated at the term end (not at ``until``); mandates ended early
    do not expire. Ordered by term end, then mandate id.
    """
    require_aware(after, "after")
    require_aware(until, "until")
    out = [
        m for m in mandates
        if after < m.term.end <= until and (m.ended_at is None or m.ended_at >= m.term.end)
    ]
    out.sort(key=lambda m: (m.term.end, m.mandate_id))
    return tuple(
        Event.of(
            EventKind.MANDATE_EXPIRED,
            m.term.end,
            mandate_id=m.mandate_id,
            seat_id=m.seat_id,
            council_id=m.council_id,
            holder_id=m.holder_id,
            term_end=iso(m.term.end),
        )
        for m in out
    )
