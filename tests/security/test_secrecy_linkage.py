"""Ballot secrecy against someone holding a full dump of the database.

After a realistic vote -- three ballots, voters casting in random order, a third of
them changing their vote -- the attack of :mod:`linkage` is run on everything the files
and the database server show (SQLite: the main file's raw pages, the write-ahead log
with its stale frames, ``sqlite_master``, scan order; PostgreSQL: ``xmin``, ``xmax``,
``ctid``, the raw heap pages' tuples through ``pageinspect``, scan order). Once each
ballot is closed it pairs marked-register rows with ballot-box rows no better than
chance: for every signal, summed over the ballots, within two standard deviations of
the one right pair a random pairing gets per ballot.

The same attack must be able to win, or passing would prove nothing: on a deliberately
naive schema (autoincrement ids, a time of voting on both halves, one commit per cast)
it pairs nearly every voter with their paper, and on the real schema *while the vote is
still open* it links them too -- the exposure ``SECURITY.md`` states and the close ends.

Tokens and the order of voting come from a seeded generator (the voters' devices, made
reproducible), so the figures are the same on every run.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from linkage import Signal, SqliteDump, postgresql_signals, scores, sqlite_signals
from security_helpers import DAY, T0, form_works
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from councilplan import services
from councilplan.councils.receipt import receipt_code
from councilplan.store import UnitOfWork
from councilplan.store.box import purge_dead_rows

BALLOTS = 3
VOTERS = 40
CANDIDATES = ["m000", "m001", "m002", "m003"]
REAL = {"register": ("marked_register", 1, 3), "box": ("ballot_box", 1, 3)}
NAIVE = {"register": ("naive_register", 2, 4), "box": ("naive_box", 2, 5)}


# -- the vote, and its naive twin -----------------------------------------------------------


def _naive_schema(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        ident = "INTEGER PRIMARY KEY AUTOINCREMENT"
    else:
        ident = "BIGSERIAL PRIMARY KEY"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE naive_register (id {ident}, ballot_id TEXT, "
                          "member_id TEXT, voted_at TEXT)"))
        conn.execute(text(f"CREATE TABLE naive_box (id {ident}, ballot_id TEXT, "
                          "receipt_code TEXT, paper TEXT, cast_at TEXT)"))


def _naive_cast(engine: Engine, ballot: str, member: str, code: str, old: str | None,
                paper: list[str]) -> None:
    """What a naive design writes for a cast: both halves, stamped, in one commit."""
    now = datetime.now(UTC).isoformat()
    with engine.begin() as conn:
        if old is None:
            conn.execute(text("INSERT INTO naive_register (ballot_id, member_id, voted_at) "
                              "VALUES (:b, :m, :t)"), {"b": ballot, "m": member, "t": now})
        else:
            conn.execute(text("UPDATE naive_register SET voted_at = :t "
                              "WHERE ballot_id = :b AND member_id = :m"),
                         {"b": ballot, "m": member, "t": now})
            conn.execute(text("DELETE FROM naive_box WHERE ballot_id = :b "
                              "AND receipt_code = :c"), {"b": ballot, "c": old})
        conn.execute(text("INSERT INTO naive_box (ballot_id, receipt_code, paper, cast_at) "
                          "VALUES (:b, :c, :p, :t)"),
                     {"b": ballot, "c": code, "p": str(paper), "t": now})


def _vote(uow: UnitOfWork, ballot: str, members: list[str], rng: random.Random,
          naive: bool) -> dict[str, str]:
    """Open ``ballot``, cast for ``VOTERS`` members in random order, then a third of them
    change their vote, in random order again; the truth: member -> final receipt code."""
    services.open_election(uow, [f"works/{ballot}"], CANDIDATES, T0, T0 + 7 * DAY,
                           ballot_id=ballot, method="irv")
    voters = rng.sample(members, VOTERS)
    tokens: dict[str, bytes] = {}
    for round_, who in enumerate((voters, rng.sample(voters, VOTERS // 3))):
        for m in who:
            paper = rng.sample(CANDIDATES, rng.randint(1, 3))
            token = rng.randbytes(32)
            old = tokens.get(m)
            services.cast_vote(uow, ballot, m, paper, T0 + DAY + timedelta(minutes=round_),
                               previous=old, token=token)
            if naive:
                _naive_cast(uow.engine, ballot, m, receipt_code(ballot, token),
                            None if old is None else receipt_code(ballot, old), paper)
            tokens[m] = token
    return {m: receipt_code(ballot, t) for m, t in tokens.items()}


# -- what a dump shows ---------------------------------------------------------------------


def _rows(engine: Engine, table: str, ballot: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:  # no ORDER BY: the order a dump would list them in
        return [tuple(r) for r in conn.execute(
            text(f"SELECT * FROM {table} WHERE ballot_id = :b"), {"b": ballot})]


def _signals(engine: Engine, tables: Mapping[str, tuple[str, int, int]], ballot: str
             ) -> list[Signal]:
    scan = {side: _rows(engine, t, ballot) for side, (t, _, _) in tables.items()}
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        wal = Path(f"{path}-wal")
        main, log = path.read_bytes(), wal.read_bytes() if wal.exists() else b""
        with engine.connect() as conn:
            roots = dict(conn.execute(text(
                "SELECT name, rootpage FROM sqlite_master WHERE type = 'table'")).all())
        return sqlite_signals(SqliteDump.of(main, log, roots), tables, scan)
    system: dict[str, list[tuple[str, int, int, int, int]]] = {}
    raw: dict[str, list[tuple[str, int, int, int]]] = {}
    with engine.connect() as conn:
        for side, (table, col, _) in tables.items():
            names = [c.name for c in conn.execute(text(f"SELECT * FROM {table} LIMIT 0")
                                                  ).cursor.description]
            ident = names[col]
            system[side] = [
                (i, int(xmin), int(xmax), *map(int, ctid.strip("()").split(",")))
                for i, xmin, xmax, ctid in conn.execute(text(
                    f"SELECT {ident}, xmin::text, xmax::text, ctid::text FROM {table} "
                    "WHERE ballot_id = :b"), {"b": ballot})
            ]
            raw[side] = _heap_tuples(conn, table, col, names.index("ballot_id"), ballot)
    return postgresql_signals(system, raw, scan, tables)


def _heap_tuples(conn: Any, table: str, col: int, ballot_col: int, ballot: str
                 ) -> list[tuple[str, int, int, int]]:
    """Every tuple version a line pointer still reaches in the table's raw heap pages --
    dead ones included -- as ``(identity, xmin, block, line pointer)``."""
    pi = _PAGEINSPECT
    blocks = conn.execute(text(f"SELECT pg_relation_size('{table}') / "
                               "current_setting('block_size')::int")).scalar_one()
    out = []
    for block in range(int(blocks)):
        for lp, xmin, attrs in conn.execute(text(
                f"SELECT lp, t_xmin::text, {pi}.tuple_data_split('{table}'::regclass, t_data, "
                f"t_infomask, t_infomask2, t_bits) FROM {pi}.heap_page_items("
                f"{pi}.get_raw_page('{table}', {block})) WHERE t_data IS NOT NULL")):
            values = [None if a is None else bytes(a) for a in attrs]
            here, ident = values[ballot_col], values[col]
            if here is not None and ident is not None and _text(here) == ballot:
                out.append((_text(ident), int(xmin), block, int(lp)))
    return out


def _text(varlena: bytes) -> str:
    """A short text datum as stored (1-byte or 4-byte varlena header)."""
    start = 1 if varlena[0] & 0x01 else 4
    return varlena[start:].decode("utf-8", "replace")


def _vacuumed(engine: Engine, ballot: str, patience: float = 60.0) -> None:
    """Wait until the close's VACUUM has removed every replaced row version of ``ballot``
    (PostgreSQL). VACUUM cannot remove versions that a transaction still open anywhere in
    the database might see -- another test run on the same server, say -- so it is run
    again until none is left (``SECURITY.md`` states this condition)."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + patience
    while True:
        with engine.connect() as conn:
            left = {table: len(_heap_tuples(conn, table, 1, 0, ballot)) - int(conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE ballot_id = :b"), {"b": ballot}
            ).scalar_one()) for table in ("marked_register", "ballot_box")}
        if not any(left.values()):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"after {patience:.0f} s dead row versions of {ballot} remain ({left}): "
                        "a transaction open in the database holds VACUUM back")
        time.sleep(0.5)
        purge_dead_rows(engine)


