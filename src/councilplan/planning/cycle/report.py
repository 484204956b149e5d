"""Output reports and re-planning from the actuals.

Each workplace reports, per sub-period and product, what it actually made and the
hours it worked (:class:`OutputReport`). :func:`progress` sets the reports against the
targets in force: planned to date (the target times the shares of the sub-periods
reported so far), actual to date, and the shortfall.

**Re-planning** the rest of the period starts from the actuals:

* what the needs have already received is the **final use actually delivered** so
  far, ``f = x - A z`` with ``z`` the reported outputs (under the techniques of the
  plan in force), never below zero; it goes to the needs for each product tier by tier
  (tier 1 first) and, within a tier, in proportion to the quantities
  (:func:`allocate_delivered`);
* the re-plan's needs are what is still to be delivered, its capacities and hours
  those of the sub-periods left (their share of the period), and it is computed,
  put to the vote and adopted like the first plan, as the next revision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from councilplan.errors import Problem
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.economy import FloatArray

__all__ = [
    "OutputReport",
    "TargetProgress",
    "allocate_delivered",
    "progress",
    "report_problems",
]


@dataclass(frozen=True, slots=True)
class OutputReport:
    """``workplace`` made ``output`` units of ``product`` in ``sub_period``, working
    ``hours`` hours for it."""

    sub_period: str
    workplace: str
    product: str
    output: float
    hours: float

    def to_dict(self) -> dict[str, object]:
        return {"sub_period": self.sub_period, "workplace": self.workplace,
                "product": self.product, "output": self.output, "hours": self.hours}


def report_problems(reports: Sequence[OutputReport], labels: Sequence[str],
                    targets: Mapping[tuple[str, str], object]) -> list[Problem]:
    """Every fault of a batch of reports: unknown sub-periods, products the workplace has
    no target for, outputs or hours that are not numbers >= 0, a report listed twice."""
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for k, r in enumerate(reports, start=1):
        where = f"report {k} ({r.workplace}: {r.product}, {r.sub_period})"
        if r.sub_period not in labels:
            problems.append(Problem(where, "no such sub-period; sub-periods: "
                                    + ", ".join(labels)))
        if (r.workplace, r.product) not in targets:
            problems.append(Problem(where, f"{r.workplace} has no target for {r.product} in the "
                                           "plan in force"))
        for name, value in (("output", r.output), ("hours", r.hours)):
            if not (isinstance(value, float | int) and np.isfinite(value) and value >= 0):
                problems.append(Problem(where, f"{name} {value!r} is not a number >= 0"))
        key = (r.sub_period, r.workplace, r.product)
        if key in seen:
            problems.append(Problem(where, "listed twice"))
        seen.add(key)
    return problems


@dataclass(frozen=True, slots=True)
class TargetProgress:
    """One target against its reports up to a sub-period."""

    workplace: str
    product: str
    target: float  # for the span the plan in force covers
    planned_to_date: float
    actual_to_date: float
    hours_planned_to_date: float
    hours_to_date: float
    reported: tuple[str, ...]  # sub-periods with a report

    @property
    def share(self) -> float:
        """Actual over planned to date (1 when nothing was planned yet)."""
        if self.planned_to_date <= 0:
            return 1.0
        return self.actual_to_date / self.planned_to_date

    @property
    def shortfall(self) -> float:
        return max(0.0, self.planned_to_date - self.actual_to_date)

    def to_dict(self) -> dict[str, object]:
        return {"workplace": self.workplace, "product": self.product, "target": self.target,
                "planned_to_date": self.planned_to_date, "actual_to_date": self.actual_to_date,
                "share": self.share, "shortfall": self.shortfall,
                "hours_planned_to_date": self.hours_planned_to_date,
                "hours_to_date": self.hours_to_date, "reported": list(self.reported)}


def progress(targets: Mapping[tuple[str, str], tuple[float, float]],
             shares: Mapping[str, float], through: Sequence[str],
             reports: Sequence[OutputReport]) -> list[TargetProgress]:
    """Each target (``(workplace, product) -> (output, hours)`` over the plan's span,
    ``shares`` of that span by sub-period) against the reports of the sub-periods
    ``through``."""
    by_key: dict[tuple[str, str], list[OutputReport]] = {}
    wanted = set(through)
    for r in reports:
        if r.sub_period in wanted:
            by_key.setdefault((r.workplace, r.product), []).append(r)
    planned_share = sum(shares.get(s, 0.0) for s in through)
    out = []
    for (wp, prod), (output, hours) in sorted(targets.items()):
        rs = by_key.get((wp, prod), [])
        out.append(TargetProgress(
            wp, prod, output, output * planned_share,
            float(sum(r.output for r in rs)), hours * planned_share,
            float(sum(r.hours for r in rs)), tuple(sorted({r.sub_period for r in rs}))))
    return out


def allocate_delivered(needs: NeedTable, delivered: Mapping[str, float]
                       ) -> tuple[FloatArray, FloatArray]:
    """``(received, remaining)`` per need row: ``delivered[p]`` units of each product
    ``p`` go to its needs tier by tier (tier 1 first), within a tier in proportion to
    the quantities; what a need has not received remains."""
    n = len(needs)
    q = needs.quantities.astype(np.float64)
    received = np.zeros(n)
    if n == 0:
        return received, q.copy()
    codes = sorted(set(needs.products))
    pos = {c: i for i, c in enumerate(codes)}
    prod = np.fromiter((pos[p] for p in needs.products), dtype=np.int64, count=n)
    tiers = needs.tiers.astype(np.int64)
    top = int(tiers.max()) + 1
    key = prod * top + tiers
    uniq, inv = np.unique(key, return_inverse=True)
    group_need = np.bincount(inv, weights=q, minlength=len(uniq))
    group_prod = uniq // top
    supply = np.asarray([max(0.0, float(delivered.get(c, 0.0))) for c in codes])
    # groups are sorted by (product, tier): cumulative need of earlier tiers per product
    cum = np.cumsum(group_need)
    first_of_product = np.searchsorted(group_prod, group_prod, side="left")
    before = cum - group_need - (cum[first_of_product] - group_need[first_of_product])
    alloc = np.clip(supply[group_prod] - before, 0.0, group_need)
    frac = np.where(group_need > 0, alloc / np.where(group_need > 0, group_need, 1.0), 0.0)
    received = frac[inv] * q
    return received, q - received
