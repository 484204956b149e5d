"""A recall petition: how far it is from its threshold, signing it, its ballot."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.render import page, redirect
from councilplan.errors import CouncilplanError

__all__ = ["router"]

router = page_router()


def petition_context(request: Request, uow: UoW, now: Now, petition_id: str) -> dict[str, Any]:
    me = signed_in(request)
    petition = actions.see_petition(me, uow, petition_id, now)
    mandate = next(m for m in services.list_mandates(uow, petition.council_id, now)
                   if m.mandate_id == petition.mandate_id)
    council = actions.see_council(me, uow, petition.council_id, now)
    names = {m.member_id: m.name for m in council.members}
    seat = next((s for s in council.seats if s.seat_id == petition.seat_id), None)
    return {"petition": petition, "mandate": mandate, "council": council.council,
            "seat": seat, "names": names}


@router.get("/petitions/{petition_id}")
def petition(request: Request, petition_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "petition.html", petition_context(request, uow, now, petition_id))


@router.post("/petitions/{petition_id}/sign")
def sign(request: Request, petition_id: IdPath, uow: UoW, now: Now) -> Response:
    me = signed_in(request)
    try:
        actions.sign_petition(me, uow, petition_id, now)
    except CouncilplanError as exc:
        return refused(request, exc, "petition.html",
                       lambda: petition_context(request, uow, now, petition_id), "sign")
    return redirect(f"/petitions/{petition_id}?signed=1")
