"""Seats: the elected positions of each council."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select

from councilplan.councils.seat import Seat, SeatKind
from councilplan.errors import InvalidInput, NotFound
from councilplan.store.tables import seats
from councilplan.store.types import AnyRow

__all__ = ["SeatRepository"]

_COLUMNS = (seats.c.seat_id, seats.c.council_id, seats.c.title, seats.c.kind,
            seats.c.term_seconds, seats.c.lead_seconds, seats.c.delegate_to)


def _seat(row: AnyRow) -> Seat:
    return Seat(row[0], row[1], row[2], SeatKind(row[3]), timedelta(seconds=row[4]),
                timedelta(seconds=row[5]), row[6])


def _whole_seconds(value: timedelta, name: str) -> int:
    if value % timedelta(seconds=1):
        raise InvalidInput(f"{name} must be a whole number of seconds, got {value}")
    return value // timedelta(seconds=1)


class SeatRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, seat: Seat, at: datetime) -> None:
        self._conn.execute(insert(seats).values(
            seat_id=seat.seat_id, council_id=seat.council_id, title=seat.title,
            kind=seat.kind.value, term_seconds=_whole_seconds(seat.term_length, "term length"),
            lead_seconds=_whole_seconds(seat.election_lead, "election lead"),
            delegate_to=seat.delegate_to, defined_at=at,
        ))

    def find(self, seat_id: str, *, lock: bool = False) -> Seat | None:
        stmt = select(*_COLUMNS).where(seats.c.seat_id == seat_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else _seat(row)

    def get(self, seat_id: str, *, lock: bool = False) -> Seat:
        seat = self.find(seat_id, lock=lock)
        if seat is None:
            raise NotFound(f"seat {seat_id} does not exist")
        return seat

    def of_council(self, council_id: str) -> list[Seat]:
        rows = self._conn.execute(
            select(*_COLUMNS).where(seats.c.council_id == council_id).order_by(seats.c.seat_id)
        )
        return [_seat(r) for r in rows]

    def all(self) -> list[Seat]:
        return [_seat(r) for r in self._conn.execute(select(*_COLUMNS).order_by(seats.c.seat_id))]
