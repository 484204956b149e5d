"""After the vote: publishing the adopted plan's targets, tracing a target to the needs
it serves, progress against the reports, and re-planning the rest of the period (its
variants computed as a job).

Who may: the planners of the period's owner (the holders of its mandates and the
delegates to it) publish targets and re-plan; everyone in its federation reads.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan.api.authz import council_of_period, require_federation, require_planner
from councilplan.api.deps import Me, Now, State, UoW
from councilplan.api.plan_schemas import Label, ReplanIn
from councilplan.api.routers._common import answer, api_router
from councilplan.api.schemas import Code, IdPath, JobOut, view_model
from councilplan.planning.cycle import VariantSpec
from councilplan.services import plan_cycle as pc
from councilplan.services.plan_cycle.views import ProgressView, TargetsPublished, TraceView
from councilplan.store import UnitOfWork

__all__ = ["router"]

router = api_router("/plan/periods", "plan")


@router.post("/{period_id}/targets", status_code=201, response_model=view_model(TargetsPublished),
             summary="Publish the adopted plan's targets")
def publish(period_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    owner = council_of_period(uow, period_id)
    require_planner(me, uow, owner, now, f"publish the targets of {period_id}")
    return answer(pc.publish_targets(uow, period_id, now), 201)


@router.get("/{period_id}/trace/{workplace_id}/{product}", response_model=view_model(TraceView),
            summary="A target traced to the needs it serves")
def trace(period_id: IdPath, workplace_id: IdPath, product: IdPath, me: Me, uow: UoW,
          limit: Annotated[int, Query(ge=1, le=10_000)] = 50) -> JSONResponse:
    """Every unit of the workplace's target for the product, attributed through the
    Leontief inverse to the needs (and councils) it serves."""
    require_federation(me, council_of_period(uow, period_id), f"trace a target of {period_id}")
    return answer(pc.trace_target(uow, period_id, workplace_id, product, limit=limit))


@router.get("/{period_id}/progress", response_model=view_model(ProgressView),
            summary="Progress: targets against reports")
def progress(period_id: IdPath, me: Me, uow: UoW,
             through: Annotated[Label | None, Query()] = None,
             workplace: Annotated[Code | None, Query()] = None) -> JSONResponse:
    require_federation(me, council_of_period(uow, period_id), f"see the progress of {period_id}")
    return answer(pc.plan_progress(uow, period_id, through=through, workplace=workplace))


@router.post("/{period_id}/replan", status_code=202, response_model=JobOut,
             summary="Re-plan the rest of the period (a job)")
def replan(period_id: IdPath, body: ReplanIn, me: Me, uow: UoW, now: Now, state: State
           ) -> JSONResponse:
    """Open the next revision from ``from_sub_period`` (refused at once if the rules do not
    allow it), then compute its variants from the actuals in a job whose progress
    ``GET /api/jobs/{job_id}`` shows; its result: the re-plan and the variants."""
    owner = council_of_period(uow, period_id)
    require_planner(me, uow, owner, now, f"re-plan {period_id}")
    specs = [VariantSpec(s.key, s.name, hours_per_week=s.hours_per_week, weeks=s.weeks,
                         need_scale=s.need_scale) for s in body.variants]  # checked first
    opened = pc.start_replan(uow, period_id, body.from_sub_period, now)

    def run(report: Any) -> dict[str, Any]:
        report(0, len(specs), "computing the re-plan's variants")
        views = pc.compute_variants(UnitOfWork(state.engine), period_id, specs, now) \
            if specs else ()
        report(len(specs), len(specs), "computed")
        return {"replan": opened.to_dict(), "variants": [v.to_dict() for v in views]}

    job = state.jobs.start("plan.replan", me.account_id, run)
    return JSONResponse(job.to_dict(), status_code=202)
