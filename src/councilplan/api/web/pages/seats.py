"""Defining a council's seats: an office of it, or a delegate seat to its parent."""

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
from councilplan.errors import CouncilplanError, InvalidInput, Problem

__all__ = ["router"]

router = page_router()


@router.post("/councils/{council_id}/seats")
def define(request: Request, council_id: IdPath, uow: UoW, now: Now,
           seat_id: Annotated[str, Form(max_length=200)] = "",
           title: Annotated[str, Form(max_length=400)] = "",
           kind: Annotated[str, Form(max_length=16)] = "office",
           term_days: Annotated[str, Form(max_length=16)] = "365",
           lead_days: Annotated[str, Form(max_length=16)] = "28") -> Response:
    me = signed_in(request)
    try:
        me.require_runs(council_id, f"define seats of {council_id}")
        parent = actions.see_council(me, uow, council_id, now).council.parent_id
        v = fields.gather(
            "the seat was not defined",
            seat_id=lambda: fields.identifier(seat_id, "seat_id"),
            title=lambda: fields.name(title, "title"),
            kind=lambda: _kind(kind, parent),
            term_days=lambda: fields.whole_days(term_days, "term_days", least=1, most=3650),
            lead_days=lambda: fields.whole_days(lead_days, "lead_days", least=0, most=3649))
        actions.define_seat(me, uow, council_id, v["seat_id"], v["title"], now,
                            term_days=v["term_days"], lead_days=v["lead_days"],
                            delegate_to=parent if v["kind"] == "delegate" else None)
    except CouncilplanError as exc:
        return refused(request, exc, "council.html",
                       lambda: council_context(request, uow, now, council_id, None), "seat",
                       values={"seat_id": seat_id, "title": title, "kind": kind,
                               "term_days": term_days, "lead_days": lead_days})
    return redirect(f"/councils/{council_id}#seats")


def _kind(kind: str, parent: str | None) -> str:
    if kind not in ("office", "delegate"):
        raise InvalidInput("no such kind of seat", [Problem("kind", "office or delegate")])
    if kind == "delegate" and parent is None:
        raise InvalidInput("no council above",
                           [Problem("kind", "a council at the top sends no delegates")])
    return kind
