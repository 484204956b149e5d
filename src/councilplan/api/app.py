"""``create_app(settings)``: the councils' web application and JSON API.

One FastAPI app serves both: the JSON API under ``/api`` (its OpenAPI document at
``/api/openapi.json``; routers listed in :data:`councilplan.api.routers.ROUTERS`) and the
server-rendered pages (:mod:`councilplan.api.web`) with their static files under
``/static``. The API and the pages call the same services; neither holds a rule.

While it runs, a background thread closes the ballots whose time has come and records
expiries every ``settings.tick_seconds`` (0: never; tests drive time themselves).
"""

from __future__ import annotations

import inspect
import logging
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy import Engine

from councilplan import __version__
from councilplan.api import errors, security
from councilplan.api.auth.passwords import Passwords
from councilplan.api.auth.sessions import SessionCache
from councilplan.api.authz import VoterCache
from councilplan.api.casting_lane import CastingLane, CastingPool
from councilplan.api.deps import AppState
from councilplan.api.jobs import Jobs
from councilplan.api.routers import ROUTERS
from councilplan.api.settings import Settings
from councilplan.store import UnitOfWork, ensure_current, is_sqlite, make_engine, normalise_url
from councilplan.store.engine import checkpoint_wal

__all__ = ["SWITCH_INTERVAL", "app_from_env", "create_app"]

log = logging.getLogger("councilplan.api")

DESCRIPTION = """The councils' HTTP API: councils, members, mandates and terms, pay and its
cap, recall petitions, ballots (cast with a receipt, results with the STV stage tables,
the published papers), motions and the audit log.

Sign in with `POST /api/session`; the session cookie is HttpOnly, and every unsafe
request must carry the session's CSRF token (in the login answer and `GET /api/session`)
as `X-CSRF-Token`. Unsafe requests take `application/json`. Refusals are
`application/problem+json` with every problem listed."""


# How long a thread holding the GIL runs before one waiting for it is let in (Python's
# default is 5 ms), set by ``councilplan serve`` in its processes. The event loop and the
# threads that cast hand the GIL to each other on every vote; at 5 ms a cast waits up to
# that long for the loop to let go, at 1 ms the latency of casting under load halves for
# no more CPU (benchmarks/RESULTS.md, http-perf).
SWITCH_INTERVAL = 0.001

# FastAPI's own OpenTelemetry hooks (newer FastAPI) ask the global providers on every
# request whether anybody listens; nobody does here, so they are not asked
_NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI).parameters else {})


def _ticker(settings: Settings, engine: Engine, stop: threading.Event) -> None:
    from councilplan.api.routers.tick import run_tick

    while not stop.wait(settings.tick_seconds):
        try:
            done = run_tick(UnitOfWork(engine), settings.clock())
            if done["closed_ballots"]:
                log.info("closed ballots %s", done["closed_ballots"])
        except Exception:
            log.exception("the background tick failed (it runs again later)")


def _checkpointer(engine: Engine, stop: threading.Event) -> None:
    """The WAL is copied into the database here, twice a second, never by a commit (so
    no vote waits for it); see :func:`councilplan.store.engine.checkpoint_wal`."""
    while not stop.wait(0.5):
        try:
            checkpoint_wal(engine)
        except Exception:
            log.exception("the WAL checkpoint failed (it runs again shortly)")
    checkpoint_wal(engine)


def _document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, saying what refusals really are: problem+json bodies."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes)
        problem = {"schema": {"$ref": "#/components/schemas/ProblemOut"}}
        for item in doc.get("paths", {}).values():
            for operation in item.values():
                for code, response in operation.get("responses", {}).items():
                    if code[0] in "45":
                        response["content"] = {"application/problem+json": problem}
        schemas = doc.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = doc
    return app.openapi_schema


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application for ``settings`` (default: :meth:`Settings.from_env`).

    ``engine``: an engine to use instead of making one from ``settings.database_url``
    (it is not disposed on shutdown). The database must be migrated to the head.
    """
    settings = settings or Settings.from_env()
    own_engine = engine is None
    if engine is None:
        pool = settings.threads if is_sqlite(normalise_url(settings.database_url)) \
            else settings.db_connections
        engine = make_engine(settings.database_url, pool_size=pool, auto_checkpoint=False)
    ensure_current(engine)
    state = AppState(settings=settings, engine=engine, passwords=Passwords(settings),
                     jobs=Jobs(), sessions=SessionCache(settings.session_cache_seconds),
                     voters=VoterCache())
    casting_pool = CastingPool(settings.threads if is_sqlite(engine)
                               else max(1, min(settings.threads, settings.db_connections)))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # casts waiting together commit together (SQLite group commit): let enough wait
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        stop = threading.Event()
        thread = None
        if settings.tick_seconds > 0:
            thread = threading.Thread(target=_ticker, args=(settings, engine, stop),
                                      name="cp-tick", daemon=True)
            thread.start()
        checkpointer = None
        if own_engine and is_sqlite(engine):
            checkpointer = threading.Thread(target=_checkpointer, args=(engine, stop),
                                            name="cp-wal", daemon=True)
            checkpointer.start()
        try:
            yield
        finally:
            stop.set()
            for running in (thread, checkpointer):
                if running is not None:
                    running.join(timeout=5)
            state.jobs.shutdown()
            casting_pool.shutdown()
            if own_engine:
                engine.dispose()

    app = FastAPI(title="councilplan", version=__version__, description=DESCRIPTION,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=lifespan, **_NO_TELEMETRY)
    app.state.councilplan = state
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _document(app)  # type: ignore[method-assign]
    from councilplan.api import web

    web.install(app, state)
    errors.install(app)
    # innermost: casting's hot path, inside every protection security.install adds
    app.add_middleware(CastingLane, state=state, pool=casting_pool)
    security.install(app, settings)
    return app


def app_from_env() -> FastAPI:
    """The application configured by ``COUNCILPLAN_*`` variables (uvicorn's factory for
    several worker processes, each of which gets the GIL switch interval that
    ``councilplan serve`` sets in its own process)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    return create_app(Settings.from_env())
