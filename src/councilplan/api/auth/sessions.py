"""Session ids, the session cookie, and CSRF tokens.

A session id is 32 random bytes (URL-safe text) given to the client in an HttpOnly,
SameSite=Lax cookie (Secure under https); the database keeps only its SHA-256, so a
leaked table cannot be replayed. Logging in always makes a new id (no fixation).

CSRF (synchronizer token, stateless): the token of a session is
``HMAC-SHA256(secret, "csrf" NUL session id)``; a signed-out browser gets a random
pre-session cookie and the token ``HMAC(secret, "csrf-anon" NUL pre-session)`` (so the
login form is protected too). Every unsafe request made with a session cookie must
carry the token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from datetime import datetime

from councilplan.store import Account

__all__ = [
    "ANON_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "SessionCache",
    "csrf_matches",
    "csrf_token",
    "hash_session_id",
    "new_session_id",
]

SESSION_COOKIE = "cp_session"
ANON_COOKIE = "cp_presession"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def csrf_token(secret: str, session_id: str, *, anonymous: bool = False) -> str:
    label = b"csrf-anon\x00" if anonymous else b"csrf\x00"
    return hmac.new(secret.encode("utf-8"), label + session_id.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def csrf_matches(secret: str, session_id: str, presented: str | None, *,
                 anonymous: bool = False) -> bool:
    if not presented:
        return False
    return hmac.compare_digest(csrf_token(secret, session_id, anonymous=anonymous),
                               presented.strip())


class SessionCache:
    """The accounts of live sessions, remembered for ``ttl`` seconds, so a busy client
    does not cost a database read per request.

    Logging out and changing a password forget the entries they end at once, so in
    this process a session that has ended is refused from the next request on; another
    process serving the same database stops honouring it within ``ttl`` seconds.
    ``ttl`` 0 turns the cache off. A session past its expiry is never served from it.
    """

    def __init__(self, ttl: float, size: int = 100_000) -> None:
        self.ttl, self.size = ttl, size
        self._entries: OrderedDict[str, tuple[Account, datetime, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_hash: str, now: datetime) -> Account | None:
        if self.ttl <= 0:
            return None
        with self._lock:
            found = self._entries.get(session_hash)
            if found is None:
                return None
            account, expires_at, stored = found
            if time.monotonic() - stored > self.ttl or now >= expires_at:
                del self._entries[session_hash]
                return None
            return account

    def put(self, session_hash: str, account: Account, expires_at: datetime) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._entries[session_hash] = (account, expires_at, time.monotonic())
            self._entries.move_to_end(session_hash)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, session_hash: str) -> None:
        with self._lock:
            self._entries.pop(session_hash, None)

    def forget_account(self, account_id: str) -> None:
        with self._lock:
            for key in [k for k, v in self._entries.items() if v[0].account_id == account_id]:
                del self._entries[key]
