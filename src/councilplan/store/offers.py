"""Employer offers: the full text and summary, their status, and whom they reached."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from councilplan.councils.offer import Offer, OfferStatus
from councilplan.errors import NotFound
from councilplan.store.tables import offer_recipients, offers
from councilplan.store.types import AnyRow

__all__ = ["OfferRepository"]

_COLUMNS = (offers.c.offer_id, offers.c.dispute_id, offers.c.received_at, offers.c.text,
            offers.c.summary, offers.c.status, offers.c.decided_at, offers.c.ballot_id,
            offers.c.recorded_by)


def _offer(row: AnyRow) -> Offer:
    return Offer(row[0], row[1], row[2], row[3], row[4], OfferStatus(row[5]), row[6], row[7],
                 row[8])


class OfferRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, offer: Offer, recorded_at: datetime) -> None:
        self._conn.execute(insert(offers).values(
            offer_id=offer.offer_id, dispute_id=offer.dispute_id, received_at=offer.received_at,
            recorded_at=recorded_at, recorded_by=offer.recorded_by, text=offer.text,
            summary=offer.summary, text_sha256=offer.text_sha256, status=offer.status.value,
            decided_at=offer.decided_at, ballot_id=offer.ballot_id,
        ))

    def find(self, offer_id: str, *, lock: bool = False) -> Offer | None:
        stmt = select(*_COLUMNS).where(offers.c.offer_id == offer_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else _offer(row)

    def get(self, offer_id: str, *, lock: bool = False) -> Offer:
        found = self.find(offer_id, lock=lock)
        if found is None:
            raise NotFound(f"offer {offer_id} does not exist")
        return found

    def of_dispute(self, dispute_id: str) -> list[Offer]:
        rows = self._conn.execute(
            select(*_COLUMNS).where(offers.c.dispute_id == dispute_id)
            .order_by(offers.c.received_at, offers.c.offer_id)
        )
        return [_offer(r) for r in rows]

    def save_decision(self, offer: Offer) -> None:
        self._conn.execute(update(offers).where(offers.c.offer_id == offer.offer_id).values(
            status=offer.status.value, decided_at=offer.decided_at, ballot_id=offer.ballot_id,
        ))

    def add_recipients(self, offer_id: str, member_ids: Iterable[str], at: datetime) -> None:
        rows = [{"offer_id": offer_id, "member_id": m, "published_at": at} for m in member_ids]
        if rows:
            self._conn.execute(insert(offer_recipients), rows)

    def recipient_count(self, offer_id: str) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(offer_recipients)
            .where(offer_recipients.c.offer_id == offer_id)
        ).scalar_one())

    def recipients(self, offer_id: str) -> dict[str, datetime]:
        """Who the offer was published to, and when."""
        rows = self._conn.execute(
            select(offer_recipients.c.member_id, offer_recipients.c.published_at)
            .where(offer_recipients.c.offer_id == offer_id)
        )
        return {r[0]: r[1] for r in rows}
