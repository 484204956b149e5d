"""Ballots: a question put to a frozen electorate between two instants, under a decision rule.

Lifecycle (:class:`BallotStatus`): ``draft`` -> ``open`` (:func:`open_ballot`,
which freezes the electorate and publishes its hash and size) -> ``closed``
(:func:`close_ballot`, not before the closing time). Why a ballot cannot open
yet is returned as data by :func:`opening_problems` (one
:class:`~councilplan.errors.Problem` each), and why a member cannot cast now
by :func:`cast_problems`; :func:`open_ballot` and :func:`ensure_can_cast`
raise :class:`~councilplan.errors.PreconditionFailed` with the same problems.

Voting is possible while the ballot is ``open`` and ``opens_at <= now <
closes_at``; at the closing instant voting has ended.

``method`` names the counting method (e.g. ``"yes-no"``, ``"scottish-stv"``);
the counting package owns the names, so :func:`opening_problems` checks them
only against a ``known_methods`` set when one is passed in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import iso, require_aware, require_count, require_id
from councilplan.councils.decision import DecisionRule
from councilplan.councils.electorate import Electorate
from councilplan.councils.event import Event, EventKind
from councilplan.errors import PreconditionFailed, Problem

__all__ = [
    "Ballot",
    "BallotPurpose",
    "BallotStatus",
    "cast_problems",
    "close_ballot",
    "ensure_can_cast",
    "open_ballot",
    "opening_problems",
]


class BallotStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class BallotPurpose(StrEnum):
    """What the ballot decides; ``subject_id`` names the object (seat, petition, motion...)."""

    GENERAL = "general"
    ELECTION = "election"  # subject: seat id
    BY_ELECTION = "by_election"  # subject: seat id
    RECALL = "recall"  # subject: petition id
    MOTION = "motion"  # subject: motion id
    AMENDMENT = "amendment"  # subject: amendment id
    PLAN = "plan"  # subject: planning period id
    DISPUTE = "dispute"  # subject: dispute id


@dataclass(frozen=True, slots=True)
class Ballot:
    """A ballot; ``electorate`` is ``None`` until it opens."""

    ballot_id: str
    council_id: str
    question: str
    options: tuple[str, ...]
    method: str
    opens_at: datetime
    closes_at: datetime
    rule: DecisionRule = field(default_factory=DecisionRule.simple_majority)
    seats: int = 1
    purpose: BallotPurpose = BallotPurpose.GENERAL
    subject_id: str | None = None
    status: BallotStatus = BallotStatus.DRAFT
    electorate: Electorate | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        require_id(self.ballot_id, "ballot_id")
        require_id(self.council_id, "council_id")
        require_aware(self.opens_at, "opens_at")
        require_aware(self.closes_at, "closes_at")
        require_count(self.seats, "seats")
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "status", BallotStatus(self.status))
        object.__setattr__(self, "purpose", BallotPurpose(self.purpose))

    def accepting_votes(self, now: datetime) -> bool:
        """Open, and ``opens_at <= now < closes_at``."""
        require_aware(now, "now")
        return self.status is BallotStatus.OPEN and self.opens_at <= now < self.closes_at


def opening_problems(
    ballot: Ballot,
    electorate: Iterable[str],
    at: datetime,
    *,
    known_methods: Collection[str] | None = None,
) -> list[Problem]:
    """Every reason ``ballot`` cannot open at ``at`` with this electorate (empty: it can)."""
    require_aware(at, "at")
    where = ballot.ballot_id
    problems: list[Problem] = []
    if ballot.status is not BallotStatus.DRAFT:
        problems.append(Problem(where, f"the ballot is already {ballot.status.value}"))
    if not ballot.question.strip():
        problems.append(Problem(where, "no question"))
    if not ballot.options:
        problems.append(Problem(where, "no options or candidates"))
    seen: set[str] = set()
    for option in ballot.options:
        if not option.strip():
            problems.append(Problem(where, "an option without a name"))
        elif option in seen:
            problems.append(Problem(where, f"option {option!r} is listed twice"))
        seen.add(option)
    if ballot.seats < 1:
        problems.append(Problem(where, "no seats to fill (seats must be at least 1)"))
    elif ballot.options and ballot.seats > len(ballot.options):
        problems.append(
            Problem(where, f"{ballot.seats} seats but only {len(ballot.options)} candidates")
        )
    if not ballot.method.strip():
        problems.append(Problem(where, "no counting method"))
    elif known_methods is not None and ballot.method not in known_methods:
        problems.append(
            Problem(where, f"unknown counting method {ballot.method!r}; known: "
                    + ", ".join(sorted(known_methods)))
        )
    ids = list(electorate)
    bad = [m for m in ids if not isinstance(m, str) or not m or "\n" in m or m != m.strip()]
    if bad:
        problems.append(Problem(where, f"{len(bad)} electorate member id(s) are malformed"))
    if not ids:
        problems.append(Problem(where, "the electorate is empty"))
    if ballot.closes_at <= ballot.opens_at:
        problems.append(
            Problem(where, f"closes ({iso(ballot.closes_at)}) before it opens "
                    f"({iso(ballot.opens_at)})")
        )
    elif at >= ballot.closes_at:
        problems.append(Problem(where, f"its closing time {iso(ballot.closes_at)} has passed"))
    if at < ballot.opens_at:
        problems.append(
            Problem(where, f"not yet: it opens at {iso(ballot.opens_at)}, now is {iso(at)}")
        )
    return problems


def open_ballot(
    ballot: Ballot,
    electorate: Iterable[str],
    at: datetime,
    *,
    known_methods: Collection[str] | None = None,
) -> tuple[Ballot, Event]:
    """Open ``ballot``: freeze the electorate, publish its hash and size in ``ballot.opened``.

    Raises :class:`PreconditionFailed` with every :func:`opening_problems` entry.
    """
    ids = list(electorate)
    problems = opening_problems(ballot, ids, at, known_methods=known_methods)
    if problems:
        raise PreconditionFailed(f"ballot {ballot.ballot_id} cannot open", problems)
    frozen = Electorate.freeze(ids)
    opened = replace(ballot, status=BallotStatus.OPEN, electorate=frozen, opened_at=at)
    event = Event.of(
        EventKind.BALLOT_OPENED,
        at,
        ballot_id=ballot.ballot_id,
        council_id=ballot.council_id,
        purpose=ballot.purpose.value,
        subject_id=ballot.subject_id,
        method=ballot.method,
        seats=ballot.seats,
        options=ballot.options,
        opens_at=iso(ballot.opens_at),
        closes_at=iso(ballot.closes_at),
        electorate_size=frozen.size,
        electorate_hash=frozen.digest,
        rule=ballot.rule.to_payload(),
    )
    return opened, event


def close_ballot(ballot: Ballot, at: datetime) -> tuple[Ballot, Event]:
    """Close an open ballot at or after its closing time: new value and ``ballot.closed``."""
    require_aware(at, "at")
    problems: list[Problem] = []
    if ballot.status is not BallotStatus.OPEN:
        problems.append(Problem(ballot.ballot_id, f"the ballot is {ballot.status.value}"))
    if at < ballot.closes_at:
        problems.append(
            Problem(ballot.ballot_id,
                    f"voting runs until {iso(ballot.closes_at)}; now is {iso(at)}")
        )
    if problems:
        raise PreconditionFailed(f"ballot {ballot.ballot_id} cannot close", problems)
    assert ballot.electorate is not None
    closed = replace(ballot, status=BallotStatus.CLOSED, closed_at=at)
    event = Event.of(
        EventKind.BALLOT_CLOSED,
        at,
        ballot_id=ballot.ballot_id,
        electorate_size=ballot.electorate.size,
        electorate_hash=ballot.electorate.digest,
    )
    return closed, event


def cast_problems(ballot: Ballot, member_id: str, at: datetime) -> list[Problem]:
    """Every reason ``member_id`` cannot cast a vote in ``ballot`` at ``at`` (empty: they can).

    A re-vote before close is allowed here (it replaces the earlier ballot; the
    store does the replacing).
    """
    require_aware(at, "at")
    where = ballot.ballot_id
    problems: list[Problem] = []
    if ballot.status is BallotStatus.DRAFT:
        problems.append(Problem(where, "the ballot has not been opened"))
    elif ballot.status is BallotStatus.CLOSED:
        problems.append(Problem(where, "the ballot is closed"))
    if at < ballot.opens_at:
        problems.append(Problem(where, f"voting opens at {iso(ballot.opens_at)}"))
    elif at >= ballot.closes_at:
        problems.append(Problem(where, f"voting closed at {iso(ballot.closes_at)}"))
    if ballot.electorate is not None and member_id not in ballot.electorate:
        problems.append(Problem(where, "not in this ballot's electorate"))
    return problems


def ensure_can_cast(ballot: Ballot, member_id: str, at: datetime) -> None:
    """Raise :class:`PreconditionFailed` with every :func:`cast_problems` entry, if any."""
    problems = cast_problems(ballot, member_id, at)
    if problems:
        raise PreconditionFailed(f"no vote in ballot {ballot.ballot_id} now", problems)
