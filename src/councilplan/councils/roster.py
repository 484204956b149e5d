"""The roster of a dispute: the members called out, changed only by recorded events.

Each member's place on the roster follows from their events, in the order recorded:

==============  ==========================  ==========================================
event           from                        to
==============  ==========================  ==========================================
``joined``      not on it, or ``returned``  ``on_strike`` (called out, on the roster)
``returned``    ``on_strike``               ``returned`` (back at work: off the roster)
``dismissed``   ``on_strike``               ``dismissed`` (sacked: off the roster)
``reinstated``  ``dismissed``               ``on_strike`` (taken back: on the roster
                                            again; one who then goes back to work is
                                            recorded as ``returned``)
==============  ==========================  ==========================================

The roster at an instant is everybody ``on_strike`` by their events up to and
including that instant. It is what every strikers' ballot freezes as its
electorate, what an offer is published to and who may draw strike pay.

Order: a dispute's events are recorded in the order they happen, so an event may not
be dated before the last one recorded, nor at or before the last time the roster
was frozen (a ballot opened on it): the roster a ballot froze is never rewritten.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import iso, require_aware, require_count, require_id
from councilplan.councils.event import Event
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "Roster",
    "RosterEvent",
    "RosterEventKind",
    "StrikerStatus",
    "record_roster_event",
    "record_roster_events",
]


class RosterEventKind(StrEnum):
    JOINED = "joined"
    RETURNED = "returned"
    DISMISSED = "dismissed"
    REINSTATED = "reinstated"


class StrikerStatus(StrEnum):
    ON_STRIKE = "on_strike"
    RETURNED = "returned"
    DISMISSED = "dismissed"


_AFTER = {
    RosterEventKind.JOINED: StrikerStatus.ON_STRIKE,
    RosterEventKind.RETURNED: StrikerStatus.RETURNED,
    RosterEventKind.DISMISSED: StrikerStatus.DISMISSED,
    RosterEventKind.REINSTATED: StrikerStatus.ON_STRIKE,
}

_FROM: dict[RosterEventKind, tuple[StrikerStatus | None, ...]] = {
    RosterEventKind.JOINED: (None, StrikerStatus.RETURNED),
    RosterEventKind.RETURNED: (StrikerStatus.ON_STRIKE,),
    RosterEventKind.DISMISSED: (StrikerStatus.ON_STRIKE,),
    RosterEventKind.REINSTATED: (StrikerStatus.DISMISSED,),
}

_WHY = {
    (RosterEventKind.JOINED, StrikerStatus.ON_STRIKE): "is on the roster already",
    (RosterEventKind.JOINED, StrikerStatus.DISMISSED):
        "was dismissed: record their reinstatement, not a new joining",
    (RosterEventKind.RETURNED, None): "is not on the roster",
    (RosterEventKind.RETURNED, StrikerStatus.RETURNED): "has returned to work already",
    (RosterEventKind.RETURNED, StrikerStatus.DISMISSED): "was dismissed, not on strike",
    (RosterEventKind.DISMISSED, None): "is not on the roster",
    (RosterEventKind.DISMISSED, StrikerStatus.RETURNED): "has returned to work: not a striker",
    (RosterEventKind.DISMISSED, StrikerStatus.DISMISSED): "was dismissed already",
    (RosterEventKind.REINSTATED, None): "was never dismissed",
    (RosterEventKind.REINSTATED, StrikerStatus.ON_STRIKE): "was never dismissed",
    (RosterEventKind.REINSTATED, StrikerStatus.RETURNED): "was never dismissed",
}


@dataclass(frozen=True, slots=True)
class RosterEvent:
    """One recorded change: event ``sequence`` (1, 2, ... per dispute) of ``dispute_id``."""

    dispute_id: str
    sequence: int
    member_id: str
    kind: RosterEventKind
    at: datetime

    def __post_init__(self) -> None:
        require_id(self.dispute_id, "dispute_id")
        require_count(self.sequence, "sequence", minimum=1)
        require_id(self.member_id, "member_id")
        require_aware(self.at, "at")
        object.__setattr__(self, "kind", RosterEventKind(self.kind))


@dataclass(frozen=True, slots=True)
class Roster:
    """A dispute's roster as its events (in sequence order) make it."""

    dispute_id: str
    events: tuple[RosterEvent, ...] = ()

    def __post_init__(self) -> None:
        events = tuple(self.events)
        for i, e in enumerate(events, start=1):
            if e.dispute_id != self.dispute_id:
                raise InvalidInput(f"roster event {e.sequence} belongs to dispute {e.dispute_id}")
            if e.sequence != i:
                raise InvalidInput(f"roster events out of sequence at {i} (found {e.sequence})")
            if i > 1 and e.at < events[i - 2].at:
                raise InvalidInput(f"roster event {i} is dated before event {i - 1}")
        object.__setattr__(self, "events", events)

    @classmethod
    def of(cls, dispute_id: str, events: Iterable[RosterEvent]) -> Roster:
        return cls(dispute_id, tuple(sorted(events, key=lambda e: e.sequence)))

    @property
    def last_at(self) -> datetime | None:
        return self.events[-1].at if self.events else None

    def _upto(self, at: datetime | None) -> Iterable[RosterEvent]:
        if at is None:
            return self.events
        require_aware(at, "at")
        return (e for e in self.events if e.at <= at)

    def statuses(self, at: datetime | None = None) -> dict[str, StrikerStatus]:
        """Every member ever on the roster and where they stand at ``at`` (default: now,
        by every event recorded)."""
        out: dict[str, StrikerStatus] = {}
        for e in self._upto(at):
            out[e.member_id] = _AFTER[e.kind]
        return out

    def status_of(self, member_id: str, at: datetime | None = None) -> StrikerStatus | None:
        return self.statuses(at).get(member_id)

    def strikers(self, at: datetime | None = None) -> frozenset[str]:
        """Who is on the roster (on strike) at ``at``."""
        return frozenset(m for m, s in self.statuses(at).items() if s is StrikerStatus.ON_STRIKE)

    def on_roster(self, member_id: str, at: datetime | None = None) -> bool:
        return self.status_of(member_id, at) is StrikerStatus.ON_STRIKE

    def all_intervals(self) -> dict[str, list[tuple[datetime, datetime | None]]]:
        """Every member's spans on the roster (see :meth:`intervals`), in one pass."""
        spans: dict[str, list[tuple[datetime, datetime | None]]] = {}
        start: dict[str, datetime] = {}
        for e in self.events:
            if _AFTER[e.kind] is StrikerStatus.ON_STRIKE:
                start.setdefault(e.member_id, e.at)
            elif e.member_id in start:
                spans.setdefault(e.member_id, []).append((start.pop(e.member_id), e.at))
        for member_id, began in start.items():
            spans.setdefault(member_id, []).append((began, None))
        return spans

    def intervals(self, member_id: str) -> tuple[tuple[datetime, datetime | None], ...]:
        """The half-open spans ``[start, end)`` the member was on the roster (``None``: still)."""
        spans: list[tuple[datetime, datetime | None]] = []
        start: datetime | None = None
        for e in self.events:
            if e.member_id != member_id:
                continue
            if _AFTER[e.kind] is StrikerStatus.ON_STRIKE:
                if start is None:
                    start = e.at
            elif start is not None:
                spans.append((start, e.at))
                start = None
        if start is not None:
            spans.append((start, None))
        return tuple(spans)

    def on_roster_during(self, member_id: str, start: datetime, end: datetime) -> bool:
        """On the roster at some instant of ``[start, end)``."""
        return any(s < end and (e is None or start < e) for s, e in self.intervals(member_id))


