"""Logging in and out on the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from councilplan.api.auth.accounts import LoginThrottled, log_in, log_out
from councilplan.api.auth.sessions import SESSION_COOKIE
from councilplan.api.deps import Now, State, UoW, get_account
from councilplan.api.errors import status_for
from councilplan.api.routers.session import clear_session_cookie, set_session_cookie
from councilplan.api.web.pages._forms import page_router
from councilplan.api.web.render import page, redirect
from councilplan.errors import CouncilplanError

__all__ = ["router"]

router = page_router()


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str | None = None, changed: str | None = None
               ) -> Response:
    if get_account(request) is not None:
        return redirect(_safe_next(next))
    return page(request, "login.html", {"next": _safe_next(next), "changed": changed == "1"})


@router.post("/login")
def login(request: Request, uow: UoW, now: Now, state: State,
          username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=1024)],
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    try:
        new = log_in(uow, state.passwords, state.settings, username, password, now,
                     replacing=request.cookies.get(SESSION_COOKIE), cache=state.sessions)
    except CouncilplanError as exc:
        headers = ({"Retry-After": str(exc.retry_after)} if isinstance(exc, LoginThrottled)
                   else None)
        return page(request, "login.html", {"next": _safe_next(next), "username": username,
                                            "error": exc.message},
                    status=status_for(exc), headers=headers)
    response = redirect(_safe_next(next))
    set_session_cookie(response, state.settings, new.session_id)
    return response


@router.post("/logout")
def logout(request: Request, uow: UoW, state: State) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        log_out(uow, sid, state.sessions)
    response = redirect("/login")
    clear_session_cookie(response, state.settings)
    return response
