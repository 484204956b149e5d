"""Tamper evidence of the stored audit log, on SQLite and PostgreSQL.

Someone with write access to the database edits, deletes, reorders, truncates, inserts
or rewrites entries of ``audit_log`` with plain SQL; :func:`services.verify_audit` and
``councilplan audit verify`` find each, naming the first entry touched. A full rewrite
of the log *and* of the ``audit_checkpoints`` table and head row is invisible from the
database alone -- and found against the checkpoints members kept (the file
``councilplan audit checkpoints --json`` wrote when they were shown).
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from security_helpers import DAY, T0, form_works, fuzz
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from councilplan import services
from councilplan.cli import audit as audit_cli
from councilplan.councils.audit import GENESIS_HASH, AuditEntry, entry_hash
from councilplan.councils.event import Event, EventKind, canonical_json
from councilplan.errors import InvalidInput
from councilplan.io.checkpoints import parse_checkpoints, read_checkpoints
from councilplan.store import UnitOfWork

Statements = list[tuple[str, dict[str, object]]]


def _history(uow: UnitOfWork) -> None:
    """An election and a motion ballot (four checkpoints), then one admission after them."""
    ids = form_works(uow, 10)
    services.open_election(uow, ["works/sec"], ids[:3], T0, T0 + 7 * DAY, ballot_id="e1",
                           method="irv")
    for i, m in enumerate(ids):
        services.cast_vote(uow, "e1", m, [ids[i % 3]], T0 + DAY)
    services.close_ballot(uow, "e1", T0 + 7 * DAY)
    services.table_new_motion(uow, "works", ids[4], "Strike on Monday", T0 + 8 * DAY,
                              motion_id="mo1")
    services.open_motion_ballot(uow, "mo1", T0 + 8 * DAY, T0 + 9 * DAY, ballot_id="mb1")
    for i, m in enumerate(ids[:8]):
        services.cast_vote(uow, "mb1", m, "yes" if i % 3 else "no", T0 + 8 * DAY)
    services.close_ballot(uow, "mb1", T0 + 9 * DAY)
    services.admit_member(uow, "late", "works", T0 + 10 * DAY)


def _entries(uow: UnitOfWork) -> list[AuditEntry]:
    with uow.reading():
        return list(uow.audit.entries())


def _run(engine: Engine, statements: Statements) -> None:
    with engine.begin() as conn:
        for sql, params in statements:
            conn.execute(text(sql), params)


def _shift(start: int, by: int) -> Statements:
    """Renumber entries ``start``.. by ``by`` (through negative numbers: a primary key
    cannot take a shift in one UPDATE on every database)."""
    return [("UPDATE audit_log SET sequence = -(sequence + :by) WHERE sequence >= :s",
             {"by": by, "s": start}),
            ("UPDATE audit_log SET sequence = -sequence WHERE sequence < 0", {})]


def _forged(prev: str, sequence: int) -> dict[str, object]:
    text_ = canonical_json(Event.of(EventKind.MEMBER_ADMITTED, T0, member_id="mallory",
                                    council_id="works", council_kind="workplace"))
    return {"s": sequence, "p": prev, "c": text_, "h": entry_hash(prev, text_, sequence)}


_INSERT = ("INSERT INTO audit_log (sequence, prev_hash, canonical, entry_hash) "
           "VALUES (:s, :p, :c, :h)")


def _edited(canonical: str) -> str:
    """The event with its year changed: still canonical JSON, no longer what was logged."""
    edited = canonical.replace('"at":"2025-', '"at":"2024-', 1)
    assert edited != canonical
    return edited


TAMPERS = ["edit canonical", "edit prev_hash", "edit entry_hash", "edit sequence", "delete",
           "delete and renumber", "swap", "truncate below the last checkpoint",
           "truncate the tail, head row left", "insert", "insert beyond the head"]


def _tampers(entries: list[AuditEntry]) -> dict[str, tuple[Statements, int, str]]:
    """name -> (SQL, first entry touched, kind reported), on a log of ``n`` entries."""
    n = len(entries)
    k = 7  # a member's admission, before every checkpoint
    m = n - 6  # inside the motion ballot, between its opening and closing checkpoints
    return {
        "edit canonical": ([("UPDATE audit_log SET canonical = :c WHERE sequence = :k",
                             {"c": _edited(entries[k - 1].canonical), "k": k})], k, "altered"),
        "edit prev_hash": ([("UPDATE audit_log SET prev_hash = :h WHERE sequence = :k",
                             {"h": "ab" * 32, "k": k})], k, "altered"),
        "edit entry_hash": ([("UPDATE audit_log SET entry_hash = :h WHERE sequence = :k",
                              {"h": "cd" * 32, "k": m})], m, "altered"),
        "edit sequence": ([("UPDATE audit_log SET sequence = :x WHERE sequence = :k",
                            {"x": n + 50, "k": m})], m, "reordered"),
        "delete": ([("DELETE FROM audit_log WHERE sequence = :k", {"k": k})], k, "removed"),
        "delete and renumber": ([("DELETE FROM audit_log WHERE sequence = :k", {"k": k}),
                                 *_shift(k + 1, -1)], k, "removed"),
        "swap": ([("UPDATE audit_log SET sequence = -1 WHERE sequence = :k", {"k": m}),
                  ("UPDATE audit_log SET sequence = :k WHERE sequence = :j",
                   {"k": m, "j": m + 1}),
                  ("UPDATE audit_log SET sequence = :j WHERE sequence = -1", {"j": m + 1})],
                 m, "reordered"),
        "truncate below the last checkpoint": (
            [("DELETE FROM audit_log WHERE sequence > :k", {"k": m}),
             ("UPDATE audit_head SET size = :k, head_hash = :h",
              {"k": m, "h": entries[m - 1].entry_hash})], m + 1, "truncated"),
        "truncate the tail, head row left": (
            [("DELETE FROM audit_log WHERE sequence = :n", {"n": n})], n, "truncated"),
        "insert": ([*_shift(k, 1), (_INSERT, _forged(entries[k - 2].entry_hash, k))],
                   k, "inserted"),
        "insert beyond the head": ([(_INSERT, _forged(entries[-1].entry_hash, n + 1))],
                                   n + 1, "inserted"),
    }


def _cli(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.add_typer(audit_cli.app, name="audit")
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.output


def _db(db_url: URL) -> str:
    return db_url.render_as_string(hide_password=False)


@pytest.mark.parametrize("tamper", TAMPERS)
def test_each_tamper_is_found_naming_the_first_entry_touched(
    uow: UnitOfWork, engine: Engine, db_url: URL, tmp_path: Path, tamper: str
) -> None:
    _history(uow)
    entries = _entries(uow)
    kept = tmp_path / "checkpoints.json"
    kept.write_text(json.dumps([c.to_dict() for c in services.audit_checkpoints(uow)]))
    assert services.verify_audit(uow, read_checkpoints(kept)).ok
    tampers = _tampers(entries)
    assert sorted(tampers) == sorted(TAMPERS)
    statements, first, kind = tampers[tamper]
    _run(engine, statements)
    for report in (services.verify_audit(uow), services.verify_audit(uow, read_checkpoints(kept))):
        assert not report.ok
        assert (report.fault_sequence, report.fault_kind) == (first, kind), report.message
        assert report.verified == first - 1
    code, out = _cli("verify", "--db", _db(db_url), "--checkpoints", str(kept))
    assert code == 1
    assert f"entry {first} ({kind})" in out


def _rewrite(engine: Engine, entries: list[AuditEntry], start: int,
             checkpoints: list[tuple[str, str, int]]) -> None:
    """Rewrite entry ``start`` and re-hash every later one, then move the head row and
    every stored checkpoint onto the forged chain: a rewrite by someone who can write
    anything in the database."""
    forged = entries[:start - 1]
    for e in entries[start - 1:]:
        prev = forged[-1].entry_hash if forged else GENESIS_HASH
        canonical = _edited(e.canonical) if e.sequence == start else e.canonical
        forged.append(AuditEntry(e.sequence, prev, canonical,
                                 entry_hash(prev, canonical, e.sequence)))
    assert forged[start - 1].canonical != entries[start - 1].canonical
    _run(engine, [
        *[("UPDATE audit_log SET prev_hash = :p, canonical = :c, entry_hash = :h "
           "WHERE sequence = :s",
           {"p": f.prev_hash, "c": f.canonical, "h": f.entry_hash, "s": f.sequence})
          for f in forged[start - 1:]],
        ("UPDATE audit_head SET head_hash = :h", {"h": forged[-1].entry_hash}),
        *[("UPDATE audit_checkpoints SET head_hash = :h WHERE ballot_id = :b AND moment = :m",
           {"h": forged[size - 1].entry_hash, "b": b, "m": moment})
          for b, moment, size in checkpoints],
    ])


def test_a_full_rewrite_with_its_checkpoints_is_found_only_against_kept_ones(
    uow: UnitOfWork, engine: Engine, db_url: URL, tmp_path: Path
) -> None:
    _history(uow)
    entries = _entries(uow)
    stored = services.audit_checkpoints(uow)
    kept = tmp_path / "kept.json"
    code, out = _cli("checkpoints", "--db", _db(db_url), "--json")
    assert code == 0
    kept.write_text(out)
    assert [c.checkpoint for c in stored] == list(read_checkpoints(kept))
    start = 7  # m006's admission, before the first ballot's opening checkpoint
    _rewrite(engine, entries, start, [(c.ballot_id, c.moment, c.checkpoint.size)
                                      for c in stored])
    alone = services.verify_audit(uow)
    assert alone.ok  # consistent with everything the database holds: the limit of a database
    report = services.verify_audit(uow, read_checkpoints(kept))
    assert not report.ok
    assert (report.fault_sequence, report.fault_kind) == (1, "rewritten")
    code, out = _cli("verify", "--db", _db(db_url), "--checkpoints", str(kept))
    assert code == 1
    assert "entry 1 (rewritten)" in out


def test_a_rewrite_after_a_kept_checkpoint_names_the_first_entry_after_it(
    uow: UnitOfWork, engine: Engine
) -> None:
    _history(uow)
    entries = _entries(uow)
    stored = services.audit_checkpoints(uow)
    opened = next(c.checkpoint.size for c in stored
                  if (c.ballot_id, c.moment) == ("mb1", "opened"))
    # a rewrite from the entry just after the motion ballot's opening checkpoint: the
    # entry after the last matching checkpoint is exactly the first one rewritten
    start = opened + 1
    _rewrite(engine, entries, start, [])
    report = services.verify_audit(uow, [c.checkpoint for c in stored])
    assert (report.fault_sequence, report.fault_kind) == (start, "rewritten"), report.message


def test_a_tail_after_the_last_checkpoint_cut_with_its_head_is_the_stated_limit(
    uow: UnitOfWork, engine: Engine
) -> None:
    """What SECURITY.md says the chain cannot show: entries after the last checkpoint
    anybody kept, removed together with the head row, leave a shorter log that is
    consistent. The next ballot's opening checkpoint covers them again."""
    _history(uow)
    entries = _entries(uow)
    kept = [c.checkpoint for c in services.audit_checkpoints(uow)]
    assert max(c.size for c in kept) == len(entries) - 1  # the late admission is uncovered
    _run(engine, [("DELETE FROM audit_log WHERE sequence = :n", {"n": len(entries)}),
                  ("UPDATE audit_head SET size = :s, head_hash = :h",
                   {"s": len(entries) - 1, "h": entries[-2].entry_hash})])
    assert services.verify_audit(uow, kept).ok


