"""The plan cycle's registrations: catalogue, periods, needs, techniques, working time.

Bulk writes are single ``executemany`` inserts of prepared rows (SQLAlchemy sends them
as multi-row ``INSERT ... VALUES`` batches on PostgreSQL); reads return columns
(:class:`~councilplan.planning.cycle.NeedTable`,
:class:`~councilplan.planning.cycle.TechniqueTable`), never one object per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, func, insert, select, tuple_, update

from councilplan.errors import NotFound
from councilplan.planning.cycle.catalogue import Catalogue, Product
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.cycle.period import PlanningPeriod, SubPeriod
from councilplan.planning.cycle.technique import TechniqueTable
from councilplan.planning.cycle.working_time import WorkingTime
from councilplan.store.arrays import decode_floats
from councilplan.store.bulk import bulk_insert
from councilplan.store.tables import (
    plan_needs,
    plan_periods,
    plan_products,
    plan_techniques,
    plan_working_time,
)
from councilplan.store.types import AnyRow

__all__ = ["PlanRepository"]

def _period(row: AnyRow) -> PlanningPeriod:
    subs = tuple(SubPeriod(s["label"], datetime.fromisoformat(s["starts_at"]),
                           datetime.fromisoformat(s["ends_at"])) for s in row.sub_periods)
    return PlanningPeriod(
        period_id=row.period_id, council_id=row.council_id, name=row.name,
        starts_at=row.starts_at, ends_at=row.ends_at, sub_periods=subs,
        electorate=row.electorate, method=row.method, status=row.status,
        revision=row.revision, adopted_variant=row.adopted_variant, in_force=row.in_force,
        replan_from=row.replan_from)


class PlanRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- catalogue -------------------------------------------------------------

    def add_products(self, products: Sequence[Product], at: datetime) -> None:
        bulk_insert(self._conn, plan_products,
                    ("code", "name", "unit", "description", "classifications", "added_at"),
                    [(p.code, p.name, p.unit, p.description, dict(p.classifications), at)
                     for p in products])

    def catalogue(self, codes: Iterable[str] | None = None, *,
                  full: bool = True) -> Catalogue:
        """The catalogue (or only the products of ``codes`` that exist), by code;
        ``full=False`` leaves out descriptions and classifications (for checks)."""
        if not full:
            return self._codes(codes)
        stmt = select(plan_products.c.code, plan_products.c.name, plan_products.c.unit,
                      plan_products.c.description, plan_products.c.classifications)
        if codes is not None:
            wanted = sorted(set(codes))
            if len(wanted) > 5000:  # many codes: one scan beats many IN lists
                keep = set(wanted)
                return Catalogue(p for p in self.catalogue() if p.code in keep)
            out: list[Product] = []
            for k in range(0, len(wanted), 900):
                part = wanted[k:k + 900]
                out += [Product.stored(*r) for r in self._conn.execute(
                    stmt.where(plan_products.c.code.in_(part)))]
            return Catalogue(sorted(out, key=lambda p: p.code))
        rows = self._conn.execute(stmt.order_by(plan_products.c.code))
        return Catalogue(Product.stored(*r) for r in rows)

    def _codes(self, codes: Iterable[str] | None) -> Catalogue:
        stmt = select(plan_products.c.code, plan_products.c.name, plan_products.c.unit)
        wanted = None if codes is None else set(codes)
        if wanted is not None and len(wanted) <= 5000:
            found: list[Any] = []
            ordered = sorted(wanted)
            for k in range(0, len(ordered), 900):
                found += self._conn.execute(
                    stmt.where(plan_products.c.code.in_(ordered[k:k + 900]))).all()
            rows = sorted(found)
        else:
            rows = [r for r in self._conn.execute(stmt.order_by(plan_products.c.code))
                    if wanted is None or r[0] in wanted]
        return Catalogue(Product.stored(r[0], r[1], r[2], "", {}) for r in rows)

    def product_count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(plan_products))
                   .scalar_one())

    # -- periods -----------------------------------------------------------------

    def add_period(self, period: PlanningPeriod, at: datetime) -> None:
        self._conn.execute(insert(plan_periods).values(
            period_id=period.period_id, council_id=period.council_id, name=period.name,
            starts_at=period.starts_at, ends_at=period.ends_at,
            sub_periods=[s.to_dict() for s in period.sub_periods],
            electorate=period.electorate.value, method=period.method.value,
            status=period.status.value, revision=period.revision,
            adopted_variant=period.adopted_variant, in_force=period.in_force,
            replan_from=period.replan_from, created_at=at))

    def find_period(self, period_id: str, *, lock: bool = False) -> PlanningPeriod | None:
        stmt = select(plan_periods).where(plan_periods.c.period_id == period_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else _period(row)

    def get_period(self, period_id: str, *, lock: bool = False) -> PlanningPeriod:
        found = self.find_period(period_id, lock=lock)
        if found is None:
            raise NotFound(f"planning period {period_id} does not exist")
        return found

    def save_period(self, period: PlanningPeriod) -> None:
        """Store the period's lifecycle: status, revision, adopted and in-force variants."""
        self._conn.execute(update(plan_periods)
                           .where(plan_periods.c.period_id == period.period_id)
                           .values(status=period.status.value, revision=period.revision,
                                   adopted_variant=period.adopted_variant,
                                   in_force=period.in_force,
                                   replan_from=period.replan_from))

    def periods(self, council_id: str | None = None) -> list[PlanningPeriod]:
        stmt = select(plan_periods)
        if council_id is not None:
            stmt = stmt.where(plan_periods.c.council_id == council_id)
        rows = self._conn.execute(stmt.order_by(plan_periods.c.starts_at,
                                                plan_periods.c.period_id))
        return [_period(r) for r in rows]

    # -- needs -------------------------------------------------------------------

    def add_needs(self, period_id: str, needs: NeedTable, batch_id: str,
                  at: datetime) -> None:
        bulk_insert(self._conn, plan_needs, (
            "need_id", "period_id", "council_id", "product_code", "quantity", "tier",
            "category", "reason", "batch_id", "registered_at", "withdrawn_at"),
            list(zip(needs.need_ids, [period_id] * len(needs), needs.councils, needs.products,
                     needs.quantities.tolist(), needs.tiers.tolist(), needs.categories,
                     needs.reasons, [batch_id] * len(needs), [at] * len(needs),
                     [None] * len(needs), strict=True)))

    def needs(self, period_id: str, *, councils: Iterable[str] | None = None) -> NeedTable:
        """The needs of the period not withdrawn, in registration order (then id)."""
        stmt = (select(plan_needs.c.need_id, plan_needs.c.council_id,
                       plan_needs.c.product_code, plan_needs.c.quantity, plan_needs.c.tier,
                       plan_needs.c.category, plan_needs.c.reason)
                .where(plan_needs.c.period_id == period_id,
                       plan_needs.c.withdrawn_at.is_(None))
                .order_by(plan_needs.c.registered_at, plan_needs.c.need_id))
        if councils is not None:
            stmt = stmt.where(plan_needs.c.council_id.in_(sorted(set(councils))))
        rows = self._conn.execute(stmt).all()
        return NeedTable(
            councils=[r[1] for r in rows], products=[r[2] for r in rows],
            quantities=np.asarray([r[3] for r in rows], dtype=np.float64),
            tiers=np.asarray([r[4] for r in rows], dtype=np.int64),
            categories=[r[5] for r in rows], reasons=[r[6] for r in rows],
            need_ids=[r[0] for r in rows])

    def need_count(self, period_id: str) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(plan_needs)
            .where(plan_needs.c.period_id == period_id,
                   plan_needs.c.withdrawn_at.is_(None))).scalar_one())

    def withdraw_needs(self, period_id: str, council_id: str, at: datetime,
                       need_ids: Sequence[str] | None = None) -> int:
        """Withdraw the council's live needs (all, or ``need_ids``); how many."""
        cond = [plan_needs.c.period_id == period_id, plan_needs.c.council_id == council_id,
                plan_needs.c.withdrawn_at.is_(None)]
        if need_ids is not None:
            cond.append(plan_needs.c.need_id.in_(list(need_ids)))
        done = self._conn.execute(update(plan_needs).where(*cond).values(withdrawn_at=at))
        return int(done.rowcount)

    # -- techniques --------------------------------------------------------------

    def current_versions(self, period_id: str, workplaces: Iterable[str]
                         ) -> dict[tuple[str, str], int]:
        """The latest version of each (workplace, product) registered by ``workplaces``."""
        wps = sorted(set(workplaces))
        out: dict[tuple[str, str], int] = {}
        for k in range(0, len(wps), 900):
            rows = self._conn.execute(
                select(plan_techniques.c.workplace_id, plan_techniques.c.product_code,
                       func.max(plan_techniques.c.version))
                .where(plan_techniques.c.period_id == period_id,
                       plan_techniques.c.workplace_id.in_(wps[k:k + 900]))
                .group_by(plan_techniques.c.workplace_id, plan_techniques.c.product_code))
            out.update({(r[0], r[1]): int(r[2]) for r in rows})
        return out

    def supersede(self, period_id: str, keys: Sequence[tuple[str, str]]) -> None:
        """Mark the current versions of ``(workplace, product)`` as no longer current."""
        for k in range(0, len(keys), 400):
            part = list(keys[k:k + 400])
            self._conn.execute(
                update(plan_techniques)
                .where(plan_techniques.c.period_id == period_id,
                       plan_techniques.c.current.is_(True),
                       tuple_(plan_techniques.c.workplace_id,
                              plan_techniques.c.product_code).in_(part))
                .values(current=False))

    def add_techniques(self, period_id: str, table: TechniqueTable, batch_id: str,
                       at: datetime) -> None:
        assert table.versions is not None
        ip, iq = table.indptr.tolist(), table.input_quantities
        lab, cap, ver = table.labour.tolist(), table.capacity.tolist(), table.versions.tolist()
        codes = table.input_products
        raw = np.ascontiguousarray(iq, dtype="<f8").tobytes()
        bulk_insert(self._conn, plan_techniques, (
            "period_id", "workplace_id", "product_code", "version", "labour", "capacity",
            "input_codes", "input_quantities", "current", "batch_id", "registered_at"),
            [(period_id, table.workplaces[k], table.products[k], ver[k], lab[k],
              None if cap[k] == float("inf") else cap[k], "\n".join(codes[ip[k]:ip[k + 1]]),
              raw[8 * ip[k]:8 * ip[k + 1]], True, batch_id, at) for k in range(len(table))])

    def techniques(self, period_id: str, *, workplaces: Iterable[str] | None = None,
                   current: bool = True) -> TechniqueTable:
        """The current techniques of the period (of ``workplaces`` only, when given),
        ordered by workplace and product; all versions with ``current=False``."""
        cols = (plan_techniques.c.workplace_id, plan_techniques.c.product_code,
                plan_techniques.c.version, plan_techniques.c.labour,
                plan_techniques.c.capacity, plan_techniques.c.input_codes,
                plan_techniques.c.input_quantities)
        cond = [plan_techniques.c.period_id == period_id]
        if current:
            cond.append(plan_techniques.c.current.is_(True))
        if workplaces is not None:
            cond.append(plan_techniques.c.workplace_id.in_(sorted(set(workplaces))))
        rows = self._conn.execute(select(*cols).where(and_(*cond)).order_by(
            plan_techniques.c.workplace_id, plan_techniques.c.product_code,
            plan_techniques.c.version)).all()
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        codes: list[str] = []
        qty: list[np.ndarray] = []
        for k, r in enumerate(rows):
            part = r[5].split("\n") if r[5] else []
            codes += part
            qty.append(decode_floats(r[6]))
            indptr[k + 1] = indptr[k] + len(part)
        return TechniqueTable(
            workplaces=[r[0] for r in rows], products=[r[1] for r in rows],
            labour=np.asarray([r[3] for r in rows], dtype=np.float64),
            capacity=np.asarray([np.inf if r[4] is None else r[4] for r in rows],
                                dtype=np.float64),
            indptr=indptr, input_products=codes,
            input_quantities=np.concatenate(qty) if qty else np.zeros(0),
            versions=np.asarray([r[2] for r in rows], dtype=np.int64))

    def technique_count(self, period_id: str) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(plan_techniques)
            .where(plan_techniques.c.period_id == period_id,
                   plan_techniques.c.current.is_(True))).scalar_one())

    # -- working time ------------------------------------------------------------

    def set_working_time(self, period_id: str, decision: WorkingTime, at: datetime) -> None:
        where = (plan_working_time.c.period_id == period_id,
                 plan_working_time.c.council_id == decision.council_id)
        values = {"hours_per_week": decision.hours_per_week, "weeks": decision.weeks,
                  "members": decision.members, "decided_at": at}
        done = self._conn.execute(update(plan_working_time).where(*where).values(**values))
        if done.rowcount == 0:
            self._conn.execute(insert(plan_working_time).values(
                period_id=period_id, council_id=decision.council_id, **values))

    def add_working_times(self, period_id: str, decisions: Sequence[WorkingTime],
                          at: datetime) -> None:
        """Insert many first decisions at once (none of them may exist yet)."""
        bulk_insert(self._conn, plan_working_time, (
            "period_id", "council_id", "hours_per_week", "weeks", "members", "decided_at"),
            [(period_id, d.council_id, d.hours_per_week, d.weeks, d.members, at)
             for d in decisions])

    def working_times(self, period_id: str) -> list[WorkingTime]:
        rows = self._conn.execute(
            select(plan_working_time.c.council_id, plan_working_time.c.hours_per_week,
                   plan_working_time.c.weeks, plan_working_time.c.members)
            .where(plan_working_time.c.period_id == period_id)
            .order_by(plan_working_time.c.council_id))
        return [WorkingTime(r[0], float(r[1]), float(r[2]), r[3]) for r in rows]

    def decided(self, period_id: str, council_ids: Iterable[str]) -> set[str]:
        ids = sorted(set(council_ids))
        found: set[str] = set()
        for k in range(0, len(ids), 900):
            found |= set(self._conn.execute(
                select(plan_working_time.c.council_id)
                .where(plan_working_time.c.period_id == period_id,
                       plan_working_time.c.council_id.in_(ids[k:k + 900]))).scalars())
        return found

