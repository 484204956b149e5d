"""Targets: what each workplace is to make under the adopted variant, what it will
receive, and which needs it serves.

For technique ``j`` (workplace ``w`` making product ``p``) with planned activity
``z_j``:

* **output target**: ``z_j`` units of ``p`` over the span the plan covers, split over
  its sub-periods by their shares; the **hours** it takes, ``l_j z_j``;
* **inputs it will receive**: for each input ``i`` of its technique, ``A[i, j] z_j``
  units, split across the workplaces that make ``i`` in proportion to their planned
  output of ``i`` (supplier ``s`` sends ``A[i, j] z_j * z_s / x_i``, ``x_i`` the planned
  gross output of ``i``): every unit a supplier makes is sent somewhere, and what each
  receiver gets adds up to its needs for inputs;
* **needs served directly**: the final use of ``p`` (its net output
  ``x_p - (A z)_p``) goes to the needs for ``p``, each receiving ``theta_t q`` (see
  :mod:`~councilplan.planning.cycle.variant`); a workplace's part of each is its share
  ``z_j / x_p`` of the product's output. What the final use holds beyond the needs
  (a plan may overproduce where a technique choice makes it cheaper) is the
  **surplus** line. So, for every target::

      sum of the needs it serves directly + surplus share = z_j * net_p / x_p

  its *net output share*. The rest of its output (``z_j`` minus that) goes into other
  products: :mod:`~councilplan.planning.cycle.trace` attributes it to the final needs
  it ends up in, through the Leontief inverse, and then every unit of the target is
  accounted for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from councilplan.planning.cycle.digest import array_digest, document_digest
from councilplan.planning.cycle.inputs import PlanInputs
from councilplan.planning.cycle.variant import VariantResult
from councilplan.planning.economy import FloatArray, IntArray

__all__ = ["TargetSet", "plan_targets"]

TARGETS_SCHEME = "councilplan-plan-targets-v1"


def _expand(groups: IntArray, group_ptr: IntArray) -> tuple[IntArray, IntArray]:
    """For items in ``groups`` (a group index each), ``(item, member)``: each item
    repeated once per member of its group, ``member`` the position in the flat members
    array (``group_ptr`` CSR-style)."""
    counts = group_ptr[groups + 1] - group_ptr[groups]
    item = np.repeat(np.arange(groups.size), counts)
    starts = np.repeat(group_ptr[groups], counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    member = starts + (np.arange(item.size) - first)
    return item, member


@dataclass(frozen=True, eq=False)
class TargetSet:
    """The targets of every technique of a plan (see the module docstring).

    Deliveries are ``(receiver technique, input product, supplier technique, quantity)``
    rows ordered by receiver (``delivery_ptr``); direct needs are ``(technique, need row,
    quantity)`` rows ordered by technique (``need_ptr``)."""

    inputs: PlanInputs
    result: VariantResult
    output: FloatArray
    labour: FloatArray
    net_share: FloatArray
    surplus_share: FloatArray
    delivery_ptr: IntArray
    delivery_product: IntArray
    delivery_supplier: IntArray
    delivery_quantity: FloatArray
    need_ptr: IntArray
    need_row: IntArray
    need_quantity: FloatArray

    @property
    def m(self) -> int:
        return len(self.output)

    def deliveries_to(self, j: int) -> list[tuple[str, str, float]]:
        """``(input product, supplier workplace, quantity)`` that technique ``j`` receives."""
        a, b = int(self.delivery_ptr[j]), int(self.delivery_ptr[j + 1])
        inp = self.inputs
        return [(inp.products[int(i)], inp.tech_workplaces[int(s)], float(q))
                for i, s, q in zip(self.delivery_product[a:b].tolist(),
                                   self.delivery_supplier[a:b].tolist(),
                                   self.delivery_quantity[a:b].tolist(), strict=True)]

    def needs_of(self, j: int) -> list[tuple[str, str, int, float]]:
        """``(need id, council, tier, quantity)`` that technique ``j`` serves directly."""
        a, b = int(self.need_ptr[j]), int(self.need_ptr[j + 1])
        nd = self.inputs.needs
        return [(nd.need_ids[r], nd.councils[r], int(nd.tiers[r]), float(q))
                for r, q in zip(self.need_row[a:b].tolist(), self.need_quantity[a:b].tolist(),
                                strict=True)]

    def sub_period_outputs(self, j: int) -> list[tuple[str, float]]:
        inp = self.inputs
        return [(label, float(self.output[j]) * share)
                for label, share in zip(inp.sub_periods, inp.sub_shares, strict=True)]

    def document(self) -> dict[str, Any]:
        return {
            "scheme": TARGETS_SCHEME, "inputs_sha256": self.inputs.digest,
            "output": array_digest("target output", self.output),
            "labour": array_digest("target labour", self.labour),
            "net_share": array_digest("net share", self.net_share),
            "surplus_share": array_digest("surplus share", self.surplus_share),
            "deliveries": {
                "ptr": array_digest("delivery ptr", self.delivery_ptr, "i8"),
                "product": array_digest("delivery product", self.delivery_product, "i8"),
                "supplier": array_digest("delivery supplier", self.delivery_supplier, "i8"),
                "quantity": array_digest("delivery quantity", self.delivery_quantity)},
            "needs": {
                "ptr": array_digest("need ptr", self.need_ptr, "i8"),
                "row": array_digest("need row", self.need_row, "i8"),
                "quantity": array_digest("need quantity", self.need_quantity)},
        }

    @cached_property
    def digest(self) -> str:
        return document_digest(self.document())


def plan_targets(inputs: PlanInputs, result: VariantResult) -> TargetSet:
    """Every technique's target under ``result`` (see the module docstring)."""
    n, m = inputs.n, inputs.m
    z = result.activity
    x = result.output
    makes = inputs.makes
    # active suppliers of each product, grouped by product
    active = np.flatnonzero(z > 0)
    sup = active[np.argsort(makes[active], kind="stable")]
    sup_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(makes[active], minlength=n), out=sup_ptr[1:])
    # deliveries: every input entry (i, j) with A_ij z_j > 0, once per supplier of i
    A = inputs.A.tocsc()
    A.sort_indices()
    col = np.repeat(np.arange(m), np.diff(A.indptr))
    rows = A.indices.astype(np.int64)
    need = A.data * z[col]
    live = np.flatnonzero((need > 0) & (x[rows] > 0))
    item, member = _expand(rows[live], sup_ptr)
    e = live[item]
    supplier = sup[member]
    qty = need[e] * z[supplier] / x[rows[e]]
    recv = col[e]
    order = np.argsort(recv, kind="stable")
    d_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(recv, minlength=m), out=d_ptr[1:])
    # direct needs: each need row, once per maker of its product
    nd = inputs.needs
    prod = inputs.need_product
    has = np.flatnonzero((result.delivered > 0) & (x[prod] > 0)) if len(nd) else np.zeros(
        0, dtype=np.int64)
    item_n, member_n = _expand(prod[has], sup_ptr)
    r = has[item_n]
    tech = sup[member_n]
    nq = result.delivered[r] * z[tech] / x[prod[r]]
    order_n = np.argsort(tech, kind="stable")
    n_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(tech, minlength=m), out=n_ptr[1:])
    # shares of the product's final use
    share = np.where(x[makes] > 0, z / np.where(x[makes] > 0, x[makes], 1.0), 0.0)
    net = result.net_output
    got = np.bincount(prod, weights=result.delivered, minlength=n) if len(nd) else np.zeros(n)
    return TargetSet(
        inputs=inputs, result=result, output=z.copy(), labour=inputs.labour * z,
        net_share=net[makes] * share, surplus_share=(net - got)[makes] * share,
        delivery_ptr=d_ptr, delivery_product=rows[e][order].astype(np.int64),
        delivery_supplier=supplier[order].astype(np.int64),
        delivery_quantity=qty[order].astype(np.float64),
        need_ptr=n_ptr, need_row=r[order_n].astype(np.int64),
        need_quantity=nq[order_n].astype(np.float64),
    )