# -- no false alarms: random histories, untouched ---------------------------------------------

_OPS = st.lists(st.sampled_from(["admit", "wage", "motion", "leave"]), min_size=1, max_size=4)


def test_untouched_random_histories_raise_no_alarm(uow: UnitOfWork) -> None:
    form_works(uow, 6)
    state = {"n": 0, "members": [f"m{i:03d}" for i in range(6)]}
    kept: list[object] = []

    @fuzz(25)
    @given(ops=_OPS)
    def history(ops: list[str]) -> None:
        for op in ops:
            state["n"] = n = int(state["n"]) + 1  # type: ignore[call-overload]
            now = T0 + timedelta(hours=n)
            members: list[str] = state["members"]  # type: ignore[assignment]
            if op == "admit" or len(members) < 4:
                members.append(f"x{n:04d}")
                services.admit_member(uow, members[-1], "works", now)
            elif op == "wage":
                services.report_wage(uow, members[n % len(members)], f"p{n:04d}",
                                     Decimal(n * 10 + 1), now)
            elif op == "leave":
                services.leave_council(uow, members.pop(n % len(members)), "works", now)
            else:
                services.table_new_motion(uow, "works", members[0], f"Motion {n}", now,
                                          motion_id=f"mo{n}")
                services.open_motion_ballot(uow, f"mo{n}", now, now + timedelta(minutes=30),
                                            ballot_id=f"b{n}")
                for j, m in enumerate(members[:3]):
                    services.cast_vote(uow, f"b{n}", m, ["yes", "no", "abstain"][j],
                                       now + timedelta(minutes=1))
                services.close_ballot(uow, f"b{n}", now + timedelta(minutes=30))
                kept[:] = [c.checkpoint for c in services.audit_checkpoints(uow)]
        report = services.verify_audit(uow, kept)  # type: ignore[arg-type]
        assert report.ok, report.message
        assert report.entries == report.head_size

    history()


