"""Accounts and sessions: Argon2 passwords, server-side sessions, CSRF tokens, the login
throttle.

* :mod:`.passwords` -- Argon2id hashes through argon2-cffi (rehashed when the cost rises).
* :mod:`.sessions` -- session ids (random, only their SHA-256 stored), the cookie's
  attributes, and CSRF tokens bound to the session (or, signed out, to a pre-session
  cookie), checked on every unsafe request.
* :mod:`.accounts` -- making an account, logging in (throttled: at most so many failures
  per account per hour, persisted), logging out, changing a password.
"""
