"""Casting's hot path, ``POST /api/ballots/{ballot_id}/votes``, answered as plain ASGI.

A ballot's busiest minutes are made of this one request. Through FastAPI's routing,
request objects and dependency solving it cost about twice the CPU of the cast itself,
so :class:`CastingLane` answers it directly, with the route's own checks and answer
(:func:`councilplan.api.routers.ballots.cast` stays: it is what the OpenAPI document
describes, and it answers every request the lane does not take):

* the lane sits inside the protections of :mod:`councilplan.api.security` (headers,
  load shedding, rate limits, the body limit, JSON only): they apply unchanged;
* it takes a request only when it is well formed and carries its CSRF token: POST to
  exactly that path, a valid ballot id, ``Content-Type: application/json``, a session
  cookie with a matching ``X-CSRF-Token``, and a JSON body that is a valid
  :class:`~councilplan.api.schemas.VoteIn`. Anything else goes on to the app with the
  body as read, so every refusal of a malformed request is the framework's own, word for
  word (400, 403, 422);
* the session, the electorate and the cast are the route's own calls
  (:func:`~councilplan.api.authz.voter_of_session`, :func:`councilplan.api.actions.cast`),
  in worker threads of the lane's own (:class:`CastingLane` ``pool``: a plain
  executor costs half what a hop through anyio's does; as many threads as the app's
  thread pool on SQLite, whose group commit wants casts waiting together, and no more
  than the kept database connections on PostgreSQL, where one more thread would only
  open and close a connection per cast); their refusals become the same ``application/problem+json``
  as everywhere (:mod:`councilplan.api.errors`), and nothing is logged but what the
  app's handlers log (never a choice, never who made it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from starlette.requests import cookie_parser

from councilplan.api import actions
from councilplan.api.auth.sessions import SESSION_COOKIE, csrf_matches, hash_session_id
from councilplan.api.authz import voter_of_session
from councilplan.api.deps import AppState
from councilplan.api.errors import api_problem, error_headers, status_for, unexpected_problem
from councilplan.api.schemas import VoteIn
from councilplan.api.security import BodyTooLarge, _limit_text
from councilplan.errors import CouncilplanError, Problem
from councilplan.store import UnitOfWork

__all__ = ["CastingLane", "CastingPool", "cast_for_session"]

log = logging.getLogger("councilplan.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# the route's path, its ballot id as IdPath admits it (schemas.IdPath)
VOTES_PATH = re.compile(r"/api/ballots/([A-Za-z0-9][A-Za-z0-9._:@-]{0,63})/votes")


def _headers(scope: Scope) -> tuple[str | None, str | None, str | None]:
    """The first Content-Type, Cookie and X-CSRF-Token headers (as Starlette reads them)."""
    ctype = cookie = csrf = None
    for key, value in scope.get("headers", ()):
        if key == b"content-type" and ctype is None:
            ctype = value.decode("latin-1")
        elif key == b"cookie" and cookie is None:
            cookie = value.decode("latin-1")
        elif key == b"x-csrf-token" and csrf is None:
            csrf = value.decode("latin-1")
    return ctype, cookie, csrf


class CastingPool:
    """The lane's worker threads: started on first use, ended by :meth:`shutdown` (at
    the end of the app's lifespan), started again if the app serves again."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="cp-cast")
            return self._executor

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


class CastingLane:
    def __init__(self, app: ASGIApp, state: AppState, pool: CastingPool) -> None:
        self.app = app
        self.state = state
        self.pool = pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        match = VOTES_PATH.fullmatch(str(scope.get("path", "")))
        if match is None:
            await self.app(scope, receive, send)
            return
        ctype, cookie, csrf = _headers(scope)
        session = cookie_parser(cookie).get(SESSION_COOKIE) if cookie else None
        if (not session or ctype is None
                or ctype.split(";")[0].strip().lower() != "application/json"
                or not csrf_matches(self.state.settings.secret_key, session, csrf)):
            await self.app(scope, receive, send)
            return
        try:
            body = await self._body(receive)
        except BodyTooLarge as exc:
            await api_problem(413, "Request too large",
                              [Problem("request", f"at most {_limit_text(exc.limit)} is "
                                       "accepted here")])(scope, receive, send)
            return
        vote = _vote(body)
        if vote is None:
            await self.app(scope, _replay(body, receive), send)
            return
        ballot_id = match.group(1)
        try:
            answer = await asyncio.get_running_loop().run_in_executor(
                self.pool.executor(), self._cast, ballot_id, session, vote)
        except CouncilplanError as exc:
            status = status_for(exc)
            if status == 500:
                log.error("%s on POST %s", type(exc).__name__, scope["path"], exc_info=exc)
            await api_problem(status, exc.message, list(exc.problems),
                              error_headers(exc))(scope, receive, send)
            return
        except Exception as exc:
            log.error("unexpected error on POST %s", scope["path"], exc_info=exc)
            await unexpected_problem()(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"content-length", str(len(answer)).encode("latin-1")),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": answer})

    @staticmethod
    async def _body(receive: Receive) -> bytes:
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _cast(self, ballot_id: str, session: str, vote: VoteIn) -> bytes:
        """What the route does, in a worker thread: the session as a voter, then the cast."""
        state = self.state
        answer = cast_for_session(state, UnitOfWork(state.engine), ballot_id, session, vote,
                                  state.settings.clock())
        return json.dumps(answer, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


def cast_for_session(state: AppState, uow: UnitOfWork, ballot_id: str, session: str,
                     vote: VoteIn, now: datetime) -> dict[str, str]:
    """The cast both the lane and the route (:func:`councilplan.api.routers.ballots.cast`)
    make, so the two cannot drift apart: the session as a voter of the ballot, then the
    member's paper (replacing ``vote.previous``, under the device's ``vote.token`` when it
    chose one); the answer is the receipt."""
    account = voter_of_session(uow, hash_session_id(session[:128]), ballot_id, now,
                               state.sessions, state.voters)
    receipt = actions.cast(account.member_id, uow, ballot_id, vote.choice, now,
                           previous=vote.previous, token=vote.token, checked=True)
    return {"ballot_id": ballot_id, "receipt_token": receipt.token_hex, "code": receipt.code}


def _vote(body: bytes) -> VoteIn | None:
    """The body as the route would take it (JSON, then a VoteIn), or None."""
    if not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return VoteIn.model_validate(data)
    except ValidationError:
        return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then the client's messages."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed
