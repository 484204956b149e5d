"""A real ``councilplan serve`` process on a loopback port, and an asyncio HTTP client
that acts as many members at once through it.

:class:`LiveServer` starts ``councilplan serve`` as a child process (the same command an
operator runs), waits until it answers, and can stop it, ``kill -9`` it and start it
again on the same database. Sessions live in the database and the secret key is fixed,
so a session survives a restart, as it does for a real server with
``COUNCILPLAN_SECRET_KEY`` set.

:class:`Crowd` is the members' devices: one ``httpx.AsyncClient`` with a bounded
connection pool, keeping no cookies of its own (each request carries its member's
session cookie and CSRF token). Answers 429 and 503 are the server pushing back: the
client waits for ``Retry-After`` and sends the request again -- that is the client's
duty -- and counts them in :attr:`Crowd.pushed_back`.

Everything here listens on and connects to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any, TypeVar

import httpx
from argon2 import PasswordHasher
from sqlalchemy.engine import URL

import councilplan
from councilplan.api.auth.sessions import (
    SESSION_COOKIE,
    csrf_token,
    hash_session_id,
    new_session_id,
)
from councilplan.services.ids import new_id
from councilplan.store import Account, UnitOfWork

__all__ = ["HOST", "PASSWORD", "Crowd", "LiveServer", "Voter", "give_accounts", "in_thread",
           "utc_now"]

HOST = "127.0.0.1"
PASSWORD = "correct horse battery"
SECRET = "live-server-test-secret-" + "k" * 40
# a cheap Argon2 cost, given to the server too, so a login does not rehash at full cost
ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
T = TypeVar("T")


def utc_now() -> datetime:
    """The wall clock, which the server reads too (ballots a live server takes votes in
    must be open now)."""
    return datetime.now(UTC)


def in_thread(work: Callable[[], Awaitable[T]]) -> T:
    """Run the coroutine ``work()`` to its end on an event loop of its own, in a thread of
    its own (the browser tests' driver may hold this thread's loop)."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = asyncio.run(work())  # type: ignore[arg-type]
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["value"]  # type: ignore[no-any-return]


def give_accounts(uow: UnitOfWork, members: Iterable[str], now: datetime, *,
                  signed_in: bool = False) -> dict[str, Voter]:
    """An account for each member (username = member id, password :data:`PASSWORD`), in
    one transaction, with one Argon2 hash made once. ``signed_in``: each also gets a live
    session, written as a login writes it (only the id's hash is stored), so a test of a
    thousand members need not wait for a thousand logins; returns those sessions."""
    hashed = PasswordHasher(**ARGON2).hash(PASSWORD)
    voters: dict[str, Voter] = {}
    with uow.bookkeeping():
        for m in members:
            account = Account(new_id("ac"), m, m, hashed, now)
            uow.accounts.add(account)
            if signed_in:
                sid = new_session_id()
                uow.accounts.add_session(hash_session_id(sid), account.account_id, now,
                                         now + timedelta(hours=12))
                voters[m] = Voter(m, sid, csrf_token(SECRET, sid))
    return voters


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``councilplan serve --db URL`` on a free loopback port (a new port at each start)."""

    def __init__(self, url: URL, log: Path, *, log_level: str = "warning",
                 **settings: str) -> None:
        """``log_level`` ``info`` turns uvicorn's access log on (into ``log``)."""
        self.url = url.render_as_string(hide_password=False)
        self.log = log
        self.log_level = log_level
        self.settings = settings
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = ""
        self.starts = 0

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCILPLAN_")}
        src = str(Path(councilplan.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])
        env |= {"COUNCILPLAN_SECRET_KEY": SECRET, "COUNCILPLAN_TICK_SECONDS": "0",
                "COUNCILPLAN_ARGON2_TIME_COST": str(ARGON2["time_cost"]),
                "COUNCILPLAN_ARGON2_MEMORY_KIB": str(ARGON2["memory_cost"]),
                "COUNCILPLAN_ARGON2_PARALLELISM": str(ARGON2["parallelism"])}
        env |= {"COUNCILPLAN_" + k.upper(): v for k, v in self.settings.items()}
        return env

    def start(self, timeout: float = 90.0) -> None:
        assert self.proc is None, "the server is running"
        port = _free_port()
        self.base = f"http://{HOST}:{port}"
        with self.log.open("ab") as log:
            log.write(f"--- start {self.starts} on {self.base}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from councilplan.cli.main import app; app()",
                 "serve", "--db", self.url, "--host", HOST, "--port", str(port),
                 "--log-level", self.log_level],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self._env(), start_new_session=True)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"councilplan serve exited with {self.proc.returncode}:\n"
                                   + self.log_tail())
            try:
                if httpx.get(self.base + "/api/session", timeout=2).status_code == 401:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("councilplan serve did not answer in time:\n" + self.log_tail())

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no flush, no rollback -- as a power cut for the process."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self.proc = None

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@dataclass(frozen=True)
class Voter:
    member: str
    session: str  # the session cookie's value
    csrf: str

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"{SESSION_COOKIE}={self.session}", "X-CSRF-Token": self.csrf}


class Crowd:
    """Many members' devices sharing one bounded connection pool."""

    def __init__(self, base: str, connections: int = 48) -> None:
        self.client = httpx.AsyncClient(
            base_url=base,
            limits=httpx.Limits(max_connections=connections,
                                max_keepalive_connections=connections, keepalive_expiry=2.0),
            timeout=httpx.Timeout(60.0, pool=None))
        # the client keeps no cookie: a login carrying another member's session cookie
        # would end that session (the server replaces the session a login arrives with)
        self.client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        # at most so many requests handed to httpx at once: its pool scans every waiting
        # request on each answer, which with thousands waiting costs more than the server
        self.slots = asyncio.Semaphore(connections)
        self.pushed_back: Counter[int] = Counter()
        self.sent = 0

    async def __aenter__(self) -> Crowd:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def request(self, method: str, path: str, voter: Voter | None = None,
                      json: Any = None) -> httpx.Response:
        """Send until the server takes the request (429/503: wait ``Retry-After``)."""
        headers = voter.headers() if voter is not None else {}
        while True:
            self.sent += 1
            async with self.slots:
                r = await self.client.request(method, path, json=json, headers=headers)
            if r.status_code not in (429, 503):
                return r
            self.pushed_back[r.status_code] += 1
            assert "retry-after" in r.headers, (r.status_code, r.text)
            await asyncio.sleep(float(r.headers["retry-after"]))

    async def login(self, member: str) -> Voter:
        r = await self.request("POST", "/api/session",
                               json={"username": member, "password": PASSWORD})
        assert r.status_code == 200, (member, r.status_code, r.text)
        return Voter(member, r.cookies[SESSION_COOKIE], r.json()["csrf_token"])

    async def login_all(self, members: Iterable[str]) -> dict[str, Voter]:
        voters = await asyncio.gather(*(self.login(m) for m in members))
        return {v.member: v for v in voters}

    async def vote(self, voter: Voter, ballot: str, choice: Any, *, token: str | None = None,
                   previous: str | None = None) -> httpx.Response:
        body: dict[str, Any] = {"choice": choice}
        if token is not None:
            body["token"] = token
        if previous is not None:
            body["previous"] = previous
        return await self.request("POST", f"/api/ballots/{ballot}/votes", voter, body)

    async def receipt_check(self, voter: Voter, ballot: str, token: str) -> dict[str, Any]:
        r = await self.request("POST", f"/api/ballots/{ballot}/receipt-check", voter,
                               {"token": token})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]
