"""Plan variants: one plan computed with :func:`~councilplan.planning.plan.optimise_plan`
under stated settings, its consequences stated plainly, frozen by a hash.

A :class:`VariantSpec` says what differs between variants: the working week (and
weeks) in place of the councils' decisions, needs of some categories scaled (``more
investment``: ``investment`` x 1.5), how labour is counted (``pooled``: one pool of
hours for the whole scope; ``workplace``: each workplace's own hours bound its own
techniques), and the solver.

**Tiers.** ``optimise_plan`` takes one tier per product, while councils need one
product in several tiers (bread in tier 1 for one council, tier 2 for another). Each
extra tier of a product becomes a *delivery product* ``code@t`` made by a technique
that takes one unit of the product and nothing else (no labour, no capacity): the
economy stays square when it was, and the tier's need is met exactly when the
delivery product's is. A product's most urgent tier stays on the product itself.

**Results**, mapped back to the period's products and needs: activity per technique,
gross output and final use (net output) per product, what each need receives
(``theta_t`` x its quantity, ``t`` its tier), the hours used and available, labour
values (hours per unit, ``v = v A_eff + l_eff`` with the technique mix of the plan),
binding capacities, and each council's fulfilment: the share of its needs met,
weighted by labour values (``sum v_p received / sum v_p needed``; every need of a tier
gets the same share ``theta_t``, so a council's fulfilment is the mix of its tiers).

The variant's **document** (:meth:`VariantResult.document`) holds the spec, the inputs'
document and the results (arrays by digest, see
:mod:`~councilplan.planning.cycle.digest`); its SHA-256 is the variant's **hash**, the
one written to the audit log when the variant is adopted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp

from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle.digest import array_digest, document_digest, num
from councilplan.planning.cycle.inputs import PlanInputs
from councilplan.planning.cycle.need import NeedCategory
from councilplan.planning.cycle.working_time import MAX_HOURS_PER_WEEK
from councilplan.planning.economy import Economy, FloatArray, IntArray
from councilplan.planning.leontief import leontief_solve
from councilplan.planning.plan import Plan, PlanMethod, PlanStatus, optimise_plan

__all__ = [
    "LabourRule",
    "VariantResult",
    "VariantSpec",
    "compute_variant",
    "effective_matrix",
]

VARIANT_SCHEME = "councilplan-plan-variant-v1"
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}\Z")
_METHODS = ("auto", "leontief", "highs", "highs-simplex", "highs-ipm", "pdlp")


class LabourRule(StrEnum):
    POOLED = "pooled"
    WORKPLACE = "workplace"


@dataclass(frozen=True, slots=True)
class VariantSpec:
    """What one variant assumes (see the module docstring). ``key`` names it on the
    ballot: 1-32 lower-case letters, digits, ``_`` or ``-`` (``35h``, ``invest``).

    ``hours_per_week`` and ``weeks`` (the weeks worked in the whole period; a re-plan
    takes its share of them) replace the councils' decisions for every workplace;
    ``need_scale`` multiplies the needs of the named categories; ``labour_rule`` and
    ``method`` as in the module docstring (``method="pdlp"`` for very large economies
    where several workplaces make one product and HiGHS's simplex would be slow)."""

    key: str
    name: str
    description: str = ""
    hours_per_week: float | None = None
    weeks: float | None = None
    need_scale: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    labour_rule: LabourRule = LabourRule.POOLED
    method: str = "auto"

    def __post_init__(self) -> None:
        object.__setattr__(self, "need_scale",
                           MappingProxyType(dict(sorted(dict(self.need_scale).items()))))
        try:
            object.__setattr__(self, "labour_rule", LabourRule(self.labour_rule))
        except ValueError:
            raise InvalidInput(f"variant {self.key}: labour rule {self.labour_rule!r} is not "
                               "pooled or workplace") from None
        problems = self.problems()
        if problems:
            raise InvalidInput(f"plan variant {self.key!r} is not valid", problems)

    def problems(self) -> list[Problem]:
        where = f"variant {self.key}"
        out: list[Problem] = []
        if not isinstance(self.key, str) or not _KEY.match(self.key):
            out.append(Problem(where, "the key must be 1-32 lower-case letters, digits, '_' "
                                      "or '-', starting with a letter or digit"))
        if not self.name.strip():
            out.append(Problem(where, "a variant needs a name"))
        h = self.hours_per_week
        if h is not None and not (np.isfinite(h) and 0 < h <= MAX_HOURS_PER_WEEK):
            out.append(Problem(where, f"{h!r} hours per week is not a working week"))
        w = self.weeks
        if w is not None and not (np.isfinite(w) and w > 0):
            out.append(Problem(where, f"{w!r} weeks is not a number of weeks"))
        cats = {c.value for c in NeedCategory}
        for cat, factor in self.need_scale.items():
            if cat not in cats:
                out.append(Problem(where, f"unknown need category {cat!r}; one of "
                                          + ", ".join(sorted(cats))))
            if not (np.isfinite(factor) and factor >= 0):
                out.append(Problem(where, f"the scale of {cat} needs, {factor!r}, is not a "
                                          "number >= 0"))
        if self.method not in _METHODS:
            out.append(Problem(where, f"unknown method {self.method!r}; one of "
                                      + ", ".join(_METHODS)))
        return out

    def document(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "description": self.description,
            "hours_per_week": None if self.hours_per_week is None else num(self.hours_per_week),
            "weeks": None if self.weeks is None else num(self.weeks),
            "need_scale": {k: num(v) for k, v in self.need_scale.items()},
            "labour_rule": self.labour_rule.value, "method": self.method,
        }

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> VariantSpec:
        h, w = doc.get("hours_per_week"), doc.get("weeks")
        return cls(
            key=str(doc["key"]), name=str(doc["name"]),
            description=str(doc.get("description", "")),
            hours_per_week=None if h is None else float(h),
            weeks=None if w is None else float(w),
            need_scale={str(k): float(v) for k, v in dict(doc.get("need_scale", {})).items()},
            labour_rule=LabourRule(doc.get("labour_rule", "pooled")),
            method=str(doc.get("method", "auto")),
        )


@dataclass(frozen=True, eq=False)
class VariantResult:
    """One computed variant (see the module docstring). Arrays: ``activity``,
    ``shadow_capacity`` by technique; ``output``, ``net_output``, ``labour_values`` by
    product; ``requested``, ``delivered`` by need; ``labour_by_workplace``,
    ``hours_by_workplace`` by workplace of the workforce."""

    spec: VariantSpec
    inputs_digest: str
    status: str
    method: str
    message: str
    tiers: tuple[int, ...]
    thetas: tuple[float, ...]
    activity: FloatArray
    output: FloatArray
    net_output: FloatArray
    requested: FloatArray
    delivered: FloatArray
    labour_values: FloatArray
    labour_used: float
    labour_available: float
    labour_binds: bool
    shadow_labour: float
    shadow_capacity: FloatArray
    binding: IntArray  # techniques at capacity
    labour_by_workplace: FloatArray
    hours_by_workplace: FloatArray  # hours available
    binding_workplaces: IntArray  # workplaces whose own hours bind (labour rule workplace)
    period_id: str = ""
    revision: int = 1

    @property
    def optimal(self) -> bool:
        return self.status == PlanStatus.OPTIMAL.value

    def theta_of(self, tier: int) -> float:
        """Share met of every need of ``tier`` (1.0 for a tier without needs)."""
        return self.thetas[self.tiers.index(tier)] if tier in self.tiers else 1.0

    def document(self, inputs_document: Mapping[str, Any]) -> dict[str, Any]:
        """The canonical document whose digest is the variant's hash."""
        return {
            "scheme": VARIANT_SCHEME,
            "period_id": self.period_id, "revision": self.revision,
            "spec": self.spec.document(),
            "inputs": dict(inputs_document),
            "inputs_sha256": self.inputs_digest,
            "results": {
                "status": self.status, "method": self.method, "message": self.message,
                "tiers": list(self.tiers), "thetas": [num(t) for t in self.thetas],
                "labour_used": num(self.labour_used),
                "labour_available": num(self.labour_available),
                "labour_binds": self.labour_binds, "shadow_labour": num(self.shadow_labour),
                "activity": array_digest("activity", self.activity),
                "output": array_digest("output", self.output),
                "net_output": array_digest("net output", self.net_output),
                "requested": array_digest("requested", self.requested),
                "delivered": array_digest("delivered", self.delivered),
                "labour_values": array_digest("labour values", self.labour_values),
                "shadow_capacity": array_digest("shadow capacity", self.shadow_capacity),
                "binding": array_digest("binding", self.binding, "i8"),
                "labour_by_workplace": array_digest("labour by workplace",
                                                    self.labour_by_workplace),
                "hours_by_workplace": array_digest("hours by workplace",
                                                   self.hours_by_workplace),
                "binding_workplaces": array_digest("binding workplaces",
                                                   self.binding_workplaces, "i8"),
            },
        }

    def digest(self, inputs_document: Mapping[str, Any]) -> str:
        return document_digest(self.document(inputs_document))

    def arrays(self) -> dict[str, Any]:
        """The result arrays by name (what a store keeps beside the document)."""
        return {
            "activity": self.activity, "output": self.output, "net_output": self.net_output,
            "requested": self.requested, "delivered": self.delivered,
            "labour_values": self.labour_values, "shadow_capacity": self.shadow_capacity,
            "binding": self.binding, "labour_by_workplace": self.labour_by_workplace,
            "hours_by_workplace": self.hours_by_workplace,
            "binding_workplaces": self.binding_workplaces,
        }

    @classmethod
    def from_parts(cls, spec: VariantSpec, scalars: Mapping[str, Any],
                   arrays: Mapping[str, Any]) -> VariantResult:
        """Rebuild a stored result from its spec, scalars and arrays."""
        return cls(
            spec=spec, inputs_digest=str(scalars["inputs_sha256"]),
            status=str(scalars["status"]), method=str(scalars["method"]),
            message=str(scalars.get("message", "")),
            tiers=tuple(int(t) for t in scalars["tiers"]),
            thetas=tuple(float(t) for t in scalars["thetas"]),
            activity=np.asarray(arrays["activity"], dtype=np.float64),
            output=np.asarray(arrays["output"], dtype=np.float64),
            net_output=np.asarray(arrays["net_output"], dtype=np.float64),
            requested=np.asarray(arrays["requested"], dtype=np.float64),
            delivered=np.asarray(arrays["delivered"], dtype=np.float64),
            labour_values=np.asarray(arrays["labour_values"], dtype=np.float64),
            labour_used=float(scalars["labour_used"]),
            labour_available=float(scalars["labour_available"]),
            labour_binds=bool(scalars["labour_binds"]),
            shadow_labour=float(scalars["shadow_labour"]),
            shadow_capacity=np.asarray(arrays["shadow_capacity"], dtype=np.float64),
            binding=np.asarray(arrays["binding"], dtype=np.int64),
            labour_by_workplace=np.asarray(arrays["labour_by_workplace"], dtype=np.float64),
            hours_by_workplace=np.asarray(arrays["hours_by_workplace"], dtype=np.float64),
            binding_workplaces=np.asarray(arrays["binding_workplaces"], dtype=np.int64),
            period_id=str(scalars.get("period_id", "")), revision=int(scalars.get("revision", 1)),
        )

    def scalars(self) -> dict[str, Any]:
        """The scalar results (plain JSON-able; floats as numbers)."""
        return {
            "inputs_sha256": self.inputs_digest, "status": self.status, "method": self.method,
            "message": self.message, "tiers": list(self.tiers), "thetas": list(self.thetas),
            "labour_used": self.labour_used, "labour_available": self.labour_available,
            "labour_binds": self.labour_binds, "shadow_labour": self.shadow_labour,
            "period_id": self.period_id, "revision": self.revision,
        }


def effective_matrix(inputs: PlanInputs, activity: FloatArray
                     ) -> tuple[sp.csr_array, FloatArray, FloatArray]:
    """``(A_eff, l_eff, x)``: the product-by-product input matrix and labour of the plan's
    technique mix (technique ``j`` weighted by its share ``z_j / x_p`` of its product
    ``p``; a product the plan makes none of takes its first technique), and gross output
    ``x``. For one technique per product ``A_eff = A``. Then ``x = A_eff x + (x - A z)``
    holds exactly, which is what tracing needs-to-targets rests on."""
    n, m = inputs.n, inputs.m
    z = np.asarray(activity, dtype=np.float64)
    x = np.bincount(inputs.makes, weights=z, minlength=n).astype(np.float64)
    if inputs.is_square:
        return inputs.A, inputs.labour, x
    first = np.full(n, -1, dtype=np.int64)
    rev = np.arange(m - 1, -1, -1)
    first[inputs.makes[rev]] = rev
    xp = x[inputs.makes]
    w = np.where(xp > 0, z / np.where(xp > 0, xp, 1.0), 0.0)
    idle = x[inputs.makes] <= 0
    w[idle & (np.arange(m) == first[inputs.makes])] = 1.0
    W = sp.csr_array((w, (np.arange(m), inputs.makes)), shape=(m, n))
    A_eff = sp.csr_array(inputs.A @ W)
    l_eff = np.asarray(inputs.labour @ W, dtype=np.float64)
    return A_eff, l_eff, x


def _extended(inputs: PlanInputs, requested: FloatArray
              ) -> tuple[Economy, FloatArray, IntArray, IntArray, IntArray]:
    """The economy with delivery products: ``(eco, d, tiers, pair_product, pair_tier)``;
    the delivery products are ``n + k`` for the ``k``-th extra (product, tier) pair."""
    n, m = inputs.n, inputs.m
    nd = inputs.needs
    tiers_of_need = nd.tiers.astype(np.int64)
    top = int(tiers_of_need.max()) + 1 if len(nd) else 2
    keys = inputs.need_product * top + tiers_of_need
    uniq, inv = np.unique(keys, return_inverse=True)
    d_pair = np.bincount(inv, weights=requested, minlength=len(uniq)).astype(np.float64)
    p_pair, t_pair = uniq // top, uniq % top
    # the most urgent tier of each product stays on the product
    first_tier = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_tier, p_pair, t_pair)
    on_product = t_pair == first_tier[p_pair]
    d = np.zeros(n)
    d[p_pair[on_product]] = d_pair[on_product]
    tiers = np.where(first_tier == np.iinfo(np.int64).max, 1, first_tier).astype(np.int64)
    extra = np.flatnonzero(~on_product)
    D = extra.size
    products: list[str] = list(inputs.products)
    keys_t: list[str] = list(inputs.technique_keys)
    if D:
        products += [f"{inputs.products[int(p)]}@{int(t)}"
                     for p, t in zip(p_pair[extra], t_pair[extra], strict=True)]
        keys_t += [f"deliver:{p}" for p in products[n:]]
        delivery = sp.csr_array((np.ones(D), (p_pair[extra], np.arange(D))), shape=(n, D))
        top = sp.hstack([inputs.A, delivery], format="csr")
        A = sp.csr_array(sp.vstack([top, sp.csr_array((D, m + D))], format="csr"))
        d = np.concatenate([d, d_pair[extra]])
        tiers = np.concatenate([tiers, t_pair[extra]])
    else:
        A = inputs.A
    eco = Economy.from_arrays(
        A, np.concatenate([inputs.labour, np.zeros(D)]),
        makes=np.concatenate([inputs.makes, n + np.arange(D, dtype=np.int64)]),
        products=products, techniques=keys_t,
        capacity=np.concatenate([inputs.capacity, np.full(D, np.inf)]),
        needs=d, tiers=tiers, check_productive=False,
    )
    return eco, d, tiers, p_pair, t_pair


