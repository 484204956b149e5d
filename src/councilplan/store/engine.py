"""Which database, and an engine configured for it.

:func:`database_url` picks the URL: an explicit one (``--db``), else
``COUNCILPLAN_DATABASE_URL``, else the SQLite file ``councilplan.db`` in the
working directory. A bare path (no ``://``) means a SQLite file; ``postgresql://``
means ``postgresql+psycopg://`` (psycopg 3).

:func:`make_engine` configures

* **SQLite**: WAL journal, ``synchronous=FULL``, foreign keys on, ``secure_delete``,
  a generous busy timeout, and SQLAlchemy's documented pysqlite recipe for transaction control
  (the driver's own BEGIN is switched off; SQLAlchemy's ``begin`` event emits
  ours): ``BEGIN IMMEDIATE`` for writes, so writers queue for the one write lock
  up front and never fail half-way on a lock upgrade, and plain ``BEGIN`` for
  reads (execution option ``councilplan_read_only``).
* **PostgreSQL**: READ COMMITTED with explicit row locks where races matter (see
  :mod:`councilplan.store.unit_of_work`).

Both hide statement parameters from SQLAlchemy's logging and error messages: a cast's
one statement carries the member *and* their paper, and a log line of its parameters
would link them (see ``SECURITY.md``). On SQLite the write-ahead log is truncated to
nothing whenever it restarts (``journal_size_limit=0``), so frames of commits already
checkpointed -- which would show the order of the casts -- do not linger in the file.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from councilplan.errors import InvalidInput, Problem

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "READ_ONLY",
    "checkpoint_wal",
    "database_url",
    "is_postgresql",
    "is_sqlite",
    "make_engine",
    "normalise_url",
    "writer_lock",
]

ENV_VAR = "COUNCILPLAN_DATABASE_URL"
DEFAULT_URL = "sqlite:///councilplan.db"
READ_ONLY = "councilplan_read_only"
SQLITE_BUSY_SECONDS = 60.0


def normalise_url(url: str | URL) -> URL:
    """A SQLAlchemy URL: bare paths become SQLite files, ``postgresql`` uses psycopg 3."""
    if isinstance(url, URL):
        parsed = url
    else:
        text = url.strip()
        if not text:
            raise InvalidInput("an empty database URL")
        if "://" not in text:
            text = "sqlite:///" + text
        try:
            parsed = make_url(text)
        except ArgumentError as exc:
            raise InvalidInput("not a database URL", [Problem("--db", str(exc))]) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InvalidInput(
            "unsupported database",
            [Problem("--db", f"{parsed.get_backend_name()}: use a SQLite file or PostgreSQL")],
        )
    return parsed


def database_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """The URL to use: ``explicit``, else ``$COUNCILPLAN_DATABASE_URL``, else the default."""
    env = os.environ if environ is None else environ
    chosen = explicit or env.get(ENV_VAR) or DEFAULT_URL
    return normalise_url(chosen)


def is_sqlite(engine_or_url: Engine | URL) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url
    return url.get_backend_name() == "sqlite"


def is_postgresql(engine_or_url: Engine | URL) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url
    return url.get_backend_name() == "postgresql"


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def writer_lock(engine: Engine) -> threading.Lock | None:
    """The in-process queue for a SQLite engine's writers (``None`` for PostgreSQL).

    SQLite admits one writer at a time; a thread that finds the write lock taken
    waits in SQLite's busy handler, which *sleeps* in growing steps (up to 100 ms).
    Threads of one process therefore queue on this lock first, so each writer
    starts the moment the last one commits; other processes still meet the busy
    timeout.
    """
    if engine.url.get_backend_name() != "sqlite":
        return None
    lock = _WRITE_LOCKS.get(engine)
    if lock is None:
        lock = _WRITE_LOCKS.setdefault(engine, threading.Lock())
    return lock


def make_engine(url: str | URL | None = None, *, echo: bool = False, pool_size: int = 10,
                auto_checkpoint: bool = True) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`), configured as described above.

    ``auto_checkpoint=False`` (SQLite): commits never run a WAL checkpoint themselves --
    the caller runs :func:`checkpoint_wal` in the background instead, so no commit waits
    for the WAL to be copied into the database (a long-running server does this).
    """
    parsed = database_url() if url is None else normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo=echo, pool_size=pool_size,
                              auto_checkpoint=auto_checkpoint)
    # no pre-ping: it would cost a round trip per transaction; stale connections are
    # recycled after an hour instead
    return create_engine(parsed, echo=echo, pool_size=pool_size, max_overflow=2 * pool_size,
                         pool_recycle=3600, hide_parameters=True)


def checkpoint_wal(engine: Engine) -> None:
    """Copy what the SQLite WAL holds into the database without blocking writers
    (``PRAGMA wal_checkpoint(PASSIVE)``); nothing for PostgreSQL or in-memory SQLite."""
    if not is_sqlite(engine) or engine.url.database in (None, "", ":memory:"):
        return
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
    finally:
        raw.close()


def _sqlite_engine(url: URL, *, echo: bool, pool_size: int, auto_checkpoint: bool) -> Engine:
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
        "hide_parameters": True,
    }
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        # connections are kept (opening one runs the PRAGMAs above), up to pool_size idle
        kwargs.update(pool_size=pool_size, max_overflow=2 * pool_size)
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # the documented recipe: stop pysqlite from emitting BEGIN itself
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        try:
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA journal_size_limit=0")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            # deleted rows are overwritten with zeros: a sealed ballot box keeps no trace
            # of the order its papers were cast in
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
            if not auto_checkpoint:
                cur.execute("PRAGMA wal_autocheckpoint=0")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # ... and emit ours: IMMEDIATE takes the write lock up front
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine
