"""Every storage test runs on SQLite (a file in tmp_path) and on PostgreSQL (a fresh schema
on 127.0.0.1:5432, database ``test``, or ``$COUNCILPLAN_TEST_POSTGRESQL``); PostgreSQL is
skipped, with the reason, only when the server does not answer."""

from __future__ import annotations

from tests.two_databases import db_url, engine, postgresql_engine, sqlite_engine, uow

__all__ = ["db_url", "engine", "postgresql_engine", "sqlite_engine", "uow"]
