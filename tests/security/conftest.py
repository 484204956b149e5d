"""Fixtures of the security tests: every database test runs on SQLite (a file in
tmp_path) and on PostgreSQL (a fresh schema on 127.0.0.1:5432, database ``test``, or
``$COUNCILPLAN_TEST_POSTGRESQL``); PostgreSQL is skipped, with the reason, only when
the server does not answer. Nothing here reaches beyond this machine's loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from security_helpers import skip_without_postgresql
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A fresh database migrated to the head, of each kind."""
    if request.param == "postgresql":
        skip_without_postgresql()
    with scratch_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url: URL) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)
