"""Motions and their amendments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from councilplan.councils.motion import Amendment, AmendmentStatus, Motion, MotionStatus
from councilplan.errors import NotFound
from councilplan.store.tables import motions
from councilplan.store.types import AnyRow

__all__ = ["MotionRepository"]

_COLUMNS = (motions.c.motion_id, motions.c.council_id, motions.c.proposed_by, motions.c.text,
            motions.c.tabled_at, motions.c.original_text, motions.c.amendments,
            motions.c.status)


def _amendments(motion: Motion) -> list[dict[str, Any]]:
    return [{"amendment_id": a.amendment_id, "proposed_by": a.proposed_by,
             "old_text": a.old_text, "new_text": a.new_text, "status": a.status.value}
            for a in motion.amendments]


def _motion(row: AnyRow) -> Motion:
    amendments = tuple(
        Amendment(a["amendment_id"], a["proposed_by"], a["old_text"], a["new_text"],
                  AmendmentStatus(a["status"]))
        for a in row[6]
    )
    return Motion(row[0], row[1], row[2], row[3], row[4], row[5], amendments,
                  MotionStatus(row[7]))


class MotionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, motion: Motion) -> None:
        self._conn.execute(insert(motions).values(
            motion_id=motion.motion_id, council_id=motion.council_id,
            proposed_by=motion.proposed_by, text=motion.text, original_text=motion.original_text,
            tabled_at=motion.tabled_at, status=motion.status.value, amendments=_amendments(motion),
        ))

    def get(self, motion_id: str, *, lock: bool = False) -> Motion:
        stmt = select(*_COLUMNS).where(motions.c.motion_id == motion_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        if row is None:
            raise NotFound(f"motion {motion_id} does not exist")
        return _motion(row)

    def save(self, motion: Motion) -> None:
        self._conn.execute(update(motions).where(motions.c.motion_id == motion.motion_id).values(
            text=motion.text, status=motion.status.value, amendments=_amendments(motion),
        ))

    def of_council(self, council_id: str) -> list[Motion]:
        rows = self._conn.execute(select(*_COLUMNS).where(motions.c.council_id == council_id)
                                  .order_by(motions.c.tabled_at, motions.c.motion_id))
        return [_motion(r) for r in rows]
