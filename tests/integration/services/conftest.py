"""Every service test runs on SQLite (a file in tmp_path) and on PostgreSQL (a fresh schema
on 127.0.0.1:5432, database ``test``, or ``$COUNCILPLAN_TEST_POSTGRESQL``); PostgreSQL is
skipped, with the reason, only when the server does not answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from councilplan import services
from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import postgresql_reachable, scratch_database, server_for_tests

_REACHABLE: dict[str, str | None] = {}


def _skip_without_server() -> None:
    server = server_for_tests()
    if server not in _REACHABLE:
        _REACHABLE[server] = postgresql_reachable(server)
    if _REACHABLE[server] is not None:
        pytest.skip(str(_REACHABLE[server]))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A fresh database migrated to the head, of each kind."""
    if request.param == "postgresql":
        _skip_without_server()
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
    _skip_without_server()
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


T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def mill(uow: UnitOfWork) -> UnitOfWork:
    """Riverside area council; under it the Mill workplace council of 20 members
    w00..w19; the Mill's delegate seat to Riverside (one-year term, 28 days' lead)."""
    services.create_council(uow, "area", "Riverside area council", "area", T0)
    services.create_council(uow, "mill", "Mill workers' council", "workplace", T0,
                            parent_id="area")
    for i in range(20):
        services.admit_member(uow, f"w{i:02d}", "mill", T0, name=f"Worker {i}")
    services.define_seat(uow, "mill/delegate", "mill", "Delegate to Riverside", "delegate", T0,
                         term_length=365 * DAY, election_lead=28 * DAY, delegate_to="area")
    return uow