def compute_variant(inputs: PlanInputs, spec: VariantSpec) -> VariantResult:
    """Compute one variant of the plan (see the module docstring)."""
    nd = inputs.needs
    wf = inputs.workforce
    problems: list[Problem] = []
    if spec.hours_per_week is None or spec.weeks is None:
        undecided = wf.undecided()
        if undecided:
            problems += [Problem(w, "no decision on the working week and weeks covers this "
                                    "workplace (decide it, or give the variant both)")
                         for w in undecided[:200]]
    if problems:
        raise InvalidInput(f"variant {spec.key}: labour available cannot be known", problems)
    scale = np.ones(len(nd))
    if spec.need_scale:
        cats = np.asarray(nd.categories, dtype=object)
        for cat, factor in spec.need_scale.items():
            scale[cats == cat] = factor
    requested = nd.quantities * scale
    # hours: a re-plan covers only `share` of the period's weeks
    weeks = None if spec.weeks is None else spec.weeks * inputs.share
    hours = wf.hours(spec.hours_per_week, weeks)
    if spec.weeks is None:
        hours = hours * inputs.share
    hours = np.nan_to_num(hours, nan=0.0)
    eco, d, tiers, _p_pair, _t_pair = _extended(inputs, requested)
    m = inputs.m
    D = eco.m - m
    L_total = float(hours.sum())
    if spec.labour_rule is LabourRule.WORKPLACE:
        R = sp.csr_array((inputs.labour, (inputs.workplace_index, np.arange(m))),
                         shape=(len(wf.workplaces), m))
        R = sp.csr_array(sp.hstack([R, sp.csr_array((len(wf.workplaces), D))], format="csr"))
        eco = Economy.from_arrays(
            eco.A, eco.labour, makes=eco.makes, products=eco.products,
            techniques=eco.techniques, capacity=eco.capacity, needs=eco.needs,
            tiers=eco.tiers, R=R, resources=tuple(f"hours of {w}" for w in wf.workplaces),
            resource_caps=hours, check_productive=False)
        plan = optimise_plan(eco, d, tiers=tiers, labour_available=None,
                             method=_method(spec.method))
    else:
        plan = optimise_plan(eco, d, tiers=tiers, labour_available=L_total,
                             method=_method(spec.method))
    return _result(inputs, spec, plan, requested, hours, L_total)


