"""The audit log: entries, checkpoints, and verifying the hash chain (also as a job)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api.deps import CurrentAccount, State, UoW
from councilplan.api.jobs import Progress
from councilplan.api.routers._common import answer, api_router
from councilplan.api.schemas import AuditEntries, view_model
from councilplan.services.views import AuditReport
from councilplan.store import UnitOfWork

__all__ = ["router"]

router = api_router("/audit", "audit log")


@router.get("/entries", response_model=AuditEntries, summary="Entries of the audit log")
def entries(account: CurrentAccount, uow: UoW,
            after: Annotated[int, Query(ge=0, le=2**62,
                                        description="entries after this sequence")] = 0,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JSONResponse:
    """The federation's public record, oldest first: every governance event with its hash."""
    size, page = services.audit_page(uow, after=after, limit=limit)
    return JSONResponse({"total": size, "entries": [
        {"sequence": s, "entry_hash": h, "event": json.loads(c)} for s, h, c in page]})


@router.get("/checkpoints", summary="Checkpoints of the audit log")
def checkpoints(account: CurrentAccount, uow: UoW) -> JSONResponse:
    """The heads taken at each ballot's opening and closing, oldest first."""
    return JSONResponse([c.to_dict() for c in services.audit_checkpoints(uow)])


@router.get("/verify", response_model=view_model(AuditReport), summary="Verify the audit log")
def verify(account: CurrentAccount, uow: UoW) -> JSONResponse:
    """Recompute the chain and hold it against every checkpoint; the first bad entry named."""
    return answer(services.verify_audit(uow))


@router.post("/verify-job", status_code=202, summary="Verify the audit log in the background")
def verify_job(account: CurrentAccount, state: State) -> JSONResponse:
    """Start the verification as a job; follow it at ``/api/jobs/{job_id}``."""
    def work(progress: Progress) -> dict[str, object]:
        return services.verify_audit(UnitOfWork(state.engine), progress=progress).to_dict()

    job = state.jobs.start("audit-verify", account.account_id, work)
    return JSONResponse(job.to_dict(), status_code=202,
                        headers={"Location": f"/api/jobs/{job.job_id}"})
