"""What the plan-cycle services share: the federation as the planning core sees it, the
event kinds the cycle writes to the audit log, and row digests for their payloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from councilplan.councils.council import CouncilTree
from councilplan.planning.cycle.digest import array_digest, document_digest, num, text_digest
from councilplan.planning.cycle.federation import Federation
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.cycle.technique import TechniqueTable
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "PLAN_ADOPTED",
    "PLAN_NEEDS_REGISTERED",
    "PLAN_NEEDS_WITHDRAWN",
    "PLAN_NONE_ADOPTED",
    "PLAN_OUTPUT_REPORTED",
    "PLAN_PERIOD_OPENED",
    "PLAN_PRODUCTS_ADDED",
    "PLAN_PUT_TO_VOTE",
    "PLAN_REPLAN_OPENED",
    "PLAN_TARGETS_PUBLISHED",
    "PLAN_TECHNIQUES_REGISTERED",
    "PLAN_VARIANT_COMPUTED",
    "PLAN_VARIANT_REJECTED",
    "PLAN_VOTE_RECORDED",
    "PLAN_WORKING_TIME_DECIDED",
    "federation_of",
    "need_rows_digest",
    "technique_rows_digest",
]

PLAN_PRODUCTS_ADDED = "plan.products_added"
PLAN_PERIOD_OPENED = "plan.period_opened"
PLAN_NEEDS_REGISTERED = "plan.needs_registered"
PLAN_NEEDS_WITHDRAWN = "plan.needs_withdrawn"
PLAN_TECHNIQUES_REGISTERED = "plan.techniques_registered"
PLAN_WORKING_TIME_DECIDED = "plan.working_time_decided"
PLAN_VARIANT_COMPUTED = "plan.variant_computed"
PLAN_PUT_TO_VOTE = "plan.put_to_vote"
PLAN_VOTE_RECORDED = "plan.vote_recorded"
PLAN_ADOPTED = "plan.adopted"
PLAN_VARIANT_REJECTED = "plan.variant_rejected"
PLAN_NONE_ADOPTED = "plan.none_adopted"
PLAN_TARGETS_PUBLISHED = "plan.targets_published"
PLAN_OUTPUT_REPORTED = "plan.output_reported"
PLAN_REPLAN_OPENED = "plan.replan_opened"


def federation_from_tree(tree: CouncilTree, owner: str) -> Federation:
    return Federation(owner, {c.council_id: c.parent_id for c in tree},
                      {c.council_id: c.kind.value for c in tree})


def federation_of(uow: UnitOfWork, owner: str) -> Federation:
    """The federation as the planning core takes it, for a period owned by ``owner``."""
    tree = uow.councils.tree()
    tree.get(owner)
    return federation_from_tree(tree, owner)


def need_rows_digest(table: NeedTable, rows: Sequence[int]) -> str:
    """SHA-256 of the canonical rows ``[id, product, quantity, tier, category, reason]``."""
    doc: list[Any] = [[table.need_ids[k], table.products[k], num(table.quantities[k]),
                       int(table.tiers[k]), table.categories[k], table.reasons[k]]
                      for k in rows]
    return document_digest(doc, checked=True)


def technique_rows_digest(table: TechniqueTable, rows: Sequence[int]) -> str:
    """SHA-256 of the canonical document of some techniques: their products and versions
    as lists, their labour, capacities, input codes and input quantities by digest (see
    :mod:`councilplan.planning.cycle.digest`)."""
    assert table.versions is not None
    idx = np.asarray(rows, dtype=np.int64)
    starts, ends = table.indptr[idx], table.indptr[idx + 1]
    flat = (np.concatenate([np.arange(a, b) for a, b in zip(starts.tolist(), ends.tolist(),
                                                            strict=True)])
            if idx.size else np.zeros(0, dtype=np.int64))
    doc = {
        "products": [table.products[k] for k in rows],
        "versions": [int(v) for v in table.versions[idx]],
        "labour": array_digest("labour", table.labour[idx]),
        "capacity": array_digest("capacity", table.capacity[idx]),
        "inputs_per_technique": [int(c) for c in (ends - starts)],
        "input_products": text_digest("input products",
                                      [table.input_products[int(e)] for e in flat]),
        "input_quantities": array_digest("input quantities", table.input_quantities[flat]),
    }
    return document_digest(doc, checked=True)
