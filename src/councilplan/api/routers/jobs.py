"""``/api/jobs``: where a long computation stands (stage, done of total, result)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from councilplan.api.deps import CurrentAccount, State
from councilplan.api.routers._common import api_router
from councilplan.api.schemas import IdPath

__all__ = ["router"]

router = api_router("/jobs", "jobs")


@router.get("/{job_id}", summary="A job's progress")
def job(job_id: IdPath, account: CurrentAccount, state: State) -> JSONResponse:
    return JSONResponse(state.jobs.get(job_id, account.account_id).to_dict())
