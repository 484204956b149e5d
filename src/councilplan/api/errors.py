"""The one place where the web application turns errors into responses.

==============================  ======  =========================================
error                           status  meaning
==============================  ======  =========================================
:class:`~councilplan.errors.InvalidInput`, a request that fails validation
                                422     bad data; every problem listed
:class:`~.authz.NotSignedIn`    401     no valid session
:class:`~.authz.Forbidden`      403     the member may not do this
:class:`~councilplan.errors.NotFound`
                                404     no such object
:class:`~.auth.accounts.LoginFailed`
                                401     wrong username or password
:class:`~.auth.accounts.LoginThrottled`
                                429     too many failed logins (``Retry-After``)
other :class:`~councilplan.errors.RuleViolation`
                                409     a rule refuses the action now
:class:`~.security.BodyTooLarge` 413    the body outgrew the limit while read
anything else                   500     a short message; the traceback goes to the
                                        server's log, never to the client
==============================  ======  =========================================

API paths (``/api/...``) get ``application/problem+json``; pages get the error page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from councilplan.api.auth.accounts import LoginFailed, LoginThrottled
from councilplan.api.authz import Forbidden, NotSignedIn
from councilplan.api.security import BodyTooLarge, _limit_text
from councilplan.errors import CouncilplanError, InvalidInput, NotFound, Problem, RuleViolation

__all__ = ["api_problem", "install", "status_for", "unexpected_problem"]

log = logging.getLogger("councilplan.api")


def status_for(exc: CouncilplanError) -> int:
    if isinstance(exc, InvalidInput):
        return 422
    if isinstance(exc, NotSignedIn | LoginFailed):
        return 401
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, LoginThrottled):
        return 429
    if isinstance(exc, RuleViolation):
        return 409
    return 500


def api_problem(status: int, title: str, problems: list[Problem],
                headers: dict[str, str] | None = None) -> JSONResponse:
    """The ``application/problem+json`` refusal of an API request."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status,
                            "problems": [{"where": p.where, "message": p.message}
                                         for p in problems[:500]]}
    return JSONResponse(body, status_code=status, headers=headers,
                        media_type="application/problem+json")


def error_headers(exc: CouncilplanError) -> dict[str, str] | None:
    if isinstance(exc, LoginThrottled):
        return {"Retry-After": str(exc.retry_after)}
    return None


UNEXPECTED = ("Something went wrong on the server",
              [Problem("server", "the error was logged; nothing was half-done (every action "
                       "is one transaction)")])


def unexpected_problem() -> JSONResponse:
    """The API's answer to an error nobody raised on purpose (logged by the caller)."""
    return api_problem(500, UNEXPECTED[0], list(UNEXPECTED[1]))


def _problem_response(request: Request, status: int, title: str, problems: list[Problem],
                      headers: dict[str, str] | None = None) -> Response:
    state = getattr(request.app.state, "councilplan", None)
    if request.url.path.startswith("/api") or state is None or state.templates is None:
        return api_problem(status, title, problems, headers)
    from councilplan.api.web.render import render_error

    return render_error(request, status, title, problems, headers=headers)


def _validation_problems(exc: RequestValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form")]
        out.append(Problem(".".join(loc) or "request", str(err.get("msg", "invalid"))))
    return out


def _allowed_methods(request: Request, given: str) -> str:
    """Every method the request's path takes, for a 405's ``Allow``: Starlette names only
    those of the first route the path matched (``given``) when several share a path; the
    OpenAPI document knows them all."""
    methods = {m.strip().upper() for m in given.split(",") if m.strip()}
    segments = request.url.path.split("/")
    for template, item in request.app.openapi().get("paths", {}).items():
        parts = template.split("/")
        if len(parts) == len(segments) and all(
                t == seg or (t.startswith("{") and t.endswith("}") and seg != "")
                for t, seg in zip(parts, segments, strict=True)):
            methods |= {m.upper() for m in item}
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(CouncilplanError)
    async def _councilplan(request: Request, exc: CouncilplanError) -> Response:
        status = status_for(exc)
        headers = error_headers(exc)
        if status == 500:
            log.error("%s on %s %s", type(exc).__name__, request.method, request.url.path,
                      exc_info=exc)
        return _problem_response(request, status, exc.message, list(exc.problems), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _problem_response(request, 422, "the request is not valid",
                                 _validation_problems(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {400: "the request body is not valid JSON", 404: "not found",
                  405: "method not allowed"}
        title = titles.get(exc.status_code, str(exc.detail))
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            given = {k.lower(): v for k, v in (headers or {}).items()}.get("allow", "")
            headers = {k: v for k, v in (headers or {}).items() if k.lower() != "allow"}
            headers["Allow"] = _allowed_methods(request, given)
        return _problem_response(request, exc.status_code, title,
                                 [Problem(request.url.path, str(exc.detail))], headers)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge) -> Response:
        return _problem_response(request, 413, "Request too large",
                                 [Problem("request", f"at most {_limit_text(exc.limit)} is "
                                          "accepted here")])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _problem_response(request, 500, UNEXPECTED[0], list(UNEXPECTED[1]))
