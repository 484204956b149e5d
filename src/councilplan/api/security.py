"""Protections every request passes through (pure ASGI middleware, outermost first).

* :class:`SecurityHeaders` -- a Content-Security-Policy with no ``unsafe-inline``
  (scripts and styles only from this origin, ``frame-ancestors 'none'``),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, ``X-Frame-Options``,
  ``Cross-Origin-Opener-Policy``, ``Permissions-Policy``, ``Cache-Control: no-store``
  on everything but static files, and HSTS under https.
* :class:`LoadShedding` -- at most ``max_in_flight`` requests at once; beyond that a
  request is answered at once with 503 and ``Retry-After`` instead of queueing until
  every client times out (nothing is half-done: it never reached a service).
* :class:`RateLimit` -- a token bucket per session (per client address when signed
  out): ``rate_per_second`` sustained, ``rate_burst`` at once; 429 with ``Retry-After``.
* :class:`BodyLimit` -- request bodies above ``max_body_bytes`` (``max_upload_bytes``
  for ``multipart/form-data``) get 413 with a clear message, whether the size was
  announced in ``Content-Length`` or found while reading.
* :class:`JsonOnly` -- the JSON API's unsafe requests must say ``application/json``
  (415 otherwise), so a cross-site HTML form can never reach it.

Refusals made here are short ``application/problem+json`` bodies (HTML for pages).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from councilplan.api.auth.sessions import SESSION_COOKIE
from councilplan.api.settings import Settings

__all__ = [
    "BodyLimit",
    "BodyTooLarge",
    "JsonOnly",
    "LoadShedding",
    "RateLimit",
    "SecurityHeaders",
    "install",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _wants_json(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api")


async def refuse(scope: Scope, send: Send, status: int, title: str, why: str,
                 headers: dict[str, str] | None = None) -> None:
    """Answer with a short refusal (problem+json for the API, a small page otherwise)."""
    extra = [(k.lower().encode("latin-1"), v.encode("latin-1"))
             for k, v in (headers or {}).items()]
    if _wants_json(scope):
        body = json.dumps({"type": "about:blank", "title": title, "status": status,
                           "problems": [{"where": "request", "message": why}]}).encode()
        ctype = b"application/problem+json"
    else:
        from html import escape

        body = ("<!doctype html><html lang=en><meta charset=utf-8>"
                "<meta name=viewport content='width=device-width,initial-scale=1'>"
                f"<title>{status} {escape(title)}</title><link rel=stylesheet "
                f"href='/static/app.css'><main class=page><h1>{escape(title)}</h1>"
                f"<p>{escape(why)}</p><p><a href='/'>Back to my councils</a></p></main>"
                ).encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if settings.https:
            headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", ())}
                add = [h for h in self.headers if h[0] not in have]
                if not static and b"cache-control" not in have:
                    add.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", ()), *add]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoadShedding:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.limit = settings.max_in_flight
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await refuse(scope, send, 503, "The server is busy",
                         "too many requests are in progress; nothing was done: try again in "
                         "a second", {"Retry-After": "1"})
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class TokenBuckets:
    """Token buckets by key (least recently used dropped beyond ``size`` keys)."""

    def __init__(self, rate: float, burst: int, size: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.size, self.clock = rate, float(burst), size, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if a token was taken, else the seconds until one is there."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.size:
                self._buckets.popitem(last=False)
        return wait


def _session_cookie(scope: Scope) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return value
    return None


class RateLimit:
    """Two buckets per request: its client address's (``rate_per_address``; a client
    cannot escape it by making up session cookies) and its session's (signed out: the
    address's own small one)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.buckets = TokenBuckets(settings.rate_per_second, settings.rate_burst)
        self.addresses = TokenBuckets(settings.rate_per_address, settings.address_burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/static/"):
            await self.app(scope, receive, send)
            return
        session = _session_cookie(scope)
        client = scope.get("client") or ("?", 0)
        key = f"s:{session[:64]}" if session else f"a:{client[0]}"
        wait = max(self.addresses.take(str(client[0])), self.buckets.take(key))
        if wait > 0:
            retry = max(1, math.ceil(wait))
            await refuse(scope, send, 429, "Too many requests",
                         f"slow down: try again in {retry} s", {"Retry-After": str(retry)})
            return
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """Raised while reading a body that turned out larger than allowed (an HTTP error, so
    the framework's body parsing lets it through as it is)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(413, f"the request body is larger than {limit} bytes")


def _limit_text(limit: int) -> str:
    return f"{limit // 1024} KiB" if limit < 1024 * 1024 else f"{limit // (1024 * 1024)} MiB"


# the plan's bulk registrations: up to 10,000 rows in one JSON body (schemas.py)
BULK_PATHS = re.compile(r"/api/plan/(?:catalogue|periods/[^/]+/(?:needs|techniques|reports))")


class BodyLimit:
    """413 for a body over its limit, announced or counted as it arrives: uploads
    (``multipart/form-data``) ``max_upload_bytes``; a POST of the plan's bulk
    registrations (:data:`BULK_PATHS`) with a session cookie ``max_bulk_bytes``; anything
    else ``max_body_bytes``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.body = settings.max_body_bytes
        self.bulk = settings.max_bulk_bytes
        self.upload = settings.max_upload_bytes

    def limit_of(self, scope: Scope) -> int:
        ctype = (_header(scope, b"content-type") or "").lower()
        if ctype.startswith("multipart/form-data"):
            return self.upload
        if (scope.get("method") == "POST" and BULK_PATHS.fullmatch(str(scope.get("path", "")))
                and f"{SESSION_COOKIE}=" in (_header(scope, b"cookie") or "")):
            return self.bulk
        return self.body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope)
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                announced = int(length)
            except ValueError:
                announced = -1
            if announced < 0 or announced > limit:
                await refuse(scope, send, 413, "Request too large",
                             f"the request body is {length} bytes; at most {_limit_text(limit)} "
                             "is accepted here")
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


class JsonOnly:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope.get("method") in UNSAFE and _wants_json(scope)):
            ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
            length = _header(scope, b"content-length")
            has_body = ctype or (length not in (None, "0"))
            if has_body and ctype != "application/json":
                await refuse(scope, send, 415, "Unsupported media type",
                             "the API takes JSON bodies: Content-Type: application/json")
                return
        await self.app(scope, receive, send)


def install(app: Any, settings: Settings) -> None:
    """Add the middleware in order (the last added runs first)."""
    app.add_middleware(JsonOnly)
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(RateLimit, settings=settings)
    app.add_middleware(LoadShedding, settings=settings)
    app.add_middleware(SecurityHeaders, settings=settings)
