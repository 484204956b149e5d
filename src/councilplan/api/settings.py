"""The web application's settings: one frozen value, built once and handed to ``create_app``.

:meth:`Settings.from_env` reads ``COUNCILPLAN_*`` variables (the database URL falls back
on ``COUNCILPLAN_DATABASE_URL`` and then ``councilplan.db``, as the CLI does). A secret
key that is not given is made at random for the life of the process: sessions then end
when the server restarts, which is safe, only inconvenient.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

__all__ = ["Settings", "system_clock"]


def system_clock() -> datetime:
    """Now, as an aware UTC instant: the only place the web application reads the clock."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``create_app`` needs to know.

    Limits: ``max_body_bytes`` for JSON and form bodies, ``max_bulk_bytes`` for the JSON
    bodies of the plan's bulk registrations (needs, techniques, reports, catalogue: up to
    10,000 rows each) from a signed-in browser, ``max_upload_bytes`` for
    ``multipart/form-data`` uploads (413 beyond any); ``rate_per_second`` and
    ``rate_burst`` for the token bucket each session (or, signed out, each client
    address) draws on, and ``rate_per_address`` / ``address_burst`` for all requests
    from one address (429 with ``Retry-After`` when either is empty); ``max_in_flight`` requests
    at once before new ones are shed (503 with ``Retry-After``); at most
    ``login_failures_per_hour`` failed logins per account per hour (429).
    """

    database_url: str = "sqlite:///councilplan.db"
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    https: bool = False
    max_body_bytes: int = 64 * 1024
    max_bulk_bytes: int = 8 * 1024 * 1024
    max_upload_bytes: int = 16 * 1024 * 1024
    rate_per_second: float = 20.0
    rate_burst: int = 60
    rate_per_address: float = 1000.0
    address_burst: int = 2000
    max_in_flight: int = 256
    # threads running the (blocking) endpoints; PostgreSQL connections kept open (at most
    # three times as many at a peak; SQLite keeps one per thread)
    threads: int = 64
    db_connections: int = 20
    login_failures_per_hour: int = 100
    session_lifetime: timedelta = timedelta(hours=12)
    # a live session's account is remembered this long in the process (0: read it every
    # time); ending a session forgets it at once here, in other processes within this
    session_cache_seconds: float = 5.0
    # Argon2id cost (argon2-cffi's RFC 9106 "low memory" profile by default)
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    # close ballots whose time has come and record expiries every so many seconds (0: never)
    tick_seconds: float = 30.0
    clock: Callable[[], datetime] = field(default=system_clock, compare=False)

    def __post_init__(self) -> None:
        if len(self.secret_key) < 32:
            raise ValueError("the secret key must be at least 32 characters")
        for name in ("max_body_bytes", "max_bulk_bytes", "max_upload_bytes", "rate_burst",
                     "max_in_flight",
                     "login_failures_per_hour", "threads", "db_connections"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.rate_per_second <= 0 or self.rate_per_address <= 0:
            raise ValueError("the request rates must be positive")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, /,
                 **overrides: object) -> Settings:
        """Settings from ``COUNCILPLAN_*`` variables; keyword ``overrides`` win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        url = env.get("COUNCILPLAN_DATABASE_URL")
        if url:
            values["database_url"] = url
        if env.get("COUNCILPLAN_SECRET_KEY"):
            values["secret_key"] = env["COUNCILPLAN_SECRET_KEY"]
        if env.get("COUNCILPLAN_HTTPS"):
            values["https"] = env["COUNCILPLAN_HTTPS"].lower() in ("1", "true", "yes", "on")
        for name, kind in (("max_body_bytes", int), ("max_bulk_bytes", int),
                           ("max_upload_bytes", int),
                           ("rate_per_second", float), ("rate_burst", int),
                           ("rate_per_address", float), ("address_burst", int),
                           ("max_in_flight", int), ("login_failures_per_hour", int),
                           ("threads", int), ("session_cache_seconds", float),
                           ("db_connections", int),
                           ("tick_seconds", float),
                           ("argon2_time_cost", int), ("argon2_memory_kib", int),
                           ("argon2_parallelism", int)):
            raw = env.get("COUNCILPLAN_" + name.upper())
            if raw:
                values[name] = kind(raw)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
