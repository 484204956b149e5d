"""My councils: where the member stands, their mandates, what they can vote in or sign."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Now, UoW
from councilplan.api.web.pages._forms import page_router, signed_in
from councilplan.api.web.render import page

__all__ = ["router"]

router = page_router()


@router.get("/")
def home(request: Request, uow: UoW, now: Now) -> Response:
    me = signed_in(request)
    councils = actions.my_councils(me, uow)
    ballots = actions.my_ballots(me, uow)
    petitions = [p for c in councils for p in services.list_petitions(uow, c.council_id, now)]
    names = {c.council_id: c.name for c in councils}
    return page(request, "home.html", {
        "councils": councils, "names": names,
        "open_ballots": [b for b in ballots if b.status == "open"],
        "closed_ballots": [b for b in ballots if b.status == "closed"][-5:],
        "petitions": [p for p in petitions if p.status == "open"],
        "mandates": me.mandates,
    })
