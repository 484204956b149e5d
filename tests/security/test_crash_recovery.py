"""kill -9 of a process in the middle of casting, on SQLite and PostgreSQL.

The voters' devices drew their receipt tokens first; a casting process on four threads
is killed with SIGKILL at a random moment of the load, a few rounds in a row. Then: no
acknowledged vote is lost, the database's integrity check is clean, the audit chain
verifies, every device finds out with its receipt whether its vote counted, and sending
every vote again -- acknowledged, committed but unacknowledged, or never written --
leaves exactly one paper and one mark per voter.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from security_helpers import DAY, T0, form_works
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

import councilplan
from councilplan import services
from councilplan.store import UnitOfWork

ROUNDS = 3
VOTERS = 60
CASTER = Path(__file__).with_name("crash_caster.py")
CANDIDATES = ["m000", "m001", "m002"]


def _kill_during_load(url: URL, ballot: str, work: list[tuple[str, str, str]],
                      after: int) -> set[str]:
    """Run the caster on ``work``, SIGKILL it after ``after`` acknowledgements; the
    members whose casts were acknowledged."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(councilplan.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    proc = subprocess.Popen(
        [sys.executable, str(CASTER), url.render_as_string(hide_password=False), ballot,
         (T0 + DAY).isoformat()],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write("".join(json.dumps(w) + "\n" for w in work))
    proc.stdin.close()
    acked: set[str] = set()
    try:
        assert proc.stdout.readline().strip() == "ready"
        for line in proc.stdout:
            kind, _, rest = line.strip().partition(" ")
            assert kind in ("ok", "done"), line  # nothing refused: each cast is its first
            if kind == "ok":
                acked.add(rest)
            if len(acked) >= after or kind == "done":
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
    return acked


def _integrity(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        else:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_kill_9_during_casting_loses_no_acknowledged_vote_and_doubles_none(
    uow: UnitOfWork, engine: Engine, db_url: URL
) -> None:
    members = form_works(uow, VOTERS)
    rng = random.Random(99)
    for r in range(ROUNDS):
        ballot = f"crash{r}"
        services.define_seat(uow, f"works/{ballot}", "works", f"Seat {r}", "office", T0,
                             term_length=365 * DAY, election_lead=28 * DAY)
        services.open_election(uow, [f"works/{ballot}"], CANDIDATES, T0, T0 + 7 * DAY,
                               ballot_id=ballot, method="irv")
        work = [(m, rng.randbytes(32).hex(), json.dumps(rng.sample(CANDIDATES, 2)))
                for m in rng.sample(members, VOTERS)]
        acked = _kill_during_load(db_url, ballot, work, after=rng.randint(5, VOTERS - 10))
        _integrity(engine)
        assert services.verify_audit(uow).ok
        found = {m for m, token, _ in work
                 if services.verify_receipt(uow, ballot, token).found}
        assert acked <= found  # no acknowledged vote lost
        with uow.reading():
            assert uow.box.count(ballot) == uow.register.count(ballot) == len(found)
        # every device sends its vote again: committed ones are not doubled
        for m, token, paper in work:
            receipt = services.cast_vote(uow, ballot, m, json.loads(paper), T0 + DAY,
                                         token=token)
            assert receipt.token_hex == token
        with uow.reading():
            assert uow.box.count(ballot) == uow.register.count(ballot) == VOTERS
        closed = services.close_ballot(uow, ballot, T0 + 7 * DAY)
        assert closed.papers == VOTERS
        published = dict(services.published_ballots(uow, ballot).papers)
        for m, token, paper in work:
            check = services.verify_receipt(uow, ballot, token)
            assert check.counted
            assert published[check.code] == json.loads(paper), m
    _integrity(engine)
    assert services.verify_audit(uow).ok
