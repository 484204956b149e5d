"""The right of recall: those who elect a mandate can end it at any time.

Steps, each returning new values and events:

1. :func:`open_petition` -- any member of the constituency of the seat's
   council opens a petition against an active mandate. The constituency is
   frozen at opening (as an :class:`~councilplan.councils.electorate.Electorate`):
   its size fixes the number of signatures required,
   ``max(1, ceil(threshold * size))`` (threshold default 1/10), and only its
   members may sign. The window (default 6 weeks) starts at opening. Opening
   is not signing: the opener signs like anybody else.
2. :func:`sign_petition` -- one signature per constituent, inside the window.
   The signature that reaches the threshold makes the petition ``succeeded``.
3. :func:`expire_petition` -- a petition still open when its window has passed
   ``failed``. :func:`lapse_petition` -- the mandate ended some other way.
4. :func:`recall_ballot` -- the (draft) recall ballot for a succeeded petition,
   under the policy's own decision rule; it is opened with
   :func:`~councilplan.councils.ballot.open_ballot` on the constituency.
5. :func:`apply_recall_result` -- after the ballot closed: a passed recall ends
   the mandate (reason ``recalled``) and calls a by-election for the rest of the
   term; a rejected one leaves the mandate in place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from councilplan.councils._checks import (
    fraction_text,
    iso,
    require_aware,
    require_fraction,
    require_id,
)
from councilplan.councils.ballot import Ballot, BallotPurpose, BallotStatus
from councilplan.councils.constituency import Constituency
from councilplan.councils.decision import DecisionResult, DecisionRule
from councilplan.councils.election import ElectionCall, by_election, election_called
from councilplan.councils.electorate import Electorate
from councilplan.councils.event import Event, EventKind
from councilplan.councils.mandate import EndReason, Mandate, end_mandate
from councilplan.councils.seat import Seat
from councilplan.errors import InvalidInput, PreconditionFailed, Problem, RuleViolation

__all__ = [
    "PetitionStatus",
    "RecallOutcome",
    "RecallPetition",
    "RecallPolicy",
    "apply_recall_result",
    "expire_petition",
    "lapse_petition",
    "open_petition",
    "recall_ballot",
    "required_signatures",
    "sign_petition",
]


class PetitionStatus(StrEnum):
    OPEN = "open"
    SUCCEEDED = "succeeded"  # threshold reached: a recall ballot is due
    FAILED = "failed"  # window passed without enough signatures
    LAPSED = "lapsed"  # the mandate ended otherwise before the petition was decided
    RECALLED = "recalled"  # the recall ballot passed
    RETAINED = "retained"  # the recall ballot did not pass


def _recall_rule() -> DecisionRule:
    return DecisionRule.simple_majority(name="recall: simple majority of votes cast")


@dataclass(frozen=True, slots=True)
class RecallPolicy:
    """Threshold share of the constituency, signature window, and the recall ballot's rule."""

    threshold: Fraction = Fraction(1, 10)
    window: timedelta = timedelta(weeks=6)
    ballot_rule: DecisionRule = field(default_factory=_recall_rule)

    def __post_init__(self) -> None:
        t = require_fraction(self.threshold, "threshold")
        if t == 0:
            raise InvalidInput("a recall threshold of 0 would need no signatures at all")
        object.__setattr__(self, "threshold", t)
        if self.window <= timedelta(0):
            raise InvalidInput("the petition window must be positive")


def required_signatures(constituency_size: int, threshold: Fraction) -> int:
    """Signatures needed: the smallest count reaching ``threshold`` of the size, at least 1."""
    return max(1, math.ceil(threshold * constituency_size))


@dataclass(frozen=True, slots=True)
class RecallPetition:
    """A petition to recall ``mandate_id``; ``constituency`` frozen when it opened."""

    petition_id: str
    mandate_id: str
    seat_id: str
    council_id: str
    opened_by: str
    opened_at: datetime
    closes_at: datetime
    constituency: Electorate
    threshold: Fraction
    required: int
    signatures: frozenset[str] = frozenset()
    status: PetitionStatus = PetitionStatus.OPEN
    decided_at: datetime | None = None
    ballot_id: str | None = None

    def __post_init__(self) -> None:
        require_id(self.petition_id, "petition_id")
        require_aware(self.opened_at, "opened_at")
        require_aware(self.closes_at, "closes_at")
        object.__setattr__(self, "status", PetitionStatus(self.status))

    @property
    def count(self) -> int:
        return len(self.signatures)

    def window_open(self, now: datetime) -> bool:
        """``opened_at <= now < closes_at``."""
        return self.opened_at <= now < self.closes_at

    def status_at(self, now: datetime) -> PetitionStatus:
        """The status, reading an open petition past its window as failed."""
        require_aware(now, "now")
        if self.status is PetitionStatus.OPEN and now >= self.closes_at:
            return PetitionStatus.FAILED
        return self.status

    def _payload(self) -> dict[str, object]:
        return {
            "petition_id": self.petition_id,
            "mandate_id": self.mandate_id,
            "seat_id": self.seat_id,
            "signatures": self.count,
            "required": self.required,
        }