_PAGEINSPECT = "councilplan_pageinspect"  # a schema of its own, kept between runs


def _pageinspect(engine: Engine) -> None:
    """Make ``pageinspect`` available (PostgreSQL) in a schema of its own: an extension
    exists once per database, and in a test's scratch schema it would vanish with that
    schema under another run using it."""
    if engine.dialect.name != "postgresql":
        return
    for _ in range(3):  # two runs creating it at once: one of them retries
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                where = conn.execute(text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                    "ON n.oid = e.extnamespace WHERE e.extname = 'pageinspect'")).scalar()
                if where is not None and where != _PAGEINSPECT:
                    pytest.skip(f"pageinspect is installed in schema {where}, not "
                                f"{_PAGEINSPECT}")
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {_PAGEINSPECT}"))
                conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS pageinspect "
                                  f"SCHEMA {_PAGEINSPECT}"))
            return
        except DBAPIError:
            time.sleep(0.2)
    pytest.fail("pageinspect could not be made available")


# -- the tests -------------------------------------------------------------------------------


def _best(found: Mapping[str, int]) -> tuple[str, int]:
    name = max(found, key=lambda k: found[k])
    return name, found[name]


@pytest.fixture
def voted(uow: UnitOfWork, engine: Engine) -> tuple[UnitOfWork, list[str]]:
    members = form_works(uow, 60)
    for b in range(BALLOTS):
        services.define_seat(uow, f"works/b{b}", "works", f"Seat {b}", "office", T0,
                             term_length=365 * DAY, election_lead=28 * DAY)
    _naive_schema(engine)
    _pageinspect(engine)
    return uow, members


