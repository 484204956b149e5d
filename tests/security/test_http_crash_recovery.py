"""``kill -9`` of ``councilplan serve`` during a sustained HTTP vote load, five rounds on
each database (ten in all), the server started again after each.

Every voter's device draws its receipt token before it submits. In each round the
devices send their votes at once through a bounded pool; the server sheds what it cannot
take at once (503 with ``Retry-After``, which the devices wait out before sending
again); after a random number of answers 201 the server process gets SIGKILL, with
requests still in flight (their answers are lost). Then, with the server down: the
database's integrity check is clean (SQLite ``PRAGMA integrity_check`` and
``foreign_key_check``; PostgreSQL ``amcheck`` over every B-tree index of the schema, heap
included) and the audit chain verifies. With the server up again: every device asks
"did my vote count?" over HTTP with its receipt token -- every acknowledged vote is
found, and register = box = the votes found -- and sends its vote again with the same
token: the same receipt comes back and nothing is doubled, whether the vote was
acknowledged, committed but not acknowledged, or never written. After the close the
published papers are exactly the devices' papers, receipt by receipt. The server's log,
access log included, holds no receipt token, receipt code or paper of any of it.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import Crowd, LiveServer, Voter, give_accounts, in_thread, utc_now
from security_helpers import form_works
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from councilplan import services
from councilplan.councils.receipt import receipt_code
from councilplan.store import UnitOfWork

ROUNDS = 5  # on each database
MEMBERS = 80
VOTERS = 60  # per round, drawn from the members
CANDIDATES = ["m000", "m001", "m002"]
DAY = timedelta(days=1)
_AMCHECK = "cp_amcheck"


@pytest.fixture
def served(uow: UnitOfWork, db_url: URL, tmp_path: Path
           ) -> Iterator[tuple[LiveServer, dict[str, Voter]]]:
    members = form_works(uow, MEMBERS)
    voters = give_accounts(uow, members, utc_now(), signed_in=True)
    # access log on; at most 8 requests in flight, so the 16 devices at once get 503s
    server = LiveServer(db_url, tmp_path / "server.log", log_level="info", max_in_flight="8")
    server.start()
    try:
        yield server, voters
    finally:
        server.stop()


def _amcheck(engine: Engine) -> None:
    """``amcheck`` in a schema of its own (an extension exists once per database)."""
    for _ in range(3):  # two runs creating it at once: one of them retries
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {_AMCHECK}"))
                conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA {_AMCHECK}"))
                where = conn.execute(text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                    "ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'")).scalar_one()
            if where != _AMCHECK:
                pytest.skip(f"amcheck is installed in schema {where}, not {_AMCHECK}")
            return
        except DBAPIError:
            time.sleep(0.2)
    pytest.fail("amcheck could not be made available")


def _integrity(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            return
        indexes = conn.execute(text(
            "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam "
            "WHERE n.nspname = current_schema() AND am.amname = 'btree'")).all()
        assert len(indexes) > 10
        for (oid,) in indexes:  # raises on a corrupt index or a heap tuple not indexed
            conn.execute(text(f"SELECT {_AMCHECK}.bt_index_check(:oid, true)"), {"oid": oid})
        conn.rollback()


async def _load_then_kill(server: LiveServer, voters: dict[str, Voter], ballot: str,
                          work: list[tuple[str, str, list[str]]], after: int
                          ) -> tuple[set[str], int, int]:
    """Send every vote at once; SIGKILL the server at the ``after``-th 201. The members
    whose votes were acknowledged, how many requests lost their answer, and how many
    answers were 503 (sent again after ``Retry-After``)."""
    acked: set[str] = set()
    killed = asyncio.Event()

    async def one(crowd: Crowd, member: str, token: str, paper: list[str]) -> None:
        r = await crowd.vote(voters[member], ballot, paper, token=token)
        assert r.status_code == 201, (member, r.status_code, r.text)
        if not killed.is_set():  # an answer read after the kill was sent before it
            acked.add(member)
            if len(acked) >= after:
                killed.set()
                server.kill9()

    async with Crowd(server.base, connections=16) as crowd:
        done = await asyncio.gather(*(one(crowd, m, t, p) for m, t, p in work),
                                    return_exceptions=True)
        shed = crowd.pushed_back[503]
    lost = [d for d in done if isinstance(d, BaseException)]
    for d in lost:  # only the kill may take an answer away
        assert isinstance(d, httpx.TransportError), repr(d)
    if server.proc is not None:  # every answer came before the kill could be sent
        server.kill9()
    return acked, len(lost), shed


async def _check_and_resend(server: LiveServer, voters: dict[str, Voter], ballot: str,
                            work: list[tuple[str, str, list[str]]]) -> set[str]:
    """Every device asks whether its vote counted, then sends it again; the members whose
    vote was found before they sent it again."""
    async with Crowd(server.base, connections=16) as crowd:
        checks = await asyncio.gather(*(crowd.receipt_check(voters[m], ballot, t)
                                        for m, t, _ in work))
        for check, (_, token, _) in zip(checks, work, strict=True):
            assert check["code"] == receipt_code(ballot, bytes.fromhex(token))
            assert check["counted"] is False  # not before the close
        again = await asyncio.gather(*(crowd.vote(voters[m], ballot, p, token=t)
                                       for m, t, p in work))
        for r, (m, token, _) in zip(again, work, strict=True):
            assert r.status_code == 201, (m, r.text)
            assert r.json()["receipt_token"] == token  # the same receipt, found or made
        return {m for check, (m, _, _) in zip(checks, work, strict=True) if check["found"]}


def test_kill_9_of_the_server_under_http_load_loses_no_acknowledged_vote(
        served: tuple[LiveServer, dict[str, Voter]], uow: UnitOfWork, engine: Engine) -> None:
    server, voters = served
    if engine.dialect.name == "postgresql":
        _amcheck(engine)
    rng = random.Random(2026)
    lost_answers = found_unacked = shed = 0
    secrets_sent: list[str] = []
    for r in range(ROUNDS):
        ballot = f"crash{r}"
        now = utc_now()
        closes_at = now + timedelta(hours=1)
        services.define_seat(uow, f"works/{ballot}", "works", f"Seat {r}", "office",
                             now - DAY, term_length=365 * DAY, election_lead=28 * DAY)
        services.open_election(uow, [f"works/{ballot}"], CANDIDATES, now, closes_at,
                               ballot_id=ballot, method="irv")
        work = [(m, secrets.token_bytes(32).hex(), rng.sample(CANDIDATES, rng.randint(1, 3)))
                for m in rng.sample(sorted(voters), VOTERS)]
        after = rng.randint(5, VOTERS - 15)
        secrets_sent += [t for _, t, _ in work]
        secrets_sent += [receipt_code(ballot, bytes.fromhex(t)) for _, t, _ in work]
        acked, lost, busy = in_thread(partial(_load_then_kill, server, voters, ballot, work,
                                              after))
        lost_answers += lost
        shed += busy

        _integrity(engine)  # with the server down
        assert services.verify_audit(uow).ok
        server.start()
        found = in_thread(partial(_check_and_resend, server, voters, ballot, work))
        assert acked <= found  # no acknowledged vote lost
        found_unacked += len(found - acked)
        with uow.reading():
            assert uow.register.count(ballot) == uow.box.count(ballot) == VOTERS
        closed = services.close_ballot(uow, ballot, closes_at)
        assert closed.papers == VOTERS
        published: dict[str, Any] = dict(services.published_ballots(uow, ballot).papers)
        for m, token, paper in work:
            assert published[receipt_code(ballot, bytes.fromhex(token))] == paper, m
    print(f"\n[{engine.dialect.name}] {ROUNDS} kills: {lost_answers} answers lost in flight, "
          f"{found_unacked} of those votes found committed through their receipts, "
          f"{shed} answers 503 waited out")
    assert shed > 0  # the overload path ran too: shed requests sent again lost nothing
    _integrity(engine)
    assert services.verify_audit(uow).ok
    log = server.log_tail(10**8)
    assert log.count('POST /api/ballots/crash0/votes') >= VOTERS  # the access log was on
    leaked = [s for s in secrets_sent if s in log]
    assert not leaked, leaked[:3]
    assert '["m00' not in log  # no paper
