"""Admitting members to a council (its officers, or those of the council above)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from councilplan.api import actions
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages import _fields as fields
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.pages.councils import council_context
from councilplan.api.web.render import redirect
from councilplan.errors import CouncilplanError

__all__ = ["router"]

router = page_router()


@router.post("/councils/{council_id}/members")
def admit(request: Request, council_id: IdPath, uow: UoW, now: Now,
          member_id: Annotated[str, Form(max_length=200)] = "",
          name: Annotated[str, Form(max_length=400)] = "") -> Response:
    me = signed_in(request)
    try:
        me.require_runs(council_id, f"admit members to {council_id}")
        v = fields.gather("the member was not admitted",
                          member_id=lambda: fields.identifier(member_id, "member_id"),
                          name=lambda: fields.name(name, "name", required=False))
        actions.admit(me, uow, council_id, v["member_id"], now, name=v["name"] or None)
    except CouncilplanError as exc:
        return refused(request, exc, "council.html",
                       lambda: council_context(request, uow, now, council_id, None), "admit",
                       values={"member_id": member_id, "name": name})
    return redirect(f"/councils/{council_id}#h-members")
