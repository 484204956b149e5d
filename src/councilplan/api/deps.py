"""What each request is handed: a unit of work, the time, the session's account and
where its member stands (:class:`~councilplan.api.authz.Principal`), and the CSRF check.

A :class:`~councilplan.store.UnitOfWork` is made per request (it holds no connection
until a service enters it, and every service call is its own transaction). The clock is
read once per request, here, from ``settings.clock``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request
from jinja2 import Environment
from sqlalchemy import Engine

from councilplan.api.auth.accounts import session_account
from councilplan.api.auth.passwords import Passwords
from councilplan.api.auth.sessions import (
    ANON_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    SessionCache,
    csrf_matches,
    csrf_token,
    hash_session_id,
)
from councilplan.api.authz import Forbidden, NotSignedIn, Principal, VoterCache, load_principal
from councilplan.api.jobs import Jobs
from councilplan.api.settings import Settings
from councilplan.errors import Problem
from councilplan.store import Account, UnitOfWork

__all__ = [
    "AppState",
    "CurrentAccount",
    "Me",
    "Now",
    "UoW",
    "csrf_for",
    "csrf_protect",
    "get_account",
    "get_principal",
    "state_of",
]

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    passwords: Passwords
    jobs: Jobs
    sessions: SessionCache
    voters: VoterCache
    templates: Environment | None = None
    extra: dict[str, object] = field(default_factory=dict)


async def state_dep(request: Request) -> AppState:
    return state_of(request)


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.councilplan
    return state


def get_uow(request: Request) -> UnitOfWork:
    return UnitOfWork(state_of(request).engine)


async def uow_dep(request: Request) -> UnitOfWork:
    # async: a trivial dependency must not cost a hop through the thread pool
    return get_uow(request)


async def now_dep(request: Request) -> datetime:
    return get_now(request)


def get_now(request: Request) -> datetime:
    cached: datetime | None = getattr(request.state, "now", None)
    if cached is None:
        cached = state_of(request).settings.clock()
        request.state.now = cached
    return cached


def get_account(request: Request) -> Account | None:
    """The account of the request's session cookie (``None``: signed out), read once."""
    if hasattr(request.state, "account"):
        found: Account | None = request.state.account
        return found
    sid = request.cookies.get(SESSION_COOKIE)
    account = None
    if sid and len(sid) <= 128:
        state = state_of(request)
        account = session_account(get_uow(request), hash_session_id(sid), get_now(request),
                                  state.sessions)
    request.state.account = account
    return account


def require_account(request: Request) -> Account:
    account = get_account(request)
    if account is None:
        raise NotSignedIn("sign in first", [Problem("session", "no valid session: log in")])
    return account


def get_principal(request: Request) -> Principal:
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is None:
        cached = load_principal(get_uow(request), require_account(request), get_now(request))
        request.state.principal = cached
    return cached


def csrf_for(request: Request) -> str:
    """The CSRF token pages put in their forms (session-bound; else pre-session-bound)."""
    settings = state_of(request).settings
    sid = request.cookies.get(SESSION_COOKIE)
    if sid and get_account(request) is not None:
        return csrf_token(settings.secret_key, sid)
    anon = request.cookies.get(ANON_COOKIE) or getattr(request.state, "new_anon", None)
    if not anon:
        from councilplan.api.auth.sessions import new_session_id

        anon = new_session_id()
        request.state.new_anon = anon  # the page sets the cookie (see web.render)
    return csrf_token(settings.secret_key, anon, anonymous=True)


async def csrf_protect(request: Request) -> None:
    """Refuse an unsafe request whose CSRF token is missing or wrong (403).

    A signed-out API request is let through to be refused as not signed in (401); a
    form must carry the token of this browser's session or pre-session cookie (the login
    form carries the latter). An attacker's page can read neither cookie nor derive either
    token without the server's secret.
    """
    if request.method not in UNSAFE:
        return
    settings = state_of(request).settings
    presented = [request.headers.get(CSRF_HEADER)]
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        presented.append(value if isinstance(value, str) else None)
    sid = request.cookies.get(SESSION_COOKIE)
    anon = request.cookies.get(ANON_COOKIE)
    if not sid and request.url.path.startswith("/api"):
        return
    # a token bound to the session's cookie; or to the pre-session's (the login form of a
    # browser whose old session cookie has expired carries that one), but only while the
    # browser is not signed in: a signed-in browser's pre-session cookie may have been
    # planted, with its token, by whoever planted it
    ok = any(p and sid and csrf_matches(settings.secret_key, sid, p) for p in presented)
    if not ok and anon and any(p and csrf_matches(settings.secret_key, anon, p, anonymous=True)
                               for p in presented):
        ok = not sid or await anyio.to_thread.run_sync(get_account, request) is None
    if not ok:
        raise Forbidden("the request's CSRF token is missing or wrong",
                        [Problem(CSRF_FIELD, "reload the page and send the form again; API "
                                 "clients send the session's token as X-CSRF-Token")])


UoW = Annotated[UnitOfWork, Depends(uow_dep)]
Now = Annotated[datetime, Depends(now_dep)]
CurrentAccount = Annotated[Account, Depends(require_account)]
Me = Annotated[Principal, Depends(get_principal)]
State = Annotated[AppState, Depends(state_dep)]
