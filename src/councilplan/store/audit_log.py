"""The audit log: the hash chain of :mod:`councilplan.councils.audit`, stored.

``audit_log`` holds the entries (sequence, prev_hash, canonical event text,
entry_hash); ``audit_head`` its one-row head (size and head hash), and
``audit_checkpoints`` the heads taken at each ballot's opening and closing.

Linearity under concurrent writers: :meth:`AuditLog.lock` takes the head row
``FOR UPDATE`` on PostgreSQL (every governance unit of work does so first, see
:mod:`councilplan.store.unit_of_work`); on SQLite the whole write transaction
already holds the database's one write lock (``BEGIN IMMEDIATE``). So each
append reads the head, writes entry ``size + 1`` and moves the head, with no
other appender in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from councilplan.councils.audit import GENESIS_HASH, AuditEntry, Checkpoint, append_event
from councilplan.councils.event import Event
from councilplan.store.tables import audit_checkpoints, audit_head, audit_log

__all__ = ["AuditLog", "StoredCheckpoint"]


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A checkpoint taken when ``ballot_id`` opened or closed (``moment``)."""

    ballot_id: str
    moment: str
    checkpoint: Checkpoint

    def to_dict(self) -> dict[str, object]:
        return {"ballot_id": self.ballot_id, "moment": self.moment,
                "size": self.checkpoint.size, "head_hash": self.checkpoint.head_hash}


class AuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._locked = False
        self._last: AuditEntry | None = None
        self._size = 0

    def lock(self) -> None:
        """Take the head row for this transaction (creating it for an empty log)."""
        if self._locked:
            return
        row = self._conn.execute(
            select(audit_head.c.size, audit_head.c.head_hash).where(audit_head.c.id == 1)
            .with_for_update()
        ).first()
        if row is None:
            self._conn.execute(insert(audit_head).values(id=1, size=0, head_hash=GENESIS_HASH))
            row = self._conn.execute(
                select(audit_head.c.size, audit_head.c.head_hash).where(audit_head.c.id == 1)
                .with_for_update()
            ).one()
        self._size = int(row[0])
        self._last = None
        if self._size:
            last = self._conn.execute(
                select(audit_log.c.sequence, audit_log.c.prev_hash, audit_log.c.canonical,
                       audit_log.c.entry_hash).where(audit_log.c.sequence == self._size)
            ).first()
            # a damaged log still appends from the head the head row records
            self._last = (AuditEntry(int(last[0]), last[1], last[2], last[3]) if last is not None
                          else AuditEntry(self._size, "", "", row[1]))
        self._locked = True

    def append(self, events: Iterable[Event]) -> list[AuditEntry]:
        """Append ``events`` in order; returns the new entries."""
        self.lock()
        new: list[AuditEntry] = []
        for event in events:
            entry = append_event(self._last, event)
            new.append(entry)
            self._last = entry
        if not new:
            return new
        self._conn.execute(insert(audit_log), [
            {"sequence": e.sequence, "prev_hash": e.prev_hash, "canonical": e.canonical,
             "entry_hash": e.entry_hash} for e in new
        ])
        self._size = new[-1].sequence
        self._conn.execute(update(audit_head).where(audit_head.c.id == 1)
                           .values(size=self._size, head_hash=new[-1].entry_hash))
        return new

    def head(self) -> Checkpoint:
        """The head as this transaction sees it."""
        if self._locked:
            return Checkpoint(self._size, GENESIS_HASH if self._last is None
                              else self._last.entry_hash)
        row = self._conn.execute(
            select(audit_head.c.size, audit_head.c.head_hash).where(audit_head.c.id == 1)
        ).first()
        return Checkpoint(0, GENESIS_HASH) if row is None else Checkpoint(int(row[0]), row[1])

    def take_checkpoint(self, ballot_id: str, moment: str) -> Checkpoint:
        """Record the head now as the checkpoint of ``ballot_id`` at ``moment``."""
        self.lock()
        cp = self.head()
        self._conn.execute(insert(audit_checkpoints).values(
            ballot_id=ballot_id, moment=moment, size=cp.size, head_hash=cp.head_hash,
        ))
        return cp

    def entries(self, *, after: int | None = None, limit: int | None = None
                ) -> Iterator[AuditEntry]:
        """Every entry (or ``limit`` of them after sequence ``after``), in sequence order
        (streamed)."""
        stmt = select(audit_log.c.sequence, audit_log.c.prev_hash, audit_log.c.canonical,
                      audit_log.c.entry_hash).order_by(audit_log.c.sequence)
        if after is not None:
            stmt = stmt.where(audit_log.c.sequence > after)
        if limit is not None:
            stmt = stmt.limit(limit)
        rows = self._conn.execute(stmt)
        for r in rows:
            yield AuditEntry(int(r[0]), r[1], r[2], r[3])

    def checkpoints(self, ballot_id: str | None = None) -> list[StoredCheckpoint]:
        stmt = select(audit_checkpoints.c.ballot_id, audit_checkpoints.c.moment,
                      audit_checkpoints.c.size, audit_checkpoints.c.head_hash)
        if ballot_id is not None:
            stmt = stmt.where(audit_checkpoints.c.ballot_id == ballot_id)
        rows = self._conn.execute(stmt.order_by(audit_checkpoints.c.size,
                                                audit_checkpoints.c.ballot_id,
                                                audit_checkpoints.c.moment))
        return [StoredCheckpoint(r[0], r[1], Checkpoint(int(r[2]), r[3])) for r in rows]
