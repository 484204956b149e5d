"""The council cycle, step by step, on SQLite and on PostgreSQL.

A workplace council forms and elects a delegate to its area council by Scottish STV;
the delegate's pay is capped at the members' mean wage; the members petition and
recall her; a by-election fills the seat for the rest of the term; the audit log
verifies -- and a copy of the database with one row edited by SQL does not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from councilplan import services
from councilplan.cli import audit as audit_cli
from councilplan.errors import RuleViolation
from councilplan.store import UnitOfWork, make_engine, metadata
from councilplan.store.scratch import (
    postgresql_reachable,
    scratch_database,
    server_for_tests,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MEMBERS = [f"w{i:02d}" for i in range(20)]
ADA, BEN, CAT, DAN, EVE = "w00", "w01", "w02", "w03", "w04"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, URL]]:
    if request.param == "postgresql":
        why = postgresql_reachable(server_for_tests())
        if why is not None:
            pytest.skip(why)
    with scratch_database(request.param, tmp_path) as url:
        yield request.param, url


def _copy(kind: str, url: URL, tmp_path: Path) -> Iterator[URL]:
    """A copy of the whole database, to tamper with."""
    if kind == "sqlite":
        assert url.database is not None
        target = tmp_path / "tampered.db"
        # a live database in WAL mode: copy it with SQLite's backup API, not as a file
        with closing(sqlite3.connect(url.database)) as src, \
                closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
        yield URL.create("sqlite", database=str(target))
        return
    with scratch_database("postgresql", tmp_path) as copy:
        source = url.query["options"].split("=", 1)[1]
        engine = make_engine(copy)
        with engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())
            for table in metadata.sorted_tables:
                conn.execute(text(f'INSERT INTO "{table.name}" '
                                  f'SELECT * FROM "{source}"."{table.name}"'))
        engine.dispose()
        yield copy


def _audit_verify(url: URL) -> tuple[int, str]:
    result = CliRunner().invoke(
        audit_cli.app, ["verify", "--db", url.render_as_string(hide_password=False)])
    return result.exit_code, result.output


def test_a_council_forms_elects_caps_recalls_and_replaces_its_delegate(
    database: tuple[str, URL], tmp_path: Path
) -> None:
    kind, url = database
    engine = make_engine(url)
    uow = UnitOfWork(engine)

    # 1. The Riverside area council exists; the Mill's workers form their council under it.
    services.create_council(uow, "riverside", "Riverside area council", "area", T0)
    services.create_council(uow, "mill", "Mill workers' council", "workplace", T0,
                            parent_id="riverside")
    for m in MEMBERS:
        services.admit_member(uow, m, "mill", T0, name=f"Worker {m}")
    assert {c.council_id: c.constituency for c in services.list_councils(uow)} == {
        "mill": 20, "riverside": 20}

    # 2. The Mill sends one delegate to Riverside, for a year; the seat is vacant.
    services.define_seat(uow, "mill/delegate", "mill", "Delegate to Riverside", "delegate",
                         T0, term_length=365 * DAY, election_lead=28 * DAY,
                         delegate_to="riverside")
    assert [c.reason for c in services.elections_due_now(uow, T0)] == ["vacancy"]

    # 3. The election, counted by Scottish STV: nobody reaches the quota (11) on first
    #    preferences; Dan and then Cat are excluded and their papers transfer to Ada.
    ballot = services.open_election(uow, ["mill/delegate"], [ADA, BEN, CAT, DAN], T0,
                                    T0 + 7 * DAY, ballot_id="election-1")
    assert (ballot.method, ballot.electorate_size) == ("scottish-stv", 20)
    rankings = ([[ADA, BEN]] * 8 + [[BEN, ADA]] * 6 + [[CAT, ADA]] * 4 + [[DAN, BEN]] * 1
                + [[DAN, CAT, ADA]] * 1)
    receipts = {m: services.cast_vote(uow, "election-1", m, r, T0 + DAY)
                for m, r in zip(MEMBERS, rankings, strict=True)}
    # Ben's supporter w08 changes her mind before the close: her paper is replaced
    receipts["w08"] = services.cast_vote(uow, "election-1", "w08", [BEN, CAT], T0 + 2 * DAY,
                                         previous=receipts["w08"])
    assert services.show_ballot(uow, "election-1").result is None  # hidden until the close
    closed = services.close_ballot(uow, "election-1", T0 + 7 * DAY)
    assert closed.papers == 20
    assert closed.elected == (ADA,)
    count = services.count_ballot(uow, "election-1")
    assert count.matches_stored
    actions = [s["action"]["kind"] for s in count.stages]
    assert actions[0] == "first-preferences"
    assert "exclusion" in actions
    assert count.result["quota"] == "11.00000"
    for receipt in receipts.values():  # every member finds her paper in the count
        assert services.verify_receipt(uow, "election-1", receipt).counted
    (mandate,) = services.list_mandates(uow, "mill", T0 + 7 * DAY)
    assert (mandate.holder_id, mandate.term_end) == (ADA, T0 + 7 * DAY + 365 * DAY)

    # 4. Ada's pay is capped at the mean of the members' March wages (hers left out).
    for i, m in enumerate(MEMBERS):
        services.report_wage(uow, m, "2025-03", Decimal(2000 + 50 * i), T0 + 20 * DAY)
    cap = services.pay_cap_for(uow, mandate.mandate_id, "2025-03")
    assert cap.cap == Decimal("2500.00")
    with pytest.raises(RuleViolation, match="above the cap"):
        services.set_pay(uow, mandate.mandate_id, "2025-03", Decimal("3200.00"), T0 + 21 * DAY)
    services.set_pay(uow, mandate.mandate_id, "2025-03", Decimal("2500.00"), T0 + 21 * DAY)

    # 5. The members lose confidence: a petition reaches 10% of the constituency (2 of 20)
    #    and opens the recall ballot, which carries 13 to 7.
    petition = services.open_recall_petition(uow, mandate.mandate_id, "w10", T0 + 40 * DAY,
                                             petition_id="petition-1")
    assert petition.required == 2
    services.sign_recall_petition(uow, "petition-1", "w10", T0 + 41 * DAY)
    signed = services.sign_recall_petition(uow, "petition-1", "w11", T0 + 42 * DAY,
                                           ballot_id="recall-1")
    assert (signed.status, signed.ballot_id) == ("succeeded", "recall-1")
    for i, m in enumerate(MEMBERS):
        services.cast_vote(uow, "recall-1", m, "yes" if i >= 7 else "no", T0 + 43 * DAY)
    recall = services.close_ballot(uow, "recall-1", T0 + 49 * DAY)
    assert recall.passed is True
    (ended,) = services.list_mandates(uow, "mill", T0 + 49 * DAY)
    assert (ended.status, ended.ended_at) == ("recalled", T0 + 49 * DAY)
    (by_call,) = services.elections_due_now(uow, T0 + 49 * DAY)
    assert (by_call.reason, by_call.term_end) == ("by_election", mandate.term_end)

    # 6. The by-election fills the seat for the rest of Ada's term.
    services.open_election(uow, ["mill/delegate"], [EVE, BEN], T0 + 50 * DAY, T0 + 57 * DAY,
                           ballot_id="by-election-1")
    for i, m in enumerate(MEMBERS):
        services.cast_vote(uow, "by-election-1", m, [EVE, BEN] if i % 3 else [BEN, EVE],
                           T0 + 51 * DAY)
    assert services.close_ballot(uow, "by-election-1", T0 + 57 * DAY).elected == (EVE,)
    holders = {m.holder_id: m for m in services.list_mandates(uow, "mill", T0 + 58 * DAY)}
    assert holders[EVE].status == "active"
    assert (holders[EVE].term_start, holders[EVE].term_end) == (T0 + 57 * DAY,
                                                                mandate.term_end)
    assert services.elections_due_now(uow, T0 + 58 * DAY) == ()

    # 7. The record: every step is in the audit log, which verifies against the
    #    checkpoints taken at each ballot's opening and close.
    report = services.verify_audit(uow)
    assert report.ok
    assert report.checkpoints >= 6
    kinds = [json.loads(e)["kind"] for _, _, e in services.audit_entries(uow)]
    for needed in ("council.created", "member.admitted", "seat.defined", "ballot.opened",
                   "ballot.closed", "mandate.started", "pay.set", "petition.opened",
                   "petition.signed", "petition.succeeded", "recall.passed", "mandate.ended",
                   "election.called"):
        assert needed in kinds, needed
    code, output = _audit_verify(url)
    assert code == 0, output
    assert "audit log OK" in output
    recall_passed = kinds.index("recall.passed") + 1  # its sequence number
    engine.dispose()

    # 8. Someone edits the recall's record in a copy of the database: the copy fails
    #    verification at exactly that entry; the original still verifies.
    copies = _copy(kind, url, tmp_path)
    tampered = next(copies)
    try:
        copy_engine = make_engine(tampered)
        with copy_engine.begin() as conn:
            edited = conn.execute(
                text("UPDATE audit_log SET canonical = REPLACE(canonical, :old, :new) "
                     "WHERE sequence = :s"),
                {"old": '"passed":true', "new": '"passed":false', "s": recall_passed},
            )
            assert edited.rowcount == 1
        copy_engine.dispose()
        code, output = _audit_verify(tampered)
        assert code == 1
        assert f"BAD at entry {recall_passed} (altered)" in output
    finally:
        copies.close()
    assert _audit_verify(url)[0] == 0
