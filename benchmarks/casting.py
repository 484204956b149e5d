"""Casting throughput through the service layer, on SQLite and on PostgreSQL.

Each run forms a workplace council of ``--members`` members, opens an election
(Scottish STV, 5 candidates) and has ``--threads`` threads cast every member's
paper through :func:`councilplan.services.cast_vote` -- one unit of work (one
transaction) per paper, ``--revotes`` further papers per member replacing the
previous one with its receipt -- then closes the ballot and checks that no
vote was lost or doubled: exactly one paper per member in the box, register
rows == box rows, and every last receipt found.

Goal: at least 2,000 ballots/s on 2 cores with no lost or doubled vote.

    python benchmarks/casting.py                      # both databases
    python benchmarks/casting.py --db sqlite --members 20000
    python benchmarks/casting.py --db postgresql --server postgresql+psycopg://postgres@127.0.0.1/test

PostgreSQL runs in a scratch schema that is dropped afterwards; it is skipped
with a message when the server does not answer.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import URL

from councilplan import services
from councilplan.councils.receipt import Receipt
from councilplan.store import UnitOfWork, make_engine, upgrade
from councilplan.store.scratch import (
    DEFAULT_TEST_SERVER,
    postgresql_reachable,
    scratch_postgresql,
    scratch_sqlite,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CANDIDATES = ("c1", "c2", "c3", "c4", "c5")


@contextmanager
def database(kind: str, server: str) -> Iterator[URL]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as d:
            yield scratch_sqlite(Path(d))
    else:
        with scratch_postgresql(server) as url:
            yield url


def setup(uow: UnitOfWork, members: int) -> None:
    services.create_council(uow, "works", "The works", "workplace", T0)
    for cid in CANDIDATES:
        services.admit_member(uow, cid, "works", T0)
    engine = uow.engine
    # members in bulk (the setup is not what is measured): one transaction per 1,000
    from councilplan.councils.council import Council, CouncilKind
    from councilplan.councils.membership import admit_member

    council = Council("works", "The works", CouncilKind.WORKPLACE)
    for start in range(0, members, 1000):
        with UnitOfWork(engine) as batch:
            events = []
            for i in range(start, min(members, start + 1000)):
                mid = f"m{i:06d}"
                from councilplan.councils.member import Member

                batch.members.add(Member(mid, ""))
                membership, event = admit_member(mid, council, [], T0)
                batch.members.add_membership(membership)
                events.append(event)
            batch.audit.append(events)
    services.define_seat(uow, "works/secretary", "works", "Secretary", "office", T0,
                         term_length=timedelta(days=365), election_lead=timedelta(days=28))
    services.open_election(uow, ["works/secretary"], list(CANDIDATES), T0,
                           T0 + timedelta(days=7), ballot_id="bench")


def cast_all(engine_url: URL, voters: list[str], threads: int, revotes: int,
             pool_size: int) -> tuple[float, float, int, dict[str, Receipt]]:
    engine = make_engine(engine_url, pool_size=pool_size)
    chunks = [voters[i::threads] for i in range(threads)]
    last: dict[str, Receipt] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []
    at = T0 + timedelta(hours=1)

    def work(chunk: list[str], seed: int) -> None:
        rng = random.Random(seed)
        uow = UnitOfWork(engine)
        mine: dict[str, Receipt] = {}
        try:
            for rnd in range(1 + revotes):
                for mid in chunk:
                    ranking = rng.sample(CANDIDATES, rng.randint(1, len(CANDIDATES)))
                    mine[mid] = services.cast_vote(uow, "bench", mid, ranking, at,
                                                   previous=mine.get(mid) if rnd else None)
        except BaseException as exc:  # reported below
            errors.append(exc)
        with lock:
            last.update(mine)

    workers = [threading.Thread(target=work, args=(c, k)) for k, c in enumerate(chunks)]
    start, cpu = time.perf_counter(), time.process_time()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    if errors:
        raise errors[0]
    return elapsed, cpu, len(voters) * (1 + revotes), last


def run(kind: str, server: str, members: int, threads: int, revotes: int) -> None:
    with database(kind, server) as url:
        upgrade(url)
        engine = make_engine(url)
        uow = UnitOfWork(engine)
        setup(uow, members)
        voters = [f"m{i:06d}" for i in range(members)]
        elapsed, cpu, papers, receipts = cast_all(url, voters, threads, revotes, pool_size=threads)
        with uow.reading():
            box, marked = uow.box.count("bench"), uow.register.count("bench")
        closed = services.close_ballot(uow, "bench", T0 + timedelta(days=7))
        found = sum(services.verify_receipt(uow, "bench", r).counted for r in receipts.values())
        audit = services.verify_audit(uow)
        engine.dispose()
    ok = box == marked == members == closed.papers == found and audit.ok
    print(f"{kind:10s} members={members} threads={threads} revotes={revotes}: "
          f"{papers} casts in {elapsed:.2f} s = {papers / elapsed:,.0f} ballots/s "
          f"(client CPU {1e6 * cpu / papers:.0f} us/cast; load {os.getloadavg()[0]:.1f}); "
          f"box {box}, register {marked}, counted {closed.papers}, receipts found {found}, "
          f"elected {', '.join(closed.elected)}; audit {'OK' if audit.ok else 'BAD'}; "
          f"{'no vote lost or doubled' if ok else 'MISMATCH'}")
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--server", default=os.environ.get("COUNCILPLAN_TEST_POSTGRESQL",
                                                           DEFAULT_TEST_SERVER))
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--revotes", type=int, default=1)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"casting benchmark on {os.cpu_count()} CPU(s)")
    for kind in kinds:
        if kind == "postgresql":
            why = postgresql_reachable(args.server)
            if why is not None:
                print(f"postgresql skipped: {why}")
                continue
        run(kind, args.server, args.members, args.threads, args.revotes)


if __name__ == "__main__":
    main()
