"""Making accounts, logging in and out, changing passwords.

Logging in is throttled per account: once ``login_failures_per_hour`` logins as a
username have failed within the last hour, further attempts are refused
(:class:`LoginThrottled`, 429 with ``Retry-After``) without checking the password,
until the oldest failure is an hour old. Failures are rows in the database, so the
throttle holds across restarts and processes, and they are kept for unknown
usernames too, so the throttle does not reveal which exist.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from councilplan.api.auth.passwords import MIN_PASSWORD, Passwords
from councilplan.api.auth.sessions import SessionCache, hash_session_id, new_session_id
from councilplan.api.settings import Settings
from councilplan.errors import InvalidInput, PreconditionFailed, Problem, RuleViolation
from councilplan.services.ids import new_id
from councilplan.store import Account, UnitOfWork

__all__ = [
    "LoginFailed",
    "LoginThrottled",
    "NewSession",
    "change_password",
    "create_account",
    "log_in",
    "log_out",
    "session_account",
]

HOUR = timedelta(hours=1)
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class LoginFailed(RuleViolation):
    """Wrong username or password (one message for both)."""


class LoginThrottled(RuleViolation):
    """Too many failed logins for this account within the hour."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message, [Problem("username", f"try again in {retry_after} s")])


@dataclass(frozen=True, slots=True)
class NewSession:
    session_id: str  # for the cookie only: the database keeps its hash
    account: Account
    expires_at: datetime


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("the password is too short",
                           [Problem("password", f"at least {MIN_PASSWORD} characters")])
    if len(password) > 1024:
        raise InvalidInput("the password is too long", [Problem("password", "at most 1024")])


def normalise_username(username: str) -> str:
    return username.strip().lower()


def create_account(uow: UnitOfWork, passwords: Passwords | None, member_id: str, password: str,
                   now: datetime, *, username: str | None = None,
                   password_hash: str | None = None) -> Account:
    """An account for ``member_id`` (username: the member id unless given).

    ``password_hash``: an Argon2 hash made earlier (bulk set-up), used instead of hashing
    ``password`` (then ``passwords`` may be ``None``).
    """
    name = normalise_username(username or member_id)
    if not _USERNAME.match(name):
        raise InvalidInput("not a username",
                           [Problem("username", "letters, digits and . _ @ -, at most 64")])
    if password_hash is None:
        if passwords is None:
            raise ValueError("create_account needs a hasher or a ready password hash")
        _check_password_rules(password)
        password_hash = passwords.hash(password)
    with uow.bookkeeping():
        uow.members.get(member_id)
        problems = []
        if uow.accounts.find_by_username(name) is not None:
            problems.append(Problem("username", f"{name} is taken"))
        if uow.accounts.find_by_member(member_id) is not None:
            problems.append(Problem(member_id, "this member has an account already"))
        if problems:
            raise PreconditionFailed(f"no account for {member_id}", problems)
        account = Account(new_id("ac"), name, member_id, password_hash, now)
        uow.accounts.add(account)
        return account


def log_in(uow: UnitOfWork, passwords: Passwords, settings: Settings, username: str,
           password: str, now: datetime, *, replacing: str | None = None,
           cache: SessionCache | None = None) -> NewSession:
    """Check the password and start a new session (ending ``replacing``, the session id
    the client had, if any)."""
    name = normalise_username(username)[:64]
    with uow.reading():
        count, oldest = uow.accounts.failures_since(name, now - HOUR)
        account = uow.accounts.find_by_username(name) if name else None
    if count >= settings.login_failures_per_hour:
        wait = HOUR - (now - oldest) if oldest is not None else HOUR
        retry = max(1, math.ceil(wait.total_seconds()))
        raise LoginThrottled(f"too many failed logins for {name}: try again later", retry)
    ok = passwords.check(None if account is None or account.disabled_at is not None
                         else account.password_hash, password)
    if not ok or account is None:
        with uow.bookkeeping():
            uow.accounts.add_failure(name, now)
            uow.accounts.forget_failures_before(name, now - HOUR)
        raise LoginFailed("wrong username or password",
                          [Problem("password", "wrong username or password")])
    session_id = new_session_id()
    expires = now + settings.session_lifetime
    rehash = passwords.hash(password) if passwords.needs_rehash(account.password_hash) else None
    with uow.bookkeeping():
        if replacing:
            uow.accounts.delete_session(hash_session_id(replacing))
        uow.accounts.delete_expired_sessions(now)
        uow.accounts.add_session(hash_session_id(session_id), account.account_id, now, expires)
        if rehash is not None:
            uow.accounts.set_password_hash(account.account_id, rehash)
    if replacing and cache is not None:
        cache.forget(hash_session_id(replacing))
    return NewSession(session_id, account, expires)


def log_out(uow: UnitOfWork, session_id: str, cache: SessionCache | None = None) -> None:
    """End the session: its row is deleted, so the cookie is worthless from now on."""
    session_hash = hash_session_id(session_id)
    with uow.bookkeeping():
        uow.accounts.delete_session(session_hash)
    if cache is not None:
        cache.forget(session_hash)


def session_account(uow: UnitOfWork, session_hash: str, now: datetime,
                    cache: SessionCache | None = None) -> Account | None:
    """The account of a live session (by the session id's hash), through ``cache``."""
    if cache is not None:
        hit = cache.get(session_hash, now)
        if hit is not None:
            return hit
    with uow.reading():
        found = uow.accounts.live_session(session_hash, now)
    if found is None:
        return None
    if cache is not None:
        cache.put(session_hash, *found)
    return found[0]


def change_password(uow: UnitOfWork, passwords: Passwords, account: Account, current: str,
                    new: str, cache: SessionCache | None = None, *,
                    now: datetime | None = None, failures_per_hour: int | None = None) -> None:
    """Change the password (the current one is checked); every session of the account ends.

    With ``now`` and ``failures_per_hour``, a wrong current password counts as a failed
    login of the account, and the change is refused once the account has had that many in
    the hour (as logging in is), so a stolen session cannot guess the password."""
    throttled = now is not None and failures_per_hour is not None
    if throttled:
        assert now is not None
        assert failures_per_hour is not None
        with uow.reading():
            count, oldest = uow.accounts.failures_since(account.username, now - HOUR)
        if count >= failures_per_hour:
            wait = HOUR - (now - oldest) if oldest is not None else HOUR
            raise LoginThrottled(f"too many failed logins for {account.username}: try again "
                                 "later", max(1, math.ceil(wait.total_seconds())))
    if not passwords.check(account.password_hash, current):
        if throttled:
            assert now is not None
            with uow.bookkeeping():
                uow.accounts.add_failure(account.username, now)
        raise LoginFailed("the current password is wrong",
                          [Problem("current_password", "wrong password")])
    _check_password_rules(new)
    new_hash = passwords.hash(new)
    with uow.bookkeeping():
        uow.accounts.set_password_hash(account.account_id, new_hash)
        uow.accounts.delete_sessions_of(account.account_id)
    if cache is not None:
        cache.forget_account(account.account_id)
