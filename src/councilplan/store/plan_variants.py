"""Plan snapshots and variants (written once, frozen), and the plan ballots' weighted
electorates and roll calls.

A snapshot holds the :class:`~councilplan.planning.cycle.PlanInputs` one computation
used, as one blob; a variant holds its canonical document (whose digest is its hash),
its consequences and its result arrays. :meth:`VariantRepository.load_result` rebuilds
the :class:`~councilplan.planning.cycle.VariantResult` and :meth:`load_inputs` the
inputs, exactly, so a stored variant can be re-hashed and checked against the hash
in its row and in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import Connection, insert, select, update

from councilplan.councils.weighted import WeightedElectorate
from councilplan.errors import NotFound
from councilplan.planning.cycle.inputs import PlanInputs
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.cycle.variant import VariantResult, VariantSpec
from councilplan.planning.cycle.working_time import Workforce
from councilplan.store.arrays import pack_arrays, unpack_arrays
from councilplan.store.tables import (
    plan_ballot_weights,
    plan_ballots,
    plan_roll_call,
    plan_snapshots,
    plan_variants,
)
from councilplan.store.types import AnyRow

__all__ = ["PlanBallotRecord", "VariantRecord", "VariantRepository"]


def _inputs_blob(inp: PlanInputs) -> bytes:
    nd = inp.needs
    wf = inp.workforce
    numeric: dict[str, Any] = {
        "revision": np.asarray([inp.revision]), "share": np.asarray([inp.share]),
        "makes": inp.makes, "versions": inp.versions,
        "A_indptr": inp.A.indptr, "A_indices": inp.A.indices, "A_data": inp.A.data,
        "A_shape": np.asarray(inp.A.shape, dtype=np.int64),
        "labour": inp.labour, "capacity": inp.capacity,
        "need_product": inp.need_product, "need_tiers": nd.tiers,
        "need_quantities": nd.quantities, "sub_shares": np.asarray(inp.sub_shares),
        "members": wf.members, "hours_per_week": wf.hours_per_week, "weeks": wf.weeks,
    }
    if inp.delivered_before is not None:
        numeric["delivered_before"] = inp.delivered_before
    texts = {
        "meta": [inp.period_id, inp.owner], "products": inp.products, "units": inp.units,
        "tech_workplaces": inp.tech_workplaces, "need_ids": nd.need_ids,
        "need_councils": nd.councils, "need_categories": nd.categories,
        "sub_periods": inp.sub_periods, "workplaces": wf.workplaces,
        "decided_by": wf.decided_by, "unmade": inp.unmade,
    }
    return pack_arrays(numeric, texts)


def _inputs_from_blob(blob: bytes) -> PlanInputs:
    num, txt = unpack_arrays(blob)
    shape = (int(num["A_shape"][0]), int(num["A_shape"][1]))
    A = sp.csr_array((num["A_data"], num["A_indices"], num["A_indptr"]), shape=shape)
    products = tuple(txt["products"])
    need_product = num["need_product"].astype(np.int64)
    needs = NeedTable(
        councils=txt["need_councils"], products=[products[int(i)] for i in need_product],
        quantities=num["need_quantities"].astype(np.float64),
        tiers=num["need_tiers"].astype(np.int64), categories=txt["need_categories"],
        reasons=[""] * len(need_product), need_ids=txt["need_ids"])
    wf = Workforce(tuple(txt["workplaces"]), num["members"].astype(np.float64),
                   num["hours_per_week"].astype(np.float64), num["weeks"].astype(np.float64),
                   tuple(txt["decided_by"]))
    return PlanInputs(
        period_id=txt["meta"][0], revision=int(num["revision"][0]), owner=txt["meta"][1],
        products=products, units=tuple(txt["units"]),
        tech_workplaces=tuple(txt["tech_workplaces"]), makes=num["makes"].astype(np.int64),
        versions=num["versions"].astype(np.int64), A=A,
        labour=num["labour"].astype(np.float64), capacity=num["capacity"].astype(np.float64),
        needs=needs, need_product=need_product, workforce=wf, share=float(num["share"][0]),
        sub_periods=tuple(txt["sub_periods"]),
        sub_shares=tuple(float(s) for s in num["sub_shares"]), unmade=tuple(txt["unmade"]),
        delivered_before=num.get("delivered_before"))


@dataclass(frozen=True, slots=True)
class VariantRecord:
    """A stored variant (without its arrays)."""

    variant_id: str
    period_id: str
    revision: int
    key: str
    name: str
    snapshot_id: str
    status: str
    variant_sha256: str
    document: dict[str, Any]
    consequences: dict[str, Any]
    computed_at: datetime
    ballot_id: str | None
    decided_at: datetime | None

    @property
    def spec(self) -> VariantSpec:
        return VariantSpec.from_document(self.document["spec"])


@dataclass(frozen=True, slots=True)
class PlanBallotRecord:
    ballot_id: str
    period_id: str
    revision: int
    electorate: str
    weights_sha256: str | None
    total_weight: str | None
    unrepresented: list[str]


_VARIANT_COLUMNS = (
    plan_variants.c.variant_id, plan_variants.c.period_id, plan_variants.c.revision,
    plan_variants.c.key, plan_variants.c.name, plan_variants.c.snapshot_id,
    plan_variants.c.status, plan_variants.c.variant_sha256, plan_variants.c.document,
    plan_variants.c.consequences, plan_variants.c.computed_at, plan_variants.c.ballot_id,
    plan_variants.c.decided_at,
)


def _variant(row: AnyRow) -> VariantRecord:
    return VariantRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                         row[8], json.loads(row[9]), row[10], row[11], row[12])


class VariantRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- snapshots ---------------------------------------------------------------

    def add_snapshot(self, snapshot_id: str, inputs: PlanInputs, at: datetime) -> None:
        self._conn.execute(insert(plan_snapshots).values(
            snapshot_id=snapshot_id, period_id=inputs.period_id, revision=inputs.revision,
            inputs_sha256=inputs.digest, document=inputs.document(),
            arrays=_inputs_blob(inputs), created_at=at))

    def load_inputs(self, snapshot_id: str) -> PlanInputs:
        row = self._conn.execute(select(plan_snapshots.c.arrays)
                                 .where(plan_snapshots.c.snapshot_id == snapshot_id)).first()
        if row is None:
            raise NotFound(f"plan snapshot {snapshot_id} does not exist")
        return _inputs_from_blob(row[0])

    def snapshot_digest(self, snapshot_id: str) -> tuple[str, dict[str, Any]]:
        row = self._conn.execute(
            select(plan_snapshots.c.inputs_sha256, plan_snapshots.c.document)
            .where(plan_snapshots.c.snapshot_id == snapshot_id)).one()
        return row[0], row[1]

    # -- variants ----------------------------------------------------------------

    def add_variant(self, variant_id: str, snapshot_id: str, result: VariantResult,
                    document: dict[str, Any], digest: str, consequences: dict[str, Any],
                    at: datetime) -> None:
        arrays = pack_arrays(result.arrays(), {})
        self._conn.execute(insert(plan_variants).values(
            variant_id=variant_id, period_id=result.period_id, revision=result.revision,
            key=result.spec.key, name=result.spec.name, snapshot_id=snapshot_id,
            status="computed", variant_sha256=digest, document=document,
            consequences=json.dumps(consequences, sort_keys=True, allow_nan=False),
            arrays=arrays, computed_at=at, ballot_id=None, decided_at=None))

    def find(self, variant_id: str) -> VariantRecord | None:
        row = self._conn.execute(select(*_VARIANT_COLUMNS)
                                 .where(plan_variants.c.variant_id == variant_id)).first()
        return None if row is None else _variant(row)

    def get(self, variant_id: str) -> VariantRecord:
        found = self.find(variant_id)
        if found is None:
            raise NotFound(f"plan variant {variant_id} does not exist")
        return found

    def of_period(self, period_id: str, revision: int | None = None) -> list[VariantRecord]:
        stmt = select(*_VARIANT_COLUMNS).where(plan_variants.c.period_id == period_id)
        if revision is not None:
            stmt = stmt.where(plan_variants.c.revision == revision)
        rows = self._conn.execute(stmt.order_by(plan_variants.c.revision,
                                                plan_variants.c.computed_at,
                                                plan_variants.c.key))
        return [_variant(r) for r in rows]

    def load_result(self, record: VariantRecord) -> VariantResult:
        blob = self._conn.execute(select(plan_variants.c.arrays)
                                  .where(plan_variants.c.variant_id == record.variant_id)
                                  ).scalar_one()
        arrays, _ = unpack_arrays(blob)
        res = record.document["results"]
        scalars = {
            "inputs_sha256": record.document["inputs_sha256"], "status": res["status"],
            "method": res["method"], "message": res["message"], "tiers": res["tiers"],
            "thetas": [float(t) for t in res["thetas"]],
            "labour_used": float(res["labour_used"]),
            "labour_available": float(res["labour_available"]),
            "labour_binds": res["labour_binds"], "shadow_labour": float(res["shadow_labour"]),
            "period_id": record.period_id, "revision": record.revision,
        }
        return VariantResult.from_parts(record.spec, scalars, arrays)

    def set_status(self, variant_ids: Sequence[str], status: str, *,
                   ballot_id: str | None = None, decided_at: datetime | None = None) -> None:
        values: dict[str, Any] = {"status": status}
        if ballot_id is not None:
            values["ballot_id"] = ballot_id
        if decided_at is not None:
            values["decided_at"] = decided_at
        if variant_ids:
            self._conn.execute(update(plan_variants)
                               .where(plan_variants.c.variant_id.in_(list(variant_ids)))
                               .values(**values))

    # -- plan ballots ------------------------------------------------------------

    def add_plan_ballot(self, ballot_id: str, period_id: str, revision: int, electorate: str,
                        weights: WeightedElectorate | None, unrepresented: Sequence[str]
                        ) -> None:
        self._conn.execute(insert(plan_ballots).values(
            ballot_id=ballot_id, period_id=period_id, revision=revision,
            electorate=electorate,
            weights_sha256=None if weights is None else weights.digest,
            total_weight=None if weights is None else str(weights.total),
            unrepresented=list(unrepresented)))
        if weights is not None:
            self._conn.execute(insert(plan_ballot_weights), [
                {"ballot_id": ballot_id, "member_id": m, "weight": str(w)}
                for m, w in weights.weights])

    def find_plan_ballot(self, ballot_id: str) -> PlanBallotRecord | None:
        row = self._conn.execute(select(plan_ballots)
                                 .where(plan_ballots.c.ballot_id == ballot_id)).first()
        if row is None:
            return None
        return PlanBallotRecord(row.ballot_id, row.period_id, row.revision, row.electorate,
                                row.weights_sha256, row.total_weight, list(row.unrepresented))

    def plan_ballots(self, period_id: str) -> list[PlanBallotRecord]:
        rows = self._conn.execute(select(plan_ballots.c.ballot_id)
                                  .where(plan_ballots.c.period_id == period_id)
                                  .order_by(plan_ballots.c.revision, plan_ballots.c.ballot_id))
        out = []
        for (bid,) in rows:
            found = self.find_plan_ballot(bid)
            assert found is not None
            out.append(found)
        return out

    def weights(self, ballot_id: str) -> WeightedElectorate:
        rec = self.find_plan_ballot(ballot_id)
        if rec is None or rec.weights_sha256 is None:
            raise NotFound(f"ballot {ballot_id} has no weighted electorate")
        rows = self._conn.execute(select(plan_ballot_weights.c.member_id,
                                         plan_ballot_weights.c.weight)
                                  .where(plan_ballot_weights.c.ballot_id == ballot_id))
        items = tuple(sorted((r[0], Fraction(r[1])) for r in rows))
        return WeightedElectorate(items, rec.weights_sha256)

    def cast_open(self, ballot_id: str, member_id: str, paper: str, at: datetime) -> bool:
        """Record (or replace) a delegate's open vote; ``True`` when it replaced one."""
        done = self._conn.execute(update(plan_roll_call).where(
            plan_roll_call.c.ballot_id == ballot_id, plan_roll_call.c.member_id == member_id,
        ).values(paper=paper, cast_at=at))
        if done.rowcount:
            return True
        self._conn.execute(insert(plan_roll_call).values(ballot_id=ballot_id,
                                                         member_id=member_id, paper=paper,
                                                         cast_at=at))
        return False

    def roll_call(self, ballot_id: str) -> list[tuple[str, str, datetime]]:
        """``(member, paper, cast_at)`` of every delegate who voted, by member id."""
        rows = self._conn.execute(
            select(plan_roll_call.c.member_id, plan_roll_call.c.paper, plan_roll_call.c.cast_at)
            .where(plan_roll_call.c.ballot_id == ballot_id).order_by(plan_roll_call.c.member_id))
        return [(r[0], r[1], r[2]) for r in rows]
