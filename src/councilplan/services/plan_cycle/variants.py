"""Computing plan variants: the period's registrations assembled once, each variant
optimised, its consequences stated, its document hashed and stored, every step logged.

For a re-plan (revision > 1) the inputs are the rest of the period: the sub-periods
from the re-plan's start, the needs still to be delivered after what the reports show
was delivered (:mod:`councilplan.planning.cycle.report`), capacities and hours for
the sub-periods left.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

import numpy as np

from councilplan.councils.event import Event
from councilplan.errors import InvalidInput, PreconditionFailed, Problem, RuleViolation
from councilplan.planning.cycle.consequences import consequences, council_fulfilment
from councilplan.planning.cycle.digest import num
from councilplan.planning.cycle.federation import Federation
from councilplan.planning.cycle.inputs import PlanInputs, assemble_inputs
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.cycle.period import PeriodStatus, PlanningPeriod
from councilplan.planning.cycle.report import allocate_delivered
from councilplan.planning.cycle.technique import TechniqueTable
from councilplan.planning.cycle.variant import VariantResult, VariantSpec, compute_variant
from councilplan.planning.cycle.working_time import resolve_workforce
from councilplan.services.ids import new_id
from councilplan.services.plan_cycle._common import PLAN_VARIANT_COMPUTED, federation_of
from councilplan.services.plan_cycle.views import VariantDetail, VariantView
from councilplan.store.plan_variants import VariantRecord
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "compute_variants",
    "delivered_so_far",
    "list_variants",
    "load_variant",
    "plan_inputs",
    "show_variant",
    "variant_detail",
    "variant_view",
    "verify_variant",
]


def delivered_so_far(uow: UnitOfWork, period: PlanningPeriod, labels: Sequence[str],
                     current: TechniqueTable) -> dict[str, float]:
    """Final use actually delivered in the sub-periods ``labels``, per product code:
    reported outputs minus the inputs they used (the techniques of the plan in force,
    else the workplace's current technique), never below zero."""
    wanted = set(labels)
    reports = [r for r in uow.targets.reports(period.period_id) if r.sub_period in wanted]
    columns: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
    if period.in_force is not None:
        rec = uow.variants.get(period.in_force)
        inp = uow.variants.load_inputs(rec.snapshot_id)
        A = inp.A.tocsc()
        for j, key in enumerate(zip(inp.tech_workplaces,
                                    (inp.products[int(p)] for p in inp.makes), strict=True)):
            a, b = int(A.indptr[j]), int(A.indptr[j + 1])
            columns[key] = ([inp.products[int(i)] for i in A.indices[a:b]],
                            A.data[a:b].tolist())
    for k, key in enumerate(zip(current.workplaces, current.products, strict=True)):
        if key not in columns:
            c = current.inputs_of(k)
            columns[key] = (list(c), list(c.values()))
    net: dict[str, float] = {}
    for r in reports:
        net[r.product] = net.get(r.product, 0.0) + r.output
        codes, qty = columns.get((r.workplace, r.product), ([], []))
        for code, q in zip(codes, qty, strict=True):
            net[code] = net.get(code, 0.0) - q * r.output
    return {p: max(0.0, v) for p, v in net.items()}


def plan_inputs(uow: UnitOfWork, period: PlanningPeriod, fed: Federation, *,
                unmade: Literal["refuse", "leave"] = "refuse") -> PlanInputs:
    """The inputs of the period's current revision, from what is registered now."""
    techniques = uow.plans.techniques(period.period_id)
    in_scope = [k for k, w in enumerate(techniques.workplaces) if fed.in_scope(w)]
    if len(in_scope) != len(techniques):
        techniques = techniques.take(in_scope)
    needs = uow.plans.needs(period.period_id)
    keep = np.fromiter((fed.in_scope(c) for c in needs.councils), dtype=bool,
                       count=len(needs))
    if not keep.all():
        needs = needs.take(keep)
    decisions = uow.plans.working_times(period.period_id)
    wf = resolve_workforce(fed, decisions, uow.members.count_direct(), strict=False)
    covered = period.covered()
    shares = dict(zip(period.labels(), period.shares(), strict=True))
    share = float(sum(shares[s] for s in covered))
    delivered = None
    if period.revision > 1 and period.elapsed():
        got = delivered_so_far(uow, period, period.elapsed(), techniques)
        received, remaining = allocate_delivered(needs, got)
        needs = NeedTable(needs.councils, needs.products, remaining, needs.tiers,
                          needs.categories, needs.reasons, needs.need_ids)
        delivered = received
    return assemble_inputs(
        period.period_id, period.revision, period.council_id,
        uow.plans.catalogue(set(techniques.products) | set(needs.products), full=False),
        techniques,
        needs, wf, share=min(1.0, share), sub_periods=covered,
        sub_shares=tuple(shares[s] / share for s in covered), unmade=unmade,
        delivered_before=delivered)


def compute_variants(uow: UnitOfWork, period_id: str, specs: Sequence[VariantSpec],
                     now: datetime, *, unmade: Literal["refuse", "leave"] = "refuse"
                     ) -> tuple[VariantView, ...]:
    """Compute ``specs`` for the period's current revision from one snapshot of its
    registrations; store each with its hash and consequences; log each."""
    if not specs:
        raise InvalidInput("no variants to compute")
    keys = [s.key for s in specs]
    if len(set(keys)) != len(keys):
        raise InvalidInput("two variants share a key",
                           [Problem(k, "listed twice") for k in sorted(set(keys))
                            if keys.count(k) > 1])
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_status(PeriodStatus.OPEN, "computing variants")
        taken = {v.key for v in uow.variants.of_period(period_id, period.revision)}
        clash = [k for k in keys if k in taken]
        if clash:
            raise PreconditionFailed(f"variants cannot be computed for period {period_id}",
                                     [Problem(k, f"revision {period.revision} has a variant "
                                                 "with this key") for k in clash])
        fed = federation_of(uow, period.council_id)
        inputs = plan_inputs(uow, period, fed, unmade=unmade)
        snapshot_id = new_id("ps")
        uow.variants.add_snapshot(snapshot_id, inputs, now)
        inputs_doc = inputs.document()
        views = []
        events = []
        for spec in specs:
            result = compute_variant(inputs, spec)
            said = consequences(inputs, result, fed)
            document = result.document(inputs_doc)
            digest = result.digest(inputs_doc)
            vid = new_id("pv")
            stated = {"statement": list(said.statement), "summary": said.summary}
            uow.variants.add_variant(vid, snapshot_id, result, document, digest, stated, now)
            events.append(Event.of(
                PLAN_VARIANT_COMPUTED, now, period_id=period_id, revision=period.revision,
                variant_id=vid, key=spec.key, name=spec.name, variant_sha256=digest,
                inputs_sha256=inputs.digest, status=result.status,
                thetas={str(t): num(th) for t, th in zip(result.tiers, result.thetas,
                                                         strict=True)},
                labour_used=num(result.labour_used),
                labour_available=num(result.labour_available)))
            views.append(variant_view(uow.variants.get(vid)))
        uow.audit.append(events)
        return tuple(views)


def variant_view(record: VariantRecord) -> VariantView:
    return VariantView(
        record.variant_id, record.period_id, record.revision, record.key, record.name,
        record.status, record.variant_sha256, str(record.document["inputs_sha256"]),
        tuple(record.consequences["statement"]), dict(record.consequences["summary"]),
        dict(record.document["spec"]), record.computed_at, record.ballot_id)


def variant_detail(uow: UnitOfWork, variant_id: str, *, top: int | None = 20
                   ) -> VariantDetail:
    """Labour values (hours per unit), gross output and final use of the products
    (``top``: those whose final use embodies most hours), fulfilment of every council's
    needs (weighted by labour values), and every binding capacity."""
    with uow.reading():
        record, inputs, result = load_variant(uow, variant_id)
    v = result.labour_values
    order = np.argsort(-(v * result.net_output), kind="stable")
    if top is not None:
        order = order[:top]
    products = tuple({"product": inputs.products[i], "unit": inputs.units[i],
                      "labour_value": float(v[i]), "output": float(result.output[i]),
                      "final_use": float(result.net_output[i])} for i in order.tolist())
    councils, needed, got = council_fulfilment(inputs, result)
    rows = tuple({"council": c, "needed_hours": float(a), "received_hours": float(b),
                  "share_met": float(b / a) if a > 0 else 1.0}
                 for c, a, b in zip(councils, needed.tolist(), got.tolist(), strict=True))
    binding = tuple({"workplace": inputs.tech_workplaces[j],
                     "product": inputs.products[int(inputs.makes[j])],
                     "capacity": float(inputs.capacity[j]), "output": float(result.activity[j]),
                     "shadow": float(result.shadow_capacity[j])}
                    for j in result.binding.tolist())
    return VariantDetail(variant_id, record.key, products, rows, binding)


def show_variant(uow: UnitOfWork, variant_id: str) -> VariantView:
    with uow.reading():
        return variant_view(uow.variants.get(variant_id))


def list_variants(uow: UnitOfWork, period_id: str, revision: int | None = None
                  ) -> tuple[VariantView, ...]:
    with uow.reading():
        uow.plans.get_period(period_id)
        return tuple(variant_view(v) for v in uow.variants.of_period(period_id, revision))


def load_variant(uow: UnitOfWork, variant_id: str
                 ) -> tuple[VariantRecord, PlanInputs, VariantResult]:
    """A stored variant with its inputs and result, re-hashed and checked (inside the
    caller's transaction): :class:`RuleViolation` if anything stored has changed."""
    record = uow.variants.get(variant_id)
    inputs = uow.variants.load_inputs(record.snapshot_id)
    result = uow.variants.load_result(record)
    stored_digest, stored_doc = uow.variants.snapshot_digest(record.snapshot_id)
    problems: list[Problem] = []
    if inputs.digest != stored_digest or inputs.digest != record.document["inputs_sha256"]:
        problems.append(Problem(record.snapshot_id, "the stored inputs no longer hash to "
                                                    "their recorded digest"))
    if inputs.document() != stored_doc:
        problems.append(Problem(record.snapshot_id, "the stored inputs differ from their "
                                                    "recorded document"))
    digest = result.digest(inputs.document())
    if digest != record.variant_sha256:
        problems.append(Problem(variant_id, f"the stored variant hashes to {digest}, not its "
                                            f"recorded {record.variant_sha256}"))
    if result.document(inputs.document()) != record.document:
        problems.append(Problem(variant_id, "the stored results differ from the variant's "
                                            "document"))
    if problems:
        raise RuleViolation(f"plan variant {variant_id} has been altered since it was "
                            "computed", problems)
    return record, inputs, result


def verify_variant(uow: UnitOfWork, variant_id: str) -> dict[str, object]:
    """Re-hash a stored variant from its arrays: ``{"ok": ..., "sha256": ...}``."""
    with uow.reading():
        try:
            record, _inputs, _result = load_variant(uow, variant_id)
        except RuleViolation as exc:
            return {"variant_id": variant_id, "ok": False,
                    "problems": [str(p) for p in exc.problems]}
        return {"variant_id": variant_id, "ok": True, "sha256": record.variant_sha256,
                "document": json.loads(json.dumps(record.document))}
