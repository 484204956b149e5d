"""Published targets (one row per workplace and product, per revision) and output reports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from councilplan.planning.cycle.report import OutputReport
from councilplan.store.bulk import bulk_insert
from councilplan.store.tables import plan_reports, plan_targets

__all__ = ["TargetRecord", "TargetRepository"]

_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class TargetRecord:
    """A published target: output and hours over the span of its revision, the inputs to
    receive ``(product, supplier, quantity)`` and the needs served directly
    ``(need id, council, tier, quantity)``."""

    period_id: str
    revision: int
    workplace_id: str
    product: str
    variant_id: str
    technique_version: int
    output: float
    labour: float
    net_share: float
    surplus_share: float
    inputs: tuple[tuple[str, str, float], ...]
    needs: tuple[tuple[str, str, int, float], ...]
    published_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"period_id": self.period_id, "revision": self.revision,
                "workplace": self.workplace_id, "product": self.product,
                "variant_id": self.variant_id, "technique_version": self.technique_version,
                "output": self.output, "labour": self.labour, "net_share": self.net_share,
                "surplus_share": self.surplus_share,
                "inputs": [{"product": p, "supplier": s, "quantity": q}
                           for p, s, q in self.inputs],
                "needs_served": [{"need_id": i, "council": c, "tier": t, "quantity": q}
                                 for i, c, t, q in self.needs]}


class TargetRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_targets(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert published targets (dicts with every column of ``plan_targets``)."""
        if not rows:
            return
        columns = tuple(plan_targets.c.keys())
        bulk_insert(self._conn, plan_targets, columns,
                    [tuple(r[c] for c in columns) for r in rows])

    def count(self, period_id: str, revision: int) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(plan_targets)
            .where(plan_targets.c.period_id == period_id,
                   plan_targets.c.revision == revision)).scalar_one())

    def targets(self, period_id: str, revision: int, *, workplace: str | None = None,
                product: str | None = None) -> list[TargetRecord]:
        stmt = select(plan_targets).where(plan_targets.c.period_id == period_id,
                                          plan_targets.c.revision == revision)
        if workplace is not None:
            stmt = stmt.where(plan_targets.c.workplace_id == workplace)
        if product is not None:
            stmt = stmt.where(plan_targets.c.product_code == product)
        rows = self._conn.execute(stmt.order_by(plan_targets.c.workplace_id,
                                                plan_targets.c.product_code))
        return [TargetRecord(
            r.period_id, r.revision, r.workplace_id, r.product_code, r.variant_id,
            r.technique_version, r.output, r.labour, r.net_share, r.surplus_share,
            tuple((str(a), str(b), float(c)) for a, b, c in json.loads(r.inputs)),
            tuple((str(a), str(b), int(c), float(d)) for a, b, c, d in json.loads(r.needs)),
            r.published_at) for r in rows]

    def index(self, period_id: str, revision: int) -> dict[tuple[str, str], tuple[float, float]]:
        """``(workplace, product) -> (output, hours)`` of a revision's targets."""
        rows = self._conn.execute(
            select(plan_targets.c.workplace_id, plan_targets.c.product_code,
                   plan_targets.c.output, plan_targets.c.labour)
            .where(plan_targets.c.period_id == period_id, plan_targets.c.revision == revision))
        return {(r[0], r[1]): (float(r[2]), float(r[3])) for r in rows}

    # -- reports ---------------------------------------------------------------

    def save_reports(self, period_id: str, revision: int, reports: Sequence[OutputReport],
                     at: datetime) -> int:
        """Store reports, a later one for the same sub-period, workplace and product
        replacing the earlier; returns how many replaced one."""
        replaced = 0
        fresh = []
        for r in reports:
            done = self._conn.execute(update(plan_reports).where(
                plan_reports.c.period_id == period_id,
                plan_reports.c.sub_period == r.sub_period,
                plan_reports.c.workplace_id == r.workplace,
                plan_reports.c.product_code == r.product,
            ).values(output=float(r.output), hours=float(r.hours), revision=revision,
                     reported_at=at))
            if done.rowcount:
                replaced += 1
            else:
                fresh.append({"period_id": period_id, "sub_period": r.sub_period,
                              "workplace_id": r.workplace, "product_code": r.product,
                              "output": float(r.output), "hours": float(r.hours),
                              "revision": revision, "reported_at": at})
        for k in range(0, len(fresh), _CHUNK):
            self._conn.execute(insert(plan_reports), fresh[k:k + _CHUNK])
        return replaced

    def reports(self, period_id: str, *, workplace: str | None = None) -> list[OutputReport]:
        stmt = select(plan_reports.c.sub_period, plan_reports.c.workplace_id,
                      plan_reports.c.product_code, plan_reports.c.output,
                      plan_reports.c.hours).where(plan_reports.c.period_id == period_id)
        if workplace is not None:
            stmt = stmt.where(plan_reports.c.workplace_id == workplace)
        rows = self._conn.execute(stmt.order_by(plan_reports.c.sub_period,
                                                plan_reports.c.workplace_id,
                                                plan_reports.c.product_code))
        return [OutputReport(r[0], r[1], r[2], float(r[3]), float(r[4])) for r in rows]
