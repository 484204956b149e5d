"""Mandates (who holds which seat for which term) and the pay set for them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from councilplan.councils.mandate import EndReason, Mandate
from councilplan.councils.pay import PaySetting
from councilplan.councils.term import Term
from councilplan.errors import NotFound
from councilplan.store.tables import mandates, pay_settings
from councilplan.store.types import AnyRow

__all__ = ["MandateRepository"]

_COLUMNS = (mandates.c.mandate_id, mandates.c.seat_id, mandates.c.council_id,
            mandates.c.holder_id, mandates.c.term_start, mandates.c.term_end,
            mandates.c.ended_at, mandates.c.end_reason)


def _mandate(row: AnyRow) -> Mandate:
    return Mandate(row[0], row[1], row[2], row[3], Term(row[4], row[5]), row[6],
                   None if row[7] is None else EndReason(row[7]))


class MandateRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, mandate: Mandate, *, ballot_id: str | None = None) -> None:
        self._conn.execute(insert(mandates).values(
            mandate_id=mandate.mandate_id, seat_id=mandate.seat_id,
            council_id=mandate.council_id, holder_id=mandate.holder_id,
            term_start=mandate.term.start, term_end=mandate.term.end,
            ended_at=mandate.ended_at,
            end_reason=None if mandate.end_reason is None else mandate.end_reason.value,
            ballot_id=ballot_id, expiry_recorded=False,
        ))

    def get(self, mandate_id: str, *, lock: bool = False) -> Mandate:
        stmt = select(*_COLUMNS).where(mandates.c.mandate_id == mandate_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        if row is None:
            raise NotFound(f"mandate {mandate_id} does not exist")
        return _mandate(row)

    def of_seat(self, seat_id: str) -> list[Mandate]:
        rows = self._conn.execute(
            select(*_COLUMNS).where(mandates.c.seat_id == seat_id)
            .order_by(mandates.c.term_start, mandates.c.mandate_id)
        )
        return [_mandate(r) for r in rows]

    def of_seats(self, seat_ids: Iterable[str]) -> list[Mandate]:
        ids = sorted(set(seat_ids))
        if not ids:
            return []
        rows = self._conn.execute(
            select(*_COLUMNS).where(mandates.c.seat_id.in_(ids))
            .order_by(mandates.c.seat_id, mandates.c.term_start, mandates.c.mandate_id)
        )
        return [_mandate(r) for r in rows]

    def of_council(self, council_id: str) -> list[Mandate]:
        rows = self._conn.execute(
            select(*_COLUMNS).where(mandates.c.council_id == council_id)
            .order_by(mandates.c.seat_id, mandates.c.term_start, mandates.c.mandate_id)
        )
        return [_mandate(r) for r in rows]

    def held_by(self, holder_id: str) -> list[Mandate]:
        """Every mandate ``holder_id`` holds or held (the caller asks which are active)."""
        rows = self._conn.execute(
            select(*_COLUMNS).where(mandates.c.holder_id == holder_id)
            .order_by(mandates.c.term_start, mandates.c.mandate_id)
        )
        return [_mandate(r) for r in rows]

    def save_end(self, mandate: Mandate) -> None:
        """Record an early end (recall, resignation)."""
        self._conn.execute(
            update(mandates).where(mandates.c.mandate_id == mandate.mandate_id).values(
                ended_at=mandate.ended_at,
                end_reason=None if mandate.end_reason is None else mandate.end_reason.value,
            )
        )

    def expiry_unrecorded(self, now: datetime) -> list[Mandate]:
        """Mandates whose term ended by ``now`` and whose expiry is not yet in the log."""
        rows = self._conn.execute(
            select(*_COLUMNS).where(mandates.c.term_end <= now,
                                    mandates.c.expiry_recorded.is_(False))
            .order_by(mandates.c.term_end, mandates.c.mandate_id)
        )
        return [_mandate(r) for r in rows]

    def mark_expiry_recorded(self, mandate_ids: Iterable[str]) -> None:
        ids = sorted(set(mandate_ids))
        if ids:
            self._conn.execute(update(mandates).where(mandates.c.mandate_id.in_(ids))
                               .values(expiry_recorded=True))

    # -- pay -------------------------------------------------------------------

    def set_pay(self, setting: PaySetting, at: datetime) -> None:
        """Store the pay of a mandate for a period (replacing an earlier setting for it)."""
        where = (pay_settings.c.mandate_id == setting.mandate_id,
                 pay_settings.c.period == setting.period)
        values = {"amount": setting.amount, "cap": setting.cap, "set_at": at}
        done = self._conn.execute(update(pay_settings).where(*where).values(**values))
        if done.rowcount == 0:
            self._conn.execute(insert(pay_settings).values(
                mandate_id=setting.mandate_id, period=setting.period, **values
            ))

    def pay_of(self, mandate_id: str) -> list[PaySetting]:
        """Every pay setting of a mandate, by period label."""
        rows = self._conn.execute(
            select(pay_settings.c.mandate_id, pay_settings.c.period, pay_settings.c.amount,
                   pay_settings.c.cap)
            .where(pay_settings.c.mandate_id == mandate_id).order_by(pay_settings.c.period)
        )
        return [PaySetting(r[0], r[1], r[2], r[3]) for r in rows]
