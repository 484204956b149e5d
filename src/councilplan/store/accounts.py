"""Accounts, sessions and failed logins (the web application's rows; no rule lives here).

Passwords arrive here already hashed (Argon2, :mod:`councilplan.api.auth.passwords`) and
session ids already hashed (SHA-256): the store never sees a secret a client holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from councilplan.errors import NotFound
from councilplan.store.tables import accounts, login_failures, sessions
from councilplan.store.types import UtcDateTime

__all__ = ["Account", "AccountRepository"]


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    username: str
    member_id: str
    password_hash: str
    created_at: datetime
    disabled_at: datetime | None = None


_COLUMNS = (accounts.c.account_id, accounts.c.username, accounts.c.member_id,
            accounts.c.password_hash, accounts.c.created_at, accounts.c.disabled_at)


class AccountRepository:
    """Accounts by username or id, their sessions by hashed id, and failed logins."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- accounts --------------------------------------------------------------

    def add(self, account: Account) -> None:
        self._conn.execute(insert(accounts).values(
            account_id=account.account_id, username=account.username,
            member_id=account.member_id, password_hash=account.password_hash,
            created_at=account.created_at, disabled_at=account.disabled_at))

    def find_by_username(self, username: str) -> Account | None:
        row = self._conn.execute(select(*_COLUMNS).where(accounts.c.username == username)).first()
        return None if row is None else Account(*row)

    def find_by_member(self, member_id: str) -> Account | None:
        row = self._conn.execute(select(*_COLUMNS).where(accounts.c.member_id == member_id)).first()
        return None if row is None else Account(*row)

    def get(self, account_id: str) -> Account:
        row = self._conn.execute(select(*_COLUMNS).where(accounts.c.account_id == account_id)
                                 ).first()
        if row is None:
            raise NotFound(f"account {account_id} does not exist")
        return Account(*row)

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        self._conn.execute(update(accounts).where(accounts.c.account_id == account_id)
                           .values(password_hash=password_hash))

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(accounts)).scalar_one())

    # -- sessions --------------------------------------------------------------

    def add_session(self, session_hash: str, account_id: str, created_at: datetime,
                    expires_at: datetime) -> None:
        self._conn.execute(insert(sessions).values(
            session_hash=session_hash, account_id=account_id, created_at=created_at,
            expires_at=expires_at))

    def session_account(self, session_hash: str, now: datetime) -> Account | None:
        """The enabled account of a live session, or ``None`` (unknown, expired, disabled)."""
        found = self.live_session(session_hash, now)
        return None if found is None else found[0]

    def live_session(self, session_hash: str, now: datetime) -> tuple[Account, datetime] | None:
        """The enabled account of a live session and when the session expires."""
        row = self._conn.execute(
            select(*_COLUMNS, sessions.c.expires_at).select_from(sessions.join(accounts))
            .where(sessions.c.session_hash == session_hash, sessions.c.expires_at > now,
                   accounts.c.disabled_at.is_(None))
        ).first()
        return None if row is None else (Account(*row[:-1]), row[-1])

    def delete_session(self, session_hash: str) -> None:
        self._conn.execute(delete(sessions).where(sessions.c.session_hash == session_hash))

    def delete_sessions_of(self, account_id: str) -> None:
        self._conn.execute(delete(sessions).where(sessions.c.account_id == account_id))

    def delete_expired_sessions(self, now: datetime) -> None:
        self._conn.execute(delete(sessions).where(sessions.c.expires_at <= now))

    # -- failed logins ---------------------------------------------------------

    def failures_since(self, username: str, since: datetime) -> tuple[int, datetime | None]:
        """How many logins as ``username`` failed since ``since``, and the oldest of them."""
        count, oldest = self._conn.execute(
            select(func.count(), func.min(login_failures.c.failed_at, type_=UtcDateTime()))
            .where(login_failures.c.username == username, login_failures.c.failed_at > since)
        ).one()
        return int(count), oldest

    def add_failure(self, username: str, at: datetime) -> None:
        self._conn.execute(insert(login_failures).values(username=username, failed_at=at))

    def forget_failures_before(self, username: str, before: datetime) -> None:
        self._conn.execute(delete(login_failures).where(login_failures.c.username == username,
                                                        login_failures.c.failed_at <= before))
