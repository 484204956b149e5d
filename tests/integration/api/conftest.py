"""Fixtures for the web application's tests: the small federation of :mod:`world` in a
SQLite file (built once per session, copied per test) or a fresh PostgreSQL schema, the
app on it, and signed-in clients for each role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from councilplan.api.app import create_app
from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import postgresql_reachable, scratch_database, server_for_tests
from tests.integration.api import world
from tests.integration.api.world import World

_TEMPLATE: dict[str, Any] = {}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("world")
    with scratch_database("sqlite", folder) as url:
        engine = make_engine(url)
        built = world.build(UnitOfWork(engine))
        engine.dispose()  # checkpoints the WAL into the file
    path = Path(str(url.database))
    return path, built


@pytest.fixture
def db_file(template_db: tuple[Path, World], tmp_path: Path) -> tuple[str, World]:
    source, built = template_db
    target = tmp_path / "councilplan.db"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}", built


@pytest.fixture
def clock() -> world.Clock:
    return world.Clock()


@pytest.fixture
def make_app(db_file: tuple[str, World], clock: world.Clock) -> Callable[..., FastAPI]:
    url, _ = db_file

    def make(**overrides: Any) -> FastAPI:
        overrides.setdefault("clock", clock)
        return create_app(world.settings(url, **overrides))

    return make


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def fed(db_file: tuple[str, World]) -> World:
    return db_file[1]


class Client(TestClient):
    """A TestClient that signs in and sends the CSRF token with unsafe requests."""

    csrf: str = ""

    def login(self, username: str, password: str = world.PASSWORD) -> Any:
        r = self.post("/api/session", json={"username": username, "password": password})
        if r.status_code == 200:
            self.csrf = r.json()["csrf_token"]
            self.headers["X-CSRF-Token"] = self.csrf
        return r


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[[str | None], Client]]:
    made: list[Client] = []

    def make(role_or_user: str | None) -> Client:
        c = Client(app, base_url="http://testserver")
        c.__enter__()
        made.append(c)
        username = world.ROLES.get(role_or_user or "anonymous", role_or_user)
        if username is not None:
            r = c.login(username)
            assert r.status_code == 200, r.text
        return c

    yield make
    for c in made:
        c.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_app(request: pytest.FixtureRequest, tmp_path: Path, clock: world.Clock
               ) -> Iterator[tuple[FastAPI, World]]:
    """The app on a freshly built federation, on SQLite and on PostgreSQL."""
    if request.param == "postgresql":
        why = _TEMPLATE.setdefault("pg", postgresql_reachable(server_for_tests()))
        if why is not None:
            pytest.skip(str(why))
    with scratch_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        built = world.build(UnitOfWork(engine))
        yield create_app(world.settings(url.render_as_string(hide_password=False),
                                        clock=clock), engine=engine), built
        engine.dispose()