def open_petition(
    petition_id: str,
    mandate: Mandate,
    constituency: Constituency,
    opened_by: str,
    at: datetime,
    *,
    policy: RecallPolicy | None = None,
    existing: Iterable[RecallPetition] = (),
) -> tuple[RecallPetition, Event]:
    """Open a recall petition against ``mandate`` (see the module docstring).

    ``constituency`` is that of the mandate's council now; ``existing`` are the
    other petitions against this mandate (only one may be pending at a time).
    """
    policy = policy or RecallPolicy()
    require_aware(at, "at")
    problems: list[Problem] = []
    if constituency.council_id != mandate.council_id:
        problems.append(
            Problem(petition_id, f"constituency of {constituency.council_id} given for a "
                    f"mandate of council {mandate.council_id}")
        )
    if not mandate.is_active(at):
        problems.append(
            Problem(mandate.mandate_id, f"the mandate is {mandate.status_at(at).value}, not active")
        )
    if opened_by not in constituency:
        problems.append(
            Problem(petition_id, f"the opener is not in the constituency of council "
                    f"{mandate.council_id}")
        )
    for other in existing:
        if other.mandate_id != mandate.mandate_id:
            continue
        if other.petition_id == petition_id:
            problems.append(Problem(petition_id, "a petition with this id already exists"))
        elif other.status_at(at) in (PetitionStatus.OPEN, PetitionStatus.SUCCEEDED):
            problems.append(
                Problem(other.petition_id, "a recall petition against this mandate is pending")
            )
    if problems:
        raise PreconditionFailed(
            f"no recall petition against mandate {mandate.mandate_id}", problems
        )
    frozen = Electorate.freeze(constituency.members)
    required = required_signatures(frozen.size, policy.threshold)
    petition = RecallPetition(
        petition_id=petition_id,
        mandate_id=mandate.mandate_id,
        seat_id=mandate.seat_id,
        council_id=mandate.council_id,
        opened_by=opened_by,
        opened_at=at,
        closes_at=at + policy.window,
        constituency=frozen,
        threshold=policy.threshold,
        required=required,
    )
    event = Event.of(
        EventKind.PETITION_OPENED,
        at,
        petition_id=petition_id,
        mandate_id=mandate.mandate_id,
        seat_id=mandate.seat_id,
        council_id=mandate.council_id,
        opened_by=opened_by,
        constituency_size=frozen.size,
        constituency_hash=frozen.digest,
        threshold=fraction_text(policy.threshold),
        required=required,
        closes_at=iso(petition.closes_at),
    )
    return petition, event


def sign_petition(
    petition: RecallPetition, member_id: str, at: datetime
) -> tuple[RecallPetition, tuple[Event, ...]]:
    """Add ``member_id``'s signature: ``petition.signed``, and ``petition.succeeded`` when
    this signature reaches the threshold.

    Refused with :class:`PreconditionFailed` when the petition is not open, the
    window has passed, the signer is not in the frozen constituency, or has
    signed already.
    """
    require_aware(at, "at")
    problems: list[Problem] = []
    if petition.status is not PetitionStatus.OPEN:
        problems.append(Problem(petition.petition_id, f"the petition is {petition.status.value}"))
    if at < petition.opened_at:
        problems.append(Problem(petition.petition_id, "the petition has not opened yet"))
    elif at >= petition.closes_at:
        problems.append(
            Problem(petition.petition_id, f"the window closed at {iso(petition.closes_at)}")
        )
    if member_id not in petition.constituency:
        problems.append(Problem(petition.petition_id, "the signer is not in the constituency"))
    if member_id in petition.signatures:
        problems.append(Problem(petition.petition_id, "the signer has already signed"))
    if problems:
        raise PreconditionFailed(f"signature refused on petition {petition.petition_id}", problems)
    signed = replace(petition, signatures=petition.signatures | {member_id})
    events = [
        Event.of(
            EventKind.PETITION_SIGNED,
            at,
            petition_id=petition.petition_id,
            member_id=member_id,
            signatures=signed.count,
            required=signed.required,
        )
    ]
    if signed.count >= signed.required:
        signed = replace(signed, status=PetitionStatus.SUCCEEDED, decided_at=at)
        events.append(Event.of(EventKind.PETITION_SUCCEEDED, at, **signed._payload()))
    return signed, tuple(events)


def expire_petition(petition: RecallPetition, now: datetime) -> tuple[RecallPetition, Event]:
    """Fail an open petition whose window has passed; dated at the window's close."""
    require_aware(now, "now")
    if petition.status is not PetitionStatus.OPEN:
        raise RuleViolation(f"petition {petition.petition_id} is {petition.status.value}")
    if now < petition.closes_at:
        raise RuleViolation(
            f"petition {petition.petition_id} is open until {iso(petition.closes_at)}"
        )
    failed = replace(petition, status=PetitionStatus.FAILED, decided_at=petition.closes_at)
    return failed, Event.of(EventKind.PETITION_FAILED, petition.closes_at, **failed._payload())


