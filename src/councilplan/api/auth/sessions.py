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

__all__ = [
    "ANON_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
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
