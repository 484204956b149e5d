"""Read models: what the CLI and the API show, as frozen values with ``to_dict()``.

``to_dict()`` gives plain JSON data: instants as UTC ISO-8601 text, calendar days as
ISO dates, money and exact shares as text, enums as their values. Nothing here is
secret: a ballot's result and seed appear only once it is closed, and no view ever
joins a member to a paper.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

__all__ = [
    "AuditReport",
    "BallotView",
    "CouncilDetail",
    "CouncilView",
    "CountView",
    "ElectionCallView",
    "MandateView",
    "MemberView",
    "PayCapView",
    "PayView",
    "PetitionView",
    "PublishedBallots",
    "ReceiptCheck",
    "SeatView",
    "TickReport",
    "jsonable",
]


def jsonable(value: Any) -> Any:
    """Plain JSON data for views and results (no floats are produced)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):  # a calendar day (after datetime, its subclass)
        return value.isoformat()
    if isinstance(value, timedelta):
        return value // timedelta(seconds=1)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return [jsonable(v) for v in items]
    return value


class _View:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        out = jsonable(self)
        assert isinstance(out, dict)
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class CouncilView(_View):
    council_id: str
    name: str
    kind: str
    parent_id: str | None
    members: int  # direct members
    constituency: int  # members represented, through the councils below


@dataclasses.dataclass(frozen=True, slots=True)
class MemberView(_View):
    member_id: str
    name: str
    councils: tuple[str, ...]
    joined_at: datetime | None = None  # in the council asked about


@dataclasses.dataclass(frozen=True, slots=True)
class SeatView(_View):
    seat_id: str
    council_id: str
    title: str
    kind: str
    term_length: timedelta
    election_lead: timedelta
    delegate_to: str | None
    holder_id: str | None  # who holds it now (None: vacant)


@dataclasses.dataclass(frozen=True, slots=True)
class PayView(_View):
    mandate_id: str
    period: str
    amount: Decimal
    cap: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class PayCapView(_View):
    council_id: str
    period: str
    basis: str
    reports: int
    total: Decimal
    cap: Decimal
    exact: str
    explanation: str


@dataclasses.dataclass(frozen=True, slots=True)
class MandateView(_View):
    mandate_id: str
    seat_id: str
    council_id: str
    holder_id: str
    term_start: datetime
    term_end: datetime
    status: str
    ended_at: datetime | None
    end_reason: str | None
    pay: tuple[PayView, ...] = ()
    cap: PayCapView | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class BallotView(_View):
    """A ballot as members see it: the result, the seed and the box digest only after close."""

    ballot_id: str
    council_id: str
    question: str
    options: tuple[str, ...]
    method: str
    seats: int
    purpose: str
    subject_id: str | None
    status: str
    opens_at: datetime
    closes_at: datetime
    rule: str
    electorate_size: int | None
    electorate_hash: str | None
    seed_sha256: str
    checkpoints: tuple[dict[str, Any], ...] = ()
    seed: str | None = None
    papers: int | None = None
    box_sha256: str | None = None
    elected: tuple[str, ...] = ()
    passed: bool | None = None
    result: dict[str, Any] | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class CountView(_View):
    """A count: the elected in order of election and every stage (or the decision)."""

    ballot_id: str
    method: str
    papers: int
    elected: tuple[str, ...]
    passed: bool | None
    stages: tuple[dict[str, Any], ...]
    result: dict[str, Any]
    matches_stored: bool  # a recount from the published papers equals the stored result


@dataclasses.dataclass(frozen=True, slots=True)
class PublishedBallots(_View):
    """The anonymised ballot set after close: ``(receipt code, paper)`` in code order."""

    ballot_id: str
    method: str
    options: tuple[str, ...]
    papers: tuple[tuple[str, Any], ...]
    box_sha256: str
    matches_sealed: bool  # the set still hashes to the digest logged at close


@dataclasses.dataclass(frozen=True, slots=True)
class ReceiptCheck(_View):
    """Did my vote count? ``found``: the paper of this receipt is in the box."""

    ballot_id: str
    code: str
    status: str
    found: bool
    counted: bool  # found, and the ballot is closed and counted
    paper: Any = None  # shown only after the close


@dataclasses.dataclass(frozen=True, slots=True)
class PetitionView(_View):
    petition_id: str
    mandate_id: str
    seat_id: str
    council_id: str
    opened_at: datetime
    closes_at: datetime
    threshold: str
    required: int
    signatures: int
    constituency_size: int
    status: str
    ballot_id: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class ElectionCallView(_View):
    seat_id: str
    council_id: str
    reason: str
    due_at: datetime
    term_start: datetime | None
    term_end: datetime | None
    previous_mandate_id: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class CouncilDetail(_View):
    council: CouncilView
    children: tuple[str, ...]
    members: tuple[MemberView, ...]
    seats: tuple[SeatView, ...]
    mandates: tuple[MandateView, ...]
    ballots: tuple[BallotView, ...]
    petitions: tuple[PetitionView, ...]
    elections_due: tuple[ElectionCallView, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class TickReport(_View):
    """What the passing of time recorded: expired terms, failed and lapsed petitions,
    strikers' mandates for action that expired (by ballot id)."""

    expired_mandates: tuple[str, ...]
    failed_petitions: tuple[str, ...]
    lapsed_petitions: tuple[str, ...]
    elections_due: tuple[ElectionCallView, ...]
    expired_action_mandates: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class AuditReport(_View):
    """``councilplan audit verify`` as data: the chain's verdict and the first bad entry."""

    ok: bool
    entries: int
    verified: int
    head_size: int
    head_hash: str
    checkpoints: int
    fault_sequence: int | None
    fault_kind: str | None
    fault_message: str | None
    message: str
