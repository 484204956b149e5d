"""The plan: planning periods, a period, its variants side by side with charts (and
computing more, as a job with progress), a workplace's targets, labour values.

Who sees what follows :mod:`councilplan.api.authz` as the JSON API does: everyone in the
federation of the period's owner reads; its planners compute variants. Needs entry is
in :mod:`councilplan.api.web.pages.plan_needs`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response

from councilplan.api.authz import (
    council_of_period,
    is_planner,
    require_federation,
    require_planner,
)
from councilplan.api.deps import Now, State, UoW
from councilplan.api.routers.catalogue import search_catalogue
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.plan_charts import binding_rows, compare_variants
from councilplan.api.web.render import page, redirect
from councilplan.errors import CouncilplanError, InvalidInput, Problem
from councilplan.planning.cycle import VariantSpec
from councilplan.planning.cycle.period import PeriodStatus
from councilplan.services import plan_cycle as pc
from councilplan.services.plan_cycle.views import PeriodView
from councilplan.store import UnitOfWork

__all__ = ["router"]

router = page_router()

PAGE = 20
Search = Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")]
Ident = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9._:@-]*$")]


def period_context(request: Request, uow: UnitOfWork, now: Any, period_id: str
                   ) -> dict[str, Any]:
    me = signed_in(request)
    owner = council_of_period(uow, period_id)
    require_federation(me, owner, f"see period {period_id}")
    period = pc.show_period(uow, period_id)
    ballot_id = next((v.ballot_id for v in pc.list_variants(uow, period_id, period.revision)
                      if v.ballot_id), None)
    return {"period": period, "planner": is_planner(me, uow, owner, now),
            "ballot_id": ballot_id, "owner_name": _council_names(uow).get(owner, owner)}


def _council_names(uow: UnitOfWork) -> dict[str, str]:
    with uow.reading():
        return {c.council_id: c.name for c in uow.councils.all()}


@router.get("/plan")
def periods(request: Request, uow: UoW) -> Response:
    me = signed_in(request)
    shown = [p for p in pc.list_periods(uow) if me.sees(p.council_id)]
    shown.sort(key=lambda p: p.starts_at)
    return page(request, "plan_periods.html", {"periods": shown,
                                               "names": _council_names(uow)})


@router.get("/plan/{period_id}")
def period(request: Request, period_id: IdPath, uow: UoW, now: Now) -> Response:
    ctx = period_context(request, uow, now, period_id)
    ctx["labour"] = pc.labour_available(uow, period_id)
    return page(request, "plan_period.html", ctx)


def variants_context(request: Request, uow: UnitOfWork, now: Any, period_id: str
                     ) -> dict[str, Any]:
    ctx = period_context(request, uow, now, period_id)
    period: PeriodView = ctx["period"]
    shown = list(pc.list_variants(uow, period_id, period.revision))
    ctx.update({"variants": shown, "charts": compare_variants(shown),
                "binding": {v.variant_id: binding_rows(v) for v in shown}, "form": {}})
    return ctx


@router.get("/plan/{period_id}/variants")
def variants(request: Request, period_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "plan_variants.html", variants_context(request, uow, now, period_id))


def _spec(key: str, name: str, hours: str) -> VariantSpec:
    problems = []
    key = key.strip()
    if not key or not all(c.islower() or c.isdigit() or c in "_-" for c in key) or len(key) > 32:
        problems.append(Problem("key", "1 to 32 lower-case letters, digits, - or _ (like 34h)"))
    if not name.strip():
        problems.append(Problem("name", "give the variant a name"))
    week: float | None = None
    if hours.strip():
        try:
            week = float(hours)
        except ValueError:
            week = None
        if week is None or not 0 < week <= 168:
            problems.append(Problem("hours_per_week", f"{hours!r} is not a number of hours "
                                                      "a week between 0 and 168"))
    if problems:
        raise InvalidInput("the variant cannot be computed", problems)
    return VariantSpec(key, name.strip(), hours_per_week=week)


@router.post("/plan/{period_id}/variants")
def compute(request: Request, period_id: IdPath, uow: UoW, now: Now, state: State,
            key: Annotated[str, Form(max_length=64)] = "",
            name: Annotated[str, Form(max_length=200)] = "",
            hours_per_week: Annotated[str, Form(max_length=16)] = "") -> Response:
    me = signed_in(request)
    ctx = variants_context(request, uow, now, period_id)
    ctx["form"] = {"key": key, "name": name, "hours_per_week": hours_per_week}
    try:
        require_planner(me, uow, ctx["period"].council_id, now,
                        f"compute the variants of {period_id}")
        spec = _spec(key, name, hours_per_week)
        with uow.reading():
            uow.plans.get_period(period_id).ensure_status(PeriodStatus.OPEN,
                                                          "computing variants")
    except CouncilplanError as exc:
        return refused(request, exc, "plan_variants.html", lambda: ctx, "compute")

    def run(progress: Any) -> list[dict[str, Any]]:
        progress(0, 1, f"computing variant {spec.key}")
        made = pc.compute_variants(UnitOfWork(state.engine), period_id, [spec], now)
        progress(1, 1, "computed")
        return [v.to_dict() for v in made]

    job = state.jobs.start("plan.variants", me.account_id, run)
    return redirect(f"/jobs/{job.job_id}")


@router.get("/plan/{period_id}/targets")
def targets(request: Request, period_id: IdPath, uow: UoW, now: Now,
            workplace: Ident = None) -> Response:
    me = signed_in(request)
    ctx = period_context(request, uow, now, period_id)
    with uow.reading():
        makers = sorted(set(uow.plans.techniques(period_id).workplaces))
    names = _council_names(uow)
    chosen = workplace or next((c for c in makers if c in me.councils), None) or (
        makers[0] if makers else None)
    rows: list[Any] = []
    missing = None
    if chosen:
        try:
            rows = list(pc.workplace_targets(uow, period_id, chosen))
        except CouncilplanError as exc:
            missing = exc.problems[0].message if exc.problems else exc.message
    ctx.update({"workplaces": [(w, names.get(w, w)) for w in makers], "chosen": chosen,
                "targets": rows, "missing": missing, "names": names,
                "products": _product_names(uow, {r.product for r in rows}
                                           | {i["product"] for r in rows for i in r.inputs})})
    return page(request, "plan_targets.html", ctx)


def _product_names(uow: UnitOfWork, codes: set[str]) -> dict[str, str]:
    with uow.reading():
        return {p.code: p.name for p in uow.plans.catalogue(codes)}


@router.get("/plan/{period_id}/values")
def values(request: Request, period_id: IdPath, uow: UoW, now: Now,
           variant: Ident = None, q: Search = None,
           page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> Response:
    ctx = period_context(request, uow, now, period_id)
    period: PeriodView = ctx["period"]
    options = [(v["variant_id"], f"{v['key']}: {v['name']} (revision {v['revision']}, "
                f"{v['status']})") for v in period.variants]
    default = period.in_force or (options[-1][0] if options else None)
    chosen = variant if variant in {o for o, _ in options} else default
    rows: list[dict[str, Any]] = []
    total = 0
    if chosen:
        detail = pc.variant_detail(uow, chosen, top=None)
        with uow.reading():
            catalogue = [p for p in uow.plans.catalogue(r["product"] for r in detail.products)]
        found = {p.code: p for p in search_catalogue(catalogue, q)}
        listed = sorted((r for r in detail.products if r["product"] in found),
                        key=lambda r: r["product"])
        total = len(listed)
        rows = [{**r, "name": found[r["product"]].name}
                for r in listed[(page_no - 1) * PAGE: page_no * PAGE]]
    ctx.update({"options": options, "chosen": chosen, "q": q or "", "rows": rows,
                "total": total, "page_no": page_no, "pages": max(1, -(-total // PAGE)),
                "size": PAGE})
    return page(request, "plan_values.html", ctx)
