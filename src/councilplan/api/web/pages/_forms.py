"""What the page modules share: the router with CSRF checks, the signed-in member,
running a form's action and showing its refusal on the same page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from councilplan.api.auth.accounts import LoginThrottled
from councilplan.api.authz import Forbidden
from councilplan.api.deps import csrf_protect, get_principal
from councilplan.api.errors import status_for
from councilplan.api.web.render import page, render_error
from councilplan.errors import CouncilplanError, Problem

__all__ = ["page_router", "refused", "signed_in"]


def page_router() -> APIRouter:
    return APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


def signed_in(request: Request) -> Any:
    """The principal (401 -> the login page)."""
    return get_principal(request)


def refused(request: Request, exc: CouncilplanError, template: str,
            context: Callable[[], dict[str, Any]], form: str, *,
            values: dict[str, str] | None = None) -> Response:
    """Render ``template`` again with the refusal shown beside ``form`` (status 4xx), and
    the form's fields as they were sent (``values``; never a password) to correct.

    A member who may not do this at all (403) does not have the form on their page: they
    get the error page saying who may."""
    if isinstance(exc, Forbidden):
        return render_error(request, 403, exc.message, list(exc.problems))
    ctx = context()
    ctx["values"] = values or {}
    ctx["refusal"] = {"form": form, "title": exc.message,
                         "problems": list(exc.problems) or [Problem("", exc.message)]}
    headers = ({"Retry-After": str(exc.retry_after)} if isinstance(exc, LoginThrottled)
               else None)
    return page(request, template, ctx, status=status_for(exc), headers=headers)
