"""What every router shares: JSON answers from the views, the refusals documented."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from councilplan.api.deps import csrf_protect
from councilplan.api.schemas import ProblemOut
from councilplan.services.views import jsonable

__all__ = ["answer", "answer_all", "api_router"]

REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {"model": ProblemOut, "description": "the body is not JSON"},
    401: {"model": ProblemOut, "description": "not signed in"},
    403: {"model": ProblemOut, "description": "not allowed (or the CSRF token is missing)"},
    404: {"model": ProblemOut, "description": "no such object"},
    409: {"model": ProblemOut, "description": "a rule refuses the action now"},
    422: {"model": ProblemOut, "description": "bad input; every problem listed"},
    413: {"model": ProblemOut, "description": "the request body is too large"},
    415: {"model": ProblemOut, "description": "unsafe requests take application/json"},
    429: {"model": ProblemOut, "description": "too many requests (see Retry-After)"},
    503: {"model": ProblemOut, "description": "the server is busy (see Retry-After)"},
}


def api_router(prefix: str, tag: str) -> APIRouter:
    """A router under ``/api`` whose unsafe requests need the session's CSRF token."""
    return APIRouter(prefix="/api" + prefix, tags=[tag], responses=REFUSALS,
                     dependencies=[Depends(csrf_protect)])


def answer(value: Any, status: int = 200) -> JSONResponse:
    """A view (``to_dict()``) or plain data as the response body."""
    data = value.to_dict() if hasattr(value, "to_dict") else jsonable(value)
    return JSONResponse(data, status_code=status)


def answer_all(values: Iterable[Any], status: int = 200) -> JSONResponse:
    return JSONResponse([v.to_dict() if hasattr(v, "to_dict") else jsonable(v) for v in values],
                        status_code=status)
