"""Targets, tracing, output reports and re-planning.

:func:`publish_targets` turns the adopted variant into one target per workplace and
product (see :mod:`councilplan.planning.cycle.target` for the rules: inputs split
across suppliers in proportion to their planned output; the needs each target serves
directly); :func:`trace_target` follows every unit of one target to the needs it ends
up in (:mod:`councilplan.planning.cycle.trace`). Workplaces report actual output and
hours per sub-period (:func:`report_output`); :func:`plan_progress` sets them against
the targets; :func:`start_replan` opens the next revision, which re-optimises the
rest of the period from the actuals and is put to the vote like the first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from councilplan.councils.event import Event
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.planning.cycle.digest import document_digest, num
from councilplan.planning.cycle.period import PeriodStatus, PlanningPeriod
from councilplan.planning.cycle.report import OutputReport, progress, report_problems
from councilplan.planning.cycle.target import plan_targets
from councilplan.planning.cycle.trace import trace_target as core_trace
from councilplan.services.plan_cycle._common import (
    PLAN_OUTPUT_REPORTED,
    PLAN_REPLAN_OPENED,
    PLAN_TARGETS_PUBLISHED,
    federation_of,
)
from councilplan.services.plan_cycle.variants import load_variant
from councilplan.services.plan_cycle.views import (
    OutputReported,
    ProgressView,
    ReplanView,
    TargetsPublished,
    TargetView,
    TraceView,
)
from councilplan.store.plan_targets import TargetRecord
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "plan_progress",
    "publish_targets",
    "report_output",
    "start_replan",
    "trace_target",
    "workplace_targets",
]


def publish_targets(uow: UnitOfWork, period_id: str, now: datetime) -> TargetsPublished:
    """Publish the targets of the adopted variant of the period's current revision."""
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_status(PeriodStatus.ADOPTED, "publishing targets")
        assert period.adopted_variant is not None
        if uow.targets.count(period_id, period.revision):
            raise PreconditionFailed("the targets are published already",
                                     [Problem(period_id, f"revision {period.revision}")])
        record, inputs, result = load_variant(uow, period.adopted_variant)
        ts = plan_targets(inputs, result)
        nd = inputs.needs
        products = inputs.products
        makes = inputs.makes.tolist()
        out = ts.output.tolist()
        lab = ts.labour.tolist()
        ns, ss = ts.net_share.tolist(), ts.surplus_share.tolist()
        dptr, nptr = ts.delivery_ptr.tolist(), ts.need_ptr.tolist()
        dprod, dsup = ts.delivery_product.tolist(), ts.delivery_supplier.tolist()
        dq = ts.delivery_quantity.tolist()
        nrow, nq = ts.need_row.tolist(), ts.need_quantity.tolist()
        wps = inputs.tech_workplaces
        versions = inputs.versions.tolist()
        rows: list[dict[str, Any]] = []
        for j in range(inputs.m):
            ins = [[products[dprod[e]], wps[dsup[e]], dq[e]] for e in range(dptr[j], dptr[j + 1])]
            served = [[nd.need_ids[nrow[e]], nd.councils[nrow[e]], int(nd.tiers[nrow[e]]),
                       nq[e]] for e in range(nptr[j], nptr[j + 1])]
            rows.append({
                "period_id": period_id, "revision": period.revision, "workplace_id": wps[j],
                "product_code": products[makes[j]], "variant_id": record.variant_id,
                "technique_version": versions[j], "output": out[j], "labour": lab[j],
                "net_share": ns[j], "surplus_share": ss[j],
                "inputs": json.dumps(ins, separators=(",", ":")),
                "needs": json.dumps(served, separators=(",", ":")), "published_at": now})
        uow.targets.add_targets(rows)
        uow.audit.append([Event.of(
            PLAN_TARGETS_PUBLISHED, now, period_id=period_id, revision=period.revision,
            variant_id=record.variant_id, variant_sha256=record.variant_sha256,
            targets=inputs.m, workplaces=len(set(wps)), targets_sha256=ts.digest,
            sub_periods=list(inputs.sub_periods))])
        return TargetsPublished(period_id, period.revision, record.variant_id, inputs.m,
                                len(set(wps)), ts.digest, inputs.sub_periods)


def _revision_covers(uow: UnitOfWork, period: PlanningPeriod) -> dict[int, tuple[str, ...]]:
    """The sub-periods each published revision covers (from its adopted variant)."""
    out: dict[int, tuple[str, ...]] = {}
    for v in uow.variants.of_period(period.period_id):
        if v.status == "adopted":
            out[v.revision] = tuple(v.document["inputs"]["sub_periods"])
    return out


def _target_view(rec: TargetRecord, unit: str, covers: tuple[str, ...],
                 shares: dict[str, float]) -> TargetView:
    total = sum(shares[s] for s in covers) or 1.0
    return TargetView(
        rec.period_id, rec.revision, rec.workplace_id, rec.product, unit, rec.output,
        rec.labour, tuple((s, rec.output * shares[s] / total) for s in covers),
        tuple({"product": p, "supplier": s, "quantity": q} for p, s, q in rec.inputs),
        tuple({"need_id": i, "council": c, "tier": t, "quantity": q}
              for i, c, t, q in rec.needs),
        rec.net_share, rec.surplus_share, rec.technique_version, rec.variant_id)


