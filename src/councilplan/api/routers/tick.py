"""``/api/tick``: record what time did (the server also does this on its own)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import api_router

__all__ = ["router", "run_tick"]

router = api_router("/tick", "time")


def run_tick(uow: UoW, now: Now) -> dict[str, object]:
    closed = services.close_due_ballots(uow, now)
    report = services.tick(uow, now)
    return {**report.to_dict(), "closed_ballots": [b.ballot_id for b in closed]}


@router.post("", summary="Close due ballots, record expiries")
def tick(me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Close every ballot whose time has come, record expired terms and failed or lapsed
    petitions, list the elections due. Any office holder may ask for it."""
    me.require_officer_anywhere("record what time did")
    return JSONResponse(run_tick(uow, now))
