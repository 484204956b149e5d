"""The ballot box: *what* was voted, never *who*.

A paper is stored under its receipt code (:func:`councilplan.councils.receipt.receipt_code`:
a SHA-256 of the voter's random token), with nothing else: no member, no time, no
sequence. Papers are read in code order, which is a uniformly random order. The
box is published only once the ballot is closed (:meth:`BallotBox.published`).
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, literal, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from councilplan.councils.ballot import BallotStatus
from councilplan.errors import InvalidInput, NotFound, PreconditionFailed, Problem
from councilplan.store.engine import SQLITE_BUSY_SECONDS, writer_lock
from councilplan.store.prepared import Prepared
from councilplan.store.tables import ballot_box, ballots

__all__ = ["BOX_HASH_PREFIX", "BallotBox", "box_sha256", "purge_dead_rows"]

BOX_HASH_PREFIX = "councilplan-box-v1\n"
_CHECKPOINT_WAIT_MS = 5000  # how long a close's checkpoint waits for readers of the log


def box_sha256(papers: Iterable[tuple[str, str]]) -> str:
    """Digest of a published ballot set: ``sha256(prefix || code TAB paper LF ...)`` over the
    ``(code, canonical paper)`` pairs in code order. Anyone can redo it from the set."""
    h = hashlib.sha256(BOX_HASH_PREFIX.encode("utf-8"))
    for code, paper in sorted(papers):
        h.update(f"{code}\t{paper}\n".encode())
    return h.hexdigest()


_PUT = Prepared(insert(ballot_box).values(ballot_id=bindparam("b"),
                                          receipt_code=bindparam("c"), paper=bindparam("p")))
_TAKE = Prepared(delete(ballot_box).where(ballot_box.c.ballot_id == bindparam("b"),
                                          ballot_box.c.receipt_code == bindparam("c")))


class BallotBox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put(self, ballot_id: str, code: str, paper: str) -> None:
        try:
            _PUT.execute(self._conn, {"b": ballot_id, "c": code, "p": paper})
        except IntegrityError:
            raise InvalidInput("this receipt token was used before: draw a fresh random "
                               "token (secrets.token_bytes(32))") from None

    def take(self, ballot_id: str, code: str) -> bool:
        """Remove the paper with this code (a re-vote replacing it); ``False`` if none."""
        return _TAKE.execute(self._conn, {"b": ballot_id, "c": code}).rowcount == 1

    def find(self, ballot_id: str, code: str) -> str | None:
        return self._conn.execute(select(ballot_box.c.paper).where(
            ballot_box.c.ballot_id == ballot_id, ballot_box.c.receipt_code == code,
        )).scalar_one_or_none()

    def holds(self, ballot_id: str, code: str) -> bool:
        """Whether a paper with this code is in the box -- without reading the paper (so
        none is read back, nor logged, while the vote is open)."""
        return self._conn.execute(select(literal(1)).where(
            ballot_box.c.ballot_id == ballot_id, ballot_box.c.receipt_code == code,
        )).first() is not None

    def count(self, ballot_id: str) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(ballot_box).where(ballot_box.c.ballot_id == ballot_id)
        ).scalar_one())

    def _papers(self, ballot_id: str) -> list[tuple[str, str]]:
        rows = self._conn.execute(
            select(ballot_box.c.receipt_code, ballot_box.c.paper)
            .where(ballot_box.c.ballot_id == ballot_id).order_by(ballot_box.c.receipt_code)
        )
        # code order as Python compares text (hex digits: the same in every collation)
        return sorted((r[0], r[1]) for r in rows)

    def seal(self, ballot_id: str) -> list[tuple[str, str]]:
        """Rewrite the ballot's papers in code order inside the closing transaction (so no
        paper keeps the transaction id or heap position of its cast) and return them."""
        papers = self._papers(ballot_id)
        self._conn.execute(delete(ballot_box).where(ballot_box.c.ballot_id == ballot_id))
        if papers:
            self._conn.execute(insert(ballot_box), [
                {"ballot_id": ballot_id, "receipt_code": c, "paper": p} for c, p in papers
            ])
        return papers

    def published(self, ballot_id: str) -> list[tuple[str, str]]:
        """The anonymised ballot set ``(code, paper)`` in code order; only after close."""
        status = self._conn.execute(
            select(ballots.c.status).where(ballots.c.ballot_id == ballot_id)
        ).scalar_one_or_none()
        if status is None:
            raise NotFound(f"ballot {ballot_id} does not exist")
        if status != BallotStatus.CLOSED.value:
            raise PreconditionFailed(
                f"ballot {ballot_id} is {status}: its papers stay sealed until it closes",
                [Problem(ballot_id, "results are hidden until the close")],
            )
        return self._papers(ballot_id)


def purge_dead_rows(engine: Engine) -> bool:
    """After a close has sealed a ballot, take the casting order out of the files too.

    * PostgreSQL: VACUUM the register and the box, so the row versions the seal replaced
      -- which still carry each cast's transaction id -- are gone from the pages too.
    * SQLite: checkpoint the write-ahead log into the main file and truncate it to
      nothing (``wal_checkpoint(TRUNCATE)``). Until then the log keeps a frame of every
      commit of the vote, in order: the page of the register a cast changed next to the
      page of the box it changed, the very linkage the seal removed from the tables.

    Best effort: it needs no lock anybody holds for long (SQLite: it waits for readers
    still reading the log, at most a few seconds), and it is tried again at every close.
    Returns whether it was done.
    """
    if engine.dialect.name == "postgresql":
        with contextlib.suppress(DBAPIError), engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM marked_register, ballot_box")
            return True
        return False
    lock = writer_lock(engine)  # this process's writers queue behind the checkpoint
    if lock is not None:
        lock.acquire()
    try:
        with engine.connect() as conn:
            cur = conn.connection.cursor()
            try:
                cur.execute(f"PRAGMA busy_timeout={_CHECKPOINT_WAIT_MS}")
                busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error:
                busy = 1
            finally:
                cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
                cur.close()
            return bool(busy == 0)
    finally:
        if lock is not None:
            lock.release()