def _method(name: str) -> PlanMethod:
    if name not in _METHODS:
        raise InvalidInput(f"unknown method {name!r}")
    return name  # type: ignore[return-value]  # checked against the literal's values


def _result(inputs: PlanInputs, spec: VariantSpec, plan: Plan, requested: FloatArray,
            hours: FloatArray, L_total: float) -> VariantResult:
    m, n = inputs.m, inputs.n
    z = np.maximum(np.asarray(plan.activity[:m], dtype=np.float64), 0.0)
    A_eff, l_eff, x = effective_matrix(inputs, z)
    net = x - np.asarray(inputs.A @ z, dtype=np.float64)
    theta_by_tier = dict(zip(plan.tiers, plan.thetas, strict=True))
    nd = inputs.needs
    theta_row = np.fromiter((theta_by_tier.get(int(t), 1.0) for t in nd.tiers.tolist()),
                            dtype=np.float64, count=len(nd))
    delivered = theta_row * requested
    values = leontief_solve(A_eff, l_eff, transpose=True).x if n else np.zeros(0)
    binding = np.asarray(sorted(b.index for b in plan.binding
                                if b.kind == "capacity" and b.index < m), dtype=np.int64)
    # labour binds where it is at its limit, or where it holds the critical tier (a solver
    # may stop a hair inside the limit: its dual still says more hours meet more needs)
    labour_binds = any(b.kind == "labour" for b in plan.binding) or (
        plan.critical_tier is not None and plan.shadow_labour > 0)
    by_wp = np.bincount(inputs.workplace_index, weights=inputs.labour * z,
                        minlength=len(inputs.workforce.workplaces)).astype(np.float64)
    bind_wp = np.asarray(sorted(b.index for b in plan.binding if b.kind == "resource"),
                         dtype=np.int64)
    if spec.labour_rule is LabourRule.WORKPLACE:
        labour_binds = bool(bind_wp.size)
    shadow_capacity = np.asarray(plan.shadow_capacity[:m], dtype=np.float64)
    return VariantResult(
        spec=spec, inputs_digest=inputs.digest, status=plan.status.value,
        method=plan.method, message=plan.message, tiers=tuple(int(t) for t in plan.tiers),
        thetas=tuple(float(t) for t in plan.thetas), activity=z, output=x, net_output=net,
        requested=requested.astype(np.float64), delivered=delivered,
        labour_values=np.asarray(values, dtype=np.float64),
        labour_used=float(inputs.labour @ z), labour_available=L_total,
        labour_binds=labour_binds, shadow_labour=float(plan.shadow_labour),
        shadow_capacity=shadow_capacity, binding=binding, labour_by_workplace=by_wp,
        hours_by_workplace=hours.astype(np.float64), binding_workplaces=bind_wp,
        period_id=inputs.period_id, revision=inputs.revision,
    )

