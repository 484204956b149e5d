"""The web application's tables: accounts, their server-side sessions, failed logins.

* ``accounts`` -- one login per member (``member_id`` unique): a username, an Argon2
  password hash (never the password), when it was made and whether it is disabled.
  An account carries no role: what it may do follows from its member's memberships
  and mandates (:mod:`councilplan.api.authz`).
* ``sessions`` -- a signed-in browser or client. Only the SHA-256 of the session id
  is stored (``session_hash``), so a copy of the table cannot be replayed; logging
  out deletes the row.
* ``login_failures`` -- one row per failed login, by the username tried (known or
  not, so the throttle does not tell which usernames exist); counted over the last
  hour to refuse more than the allowed number of failures per account.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from councilplan.store.tables._meta import HASH, ID, metadata
from councilplan.store.types import UtcDateTime

__all__ = ["accounts", "login_failures", "sessions"]

USERNAME = 64

accounts = Table(
    "accounts", metadata,
    Column("account_id", String(ID), primary_key=True),
    Column("username", String(USERNAME), nullable=False, unique=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), nullable=False,
           unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("disabled_at", UtcDateTime(), nullable=True),
)

sessions = Table(
    "sessions", metadata,
    Column("session_hash", String(HASH), primary_key=True),
    Column("account_id", String(ID), ForeignKey("accounts.account_id"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index("ix_sessions_account_id", "account_id"),
)

login_failures = Table(
    "login_failures", metadata,
    Column("failure_id", Integer(), primary_key=True, autoincrement=True),
    Column("username", String(USERNAME), nullable=False),
    Column("failed_at", UtcDateTime(), nullable=False),
    Index("ix_login_failures_username", "username", "failed_at"),
)