def workplace_targets(uow: UnitOfWork, period_id: str, workplace_id: str, *,
                      revision: int | None = None) -> tuple[TargetView, ...]:
    """A workplace's targets in force (or of ``revision``): output by sub-period, the
    inputs it will receive and from whom, and the needs it serves directly."""
    with uow.reading():
        period = uow.plans.get_period(period_id)
        covers = _revision_covers(uow, period)
        if not covers:
            raise PreconditionFailed("no targets are published for this period",
                                     [Problem(period_id, "no variant adopted yet")])
        rev = revision if revision is not None else max(
            r for r in covers if uow.targets.count(period_id, r))
        recs = uow.targets.targets(period_id, rev, workplace=workplace_id)
        units = {p.code: p.unit for p in uow.plans.catalogue(r.product for r in recs)}
        shares = dict(zip(period.labels(), period.shares(), strict=True))
        return tuple(_target_view(r, units.get(r.product, ""), covers[rev], shares)
                     for r in recs)


def trace_target(uow: UnitOfWork, period_id: str, workplace_id: str, product: str, *,
                 limit: int | None = 50) -> TraceView:
    """Every unit of a target in force traced to the needs it serves (one Leontief
    solve; see :mod:`councilplan.planning.cycle.trace`)."""
    with uow.reading():
        period = uow.plans.get_period(period_id)
        if period.in_force is None:
            raise PreconditionFailed("no plan is in force in this period",
                                     [Problem(period_id, "no variant adopted yet")])
        _record, inputs, result = load_variant(uow, period.in_force)
        j = inputs.technique(workplace_id, product)
        tr = core_trace(inputs, result, j)
        fed = federation_of(uow, period.council_id)
        by_council = tr.by_council(inputs)
        by_branch: dict[str, float] = {}
        for c, q in by_council.items():
            b = fed.branch(c) if fed.in_scope(c) else c
            by_branch[b] = by_branch.get(b, 0.0) + q
        return TraceView(
            period_id, inputs.revision, workplace_id, product, tr.output, tr.total,
            float(tr.direct.sum()),
            tuple(sorted(by_council.items(), key=lambda kv: -kv[1])),
            tuple(sorted(by_branch.items(), key=lambda kv: -kv[1])),
            tuple(tr.records(inputs, limit)), float(tr.surplus_quantity.sum()))


def report_output(uow: UnitOfWork, period_id: str, reports: Sequence[OutputReport],
                  now: datetime) -> OutputReported:
    """Workplaces report actual output and hours for sub-periods (all or nothing; a
    later report of the same sub-period, workplace and product replaces the earlier)."""
    if not reports:
        raise InvalidInput("no reports")
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        covers = _revision_covers(uow, period)
        if not covers:
            raise PreconditionFailed("output is reported against targets in force",
                                     [Problem(period_id, "no variant adopted yet")])
        # each sub-period is reported against the latest revision that covers it
        revision_of = {s: r for r in sorted(covers) for s in covers[r]}
        by_revision: dict[int, list[OutputReport]] = {}
        problems: list[Problem] = []
        for r in reports:
            by_revision.setdefault(revision_of.get(r.sub_period, 0), []).append(r)
        for rev, batch in sorted(by_revision.items()):
            index = uow.targets.index(period_id, rev) if rev else {}
            if rev and not index:
                problems.append(Problem(period_id, f"the targets of revision {rev} are not "
                                                   "published yet"))
            problems += report_problems(batch, period.labels() if rev else (), index)
        for k, r in enumerate(reports, start=1):
            if r.sub_period in period.labels() and period.sub_period(r.sub_period).starts_at > now:
                problems.append(Problem(f"report {k} ({r.workplace}: {r.product}, "
                                        f"{r.sub_period})", "that sub-period has not begun: "
                                        "output is reported for time worked"))
        if problems:
            raise InvalidInput("the reports cannot be accepted", problems)
        replaced = 0
        for rev, batch in sorted(by_revision.items()):
            replaced += uow.targets.save_reports(period_id, rev, batch, now)
        groups: dict[str, list[OutputReport]] = {}
        for r in reports:
            groups.setdefault(r.workplace, []).append(r)
        uow.audit.append([Event.of(
            PLAN_OUTPUT_REPORTED, now, period_id=period_id, workplace_id=wp,
            reports=len(rs), sub_periods=sorted({r.sub_period for r in rs}),
            sha256=document_digest([[r.sub_period, r.product, num(r.output), num(r.hours)]
                                    for r in rs]))
            for wp, rs in sorted(groups.items())])
        return OutputReported(period_id, len(reports), replaced, len(groups))


