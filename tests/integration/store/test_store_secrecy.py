"""Secrecy by design: who voted and what was voted share no key, order, sequence or
timestamp; the box is read in key order and only after the close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, String, Text, inspect, text

from councilplan import services
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork
from councilplan.store.box import purge_dead_rows
from councilplan.store.tables import ballot_box, marked_register

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _ballot(uow: UnitOfWork, members: int = 12) -> None:
    services.create_council(uow, "mill", "Mill", "workplace", T0)
    for i in range(members):
        services.admit_member(uow, f"w{i:02d}", "mill", T0)
    services.define_seat(uow, "sec", "mill", "Secretary", "office", T0,
                         term_length=365 * DAY, election_lead=28 * DAY)
    services.open_election(uow, ["sec"], ["w00", "w01", "w02"], T0, T0 + 7 * DAY,
                           ballot_id="b1", method="irv")


def test_the_two_halves_share_only_the_ballot_id() -> None:
    register = {c.name for c in marked_register.columns}
    box = {c.name for c in ballot_box.columns}
    assert register & box == {"ballot_id"}
    for table in (marked_register, ballot_box):
        for column in table.columns:  # text only: no sequence, no autoincrement, no time
            assert isinstance(column.type, String | Text), (table.name, column.name)
    assert [c.name for c in ballot_box.primary_key] == ["ballot_id", "receipt_code"]
    assert [c.name for c in marked_register.primary_key] == ["ballot_id", "member_id"]


def test_the_migrated_halves_have_no_hidden_order(engine: Engine) -> None:
    for table in ("marked_register", "ballot_box"):
        cols = {c["name"] for c in inspect(engine).get_columns(table)}
        assert not cols & {"id", "created_at", "cast_at", "sequence", "rowid"}
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn, pytest.raises(Exception, match="rowid"):
            conn.exec_driver_sql("SELECT rowid FROM ballot_box")


def test_papers_are_read_in_key_order_and_only_after_close(uow: UnitOfWork) -> None:
    _ballot(uow)
    receipts = [services.cast_vote(uow, "b1", f"w{i:02d}", ["w00", "w01"][::(-1) ** i],
                                   T0 + DAY) for i in range(12)]
    with pytest.raises(PreconditionFailed, match="hidden until the close"):
        services.published_ballots(uow, "b1")
    with pytest.raises(PreconditionFailed, match="hidden until the close"):
        services.count_ballot(uow, "b1")
    services.close_ballot(uow, "b1", T0 + 7 * DAY)
    published = services.published_ballots(uow, "b1")
    codes = [code for code, _ in published.papers]
    assert codes == sorted(codes)
    assert sorted(codes) == sorted(r.code for r in receipts)
    assert codes != [r.code for r in receipts]  # not the order of casting
    assert published.matches_sealed


def test_closing_seals_both_halves_in_one_transaction(uow: UnitOfWork, engine: Engine) -> None:
    """On PostgreSQL every row carries the id of the transaction that wrote it (``xmin``):
    after the close no mark and no paper keeps the id of its cast."""
    _ballot(uow)
    for i in range(12):
        services.cast_vote(uow, "b1", f"w{i:02d}", ["w02"], T0 + DAY)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            marks = conn.execute(text("SELECT xmin::text FROM marked_register")).scalars().all()
            papers = conn.execute(text("SELECT xmin::text FROM ballot_box")).scalars().all()
        assert len(set(marks)) == 12
        assert set(marks) == set(papers)  # before the close each cast links its two rows
    services.close_ballot(uow, "b1", T0 + 7 * DAY)
    with engine.connect() as conn:
        checks = conn.execute(text("SELECT DISTINCT revote_check FROM marked_register")).all()
        assert checks == [("sealed",)]
        if engine.dialect.name == "postgresql":
            marks = conn.execute(text("SELECT xmin::text FROM marked_register")).scalars().all()
            papers = conn.execute(text("SELECT xmin::text FROM ballot_box")).scalars().all()
            assert len(set(marks)) == 1
            assert set(marks) == set(papers)  # one transaction, the close


def test_the_close_leaves_no_log_of_the_order_of_the_casts(uow: UnitOfWork, engine: Engine) -> None:
    """SQLite's write-ahead log holds a frame of every commit of the vote, in order, even
    after the seal; the close checkpoints it into the database and truncates it. (The
    attack on everything a dump holds is ``tests/security/test_secrecy_linkage.py``.)"""
    _ballot(uow)
    for i in range(12):
        services.cast_vote(uow, "b1", f"w{i:02d}", ["w01"], T0 + DAY)
    if engine.dialect.name == "sqlite":
        wal = Path(f"{engine.url.database}-wal")
        assert wal.stat().st_size > 0
    services.close_ballot(uow, "b1", T0 + 7 * DAY)
    if engine.dialect.name == "sqlite":
        assert wal.stat().st_size == 0
    assert purge_dead_rows(engine)  # and again at any later time: nothing is waiting on it


def test_statement_parameters_stay_out_of_logs_and_errors(engine: Engine) -> None:
    """A cast's statement carries the member and the paper: its parameters must never be
    written to a log line or an error message."""
    assert engine.hide_parameters
