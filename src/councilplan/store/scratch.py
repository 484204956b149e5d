"""Scratch databases for tests and benchmarks: a fresh SQLite file or PostgreSQL schema.

``scratch_sqlite(folder)`` names a new SQLite file in ``folder``;
``scratch_postgresql(server_url)`` creates a schema with a random name on the
server and yields a URL whose connections use only that schema
(``search_path``), dropping the schema (and everything in it) afterwards. Both
leave the database empty: run :func:`councilplan.store.migrate.upgrade` on it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from councilplan.errors import PreconditionFailed, Problem
from councilplan.store.engine import normalise_url

__all__ = [
    "DEFAULT_TEST_SERVER",
    "ENV_TEST_SERVER",
    "postgresql_reachable",
    "scratch_database",
    "scratch_postgresql",
    "scratch_sqlite",
    "server_for_tests",
]

DEFAULT_TEST_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENV_TEST_SERVER = "COUNCILPLAN_TEST_POSTGRESQL"


def server_for_tests() -> str:
    """The PostgreSQL server tests use: ``$COUNCILPLAN_TEST_POSTGRESQL`` or the default."""
    return os.environ.get(ENV_TEST_SERVER) or DEFAULT_TEST_SERVER


def scratch_sqlite(folder: Path, name: str = "councilplan.db") -> URL:
    """The URL of a new SQLite file ``folder/name`` (the file is created on first use)."""
    return normalise_url("sqlite:///" + str(Path(folder) / name))


def postgresql_reachable(server_url: str = DEFAULT_TEST_SERVER) -> str | None:
    """``None`` when the server answers, else why not (for a test's skip reason)."""
    engine = create_engine(normalise_url(server_url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except OperationalError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        return f"PostgreSQL at {server_url} is unreachable: {first}"
    finally:
        engine.dispose()


@contextmanager
def scratch_postgresql(server_url: str = DEFAULT_TEST_SERVER) -> Iterator[URL]:
    """A fresh schema on the server, as a URL; dropped on leaving."""
    why = postgresql_reachable(server_url)
    if why is not None:
        raise PreconditionFailed("no PostgreSQL server", [Problem(server_url, why)])
    base = normalise_url(server_url)
    schema = "cp_" + secrets.token_hex(6)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        query = dict(base.query)
        query["options"] = f"-csearch_path={schema}"
        yield base.set(query=query)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def scratch_database(kind: str, folder: Path, server: str | None = None) -> Iterator[URL]:
    """A fresh, migrated database of ``kind`` (``"sqlite"`` in ``folder``, or
    ``"postgresql"`` in a scratch schema on ``server``)."""
    from councilplan.store.migrate import upgrade

    if kind == "sqlite":
        url = scratch_sqlite(folder)
        upgrade(url)
        yield url
        return
    with scratch_postgresql(server or server_for_tests()) as url:
        upgrade(url)
        yield url
