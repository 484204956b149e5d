"""The council, db and audit commands (their Typer apps, run in-process)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import typer
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from councilplan.cli import audit as audit_cli
from councilplan.cli import council as council_cli
from councilplan.cli import db as db_cli
from councilplan.councils.audit import AuditEntry, append_event
from councilplan.store import head_revision

AT = "2025-01-06T09:00:00+00:00"
LATER = "2025-01-07T09:00:00+00:00"
CLOSE = "2025-01-13T09:00:00+00:00"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(db_cli.app, name="db")
    app.add_typer(audit_cli.app, name="audit")
    app.add_typer(council_cli.app, name="council")
    return app


Run = Callable[..., Result]


@pytest.fixture
def cli(db_url: URL) -> Run:
    app = _app()
    target = db_url.render_as_string(hide_password=False)

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, [*args, "--db", target])

    return run


@pytest.fixture
def formed(cli: Run) -> Run:
    """A workplace council of six with its secretary elected by the CLI."""
    created = cli("council", "create", "mill", "Mill", "--kind", "workplace", "--at", AT)
    assert created.exit_code == 0
    for i in range(6):
        assert cli("council", "admit", "mill", f"w{i}", "--at", AT).exit_code == 0
    assert cli("council", "seat", "mill", "mill/sec", "Secretary", "--at", AT).exit_code == 0
    opened = cli("council", "election", "open", "mill/sec", "--candidates", "w0,w1,w2",
                 "--ballot-id", "e1", "--days", "7", "--at", AT, "--json")
    assert opened.exit_code == 0, opened.output
    for i in range(6):
        cast = cli("council", "election", "cast", "e1", f"w{i}", "w0" if i < 4 else "w1",
                   "--at", LATER)
        assert cast.exit_code == 0, cast.output
    assert cli("council", "election", "close", "e1", "--at", CLOSE).exit_code == 0
    return cli


def test_db_upgrade_is_idempotent_and_current_reports_the_head(cli: Run) -> None:
    first = cli("db", "upgrade", "--json")
    assert first.exit_code == 0
    assert json.loads(first.output)["revision"] == head_revision()
    current = cli("db", "current")
    assert current.exit_code == 0
    assert f"revision {head_revision()}" in current.output


def test_an_election_by_the_cli(formed: Run) -> None:
    count = formed("council", "election", "count", "e1", "--json")
    assert count.exit_code == 0
    data = json.loads(count.output)
    assert data["elected"] == ["w0"]
    assert data["stages"][0]["action"]["kind"] == "first-preferences"
    assert data["matches_stored"] is True
    shown = json.loads(formed("council", "show", "mill", "--at", CLOSE, "--json").output)
    assert shown["seats"][0]["holder_id"] == "w0"
    listed = json.loads(formed("council", "list", "--json").output)
    assert listed[0]["members"] == 6
    papers = json.loads(formed("council", "election", "papers", "e1", "--json").output)
    assert len(papers["papers"]) == 6


def test_a_receipt_replaces_and_verifies(cli: Run) -> None:
    cli("council", "create", "mill", "Mill", "--kind", "workplace", "--at", AT)
    cli("council", "admit", "mill", "w0", "--at", AT)
    cli("council", "seat", "mill", "mill/sec", "Secretary", "--at", AT)
    cli("council", "election", "open", "mill/sec", "--candidates", "w0", "--ballot-id", "e1",
        "--at", AT)
    first = json.loads(cli("council", "election", "cast", "e1", "w0", "w0", "--at", LATER,
                           "--json").output)
    again = cli("council", "election", "cast", "e1", "w0", "w0", "--at", LATER)
    assert again.exit_code == 1
    assert "already" in again.output
    second = cli("council", "election", "cast", "e1", "w0", "w0", "--replace",
                 first["receipt_token"], "--at", LATER, "--json")
    token = json.loads(second.output)["receipt_token"]
    assert cli("council", "election", "verify", "e1", token).exit_code == 0
    assert cli("council", "election", "verify", "e1", first["receipt_token"]).exit_code == 1


def test_refusals_exit_non_zero_with_the_reason(cli: Run) -> None:
    cli("council", "create", "mill", "Mill", "--kind", "workplace", "--at", AT)
    bad = cli("council", "create", "x", "X", "--kind", "area", "--parent", "mill", "--at", AT)
    assert bad.exit_code == 1
    assert "must rank above" in bad.output
    assert cli("council", "wage", "nobody", "2025-01", "100", "--at", AT).exit_code == 1
    assert cli("council", "wage", "w0", "2025-01", "lots", "--at", AT).exit_code == 2


def test_an_unmigrated_database_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    empty = str(Path(str(tmp_path)) / "new.db")
    result = CliRunner().invoke(_app(), ["council", "list", "--db", empty])
    assert result.exit_code == 1
    assert "councilplan db upgrade" in result.output


# -- audit verify: altered, removed, reordered, truncated, rewritten -------------------------


def _tamper(db_url: URL, *statements: tuple[str, dict[str, object]]) -> None:
    from councilplan.store import make_engine

    engine: Engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            for sql, params in statements:
                conn.execute(text(sql), params)
    finally:
        engine.dispose()


def test_audit_verify_passes_on_an_untouched_log(formed: Run) -> None:
    result = formed("audit", "verify", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["ok"] is True
    listed = json.loads(formed("audit", "checkpoints", "--json").output)
    assert [c["moment"] for c in listed] == ["opened", "closed"]
    assert formed("audit", "log", "--tail", "3").exit_code == 0


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([("UPDATE audit_log SET canonical = REPLACE(canonical, 'w3', 'w9') "
           "WHERE sequence = 5", {})], "entry 5 (altered)"),
        ([("DELETE FROM audit_log WHERE sequence = 4", {})], "entry 4 (removed)"),
        ([("UPDATE audit_log SET sequence = -1 WHERE sequence = 3", {}),
          ("UPDATE audit_log SET sequence = 3 WHERE sequence = 4", {}),
          ("UPDATE audit_log SET sequence = 4 WHERE sequence = -1", {})], "entry 3"),
        ([("DELETE FROM audit_log WHERE sequence = (SELECT MAX(sequence) FROM audit_log)",
           {})], "(truncated)"),
    ],
    ids=["altered", "removed", "reordered", "truncated"],
)
def test_audit_verify_names_the_first_bad_entry(
    formed: Run, db_url: URL, statements: list[tuple[str, dict[str, object]]], expected: str
) -> None:
    _tamper(db_url, *statements)
    result = formed("audit", "verify")
    assert result.exit_code == 1
    assert expected in result.output


def test_a_history_rewritten_with_fresh_hashes_disagrees_with_its_checkpoints(
    formed: Run, db_url: URL
) -> None:
    from councilplan.store import UnitOfWork, make_engine

    engine = make_engine(db_url)
    uow = UnitOfWork(engine)
    with uow.reading():
        entries = list(uow.audit.entries())
    engine.dispose()
    # rewrite entry 3 (a member's admission) and re-hash everything after it, head included
    forged: list[AuditEntry] = entries[:2]
    for e in entries[2:]:
        event = e.event()
        if e.sequence == 3:
            event = type(event)(event.kind, event.at, {**event.payload, "member_id": "mallory"})
        forged.append(append_event(forged[-1], event))
    _tamper(db_url, *[("UPDATE audit_log SET prev_hash = :p, canonical = :c, entry_hash = :h "
                       "WHERE sequence = :s",
                       {"p": f.prev_hash, "c": f.canonical, "h": f.entry_hash, "s": f.sequence})
                      for f in forged[2:]],
            ("UPDATE audit_head SET head_hash = :h", {"h": forged[-1].entry_hash}))
    result = formed("audit", "verify")
    assert result.exit_code == 1
    assert "(rewritten)" in result.output
    # and against a checkpoint published before the rewrite, kept elsewhere
    published = f"{entries[-1].sequence}:{entries[-1].entry_hash}"
    assert "rewritten" in formed("audit", "verify", "--checkpoint", published).output
