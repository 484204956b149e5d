"""The two-database fixtures shared by the service, storage and security tests.

Every test that takes ``db_url`` (or ``engine``, ``uow``) runs twice: on SQLite (a file in
``tmp_path``) and on PostgreSQL (a fresh schema on 127.0.0.1:5432, database ``test``, or
``$COUNCILPLAN_TEST_POSTGRESQL``), migrated to the head. PostgreSQL is skipped, with the
reason, only when the server does not answer. Nothing here reaches beyond this machine's
loopback (unless ``$COUNCILPLAN_TEST_POSTGRESQL`` says so).

A conftest uses them by importing them into its namespace::

    from tests.two_databases import db_url, engine, uow  # noqa: F401  (fixtures)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import postgresql_reachable, scratch_database, server_for_tests

__all__ = ["db_url", "engine", "postgresql_engine", "skip_without_postgresql", "sqlite_engine",
           "uow"]

_REACHABLE: dict[str, str | None] = {}


def skip_without_postgresql() -> None:
    """Skip the calling test, with the reason, when the test server does not answer (asked
    once per server and run)."""
    server = server_for_tests()
    if server not in _REACHABLE:
        _REACHABLE[server] = postgresql_reachable(server)
    if _REACHABLE[server] is not None:
        pytest.skip(str(_REACHABLE[server]))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A fresh database migrated to the head, of each kind."""
    if request.param == "postgresql":
        skip_without_postgresql()
    with scratch_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    with scratch_database("sqlite", tmp_path) as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture
def postgresql_engine(tmp_path: Path) -> Iterator[Engine]:
    skip_without_postgresql()
    with scratch_database("postgresql", tmp_path) as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture
def engine(db_url: URL) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)
