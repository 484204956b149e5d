"""The democratic plan cycle: periods, needs (with their origins), techniques, variants
with their consequences (computed as a job), a variant's labour values, the ratification
ballot, workplaces' targets and their output reports.

Who may do what (:mod:`councilplan.api.authz`, checked per period from the store):
everyone in the federation of the period's owning council reads; the members of a
council register its needs; the members of a workplace council register its techniques
and report its output; the delegates to the owning council and the holders of its
mandates compute variants and open the ratification ballot.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan.api.authz import (
    council_of_period,
    council_of_variant,
    require_federation,
    require_own_council,
    require_planner,
)
from councilplan.api.deps import Me, Now, State, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import (
    IdPath,
    JobOut,
    NeedsIn,
    PlanBallotIn,
    ReportsIn,
    TechniquesIn,
    VariantsIn,
    view_list,
    view_model,
)
from councilplan.planning.cycle import NeedTable, OutputReport, TechniqueTable, VariantSpec
from councilplan.services import plan_cycle as pc
from councilplan.services.plan_cycle.views import (
    NeedsRegistered,
    OutputReported,
    PeriodView,
    PlanBallotView,
    TargetView,
    TechniquesRegistered,
    VariantView,
)
from councilplan.store import UnitOfWork

__all__ = ["router"]

router = api_router("/plan", "plan")

Search = Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$",
                                     description="a product code or a substring of its name")]
Council = Annotated[str | None, Query(max_length=64,
                                      pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$")]


def _period_council(me: Any, uow: UnitOfWork, period_id: str, what: str) -> str:
    council_id = council_of_period(uow, period_id)
    require_federation(me, council_id, what)
    return council_id


@router.get("/periods", response_model=view_list(PeriodView), summary="Planning periods")
def periods(me: Me, uow: UoW) -> JSONResponse:
    """The periods of every federation the member is in."""
    return answer_all(p for p in pc.list_periods(uow) if me.sees(p.council_id))


@router.get("/periods/{period_id}", response_model=view_model(PeriodView),
            summary="One planning period")
def period(period_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    _period_council(me, uow, period_id, f"see period {period_id}")
    return answer(pc.show_period(uow, period_id))


@router.post("/periods/{period_id}/needs", status_code=201,
             response_model=view_model(NeedsRegistered), summary="Register my council's needs")
def register_needs(period_id: IdPath, body: NeedsIn, me: Me, uow: UoW, now: Now
                   ) -> JSONResponse:
    """The members of a council register needs for their own council (all or none)."""
    _period_council(me, uow, period_id, f"register needs in {period_id}")
    require_own_council(me, body.council_id, f"register the needs of {body.council_id}")
    rows = [{**n.model_dump(), "council": body.council_id} for n in body.needs]
    return answer(pc.register_needs(uow, period_id, NeedTable.from_rows(rows), now), 201)


@router.get("/periods/{period_id}/needs", summary="Needs, aggregated, with their origins")
def needs(period_id: IdPath, me: Me, uow: UoW, council_id: Council = None) -> JSONResponse:
    """The needs of a council's subtree (default: the whole federation) by product and
    tier, with the part each council below it contributed."""
    _period_council(me, uow, period_id, f"see the needs of {period_id}")
    return answer_all(pc.needs_summary(uow, period_id, council_id))


@router.post("/periods/{period_id}/techniques", status_code=201,
             response_model=view_model(TechniquesRegistered),
             summary="Register my workplace's techniques")
def register_techniques(period_id: IdPath, body: TechniquesIn, me: Me, uow: UoW, now: Now
                        ) -> JSONResponse:
    _period_council(me, uow, period_id, f"register techniques in {period_id}")
    require_own_council(me, body.workplace_id, f"register the techniques of {body.workplace_id}")
    rows = [{**t.model_dump(), "workplace": body.workplace_id} for t in body.techniques]
    return answer(pc.register_techniques(uow, period_id, TechniqueTable.from_rows(rows), now),
                  201)


@router.get("/periods/{period_id}/techniques", summary="The techniques in force")
def techniques(period_id: IdPath, me: Me, uow: UoW, council_id: Council = None
               ) -> JSONResponse:
    _period_council(me, uow, period_id, f"see the techniques of {period_id}")
    with uow.reading():
        uow.plans.get_period(period_id)
        table = uow.plans.techniques(period_id,
                                     workplaces=None if council_id is None else [council_id])
    out = []
    for k in range(len(table)):
        lo, hi = int(table.indptr[k]), int(table.indptr[k + 1])
        capacity = float(table.capacity[k])
        out.append({"workplace": table.workplaces[k], "product": table.products[k],
                    "labour": float(table.labour[k]),
                    "capacity": None if math.isinf(capacity) else capacity,
                    "inputs": {table.input_products[i]: float(table.input_quantities[i])
                               for i in range(lo, hi)}})
    return JSONResponse(out)


@router.get("/periods/{period_id}/variants", response_model=view_list(VariantView),
            summary="Variants with their consequences")
def variants(period_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    _period_council(me, uow, period_id, f"see the variants of {period_id}")
    return answer_all(pc.list_variants(uow, period_id))


@router.post("/periods/{period_id}/variants", status_code=202, response_model=JobOut,
             summary="Compute variants (a job)")
def compute(period_id: IdPath, body: VariantsIn, me: Me, uow: UoW, now: Now, state: State
            ) -> JSONResponse:
    """The planners compute variants from one snapshot of the registrations; a job whose
    progress ``GET /api/jobs/{job_id}`` shows, its result the variants computed."""
    owner = council_of_period(uow, period_id)
    require_planner(me, uow, owner, now, f"compute the variants of {period_id}")
    specs = [VariantSpec(s.key, s.name, hours_per_week=s.hours_per_week, weeks=s.weeks,
                         need_scale=s.need_scale) for s in body.variants]
    with uow.reading():  # refuse a closed or unknown period now, not in the job
        uow.plans.get_period(period_id)

    def run(progress: Any) -> list[dict[str, Any]]:
        progress(0, len(specs), "computing variants")
        views = pc.compute_variants(UnitOfWork(state.engine), period_id, specs, now)
        progress(len(specs), len(specs), "computed")
        return [v.to_dict() for v in views]

    job = state.jobs.start("plan.variants", me.account_id, run)
    return JSONResponse(job.to_dict(), status_code=202)


@router.get("/variants/{variant_id}/labour-values", summary="A variant's labour values")
def labour_values(variant_id: IdPath, me: Me, uow: UoW, q: Search = None) -> JSONResponse:
    """Hours per unit of every product (with output and final use), optionally only the
    products whose code is ``q`` or whose name contains it (case-insensitive)."""
    require_federation(me, council_of_variant(uow, variant_id),
                       f"see the labour values of {variant_id}")
    detail = pc.variant_detail(uow, variant_id, top=None)
    with uow.reading():
        names = {p.code: p.name for p in uow.plans.catalogue(
            [row["product"] for row in detail.products])}
    rows = [{**row, "name": names.get(row["product"], "")} for row in detail.products]
    if q:
        needle = q.casefold()
        rows = [r for r in rows if r["product"] == q or needle in r["name"].casefold()]
    rows.sort(key=lambda r: r["product"])
    return JSONResponse({"variant_id": detail.variant_id, "key": detail.key, "products": rows})


@router.post("/periods/{period_id}/ballot", status_code=201,
             response_model=view_model(PlanBallotView), summary="Open the ratification ballot")
def ratification(period_id: IdPath, body: PlanBallotIn, me: Me, uow: UoW, now: Now
                 ) -> JSONResponse:
    owner = council_of_period(uow, period_id)
    require_planner(me, uow, owner, now, f"put the variants of {period_id} to the vote")
    return answer(pc.open_plan_ballot(uow, period_id, now, now + timedelta(days=body.days),
                                      include_none=body.include_none), 201)


@router.get("/periods/{period_id}/targets/{workplace_id}", response_model=view_list(TargetView),
            summary="A workplace's targets")
def targets(period_id: IdPath, workplace_id: IdPath, me: Me, uow: UoW) -> JSONResponse:
    _period_council(me, uow, period_id, f"see the targets of {period_id}")
    return answer_all(pc.workplace_targets(uow, period_id, workplace_id))


@router.post("/periods/{period_id}/reports", status_code=201,
             response_model=view_model(OutputReported), summary="Report my workplace's output")
def report(period_id: IdPath, body: ReportsIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    _period_council(me, uow, period_id, f"report output in {period_id}")
    require_own_council(me, body.workplace_id, f"report the output of {body.workplace_id}")
    reports = [OutputReport(r.sub_period, body.workplace_id, r.product, r.output, r.hours)
               for r in body.reports]
    return answer(pc.report_output(uow, period_id, reports, now), 201)
