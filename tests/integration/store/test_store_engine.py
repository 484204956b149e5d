"""Which database: --db, else COUNCILPLAN_DATABASE_URL, else the SQLite file."""

from __future__ import annotations

import pytest

from councilplan.errors import InvalidInput
from councilplan.store import DEFAULT_URL, ENV_VAR, database_url, is_postgresql, is_sqlite


def test_explicit_url_wins_over_the_environment() -> None:
    env = {ENV_VAR: "postgresql://someone@db.example/plan"}
    assert database_url("sqlite:///x.db", env).database == "x.db"
    assert database_url(None, env).drivername == "postgresql+psycopg"
    assert is_postgresql(database_url(None, env))


def test_default_is_a_sqlite_file_and_bare_paths_are_sqlite() -> None:
    assert str(database_url(None, {})) == DEFAULT_URL
    url = database_url("data/branch.db", {})
    assert is_sqlite(url)
    assert url.database == "data/branch.db"


def test_unsupported_or_empty_urls_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unsupported database"):
        database_url("mysql://x@y/z", {})
    with pytest.raises(InvalidInput):
        database_url("   ", {})