def record_roster_event(
    roster: Roster,
    member_id: str,
    kind: RosterEventKind | str,
    at: datetime,
    *,
    eligible: Collection[str] | None = None,
    frozen_at: datetime | None = None,
) -> tuple[RosterEvent, Event]:
    """Record ``member_id``'s roster event ``kind`` at ``at``: the new event and its
    ``roster.<kind>`` audit event (see :func:`record_roster_events`)."""
    events, audits = record_roster_events(roster, [member_id], kind, at, eligible=eligible,
                                          frozen_at=frozen_at)
    return events[0], audits[0]


def record_roster_events(
    roster: Roster,
    member_ids: Iterable[str],
    kind: RosterEventKind | str,
    at: datetime,
    *,
    eligible: Collection[str] | None = None,
    frozen_at: datetime | None = None,
) -> tuple[tuple[RosterEvent, ...], tuple[Event, ...]]:
    """Record event ``kind`` at ``at`` for each of ``member_ids``, in order, all or none:
    the new events and their ``roster.<kind>`` audit events.

    ``eligible`` are the members who may be called out (the constituencies of the
    dispute's councils); ``frozen_at`` is when a ballot last froze the roster. Refused
    with :class:`PreconditionFailed` listing every reason for every member: a
    transition the table in the module docstring does not allow, a joiner who is not
    eligible, an event dated before the last one or at or before the last freeze.
    Linear in the events and members (a national roster is called out in one go).
    """
    require_aware(at, "at")
    kind = RosterEventKind(kind)
    ids = [require_id(m, "member_id") for m in member_ids]
    problems: list[Problem] = []
    last = roster.last_at
    if last is not None and at < last:
        problems.append(Problem(roster.dispute_id, f"the last roster event is dated {iso(last)}: "
                                "events are recorded in the order they happen"))
    if frozen_at is not None and at <= frozen_at:
        problems.append(Problem(roster.dispute_id, f"a ballot froze the roster at "
                                f"{iso(frozen_at)}: record changes after it"))
    statuses: dict[str, StrikerStatus | None] = dict(roster.statuses())
    size = sum(1 for s in statuses.values() if s is StrikerStatus.ON_STRIKE)
    events: list[RosterEvent] = []
    audits: list[Event] = []
    sequence = len(roster.events)
    for member_id in ids:
        current = statuses.get(member_id)
        wrong = current not in _FROM[kind]
        if wrong:
            problems.append(Problem(member_id, _WHY.get((kind, current), "cannot be recorded")))
        if kind is RosterEventKind.JOINED and eligible is not None and member_id not in eligible:
            problems.append(Problem(member_id, "is not a member of any council of this dispute: "
                                    "only their members can be called out"))
            wrong = True
        if wrong or problems:
            continue  # keep listing problems; nothing is recorded
        after = _AFTER[kind]
        size += (after is StrikerStatus.ON_STRIKE) - (current is StrikerStatus.ON_STRIKE)
        statuses[member_id] = after
        sequence += 1
        events.append(RosterEvent(roster.dispute_id, sequence, member_id, kind, at))
        audits.append(Event.of(f"roster.{kind.value}", at, dispute_id=roster.dispute_id,
                               member_id=member_id, sequence=sequence, roster_size=size))
    if problems:
        raise PreconditionFailed(
            f"{kind.value}: roster of dispute {roster.dispute_id} not changed", problems
        )
    return tuple(events), tuple(audits)
