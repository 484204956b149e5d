"""``/api/session``: log in (a new session id every time), who am I, log out, password."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from councilplan.api.auth.accounts import change_password, log_in, log_out
from councilplan.api.auth.sessions import ANON_COOKIE, SESSION_COOKIE, csrf_token
from councilplan.api.authz import load_principal
from councilplan.api.deps import Me, Now, State, UoW, csrf_protect, require_account
from councilplan.api.routers._common import REFUSALS
from councilplan.api.schemas import LoginIn, PasswordIn, SessionOut
from councilplan.api.settings import Settings
from councilplan.services.views import jsonable

__all__ = ["clear_session_cookie", "router", "set_session_cookie"]

router = APIRouter(prefix="/api/session", tags=["session"], responses=REFUSALS)


def set_session_cookie(response: Response, settings: Settings, session_id: str) -> None:
    """The new session's cookie; the pre-login session (its cookie and CSRF token) is
    dropped: nothing from before the login is kept after it."""
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="lax",
                        secure=settings.https, path="/",
                        max_age=int(settings.session_lifetime.total_seconds()))
    response.delete_cookie(ANON_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=settings.https)


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=settings.https)


@router.post("", response_model=SessionOut, summary="Log in")
def login(body: LoginIn, request: Request, uow: UoW, now: Now, state: State) -> JSONResponse:
    """Check the password (at most so many failures per account per hour) and start a
    new session; the cookie is HttpOnly and SameSite=Lax, and the body carries the CSRF
    token to send with every unsafe request."""
    new = log_in(uow, state.passwords, state.settings, body.username, body.password, now,
                 replacing=request.cookies.get(SESSION_COOKIE), cache=state.sessions)
    me = load_principal(uow, new.account, now)
    data = {"account_id": me.account_id, "username": me.username, "member_id": me.member_id,
            "name": me.name, "csrf_token": csrf_token(state.settings.secret_key, new.session_id),
            "expires_at": jsonable(new.expires_at), "councils": sorted(me.councils),
            "constituent_of": sorted(me.constituent_of), "offices": sorted(me.offices)}
    response = JSONResponse(data)
    set_session_cookie(response, state.settings, new.session_id)
    return response


@router.get("", response_model=SessionOut, summary="Who am I")
def whoami(request: Request, me: Me, state: State) -> JSONResponse:
    sid = request.cookies.get(SESSION_COOKIE, "")
    return JSONResponse({
        "account_id": me.account_id, "username": me.username, "member_id": me.member_id,
        "name": me.name, "csrf_token": csrf_token(state.settings.secret_key, sid),
        "councils": sorted(me.councils), "constituent_of": sorted(me.constituent_of),
        "offices": sorted(me.offices),
    })


@router.delete("", status_code=204, summary="Log out",
               dependencies=[Depends(csrf_protect), Depends(require_account)])
def logout(request: Request, uow: UoW, state: State) -> Response:
    """End the session: the server forgets it, so the cookie is worthless from now on."""
    log_out(uow, request.cookies.get(SESSION_COOKIE, ""), state.sessions)
    response = Response(status_code=204)
    clear_session_cookie(response, state.settings)
    return response


@router.post("/password", status_code=204, summary="Change my password",
             dependencies=[Depends(csrf_protect)])
def password(body: PasswordIn, uow: UoW, state: State, request: Request, now: Now) -> Response:
    """Change the password; every session of the account ends (log in again). A wrong
    current password counts as a failed login (at most so many per account per hour)."""
    account = require_account(request)
    change_password(uow, state.passwords, account, body.current_password, body.new_password,
                    state.sessions, now=now,
                    failures_per_hour=state.settings.login_failures_per_hour)
    response = Response(status_code=204)
    clear_session_cookie(response, state.settings)
    return response
