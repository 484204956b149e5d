"""Rendering pages: the Jinja2 environment, the context every page gets, the error page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from councilplan.api.auth.sessions import ANON_COOKIE
from councilplan.errors import Problem

__all__ = ["environment", "page", "redirect", "render_error"]


def _when(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime(fmt) + " UTC"


def _day(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d")


def _money(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}"


def environment() -> Environment:
    folder = resources.files("councilplan.api.web") / "templates"
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = _when
    env.filters["day"] = _day
    env.filters["money"] = _money
    return env


def page(request: Request, template: str, context: dict[str, Any] | None = None, *,
         status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render ``template`` with the page context (the signed-in member, the CSRF token)."""
    from councilplan.api.deps import csrf_for, state_of

    state = state_of(request)
    assert state.templates is not None
    ctx: dict[str, Any] = {"request": request, "csrf": csrf_for(request),
                           "me": getattr(request.state, "principal", None),
                           "path": request.url.path}
    ctx.update(context or {})
    html = state.templates.get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status, headers=headers)
    anon = getattr(request.state, "new_anon", None)
    if anon:
        response.set_cookie(ANON_COOKIE, anon, httponly=True, samesite="strict",
                            secure=state.settings.https, path="/")
    return response


def redirect(url: str) -> Response:
    """After a successful form: see the result (303, so a reload does not resend)."""
    return RedirectResponse(url, status_code=303)


def render_error(request: Request, status: int, title: str, problems: Sequence[Problem],
                 headers: dict[str, str] | None = None) -> Response:
    if status == 401:
        return redirect("/login?next=" + quote(request.url.path))
    return page(request, "error.html", {"status": status, "title": title,
                                        "problems": problems}, status=status, headers=headers)
