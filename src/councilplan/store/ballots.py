"""Ballots: their question, options, method, times, rule, frozen electorate and result.

What was voted lives in :mod:`councilplan.store.box`, who voted in
:mod:`councilplan.store.register`; this table holds only what is public (the
result only once the ballot is closed).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any, Literal

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from councilplan.councils.ballot import Ballot, BallotPurpose, BallotStatus
from councilplan.councils.decision import DecisionRule, MajorityBasis, TieRule
from councilplan.councils.electorate import Electorate
from councilplan.errors import InvalidInput, NotFound
from councilplan.store.tables import ballot_electorate, ballot_seats, ballots
from councilplan.store.types import AnyRow

__all__ = [
    "BallotRecord", "BallotRepository", "BallotSeat", "BallotShape", "CastingView",
    "rule_from_payload",
]

Lock = Literal["share", "update"] | None


def rule_from_payload(data: Mapping[str, Any]) -> DecisionRule:
    """The inverse of :meth:`DecisionRule.to_payload`."""
    try:
        yes = data.get("yes_of_entitled")
        return DecisionRule(
            quorum=Fraction(data["quorum"]),
            majority=Fraction(data["majority"]),
            basis=MajorityBasis(data["basis"]),
            strict=bool(data["strict"]),
            yes_of_entitled=None if yes is None else Fraction(yes),
            tie=TieRule(data["tie"]),
            spoilt_in_turnout=bool(data.get("spoilt_in_turnout", True)),
            name=str(data.get("name", "")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"a stored decision rule cannot be read: {exc}") from exc


@dataclass(frozen=True, slots=True)
class BallotSeat:
    """A seat an election ballot fills, in order (the first elected takes the first)."""

    seat_id: str
    position: int
    reason: str  # ElectionReason value at opening
    previous_mandate_id: str | None = None


@dataclass(frozen=True, slots=True)
class BallotRecord:
    """A stored ballot: the core value (its electorate loaded only on request) and what
    the store adds: the lot seed, the published electorate figures, the sealed box's
    size and digest, and the result (``None`` until closed)."""

    ballot: Ballot
    seed: str
    electorate_size: int | None
    electorate_hash: str | None
    papers: int | None
    box_sha256: str | None
    result: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class BallotShape:
    """What never changes once a ballot exists: options, method, seats and times."""

    options: tuple[str, ...]
    method: str
    seats: int
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class CastingView:
    """What a cast needs to know about its ballot, read under a shared lock."""

    ballot_id: str
    status: BallotStatus
    opens_at: datetime
    closes_at: datetime
    options: tuple[str, ...]
    method: str
    seats: int


_COLUMNS = (
    ballots.c.ballot_id, ballots.c.council_id, ballots.c.question, ballots.c.options,
    ballots.c.method, ballots.c.opens_at, ballots.c.closes_at, ballots.c.rule, ballots.c.seats,
    ballots.c.purpose, ballots.c.subject_id, ballots.c.status, ballots.c.opened_at,
    ballots.c.closed_at, ballots.c.seed, ballots.c.electorate_size, ballots.c.electorate_hash,
    ballots.c.papers, ballots.c.box_sha256, ballots.c.result,
)


_SHAPES: weakref.WeakKeyDictionary[Engine, dict[str, BallotShape]] = weakref.WeakKeyDictionary()

_CASTING_VIEW = select(
    ballots.c.status, ballots.c.opens_at, ballots.c.closes_at, ballots.c.options,
    ballots.c.method, ballots.c.seats,
).where(ballots.c.ballot_id == bindparam("b")).with_for_update(read=True)


def _record(row: AnyRow, electorate: Electorate | None) -> BallotRecord:
    ballot = Ballot(
        ballot_id=row[0], council_id=row[1], question=row[2], options=tuple(row[3]),
        method=row[4], opens_at=row[5], closes_at=row[6], rule=rule_from_payload(row[7]),
        seats=row[8], purpose=BallotPurpose(row[9]), subject_id=row[10],
        status=BallotStatus(row[11]), electorate=electorate, opened_at=row[12], closed_at=row[13],
    )
    return BallotRecord(ballot, row[14], row[15], row[16], row[17], row[18], row[19])


def _locked(stmt: Any, lock: Lock) -> Any:
    if lock == "update":
        return stmt.with_for_update()
    if lock == "share":
        return stmt.with_for_update(read=True)
    return stmt


class BallotRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, ballot: Ballot, seed: str, seats: Sequence[BallotSeat] = ()) -> None:
        self._conn.execute(insert(ballots).values(
            ballot_id=ballot.ballot_id, council_id=ballot.council_id, question=ballot.question,
            options=list(ballot.options), method=ballot.method, seats=ballot.seats,
            purpose=ballot.purpose.value, subject_id=ballot.subject_id,
            rule=ballot.rule.to_payload(), status=ballot.status.value, opens_at=ballot.opens_at,
            closes_at=ballot.closes_at, opened_at=None, closed_at=None, seed=seed,
        ))
        if seats:
            self._conn.execute(insert(ballot_seats), [
                {"ballot_id": ballot.ballot_id, "seat_id": s.seat_id, "position": s.position,
                 "reason": s.reason, "previous_mandate_id": s.previous_mandate_id}
                for s in seats
            ])

    def find(self, ballot_id: str, *, lock: Lock = None,
             with_electorate: bool = False) -> BallotRecord | None:
        stmt = _locked(select(*_COLUMNS).where(ballots.c.ballot_id == ballot_id), lock)
        row = self._conn.execute(stmt).first()
        if row is None:
            return None
        electorate = None
        if with_electorate and row.electorate_hash is not None:
            electorate = self.electorate(ballot_id, row.electorate_size, row.electorate_hash)
        return _record(row, electorate)

    def get(self, ballot_id: str, *, lock: Lock = None,
            with_electorate: bool = False) -> BallotRecord:
        record = self.find(ballot_id, lock=lock, with_electorate=with_electorate)
        if record is None:
            raise NotFound(f"ballot {ballot_id} does not exist")
        return record

    def casting_view(self, ballot_id: str) -> CastingView:
        """The ballot's status, times, options and method, under a shared row lock
        (PostgreSQL): a close waits for casts in flight, and casts after it see it closed."""
        row = self._conn.execute(_CASTING_VIEW, {"b": ballot_id}).first()
        if row is None:
            raise NotFound(f"ballot {ballot_id} does not exist")
        return CastingView(ballot_id, BallotStatus(row[0]), row[1], row[2], tuple(row[3]),
                           row[4], row[5])

    def shape(self, ballot_id: str) -> BallotShape:
        """The ballot's options, method, seats and times: fixed when it was created, so
        cached per engine (a cast checks its paper and time without a round trip)."""
        cache = _SHAPES.setdefault(self._conn.engine, {})
        found = cache.get(ballot_id)
        if found is None:
            row = self._conn.execute(
                select(ballots.c.options, ballots.c.method, ballots.c.seats, ballots.c.opens_at,
                       ballots.c.closes_at).where(ballots.c.ballot_id == ballot_id)
            ).first()
            if row is None:
                raise NotFound(f"ballot {ballot_id} does not exist")
            found = cache[ballot_id] = BallotShape(tuple(row[0]), row[1], row[2], row[3],
                                                   row[4])
        return found

    def electorate(self, ballot_id: str, size: int | None = None,
                   digest: str | None = None) -> Electorate:
        """The frozen electorate, re-checked against its published size and hash."""
        if size is None or digest is None:
            rec = self.get(ballot_id)
            size, digest = rec.electorate_size, rec.electorate_hash
        if size is None or digest is None:
            raise InvalidInput(f"ballot {ballot_id} has no electorate yet (it has not opened)")
        ids = self._conn.execute(
            select(ballot_electorate.c.member_id).where(ballot_electorate.c.ballot_id == ballot_id)
            .order_by(ballot_electorate.c.member_id)
        ).scalars().all()
        # Python str order is the hash scheme's order; the database's collation may differ
        return Electorate(tuple(sorted(ids)), digest, size)

    def in_electorate(self, ballot_id: str, member_id: str) -> bool:
        """Whether ``member_id`` is in the frozen electorate of ``ballot_id``."""
        return self._conn.execute(
            select(ballot_electorate.c.member_id).where(
                ballot_electorate.c.ballot_id == ballot_id,
                ballot_electorate.c.member_id == member_id)
        ).first() is not None

    def save_opened(self, ballot: Ballot, *, store_electorate: bool = True) -> None:
        """Record the opening: status, time, and the frozen electorate with its hash.

        ``store_electorate=False`` keeps the list out of ``ballot_electorate`` (an open,
        recorded plan vote keeps its weighted electorate apart, so that nobody can cast
        a secret paper in it)."""
        assert ballot.electorate is not None
        self._conn.execute(update(ballots).where(ballots.c.ballot_id == ballot.ballot_id).values(
            status=ballot.status.value, opened_at=ballot.opened_at,
            electorate_size=ballot.electorate.size, electorate_hash=ballot.electorate.digest,
        ))
        if store_electorate and ballot.electorate.member_ids:
            self._conn.execute(insert(ballot_electorate), [
                {"ballot_id": ballot.ballot_id, "member_id": m}
                for m in ballot.electorate.member_ids
            ])

    def save_closed(self, ballot: Ballot, papers: int, box_sha256: str) -> None:
        self._conn.execute(update(ballots).where(ballots.c.ballot_id == ballot.ballot_id).values(
            status=ballot.status.value, closed_at=ballot.closed_at, papers=papers,
            box_sha256=box_sha256,
        ))

    def save_result(self, ballot_id: str, result: Mapping[str, Any]) -> None:
        self._conn.execute(update(ballots).where(ballots.c.ballot_id == ballot_id)
                           .values(result=dict(result)))

    def seats_of(self, ballot_id: str) -> list[BallotSeat]:
        rows = self._conn.execute(
            select(ballot_seats.c.seat_id, ballot_seats.c.position, ballot_seats.c.reason,
                   ballot_seats.c.previous_mandate_id)
            .where(ballot_seats.c.ballot_id == ballot_id).order_by(ballot_seats.c.position)
        )
        return [BallotSeat(r[0], r[1], r[2], r[3]) for r in rows]

    def live_for_seats(self, seat_ids: Sequence[str]) -> list[str]:
        """Ballots not yet closed that fill any of ``seat_ids``."""
        if not seat_ids:
            return []
        rows = self._conn.execute(
            select(ballots.c.ballot_id).join(ballot_seats,
                                             ballot_seats.c.ballot_id == ballots.c.ballot_id)
            .where(ballot_seats.c.seat_id.in_(list(seat_ids)),
                   ballots.c.status != BallotStatus.CLOSED.value)
            .order_by(ballots.c.ballot_id)
        )
        return sorted(set(rows.scalars().all()))

    def of_council(self, council_id: str | None = None) -> list[BallotRecord]:
        stmt = select(*_COLUMNS)
        if council_id is not None:
            stmt = stmt.where(ballots.c.council_id == council_id)
        rows = self._conn.execute(stmt.order_by(ballots.c.opens_at, ballots.c.ballot_id))
        return [_record(r, None) for r in rows]

    def due_to_close(self, now: datetime) -> list[str]:
        """Open ballots whose closing time has come."""
        rows = self._conn.execute(
            select(ballots.c.ballot_id).where(ballots.c.status == BallotStatus.OPEN.value,
                                              ballots.c.closes_at <= now)
            .order_by(ballots.c.closes_at, ballots.c.ballot_id)
        )
        return list(rows.scalars().all())
