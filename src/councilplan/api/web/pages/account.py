"""My account: who I am here, where I stand (memberships, offices, mandates), and
changing my password (every session ends; log in again with the new one)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api.auth.accounts import change_password
from councilplan.api.deps import Now, State, UoW, require_account
from councilplan.api.routers.session import clear_session_cookie
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.render import page, redirect
from councilplan.errors import CouncilplanError, InvalidInput, Problem

__all__ = ["router"]

router = page_router()

FORM = "password"


def account_context(request: Request, uow: UoW) -> dict[str, Any]:
    me = signed_in(request)
    councils = {c.council_id: c.name for c in services.list_councils(uow)}
    return {"councils": councils, "mandates": me.mandates,
            "direct": sorted(me.councils), "offices": sorted(me.offices)}


@router.get("/account")
def account(request: Request, uow: UoW) -> Response:
    return page(request, "account.html", account_context(request, uow))


def _renamed(exc: CouncilplanError) -> CouncilplanError:
    """The account rules name the new password ``password``; the form calls it
    ``new_password``."""
    exc.problems = tuple(Problem("new_password" if p.where == "password" else p.where,
                                 p.message) for p in exc.problems)
    return exc


@router.post("/account/password")
def password(request: Request, uow: UoW, state: State, now: Now,
             current_password: Annotated[str, Form(max_length=1024)] = "",
             new_password: Annotated[str, Form(max_length=1024)] = "",
             confirm_password: Annotated[str, Form(max_length=1024)] = "") -> Response:
    account = require_account(request)
    signed_in(request)
    try:
        problems = []
        if not current_password:
            problems.append(Problem("current_password", "type your current password"))
        if new_password != confirm_password:
            problems.append(Problem("confirm_password", "does not match the new password"))
        if problems:
            raise InvalidInput("the password was not changed", problems)
        change_password(uow, state.passwords, account, current_password, new_password,
                        state.sessions, now=now,
                        failures_per_hour=state.settings.login_failures_per_hour)
    except CouncilplanError as exc:
        return refused(request, _renamed(exc), "account.html",
                       lambda: account_context(request, uow), FORM)
    response = redirect("/login?changed=1")
    clear_session_cookie(response, state.settings)
    return response