# -- the checkpoint file is read carefully ------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("{}", "kept.json"),
        ("[1]", "kept.json[0]"),
        ('[{"size": -1, "head_hash": "' + "0" * 64 + '"}]', "kept.json[0] field size"),
        ('[{"size": 1.5, "head_hash": "' + "0" * 64 + '"}]', "kept.json[0] field size"),
        ('[{"size": true, "head_hash": "' + "0" * 64 + '"}]', "kept.json[0] field size"),
        ('[{"size": 1, "head_hash": "xyz"}]', "kept.json[0] field head_hash"),
        ('[{"size": 1, "head_hash": "' + "0" * 64 + '", "moment": 3}]',
         "kept.json[0] field moment"),
        ("[" * 100_000 + "]" * 100_000, "kept.json"),
        ('[{"size": ' + "9" * 5000 + "}]", "kept.json"),
        ("not json", "kept.json:1"),
        (b"\xc3\x28[]", "kept.json"),
    ],
)
def test_a_bad_checkpoint_file_is_refused_naming_the_entry(
    tmp_path: Path, content: str | bytes, where: str
) -> None:
    path = tmp_path / "kept.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(InvalidInput) as exc:
        read_checkpoints(path)
    assert exc.value.problems
    assert exc.value.problems[0].where == where
    code, _ = _cli("verify", "--db", str(tmp_path / "none.db"), "--checkpoints", str(path))
    assert code == 2


def test_a_checkpoint_file_round_trips() -> None:
    listed = [{"ballot_id": "b1", "moment": "opened", "size": 3, "head_hash": "AB" * 32},
              {"size": 0, "head_hash": "0" * 64}]
    cps = parse_checkpoints(json.dumps(listed))
    assert [(c.size, c.head_hash) for c in cps] == [(3, "ab" * 32), (0, "0" * 64)]
    assert parse_checkpoints("[]") == ()

