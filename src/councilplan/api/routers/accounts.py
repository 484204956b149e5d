"""``/api/accounts``: an officer makes the account of a member of their council."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from councilplan.api.auth.accounts import create_account
from councilplan.api.authz import councils_of_member, refuse
from councilplan.api.deps import Me, Now, State, UoW
from councilplan.api.routers._common import api_router
from councilplan.api.schemas import AccountIn, AccountOut

__all__ = ["router"]

router = api_router("/accounts", "accounts")


@router.post("", status_code=201, response_model=AccountOut, summary="Make a member's account")
def make_account(body: AccountIn, me: Me, uow: UoW, now: Now, state: State) -> JSONResponse:
    """The officers of a council the member belongs to (or of the council above it) make
    the member's login; the member should change the password at once."""
    if not any(me.runs(c) for c in councils_of_member(uow, body.member_id)):
        raise refuse(f"make an account for {body.member_id}", "only the officers of a council "
                     "the member belongs to (or of the council above it) may")
    account = create_account(uow, state.passwords, body.member_id, body.password, now,
                             username=body.username)
    return JSONResponse({"account_id": account.account_id, "username": account.username,
                         "member_id": account.member_id}, status_code=201)
