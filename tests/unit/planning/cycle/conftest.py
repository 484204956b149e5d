"""A small federation and economy for the pure plan-cycle rules.

National council ``nat`` with regions ``north`` and ``south``; workplaces ``farm``,
``smith`` (north), ``bakery``, ``bakery2`` (south); residential councils ``res1``
(north) and ``res2`` (south). Products grain (t), tools (piece), bread (loaf); bread is
made by two bakeries with different techniques.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from councilplan.planning.cycle import (
    Catalogue,
    Federation,
    NeedTable,
    PlanInputs,
    Product,
    TechniqueTable,
    WorkingTime,
    assemble_inputs,
    resolve_workforce,
)

PARENTS: dict[str, str | None] = {
    "nat": None, "north": "nat", "south": "nat", "farm": "north", "smith": "north",
    "bakery": "south", "bakery2": "south", "res1": "north", "res2": "south",
}
KINDS = {
    "nat": "national", "north": "regional", "south": "regional", "farm": "workplace",
    "smith": "workplace", "bakery": "workplace", "bakery2": "workplace",
    "res1": "residential", "res2": "residential",
}
TECHNIQUES = [
    {"workplace": "farm", "product": "grain", "labour": 2.0, "capacity": None,
     "inputs": {"tools": 0.05, "grain": 0.1}},
    {"workplace": "smith", "product": "tools", "labour": 5.0, "capacity": 1000.0,
     "inputs": {"grain": 0.2}},
    {"workplace": "bakery", "product": "bread", "labour": 0.1, "capacity": 3000.0,
     "inputs": {"grain": 0.5, "tools": 0.001}},
    {"workplace": "bakery2", "product": "bread", "labour": 0.12, "capacity": 3000.0,
     "inputs": {"grain": 0.45, "tools": 0.001}},
]
NEEDS = [
    {"council": "res1", "product": "bread", "quantity": 3000, "tier": 1},
    {"council": "res2", "product": "bread", "quantity": 2000, "tier": 2},
    {"council": "res2", "product": "grain", "quantity": 100, "tier": 1},
    {"council": "nat", "product": "tools", "quantity": 100, "tier": 3,
     "category": "investment"},
]


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue([Product("grain", "Grain", "t", classifications={"cpa": "CPA_A01"}),
                      Product("tools", "Tools", "piece"), Product("bread", "Bread", "loaf")])


@pytest.fixture
def federation() -> Federation:
    return Federation("nat", PARENTS, KINDS)


def registered_techniques(rows: list[dict[str, object]] = TECHNIQUES) -> TechniqueTable:
    t = TechniqueTable.from_rows(rows)
    return t.with_versions(np.ones(len(t), dtype=np.int64))


def registered_needs(rows: list[dict[str, object]] = NEEDS) -> NeedTable:
    t = NeedTable.from_rows(rows, kinds=KINDS)
    return t.with_ids([f"n{k}" for k in range(len(t))])


@pytest.fixture
def make_inputs(catalogue: Catalogue, federation: Federation) -> Callable[..., PlanInputs]:
    def make(techniques: list[dict[str, object]] = TECHNIQUES,
             needs: list[dict[str, object]] = NEEDS, hours: float = 35.0,
             members: int = 5, **kw: object) -> PlanInputs:
        wf = resolve_workforce(federation, [WorkingTime("nat", hours, 46.0)],
                               {w: members for w in ("farm", "smith", "bakery", "bakery2")})
        return assemble_inputs("p", 1, "nat", catalogue, registered_techniques(techniques),
                               registered_needs(needs), wf, sub_periods=("Q1", "Q2"),
                               sub_shares=(0.5, 0.5), **kw)  # type: ignore[arg-type]
    return make
