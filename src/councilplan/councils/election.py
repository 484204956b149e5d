"""Which elections are due: terms run out on their own and seats are refilled by election.

:func:`elections_due` looks at every seat at ``now``:

* **regular** -- the seat is held and ``now >= term end - election lead``, and no
  successor has been elected yet: the election for the next term
  ``[term end, term end + term length)`` is due since ``term end - lead``;
* **by-election** -- the last mandate was ended early (recall, resignation) and
  its term has not run out: the winner serves the remainder
  ``[now, old term end)``; due since the mandate ended;
* **vacancy** -- nobody holds the seat and no one is elected to it (never
  filled, or a term lapsed without a new election): the winner serves a full
  term from when they take office (``next_term`` is ``None``); due since the
  last term ended, or ``now`` for a seat never filled.

A seat with an elected successor waiting to take office is not due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import iso, require_aware
from councilplan.councils.event import Event, EventKind
from councilplan.councils.mandate import Mandate, MandateStatus
from councilplan.councils.seat import Seat
from councilplan.councils.term import Term

__all__ = ["ElectionCall", "ElectionReason", "by_election", "election_called", "elections_due"]


class ElectionReason(StrEnum):
    REGULAR = "regular"
    BY_ELECTION = "by_election"
    VACANCY = "vacancy"


@dataclass(frozen=True, slots=True)
class ElectionCall:
    """An election due for ``seat_id`` since ``due_at``; ``next_term`` when it is fixed."""

    seat_id: str
    council_id: str
    reason: ElectionReason
    due_at: datetime
    next_term: Term | None
    previous_mandate_id: str | None = None


def by_election(seat: Seat, ended: Mandate, at: datetime) -> ElectionCall:
    """The by-election after ``ended`` was recalled or resigned at ``at``: remainder of term.

    When the term has (nearly) run out already, a vacancy call with a full term.
    """
    require_aware(at, "at")
    if at < ended.term.end:
        return ElectionCall(
            seat.seat_id, seat.council_id, ElectionReason.BY_ELECTION, at,
            Term(at, ended.term.end), ended.mandate_id,
        )
    return ElectionCall(
        seat.seat_id, seat.council_id, ElectionReason.VACANCY, at, None, ended.mandate_id
    )


def elections_due(
    seats: Iterable[Seat], mandates: Iterable[Mandate], now: datetime
) -> tuple[ElectionCall, ...]:
    """Every election due at ``now`` (see the module docstring), ordered by due time then seat."""
    require_aware(now, "now")
    by_seat: dict[str, list[Mandate]] = {}
    for m in mandates:
        by_seat.setdefault(m.seat_id, []).append(m)
    calls: list[ElectionCall] = []
    for seat in seats:
        ms = by_seat.get(seat.seat_id, [])
        statuses = {m.mandate_id: m.status_at(now) for m in ms}
        if any(s is MandateStatus.PENDING for s in statuses.values()):
            continue  # a successor is elected and waiting to take office
        current = [m for m in ms if statuses[m.mandate_id] is MandateStatus.ACTIVE]
        if current:
            m = current[0]
            due = m.term.end - seat.election_lead
            if now >= due:
                calls.append(
                    ElectionCall(
                        seat.seat_id, seat.council_id, ElectionReason.REGULAR, due,
                        Term.starting(m.term.end, seat.term_length), m.mandate_id,
                    )
                )
            continue
        if not ms:
            calls.append(
                ElectionCall(seat.seat_id, seat.council_id, ElectionReason.VACANCY, now, None)
            )
            continue
        last = max(ms, key=lambda m: (m.effective_end, m.mandate_id))
        if last.ended_at is not None and last.ended_at < last.term.end and now < last.term.end:
            calls.append(
                ElectionCall(
                    seat.seat_id, seat.council_id, ElectionReason.BY_ELECTION, last.ended_at,
                    Term(now, last.term.end), last.mandate_id,
                )
            )
        else:
            calls.append(
                ElectionCall(
                    seat.seat_id, seat.council_id, ElectionReason.VACANCY,
                    last.effective_end, None, last.mandate_id,
                )
            )
    calls.sort(key=lambda c: (c.due_at, c.seat_id))
    return tuple(calls)


def election_called(call: ElectionCall, at: datetime) -> Event:
    """The ``election.called`` event for a call the service acts on at ``at``."""
    return Event.of(
        EventKind.ELECTION_CALLED,
        at,
        seat_id=call.seat_id,
        council_id=call.council_id,
        reason=call.reason.value,
        due_at=iso(call.due_at),
        term_start=None if call.next_term is None else iso(call.next_term.start),
        term_end=None if call.next_term is None else iso(call.next_term.end),
        previous_mandate_id=call.previous_mandate_id,
    )
