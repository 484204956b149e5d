"""Tracing: which needs, of which councils, every unit of a target serves.

**The rule.** Intermediate production is attributed to final needs through the
Leontief inverse of the plan's technique mix. With ``A_eff`` and gross output ``x``
from :func:`~councilplan.planning.cycle.variant.effective_matrix` and final use
``f = x - A z`` (what leaves production for the needs, and any surplus), the plan
satisfies ``x = A_eff x + f`` exactly, so ``x = L f`` with ``L = (I - A_eff)^-1``::

    x_p = sum_k L[p, k] f_k

``L[p, k] f_k`` is the part of product ``p``'s output that ends up, directly
(``k = p``) or through every chain of inputs, in the final use of product ``k``. The
final use of ``k`` is shared among the needs for ``k`` by what each receives (the
surplus, if any, is its own line), and a technique making ``p`` carries its share
``z_j / x_p`` of each. So the needs a target serves add up to the target::

    sum over needs r of  L[p, k_r] * received_r * z_j / x_p
      + sum over k of    L[p, k] * surplus_k * z_j / x_p        =  z_j

Row ``p`` of ``L`` is one transposed Leontief solve, ``(I - A_eff^T) y = e_p``, so
tracing one target costs one solve, at any size.

:func:`trace_councils` runs the other way: the output of every technique that a set
of councils' needs call for (``L`` times their received needs, one solve).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from councilplan.errors import InvalidInput
from councilplan.planning.cycle.inputs import PlanInputs
from councilplan.planning.cycle.variant import VariantResult, effective_matrix
from councilplan.planning.economy import FloatArray, IntArray
from councilplan.planning.leontief import leontief_solve

__all__ = ["CouncilTrace", "TargetTrace", "trace_councils", "trace_target"]


@dataclass(frozen=True, eq=False)
class TargetTrace:
    """Technique ``technique``'s output ``output`` attributed to need rows ``rows``
    (``direct``: the need is for the target's own product; ``quantity``: units of the
    target's product) and to the surplus of products ``surplus_products``."""

    technique: int
    workplace: str
    product: str
    output: float
    rows: IntArray
    quantity: FloatArray
    direct: FloatArray  # the part of ``quantity`` delivered as the product itself
    surplus_products: IntArray
    surplus_quantity: FloatArray

    @property
    def total(self) -> float:
        return float(self.quantity.sum() + self.surplus_quantity.sum())

    def by_council(self, inputs: PlanInputs) -> dict[str, float]:
        out: dict[str, float] = {}
        for r, q in zip(self.rows.tolist(), self.quantity.tolist(), strict=True):
            c = inputs.needs.councils[r]
            out[c] = out.get(c, 0.0) + q
        return out

    def records(self, inputs: PlanInputs, limit: int | None = None) -> list[dict[str, Any]]:
        """The needs served, largest first: id, council, product, tier, quantity, direct."""
        nd = inputs.needs
        order = np.argsort(-self.quantity, kind="stable")
        if limit is not None:
            order = order[:limit]
        return [{"need_id": nd.need_ids[int(self.rows[k])],
                 "council": nd.councils[int(self.rows[k])],
                 "product": nd.products[int(self.rows[k])],
                 "tier": int(nd.tiers[int(self.rows[k])]),
                 "quantity": float(self.quantity[k]), "direct": float(self.direct[k])}
                for k in order.tolist()]


def _final_use(inputs: PlanInputs, result: VariantResult) -> tuple[FloatArray, FloatArray]:
    """``(f, surplus)``: final use of each product and its part beyond the needs."""
    got = (np.bincount(inputs.need_product, weights=result.delivered, minlength=inputs.n)
           if len(inputs.needs) else np.zeros(inputs.n))
    f = result.net_output
    return f, f - got


def trace_target(inputs: PlanInputs, result: VariantResult, technique: int) -> TargetTrace:
    """Attribute technique ``technique``'s planned output to the needs it serves."""
    if not 0 <= technique < inputs.m:
        raise InvalidInput(f"no technique {technique} in this plan")
    z = result.activity
    p = int(inputs.makes[technique])
    A_eff, _l, x = effective_matrix(inputs, z)
    _f, surplus = _final_use(inputs, result)
    empty_i = np.zeros(0, dtype=np.int64)
    empty_f = np.zeros(0)
    wp = inputs.tech_workplaces[technique]
    if x[p] <= 0 or z[technique] <= 0:
        return TargetTrace(technique, wp, inputs.products[p], float(z[technique]), empty_i,
                           empty_f, empty_f, empty_i, empty_f)
    e = np.zeros(inputs.n)
    e[p] = 1.0
    y = leontief_solve(A_eff, e, transpose=True).x  # y_k = L[p, k]
    share = z[technique] / x[p]
    prod = inputs.need_product
    q = y[prod] * result.delivered * share
    keep = np.flatnonzero(q != 0)
    direct = np.where(prod[keep] == p, result.delivered[keep] * share, 0.0)
    sq = y * surplus * share
    skeep = np.flatnonzero(np.abs(sq) > 0)
    return TargetTrace(technique, wp, inputs.products[p], float(z[technique]),
                       keep.astype(np.int64), q[keep], direct, skeep.astype(np.int64),
                       sq[skeep])


@dataclass(frozen=True, eq=False)
class CouncilTrace:
    """The output of each technique that the needs of ``councils`` call for."""

    councils: tuple[str, ...]
    activity: FloatArray  # by technique
    received: float  # units received by their needs, summed over products


def trace_councils(inputs: PlanInputs, result: VariantResult,
                   councils: Iterable[str]) -> CouncilTrace:
    """The part of every technique's output that serves the needs of ``councils``."""
    wanted = frozenset(councils)
    nd = inputs.needs
    mask = np.fromiter((c in wanted for c in nd.councils), dtype=bool, count=len(nd))
    d = np.bincount(inputs.need_product[mask], weights=result.delivered[mask],
                    minlength=inputs.n).astype(np.float64)
    z = result.activity
    A_eff, _l, x = effective_matrix(inputs, z)
    xc = leontief_solve(A_eff, d).x if d.any() else np.zeros(inputs.n)
    xm = x[inputs.makes]
    share = np.where(xm > 0, z / np.where(xm > 0, xm, 1.0), 0.0)
    return CouncilTrace(tuple(sorted(wanted)), xc[inputs.makes] * share, float(d.sum()))
