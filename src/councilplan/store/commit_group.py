"""Group commit for SQLite casts: concurrent casts share one transaction, one fsync.

With ``synchronous=FULL`` every SQLite commit waits for the disk, and SQLite
admits one writer at a time, so casting one paper per transaction is bounded by
the disk's flush rate. A :class:`CommitGroup` lets the threads of one process
that cast at the same moment share a write transaction:

* a thread *joins* the open batch (or opens one: ``BEGIN IMMEDIATE`` under the
  engine's :func:`~councilplan.store.engine.writer_lock`) and runs its cast
  inside its own SAVEPOINT -- one cast refused rolls back only its savepoint;
* when it is done and nobody is queued to join, it commits the batch for everyone
  (or when the batch is full); otherwise the next thread in the queue carries on
  in the same transaction, and the last one commits;
* every thread returns only after the commit of its batch succeeded (its receipt
  is durable) and raises if it failed -- then nothing of the batch was written.

Without contention a batch holds one cast: the same as a transaction of its own.
PostgreSQL needs none of this (its server groups the WAL flushes of concurrent
commits); :func:`commit_group` returns ``None`` there.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from councilplan.store.engine import writer_lock

__all__ = ["CommitGroup", "commit_group"]

MAX_BATCH = 256
_SAVEPOINT = "SAVEPOINT cp_cast"
_RELEASE = "RELEASE SAVEPOINT cp_cast"
_ROLLBACK_TO = "ROLLBACK TO SAVEPOINT cp_cast"


@dataclass
class _Batch:
    conn: Connection
    lock: threading.Lock | None
    members: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class CommitGroup:
    """The shared write transaction of one SQLite engine's casting threads."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._max = max_batch
        self._cv = threading.Condition()
        self._busy = False  # a member is running statements, or the batch is committing
        self._waiting = 0  # threads queued to join
        self._batch: _Batch | None = None

    def _open(self) -> _Batch:
        lock = writer_lock(self._engine)
        if lock is not None:
            lock.acquire()
        try:
            conn = self._engine.connect()
            try:
                conn.begin()
            except BaseException:
                conn.close()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return _Batch(conn, lock)

    def _finish(self, batch: _Batch) -> None:
        """Commit ``batch`` (the caller holds the turn); wake its members."""
        try:
            batch.conn.commit()
        except BaseException as exc:
            batch.error = exc
            with contextlib.suppress(BaseException):  # the commit's error is the one to report
                batch.conn.rollback()
        finally:
            batch.conn.close()
            if batch.lock is not None:
                batch.lock.release()
            batch.done.set()

    def _abort(self, batch: _Batch) -> None:
        try:
            batch.conn.rollback()
        finally:
            batch.conn.close()
            if batch.lock is not None:
                batch.lock.release()
            batch.done.set()

    @contextmanager
    def join(self) -> Iterator[Connection]:
        """Run the body on the shared connection inside a SAVEPOINT; return once the batch
        holding it has committed (raising the body's error, or the commit's)."""
        with self._cv:
            self._waiting += 1
            while self._busy:
                self._cv.wait()
            self._waiting -= 1
            self._busy = True
            if self._batch is None:
                try:
                    self._batch = self._open()
                except BaseException:
                    self._busy = False
                    self._cv.notify()  # one turn at a time: wake one, not the herd
                    raise
            batch = self._batch
            batch.members += 1
        failure: BaseException | None = None
        try:
            # the savepoint in plain SQL: SQLAlchemy's begin_nested() builds, caches and
            # compiles a statement for each SAVEPOINT and RELEASE, the dearest part of a
            # cast; members run one after another, so one name serves them all
            batch.conn.exec_driver_sql(_SAVEPOINT)
        except BaseException as exc:  # the batch cannot go on
            batch.error = exc
            failure = exc
        if failure is None:
            try:
                yield batch.conn
                batch.conn.exec_driver_sql(_RELEASE)
            except BaseException as exc:
                failure = exc
                try:
                    batch.conn.exec_driver_sql(_ROLLBACK_TO)
                    batch.conn.exec_driver_sql(_RELEASE)
                except BaseException as rollback_error:  # the batch cannot go on
                    batch.error = rollback_error
        with self._cv:
            last = self._waiting == 0 or batch.members >= self._max or batch.error is not None
            if last:
                self._batch = None  # still busy: arrivals queue until the commit is done
            else:
                self._busy = False
                self._cv.notify()  # one turn at a time: wake one, not the herd
        if last:
            try:
                if batch.error is None:
                    self._finish(batch)
                else:
                    self._abort(batch)
            finally:
                with self._cv:
                    self._busy = False
                    self._cv.notify()  # one turn at a time: wake one, not the herd
        if failure is not None:
            raise failure
        batch.done.wait()
        if batch.error is not None:
            raise batch.error


_GROUPS: weakref.WeakKeyDictionary[Engine, CommitGroup] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def commit_group(engine: Engine) -> CommitGroup | None:
    """The commit group of a SQLite engine; ``None`` for PostgreSQL."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    with _GROUPS_LOCK:
        group = _GROUPS.get(engine)
        if group is None:
            group = _GROUPS[engine] = CommitGroup(engine)
        return group
