"""Members: a council's members, admitting and leaving, reporting one's wage."""

from __future__ import annotations

from decimal import Decimal

from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import AdmitIn, IdPath, WageIn, WageOut, view_list, view_model
from councilplan.services.views import MemberView

__all__ = ["router"]

router = api_router("", "members")


@router.get("/councils/{council_id}/members", response_model=view_list(MemberView),
            summary="A council's members")
def members(council_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    me.require_sees(council_id, f"see the members of {council_id}")
    return answer_all(services.list_members(uow, council_id))


@router.post("/councils/{council_id}/members", status_code=201,
             response_model=view_model(MemberView), summary="Admit a member")
def admit(council_id: IdPath, body: AdmitIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """The council's officers (or those of the council above) admit a member, new or
    known (their workplace council first)."""
    return answer(actions.admit(me, uow, council_id, body.member_id, now, name=body.name), 201)


@router.delete("/councils/{council_id}/members/{member_id}",
               response_model=view_model(MemberView), summary="Leave a council")
def leave(council_id: IdPath, member_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """A member leaves themself (their workplace council last)."""
    return answer(actions.leave(me, uow, council_id, member_id, now))


@router.post("/members/{member_id}/wages", status_code=201, response_model=WageOut,
             summary="Report my wage")
def report_wage(member_id: IdPath, body: WageIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """A member reports what they were paid in a pay period (once a period); the amount
    stays private and feeds only the pay cap of those who represent them."""
    report = actions.report_wage(me, uow, member_id, body.period, Decimal(body.amount), now)
    return JSONResponse({"member_id": report.member_id, "period": report.period},
                        status_code=201)