def plan_progress(uow: UnitOfWork, period_id: str, *, through: str | None = None,
                  workplace: str | None = None) -> ProgressView:
    """Targets against reports, sub-period by sub-period (each against the revision in
    force for it), up to ``through`` (default: the last sub-period with a report)."""
    with uow.reading():
        period = uow.plans.get_period(period_id)
        covers = _revision_covers(uow, period)
        labels = period.labels()
        reports = uow.targets.reports(period_id, workplace=workplace)
        if through is None:
            reported = [labels.index(r.sub_period) for r in reports]
            upto = labels[: max(reported) + 1] if reported else ()
        else:
            upto = labels[: period.position(through) + 1]
        shares = dict(zip(labels, period.shares(), strict=True))
        revision_of = {s: r for r in sorted(covers) for s in covers[r]}
        acc: dict[tuple[str, str], dict[str, float]] = {}
        for rev in sorted(covers):
            index = uow.targets.index(period_id, rev)
            span = sum(shares[s] for s in covers[rev]) or 1.0
            mine = [s for s in upto if revision_of.get(s) == rev]
            if not mine:
                continue
            rel = {s: shares[s] / span for s in mine}
            for row in progress(index, rel, mine, reports):
                if workplace is not None and row.workplace != workplace:
                    continue
                a = acc.setdefault((row.workplace, row.product), {
                    "planned": 0.0, "actual": 0.0, "hours_planned": 0.0, "hours": 0.0})
                a["planned"] += row.planned_to_date
                a["actual"] += row.actual_to_date
                a["hours_planned"] += row.hours_planned_to_date
                a["hours"] += row.hours_to_date
        rows: list[dict[str, Any]] = []
        by_product: dict[str, dict[str, float]] = {}
        for (wp, prod), a in sorted(acc.items()):
            share = a["actual"] / a["planned"] if a["planned"] > 0 else 1.0
            rows.append({"workplace": wp, "product": prod, "planned_to_date": a["planned"],
                         "actual_to_date": a["actual"], "share": share,
                         "shortfall": max(0.0, a["planned"] - a["actual"]),
                         "hours_planned_to_date": a["hours_planned"], "hours_to_date": a["hours"]})
            p = by_product.setdefault(prod, {"planned": 0.0, "actual": 0.0})
            p["planned"] += a["planned"]
            p["actual"] += a["actual"]
        behind = sum(1 for r in rows if r["share"] < 1 - 1e-9)
        return ProgressView(
            period_id, tuple(upto), len(rows), behind,
            float(sum(r["hours_planned_to_date"] for r in rows)),
            float(sum(r["hours_to_date"] for r in rows)), tuple(rows),
            tuple({"product": k, "planned_to_date": v["planned"],
                   "actual_to_date": v["actual"],
                   "share": v["actual"] / v["planned"] if v["planned"] > 0 else 1.0}
                  for k, v in sorted(by_product.items())))


def start_replan(uow: UnitOfWork, period_id: str, from_sub_period: str,
                 now: datetime) -> ReplanView:
    """Open the next revision of the period: a re-plan of the sub-periods from
    ``from_sub_period`` on, from the actuals of those before it. The targets in force
    stay in force until the re-plan is adopted."""
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_status(PeriodStatus.ADOPTED, "re-planning")
        labels = period.labels()
        start = period.position(from_sub_period)
        covered = period.covered()
        if from_sub_period not in covered:
            raise PreconditionFailed("a re-plan starts within the plan in force",
                                     [Problem(from_sub_period, "the plan in force covers "
                                                               + ", ".join(covered))])
        if not uow.targets.count(period_id, period.revision):
            raise PreconditionFailed("re-planning refused",
                                     [Problem(period_id, "publish the targets in force first")])
        elapsed = labels[:start]
        reported = {(r.sub_period, r.workplace, r.product)
                    for r in uow.targets.reports(period_id) if r.sub_period in elapsed}
        covers = _revision_covers(uow, period)
        revision_of = {s: r for r in sorted(covers) for s in covers[r]}
        unreported: list[tuple[str, str]] = []
        for s in elapsed:
            rev = revision_of.get(s)
            if rev is None:
                continue
            for (wp, prod), (out, _h) in uow.targets.index(period_id, rev).items():
                if out > 0 and (s, wp, prod) not in reported:
                    unreported.append((s, f"{wp}/{prod}"))
        nxt = replace(period, status=PeriodStatus.OPEN, revision=period.revision + 1,
                      adopted_variant=None, replan_from=from_sub_period)
        uow.plans.save_period(nxt)
        shares = dict(zip(labels, period.shares(), strict=True))
        share = float(sum(shares[s] for s in nxt.covered()))
        uow.audit.append([Event.of(
            PLAN_REPLAN_OPENED, now, period_id=period_id, revision=nxt.revision,
            from_sub_period=from_sub_period, covers=list(nxt.covered()), share=num(share),
            in_force=period.in_force, unreported=len(unreported))])
        return ReplanView(period_id, nxt.revision, from_sub_period, nxt.covered(), share,
                          tuple(unreported))

