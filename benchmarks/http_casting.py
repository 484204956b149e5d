"""Casting votes over HTTP: ``councilplan serve`` on loopback, loaded by locust, on SQLite
and on PostgreSQL; the service-level benchmark (``benchmarks/casting.py``) as baseline.

Each run seeds a workplace council of ``--voters`` members with accounts and opens an
election (Scottish STV, 5 candidates), starts ``councilplan serve`` (uvicorn, one
process) on 127.0.0.1, and runs two load phases from locust in a child process (users
paced by ``constant_throughput``, so the load arrives at a constant rate as long as the
server keeps up):

1. the goal load, ``--rate`` votes/s: ``--rate / --per-user`` users, each a voter who
   logs in and then casts, every 1/``--per-user`` s, a new ranking that replaces their
   last vote (with the receipt token of the previous one);
2. three times that load: three times the users.

Each phase warms up, then measures for ``--seconds``: votes/s that got their receipt
(201), latency percentiles, and every other answer by status (429/503 carry
``Retry-After``; a shed request changed nothing). At the end the server is stopped, the
ballot closed and counted, and checked: one paper per voter who was ever answered 201,
the box and the register agree, every voter's last receipt is counted, and a sample of
replaced receipts is *not* in the box (no vote lost, none doubled).

Goal: at least 500 votes/s sustained, p99 under 250 ms, no errors, on 2 cores (the
server and locust share them), no vote lost or doubled; at three times the load,
refusals only as 429/503 with Retry-After, and nothing lost.

    python benchmarks/http_casting.py                     # both databases, record
    python benchmarks/http_casting.py --db sqlite --seconds 30 --no-record
    python benchmarks/http_casting.py --quick             # seconds; JSON only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, command_line, machine, record_section, table, today, write_json

HERE = Path(__file__).resolve().parent
CANDIDATES = ("c1", "c2", "c3", "c4", "c5")
PASSWORD = "benchmark password"
BALLOT = "bench-http"


# ------------------------------------------------------------------------------ setup


def seed(url: str, voters: int) -> list[str]:
    from councilplan import services
    from councilplan.api.auth.passwords import Passwords
    from councilplan.api.settings import Settings
    from councilplan.councils.council import Council, CouncilKind
    from councilplan.councils.member import Member
    from councilplan.councils.membership import admit_member
    from councilplan.store import Account, UnitOfWork, make_engine, upgrade

    upgrade(url)
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    t0 = datetime.now(UTC) - timedelta(hours=1)
    services.create_council(uow, "works", "The works", "workplace", t0)
    for cid in CANDIDATES:
        services.admit_member(uow, cid, "works", t0)
    council = Council("works", "The works", CouncilKind.WORKPLACE)
    # one Argon2 hash (at the server's cost) for every account: the set-up is not measured
    shared = Passwords(Settings()).hash(PASSWORD)
    ids = [f"v{i:06d}" for i in range(voters)]
    for start in range(0, voters, 1000):
        with UnitOfWork(engine) as batch:
            events = []
            for i, mid in enumerate(ids[start:start + 1000], start):
                batch.members.add(Member(mid, ""))
                membership, event = admit_member(mid, council, [], t0)
                batch.members.add_membership(membership)
                events.append(event)
                batch.accounts.add(Account(f"ac-{i:06d}", mid, mid, shared, t0))
            batch.audit.append(events)
    services.define_seat(uow, "works/secretary", "works", "Secretary", "office", t0,
                         term_length=timedelta(days=365), election_lead=timedelta(days=28))
    services.open_election(uow, ["works/secretary"], list(CANDIDATES), t0,
                           t0 + timedelta(days=7), ballot_id=BALLOT)
    engine.dispose()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str, port: int, workers: int = 1) -> Any:
    env = {**os.environ, "COUNCILPLAN_SECRET_KEY": "b" * 64, "COUNCILPLAN_TICK_SECONDS": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from councilplan.cli.main import app; app()", "serve",
         "--db", url, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start: "
                                       + (proc.stderr.read().decode() if proc.stderr else "")
                                       ) from exc
                time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


# ------------------------------------------------------------------------------ load


def load_phase(host: str, voters: list[str], users: int, per_user: float, warmup: float,
               seconds: float, out: Path, server_pid: int) -> None:
    """Run in a child process: locust users vote; write stats and last receipts to out."""
    import gevent
    from locust import FastHttpUser, constant_throughput, events, task
    from locust.env import Environment

    pool = iter(voters)
    last: dict[str, str] = {}
    replaced: list[str] = []
    statuses: dict[str, int] = {}
    retry_after: dict[str, int] = {}
    latencies: list[float] = []
    measuring = {"on": False}

    class Voter(FastHttpUser):
        wait_time = constant_throughput(per_user)
        network_timeout = 120.0
        connection_timeout = 30.0

        def on_start(self) -> None:
            self.member = next(pool)
            self.token: str | None = None
            self.rng = random.Random(self.member)
            while True:
                with self.client.post("/api/session", json={"username": self.member,
                                                            "password": PASSWORD},
                                      catch_response=True, name="login") as r:
                    if r.status_code == 200:
                        self.csrf = r.json()["csrf_token"]
                        r.success()
                        return
                    r.success()  # a login refused for load is retried, not a failure
                    gevent.sleep(float(r.headers.get("retry-after", "1") or 1))

        @task
        def vote(self) -> None:
            ranking = self.rng.sample(CANDIDATES, self.rng.randint(1, len(CANDIDATES)))
            body: dict[str, Any] = {"choice": ranking}
            if self.token:
                body["previous"] = self.token
            t0 = time.perf_counter()
            with self.client.post(f"/api/ballots/{BALLOT}/votes", json=body,
                                  headers={"X-CSRF-Token": self.csrf}, catch_response=True,
                                  name="vote") as r:
                elapsed = time.perf_counter() - t0
                code = str(r.status_code)
                if measuring["on"]:
                    statuses[code] = statuses.get(code, 0) + 1
                    latencies.append(elapsed)
                if r.status_code == 201:
                    if self.token:
                        replaced.append(self.token)
                    self.token = r.json()["receipt_token"]
                    last[self.member] = self.token
                    r.success()
                elif r.status_code in (429, 503):
                    if r.headers.get("retry-after") and measuring["on"]:
                        retry_after[code] = retry_after.get(code, 0) + 1
                    r.success()
                else:
                    r.failure(f"{r.status_code}: {r.text[:200]}")

    # stop_timeout: at the end every user finishes the vote in flight, so each voter's
    # last receipt is the one the server kept
    env = Environment(user_classes=[Voter], events=events, host=host, stop_timeout=120)
    runner = env.create_local_runner()
    start = time.monotonic()
    runner.start(users, spawn_rate=max(1, users))
    # wait for every user to have logged in, then warm up, then measure
    while runner.user_count < users or len(last) < users * 0.9:
        gevent.sleep(0.5)
        if time.monotonic() - start > 600:
            break
    login_s = time.monotonic() - start
    gevent.sleep(warmup)
    measuring["on"] = True
    cpu0, server0 = os.times(), server_cpu(server_pid)
    t_start = time.monotonic()
    gevent.sleep(seconds)
    measuring["on"] = False
    measured = time.monotonic() - t_start
    cpu1, server1 = os.times(), server_cpu(server_pid)
    runner.stop()
    deadline = time.monotonic() + 150
    while runner.user_count > 0 and time.monotonic() < deadline:
        gevent.sleep(0.2)
    runner.quit()
    latencies.sort()

    def pct(q: float) -> float | None:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else None

    ok = statuses.get("201", 0)
    result = {
        "users": users, "per_user": per_user, "target_rate": users * per_user,
        "seconds": measured, "login_seconds": login_s, "statuses": statuses,
        "retry_after": retry_after, "votes_per_s": ok / measured,
        "p50_ms": None if pct(0.5) is None else 1000 * pct(0.5),  # type: ignore[operator]
        "p99_ms": None if pct(0.99) is None else 1000 * pct(0.99),  # type: ignore[operator]
        "max_ms": 1000 * latencies[-1] if latencies else None,
        "client_cpu_s": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system),
        "server_cpu_s": server1 - server0,
        "last": last, "replaced_sample": random.Random(0).sample(replaced,
                                                                 min(200, len(replaced))),
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def run_phase(host: str, voters: list[str], users: int, per_user: float, warmup: float,
              seconds: float, server_pid: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "phase.json"
        args = {"host": host, "voters": voters, "users": users, "per_user": per_user,
                "warmup": warmup, "seconds": seconds, "out": str(out),
                "server_pid": server_pid}
        subprocess.run([sys.executable, __file__, "--phase", json.dumps(args)], check=True,
                       timeout=3600)
        return dict(json.loads(out.read_text(encoding="utf-8")))


def server_cpu(pid: int) -> float:
    import psutil

    t = psutil.Process(pid).cpu_times()
    return float(t.user + t.system)


# ------------------------------------------------------------------------------ checks


def check(url: str, phases: list[dict[str, Any]]) -> dict[str, Any]:
    from councilplan import services
    from councilplan.store import UnitOfWork, make_engine

    engine = make_engine(url)
    uow = UnitOfWork(engine)
    last: dict[str, str] = {}
    for p in phases:
        last.update(p["last"])
    with uow.reading():
        box, marked = uow.box.count(BALLOT), uow.register.count(BALLOT)
    closing = services.show_ballot(uow, BALLOT).closes_at
    closed = services.close_ballot(uow, BALLOT, closing)
    counted = sum(services.verify_receipt(uow, BALLOT, t).counted for t in last.values())
    stale = [t for p in phases for t in p["replaced_sample"]]
    stale_found = sum(services.verify_receipt(uow, BALLOT, t).found for t in stale)
    audit = services.verify_audit(uow)
    engine.dispose()
    ok = (box == marked == len(last) == closed.papers == counted and stale_found == 0
          and audit.ok)
    return {"box": box, "register": marked, "voters_answered": len(last),
            "papers": closed.papers, "last_receipts_counted": counted,
            "replaced_checked": len(stale), "replaced_found": stale_found,
            "audit_ok": audit.ok, "ok": ok}


# ------------------------------------------------------------------------------ baseline


def service_baseline(kind: str, members: int) -> float | None:
    """ballots/s of benchmarks/casting.py (service level, 8 threads) in this run."""
    proc = subprocess.run([sys.executable, str(HERE / "casting.py"), "--db", kind,
                           "--members", str(members)], capture_output=True, text=True,
                          timeout=1800, check=False)
    m = re.search(r"= ([\d,]+) ballots/s", proc.stdout)
    return float(m.group(1).replace(",", "")) if m else None


# ------------------------------------------------------------------------------ main


@contextmanager
def database(kind: str, folder: Path) -> Any:
    from councilplan.store.scratch import scratch_postgresql, scratch_sqlite, server_for_tests

    if kind == "sqlite":
        yield scratch_sqlite(folder).render_as_string(hide_password=False)
    else:
        with scratch_postgresql(server_for_tests()) as url:
            yield url.render_as_string(hide_password=False)


def run(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    users = max(1, round(args.rate / args.per_user))
    voters_needed = users * 4
    with tempfile.TemporaryDirectory() as d, database(kind, Path(d)) as url:
        voters = seed(url, voters_needed)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        phases = []
        with server(url, port, args.workers) as proc:
            for label, n, pool in (("goal", users, voters[:users]),
                                   ("3x", 3 * users, voters[users:4 * users])):
                phase = run_phase(host, pool, n, args.per_user, args.warmup, args.seconds,
                                  proc.pid)
                phase["label"] = label
                phases.append(phase)
                print(f"{kind} {label}: {phase['votes_per_s']:.0f} votes/s of "
                      f"{phase['target_rate']:.0f} asked, p50 {phase['p50_ms']} ms, "
                      f"p99 {phase['p99_ms']} ms, statuses {phase['statuses']}", flush=True)
        verdict = check(url, phases)
    print(f"{kind}: {verdict}")
    return {"kind": kind, "phases": phases, "check": verdict}


def _fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def report(results: list[dict[str, Any]], baselines: dict[str, float | None],
           args: argparse.Namespace, argv: list[str], info: dict[str, Any]) -> str:
    rows = []
    for res in results:
        for p in res["phases"]:
            others = {k: v for k, v in p["statuses"].items() if k != "201"}
            base = baselines.get(res["kind"])
            goal = ""
            if p["label"] == "goal":
                met = (p["votes_per_s"] >= 500 and (p["p99_ms"] or 1e9) < 250 and not others
                       and res["check"]["ok"])
                goal = "met" if met else "MISSED"
            else:
                bad = {k for k in others if k not in ("429", "503")}
                with_retry = all(p["retry_after"].get(k, 0) == v for k, v in others.items())
                goal = ("met" if not bad and with_retry and res["check"]["ok"] else "MISSED")
            rows.append([
                "SQLite" if res["kind"] == "sqlite" else "PostgreSQL", p["label"],
                f"{p['users']} x {p['per_user']:g}/s = {p['target_rate']:.0f}",
                _fmt(p["votes_per_s"]), _fmt(p["votes_per_s"] / 500, 2) + "x",
                "-" if not base else _fmt(p["votes_per_s"] / base, 2) + "x",
                _fmt(p["p50_ms"], 1), _fmt(p["p99_ms"], 1),
                ", ".join(f"{k}: {v}" for k, v in sorted(p["statuses"].items())),
                _fmt(1e6 * p["server_cpu_s"] / max(1, sum(p["statuses"].values()))) + " us",
                _fmt(1e6 * p["client_cpu_s"] / max(1, sum(p["statuses"].values()))) + " us",
                goal])
    checks = "; ".join(
        f"{'SQLite' if r['kind'] == 'sqlite' else 'PostgreSQL'}: box {r['check']['box']} = "
        f"register {r['check']['register']} = voters answered {r['check']['voters_answered']}"
        f" = papers counted {r['check']['papers']} = last receipts counted "
        f"{r['check']['last_receipts_counted']}; replaced receipts found "
        f"{r['check']['replaced_found']} of {r['check']['replaced_checked']}; audit "
        f"{'OK' if r['check']['audit_ok'] else 'BAD'} -> "
        f"{'no vote lost or doubled' if r['check']['ok'] else 'MISMATCH'}" for r in results)
    base_text = ", ".join(f"{'SQLite' if k == 'sqlite' else 'PostgreSQL'} {_fmt(v)} ballots/s"
                          for k, v in baselines.items())
    return "\n".join([
        "## Casting over HTTP (`benchmarks/http_casting.py`)",
        "",
        f"- date: {today()}",
        f"- machine: {info['cores']} cores, {info['memory_gib']:.0f} GiB ({info['cpu']}); "
        f"load average at start {info['load_average']}; the server (`councilplan serve`, "
        "one uvicorn process) and locust share the cores",
        f"- command: `{command_line(__file__, argv)}`",
        f"- load: locust {args.locust_version} `FastHttpUser`s paced by "
        f"`constant_throughput({args.per_user:g})`, each a voter who logged in (not "
        "measured) and replaces their vote with a new ranking every "
        f"{1 / args.per_user:g} s; {args.warmup:g} s warm-up, {args.seconds:g} s measured "
        "per phase; one election, Scottish STV, 5 candidates; server settings as shipped "
        "(Argon2id t=3 m=64 MiB, 20 requests/s per session, 256 in flight)",
        f"- baseline, same run: `benchmarks/casting.py` (service level, 8 threads, 10,000 "
        f"members, one re-vote each): {base_text}; `x service` = HTTP votes/s over that",
        "- goal: >= 500 votes/s sustained, p99 < 250 ms, no errors, no vote lost or "
        "doubled; at 3x the load: refusals only 429/503 with Retry-After, nothing lost",
        "",
        table(["database", "phase", "users x rate = asked/s", "votes/s", "x goal",
               "x service", "p50 ms", "p99 ms", "answers", "server CPU/request",
               "locust CPU/request", "goal"], rows),
        "",
        f"Checks after the runs: {checks}.",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rate", type=float, default=500.0, help="goal votes/s")
    parser.add_argument("--per-user", type=float, default=5.0, help="votes/s per user")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured per phase")
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="tiny, seconds; JSON only")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    if args.phase:
        a = json.loads(args.phase)
        load_phase(a["host"], a["voters"], a["users"], a["per_user"], a["warmup"],
                   a["seconds"], Path(a["out"]), a["server_pid"])
        return
    argv = sys.argv[1:]
    if args.quick:
        args.rate, args.per_user, args.seconds, args.warmup = 20.0, 5.0, 3.0, 1.0
        args.db, args.no_record, args.no_baseline = "sqlite", True, True
    drive("http_casting", args, argv, run, report,
          slim=lambda r: {**r, "phases": [
              {k: v for k, v in p.items() if k not in ("last", "replaced_sample")}
              for p in r["phases"]]})


Row = dict[str, Any]


def drive(name: str, args: argparse.Namespace, argv: list[str],
          run_one: Callable[[str, argparse.Namespace], Row],
          report_all: Callable[[list[Row], dict[str, float | None], argparse.Namespace,
                                list[str], dict[str, Any]], str],
          slim: Callable[[Row], Row] = lambda r: r) -> None:
    """Run a load benchmark on each database asked for (PostgreSQL skipped, saying why,
    when unreachable), each followed by its same-run service-level baseline; print and
    keep the report (JSON always, the section of RESULTS.md unless ``--no-record``); exit
    1 when any run's checks (nothing lost or doubled) failed. Shared by ``http_load``."""
    from importlib.metadata import version

    from councilplan.store.scratch import postgresql_reachable, server_for_tests

    args.locust_version = version("locust")
    info = machine()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results: list[Row] = []
    baselines: dict[str, float | None] = {}
    for kind in kinds:
        if kind == "postgresql":
            why = postgresql_reachable(server_for_tests())
            if why is not None:
                print(f"postgresql skipped: {why}")
                continue
        results.append(run_one(kind, args))
        if not args.no_baseline:
            baselines[kind] = service_baseline(kind, 10_000)
    markdown = report_all(results, baselines, args, argv, info)
    print(markdown)
    write_json(args.out, f"{name}-quick" if args.quick else name,
               {"rows": [slim(r) for r in results], "baselines": baselines, "machine": info})
    if not args.no_record:
        record_section(name, markdown)
    if not all(r["check"]["ok"] for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
