"""The audit log: its verify status (as a job with progress), checkpoints, entries."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api.deps import State, UoW, require_account
from councilplan.api.jobs import Progress
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages._forms import page_router, signed_in
from councilplan.api.web.render import page, redirect
from councilplan.store import UnitOfWork

__all__ = ["router"]

router = page_router()

PAGE = 50


@router.get("/audit")
def audit(request: Request, uow: UoW, state: State,
          after: Annotated[int, Query(ge=0, le=2**62)] = 0,
          job: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    account = require_account(request)
    signed_in(request)  # the page's navigation shows who is signed in
    size, entries = services.audit_page(uow, after=after, limit=PAGE)
    rows = [{"sequence": s, "hash": h, "event": json.loads(c)} for s, h, c in entries]
    last = state.extra.get(f"verify:{account.account_id}")
    return page(request, "audit.html", {
        "size": size, "rows": rows, "after": after, "page": PAGE,
        "next_after": rows[-1]["sequence"] if rows and rows[-1]["sequence"] < size else None,
        "checkpoints": services.audit_checkpoints(uow)[-20:], "last": last})


@router.post("/audit/verify")
def verify(request: Request, state: State) -> Response:
    account = require_account(request)

    def work(progress: Progress) -> dict[str, object]:
        report = services.verify_audit(UnitOfWork(state.engine), progress=progress).to_dict()
        state.extra[f"verify:{account.account_id}"] = report
        return report

    job = state.jobs.start("audit-verify", account.account_id, work)
    return redirect(f"/jobs/{job.job_id}")


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: IdPath, state: State) -> Response:
    account = require_account(request)
    signed_in(request)
    found = state.jobs.get(job_id, account.account_id).to_dict()
    partial = (request.headers.get("hx-request") == "true"  # the bar polling itself,
               and request.headers.get("hx-boosted") != "true")  # not a boosted link or form
    return page(request, "job_progress.html" if partial else "job.html", {"job": found})
