"""Alembic migrations, run programmatically: :func:`upgrade` brings a database to the head.

The migration scripts live inside the package (``councilplan/store/migrations``),
so an installed councilplan can upgrade any database it is pointed at::

    from councilplan.store import upgrade
    upgrade("postgresql+psycopg://user@host/db")
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from councilplan.errors import PreconditionFailed, Problem
from councilplan.store.engine import make_engine

__all__ = [
    "MIGRATIONS",
    "alembic_config",
    "current_revision",
    "ensure_current",
    "head_revision",
    "upgrade",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic configuration for the package's migrations (no ``alembic.ini`` needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        cfg.set_main_option("sqlalchemy.url", text.replace("%", "%%"))
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest revision the package ships (read once)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str | URL | Engine | None = None, revision: str = "head") -> str:
    """Migrate the database at ``url`` (an engine, a URL, or the default) to ``revision``;
    returns the revision it is at afterwards."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        cfg = alembic_config()
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
        found = current_revision(engine)
        return found or ""
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def ensure_current(engine: Engine) -> None:
    """Refuse to work on a database that is not at the head revision."""
    found = current_revision(engine)
    head = head_revision()
    if found != head:
        state = "empty (never migrated)" if found is None else f"at revision {found}"
        raise PreconditionFailed(
            "the database schema is not up to date",
            [Problem(engine.url.render_as_string(hide_password=True),
                     f"{state}, head is {head}: run `councilplan db upgrade`")],
        )
