"""The strike fund of each dispute: contributions and strike payments."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from councilplan.councils.strike_fund import Contribution, StrikePayment, parse_period
from councilplan.store.tables import fund_contributions, strike_payments

__all__ = ["StrikeFundRepository"]


class StrikeFundRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_contribution(self, c: Contribution) -> None:
        self._conn.execute(insert(fund_contributions).values(
            contribution_id=c.contribution_id, dispute_id=c.dispute_id, amount=c.amount,
            source=c.source, received_at=c.received_at,
        ))

    def contributions(self, dispute_id: str) -> list[Contribution]:
        rows = self._conn.execute(
            select(fund_contributions.c.contribution_id, fund_contributions.c.dispute_id,
                   fund_contributions.c.amount, fund_contributions.c.source,
                   fund_contributions.c.received_at)
            .where(fund_contributions.c.dispute_id == dispute_id)
            .order_by(fund_contributions.c.received_at, fund_contributions.c.contribution_id)
        )
        return [Contribution(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def add_payments(self, payments: Iterable[StrikePayment]) -> None:
        rows = [{"payment_id": p.payment_id, "dispute_id": p.dispute_id,
                 "member_id": p.member_id, "period": p.period.label, "amount": p.amount,
                 "paid_at": p.paid_at} for p in payments]
        if rows:
            self._conn.execute(insert(strike_payments), rows)

    def payments(self, dispute_id: str) -> list[StrikePayment]:
        rows = self._conn.execute(
            select(strike_payments.c.payment_id, strike_payments.c.dispute_id,
                   strike_payments.c.member_id, strike_payments.c.period,
                   strike_payments.c.amount, strike_payments.c.paid_at)
            .where(strike_payments.c.dispute_id == dispute_id)
            .order_by(strike_payments.c.paid_at, strike_payments.c.payment_id)
        )
        return [StrikePayment(r[0], r[1], r[2], parse_period(r[3]), r[4], r[5]) for r in rows]

    def ids_taken(self, contribution_id: str | None = None,
                  payment_id: str | None = None) -> bool:
        if contribution_id is not None:
            found = self._conn.execute(select(fund_contributions.c.contribution_id).where(
                fund_contributions.c.contribution_id == contribution_id)).first()
            return found is not None
        if payment_id is not None:
            found = self._conn.execute(select(strike_payments.c.payment_id).where(
                strike_payments.c.payment_id == payment_id)).first()
            return found is not None
        return False