def test_a_dump_after_the_close_pairs_voters_with_papers_no_better_than_chance(
    voted: tuple[UnitOfWork, list[str]], engine: Engine
) -> None:
    uow, members = voted
    rng = random.Random(20250106)
    truths: dict[str, dict[str, str]] = {}
    during: dict[str, int] = {}
    for b in range(BALLOTS):
        ballot = f"b{b}"
        truths[ballot] = _vote(uow, ballot, members, rng, naive=True)
        if b == 0:  # while the vote is open: the attack works -- it is a strong attack
            during = scores(_signals(engine, REAL, ballot), truths[ballot])
        services.close_ballot(uow, ballot, T0 + 7 * DAY)
        _vacuumed(engine, ballot)
    real: dict[str, int] = {}
    naive: dict[str, list[int]] = {}
    for ballot, truth in truths.items():
        for name, right in scores(_signals(engine, REAL, ballot), truth).items():
            real[name] = real.get(name, 0) + right
        for name, right in scores(_signals(engine, NAIVE, ballot), truth).items():
            naive.setdefault(name, []).append(right)
    # chance: one right pair per ballot, standard deviation one per ballot
    bound = BALLOTS + 2 * math.sqrt(BALLOTS)
    report = "\n".join(f"  {right:3d}  {name}" for name, right in sorted(real.items()))
    assert all(right <= bound for right in real.values()), (
        f"a signal pairs better than chance (bound {bound:.1f} over {BALLOTS} ballots of "
        f"{VOTERS}):\n{report}")
    assert len(real) >= 8  # every kind of signal was looked at
    name, right = _best(during)
    assert right >= 0.9 * VOTERS, (name, right)
    best_naive = {name: min(rights) for name, rights in naive.items()}
    name, right = _best(best_naive)
    assert right >= 0.95 * VOTERS, (name, right, best_naive)


def test_nothing_logged_while_casting_links_a_voter_to_a_choice(
    voted: tuple[UnitOfWork, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    """Every logger at DEBUG (SQLAlchemy's engine then logs each statement and each row it
    reads). While votes are cast, sent again, changed and checked, no record names a
    voter, a token, a receipt code or a paper (statement parameters are hidden, and no
    paper is read back); at the close, when the register and the published papers are read, no
    record names a voter together with a code or a paper, and none a token."""
    uow, members = voted
    rng = random.Random(7)
    services.open_election(uow, ["works/b0"], CANDIDATES, T0, T0 + 7 * DAY, ballot_id="b0",
                           method="irv")
    voters = rng.sample(members[4:], 12)
    tokens = {m: rng.randbytes(32) for m in voters}
    later = {m: rng.randbytes(32) for m in voters[:4]}
    first, second = ["m002", "m001"], ["m003"]
    papers = {json.dumps(p, separators=(",", ":")) for p in (first, second)}
    codes = {receipt_code("b0", t) for t in [*tokens.values(), *later.values()]}
    hexes = {t.hex() for t in [*tokens.values(), *later.values()]}
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy sets WARN on import
    for m in voters:
        services.cast_vote(uow, "b0", m, first, T0 + DAY, token=tokens[m])
    for m in voters[:4]:  # sent again, changed, checked
        services.cast_vote(uow, "b0", m, first, T0 + DAY, token=tokens[m])
        services.cast_vote(uow, "b0", m, second, T0 + DAY, previous=tokens[m], token=later[m])
        assert services.verify_receipt(uow, "b0", later[m]).found
    assert caplog.records  # the engine did log its statements and rows
    for record in caplog.records:
        line = record.getMessage()
        leaked = sorted(s for s in {*voters, *hexes, *codes, *papers} if s in line)
        assert not leaked, (leaked, line[:300])
    caplog.clear()
    services.close_ballot(uow, "b0", T0 + 7 * DAY)
    assert caplog.records
    for record in caplog.records:
        line = record.getMessage()
        assert not [h for h in hexes if h in line], line[:300]
        if any(v in line for v in voters):
            assert not [c for c in {*codes, *papers} if c in line], line[:300]
