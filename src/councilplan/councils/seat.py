"""Seats: the offices and delegations a council fills by election.

A seat belongs to the council whose constituency elects it (and can recall
its holder). A *delegate* seat sends its holder to the parent council
(``delegate_to`` must be that parent); an *office* seat serves the council
itself. Every seat has a fixed ``term_length`` and an ``election_lead``: how
long before a term ends the election for the next term falls due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from councilplan.councils._checks import require_aware, require_id
from councilplan.councils.council import CouncilTree
from councilplan.councils.event import Event, EventKind
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = ["Seat", "SeatKind", "define_seat"]


class SeatKind(StrEnum):
    OFFICE = "office"
    DELEGATE = "delegate"


@dataclass(frozen=True, slots=True)
class Seat:
    """An elected position of ``council_id`` with a fixed term and an election lead time."""

    seat_id: str
    council_id: str
    title: str
    kind: SeatKind
    term_length: timedelta
    election_lead: timedelta
    delegate_to: str | None = None

    def __post_init__(self) -> None:
        require_id(self.seat_id, "seat_id")
        require_id(self.council_id, "council_id")
        if not isinstance(self.kind, SeatKind):
            object.__setattr__(self, "kind", SeatKind(self.kind))
        if self.term_length <= timedelta(0):
            raise InvalidInput(f"seat {self.seat_id}: the term length must be positive")
        if not timedelta(0) <= self.election_lead < self.term_length:
            raise InvalidInput(
                f"seat {self.seat_id}: the election lead must be at least zero and shorter "
                "than the term"
            )
        if self.kind is SeatKind.DELEGATE and self.delegate_to is None:
            raise InvalidInput(f"delegate seat {self.seat_id} names no council to delegate to")
        if self.kind is SeatKind.OFFICE and self.delegate_to is not None:
            raise InvalidInput(f"office seat {self.seat_id} cannot delegate to a council")


def define_seat(tree: CouncilTree, seat: Seat, at: datetime) -> Event:
    """Check ``seat`` against the tree and return its ``seat.defined`` event.

    A delegate seat must delegate to the parent of its council.
    """
    require_aware(at, "at")
    problems: list[Problem] = []
    if seat.council_id not in tree:
        problems.append(Problem(seat.seat_id, f"council {seat.council_id} does not exist"))
    elif seat.kind is SeatKind.DELEGATE:
        parent = tree.get(seat.council_id).parent_id
        if parent is None:
            problems.append(
                Problem(seat.seat_id, f"council {seat.council_id} has no parent to delegate to")
            )
        elif seat.delegate_to != parent:
            problems.append(
                Problem(seat.seat_id, f"delegates to {seat.delegate_to}, but the parent of "
                        f"council {seat.council_id} is {parent}")
            )
    if problems:
        raise PreconditionFailed(f"seat {seat.seat_id} cannot be defined", problems)
    return Event.of(
        EventKind.SEAT_DEFINED,
        at,
        seat_id=seat.seat_id,
        council_id=seat.council_id,
        kind=seat.kind.value,
        delegate_to=seat.delegate_to,
        term_seconds=seat.term_length // timedelta(seconds=1),
        election_lead_seconds=seat.election_lead // timedelta(seconds=1),
    )