def lapse_petition(
    petition: RecallPetition, mandate: Mandate, at: datetime
) -> tuple[RecallPetition, Event]:
    """A pending petition lapses because its mandate is over (expired, resigned) at ``at``."""
    if petition.mandate_id != mandate.mandate_id:
        raise InvalidInput(f"petition {petition.petition_id} is not against {mandate.mandate_id}")
    if petition.status_at(at) not in (PetitionStatus.OPEN, PetitionStatus.SUCCEEDED):
        raise RuleViolation(f"petition {petition.petition_id} is {petition.status_at(at).value}")
    status = mandate.status_at(at)
    if mandate.is_active(at):
        raise RuleViolation(f"mandate {mandate.mandate_id} is still active")
    lapsed = replace(petition, status=PetitionStatus.LAPSED, decided_at=at)
    return lapsed, Event.of(
        EventKind.PETITION_LAPSED, at, **lapsed._payload(), reason=f"mandate {status.value}"
    )


def recall_ballot(
    petition: RecallPetition,
    ballot_id: str,
    opens_at: datetime,
    closes_at: datetime,
    *,
    policy: RecallPolicy | None = None,
) -> Ballot:
    """The draft recall ballot for a succeeded petition (yes = recall), under the policy's rule."""
    policy = policy or RecallPolicy()
    if petition.status is not PetitionStatus.SUCCEEDED:
        raise PreconditionFailed(
            f"petition {petition.petition_id} is {petition.status.value}: a recall ballot follows "
            "only a petition that reached its threshold",
            [Problem(petition.petition_id, f"{petition.count} of {petition.required} signatures")],
        )
    return Ballot(
        ballot_id=ballot_id,
        council_id=petition.council_id,
        question=f"Recall the holder of seat {petition.seat_id} (mandate {petition.mandate_id})?",
        options=("yes", "no"),
        method="yes-no",
        opens_at=opens_at,
        closes_at=closes_at,
        rule=policy.ballot_rule,
        purpose=BallotPurpose.RECALL,
        subject_id=petition.petition_id,
    )


@dataclass(frozen=True, slots=True)
class RecallOutcome:
    """After the recall ballot: the petition and mandate as they now stand, the by-election."""

    petition: RecallPetition
    mandate: Mandate
    by_election: ElectionCall | None
    events: tuple[Event, ...]


def apply_recall_result(
    petition: RecallPetition,
    mandate: Mandate,
    seat: Seat,
    ballot: Ballot,
    result: DecisionResult,
    at: datetime,
) -> RecallOutcome:
    """Apply a closed recall ballot's result.

    Passed: ``recall.passed``, ``mandate.ended`` (reason ``recalled``) and
    ``election.called`` (a by-election for the rest of the term). Not passed:
    ``recall.rejected``; the mandate stands.
    """
    require_aware(at, "at")
    problems: list[Problem] = []
    if petition.status is not PetitionStatus.SUCCEEDED:
        problems.append(Problem(petition.petition_id, f"the petition is {petition.status.value}"))
    if petition.mandate_id != mandate.mandate_id or mandate.seat_id != seat.seat_id:
        problems.append(Problem(petition.petition_id, "petition, mandate and seat do not match"))
    if ballot.purpose is not BallotPurpose.RECALL or ballot.subject_id != petition.petition_id:
        problems.append(Problem(ballot.ballot_id, "not the recall ballot of this petition"))
    if ballot.status is not BallotStatus.CLOSED:
        problems.append(Problem(ballot.ballot_id, f"the ballot is {ballot.status.value}"))
    elif ballot.electorate is not None and result.entitled != ballot.electorate.size:
        problems.append(
            Problem(ballot.ballot_id, f"result for {result.entitled} entitled, but the "
                    f"electorate has {ballot.electorate.size}")
        )
    if problems:
        raise PreconditionFailed(
            f"the recall result of petition {petition.petition_id} cannot be applied", problems
        )
    base = {"petition_id": petition.petition_id, "mandate_id": mandate.mandate_id,
            "ballot_id": ballot.ballot_id, "result": result.to_payload()}
    if not result.passed:
        retained = replace(petition, status=PetitionStatus.RETAINED, decided_at=at,
                           ballot_id=ballot.ballot_id)
        return RecallOutcome(
            retained, mandate, None, (Event.of(EventKind.RECALL_REJECTED, at, **base),)
        )
    recalled = replace(petition, status=PetitionStatus.RECALLED, decided_at=at,
                       ballot_id=ballot.ballot_id)
    ended, ended_event = end_mandate(mandate, EndReason.RECALLED, at)
    call = by_election(seat, ended, at)
    events = (Event.of(EventKind.RECALL_PASSED, at, **base), ended_event, election_called(call, at))
    return RecallOutcome(recalled, ended, call, events)
