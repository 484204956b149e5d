"""Alembic: upgrade from empty on both databases; the metadata matches the migrated schema;
the database is configured as designed (SQLite: WAL, synchronous=FULL, foreign keys,
BEGIN IMMEDIATE for writes, the secret halves WITHOUT ROWID)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import URL

from councilplan.errors import PreconditionFailed
from councilplan.store import (
    UnitOfWork,
    current_revision,
    ensure_current,
    head_revision,
    make_engine,
    metadata,
    upgrade,
)
from councilplan.store.migrate import MIGRATIONS


def test_upgrade_from_empty_creates_every_table(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables
    ensure_current(engine)  # does not raise


def test_metadata_matches_the_migrated_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, metadata)
    assert diff == []


def test_upgrade_again_is_a_no_op(db_url: URL, engine: Engine) -> None:
    with engine.connect() as conn:
        before = conn.execute(text("SELECT size, head_hash FROM audit_head")).all()
    assert upgrade(db_url) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT size, head_hash FROM audit_head")).all() == before
    assert before == [(0, "0" * 64)]


def test_an_empty_database_is_refused_until_migrated(tmp_path: Path) -> None:
    empty = make_engine("sqlite:///" + str(tmp_path / "empty.db"))
    try:
        with pytest.raises(PreconditionFailed, match="not up to date") as info:
            ensure_current(empty)
        assert "councilplan db upgrade" in str(info.value)
    finally:
        empty.dispose()


def test_migration_scripts_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert list((MIGRATIONS / "versions").glob("0001_*.py"))
    assert (MIGRATIONS / "versions" / "0002_disputes.py").is_file()
    # one line of revisions, numbered in order: each revises the one before it
    from alembic.script import ScriptDirectory

    from councilplan.store.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    revisions = sorted(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("0*.py"))
    assert scripts.get_heads() == [revisions[-1]] == [head_revision()]
    for before, after in itertools.pairwise(revisions):
        assert scripts.get_revision(after).down_revision == before


def test_the_disputes_revision_goes_down_and_up_again(db_url: URL, engine: Engine) -> None:
    from alembic import command

    from councilplan.store.migrate import alembic_config

    dispute_tables = {"disputes", "roster_events", "offers", "strike_ballots", "action_mandates",
                      "action_calls", "settlements", "fund_contributions", "strike_payments"}
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        conn.commit()
    assert current_revision(engine) == "0001"
    assert not dispute_tables & set(inspect(engine).get_table_names())
    assert "ballots" in inspect(engine).get_table_names()
    assert upgrade(db_url) == head_revision()
    assert dispute_tables <= set(inspect(engine).get_table_names())


def test_sqlite_is_configured_as_designed(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        for table in ("marked_register", "ballot_box", "ballot_electorate"):
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = ?", (table,)).scalar()
            assert "WITHOUT ROWID" in sql


def test_sqlite_writes_begin_immediate_and_reads_plain_begin(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _spy(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    uow = UnitOfWork(engine)
    with uow:
        uow.councils.all()
    with uow.reading():
        uow.councils.all()
    assert seen == ["BEGIN IMMEDIATE", "BEGIN"]


def test_postgresql_tables_live_in_the_scratch_schema(postgresql_engine: Engine) -> None:
    engine = postgresql_engine
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        assert str(schema).startswith("cp_")
        assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
