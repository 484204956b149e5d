"""Read models of the plan cycle: frozen values with ``to_dict()`` (plain JSON data).

Quantities are floats (physical measurements); ``to_dict`` turns NaN and infinities
into ``None`` so the JSON is valid.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from typing import Any

from councilplan.services.views import jsonable

__all__ = [
    "LabourView",
    "NeedsRegistered",
    "OutputReported",
    "PeriodView",
    "PlanBallotView",
    "ProductsAdded",
    "ProgressView",
    "ReplanView",
    "TargetView",
    "TargetsPublished",
    "TechniquesRegistered",
    "TraceView",
    "VariantDetail",
    "VariantView",
    "VoteRecorded",
]


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


class _View:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        out = _clean(jsonable(self))
        assert isinstance(out, dict)
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class ProductsAdded(_View):
    added: int
    already: int  # the same products were in the catalogue already
    catalogue: int  # products in the catalogue now
    sha256: str


@dataclasses.dataclass(frozen=True, slots=True)
class PeriodView(_View):
    period_id: str
    council_id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    sub_periods: tuple[dict[str, str], ...]
    electorate: str
    method: str
    status: str
    revision: int
    adopted_variant: str | None
    in_force: str | None
    replan_from: str | None
    techniques: int = 0
    needs: int = 0
    variants: tuple[dict[str, Any], ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class NeedsRegistered(_View):
    period_id: str
    batch_id: str
    needs: int
    councils: int
    withdrawn: int
    need_ids: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class TechniquesRegistered(_View):
    period_id: str
    batch_id: str
    techniques: int
    workplaces: int
    new_versions: int  # techniques that replaced an earlier version


@dataclasses.dataclass(frozen=True, slots=True)
class LabourView(_View):
    period_id: str
    workplaces: int
    people: float
    hours_available: float
    undecided: tuple[str, ...]
    decisions: tuple[dict[str, Any], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class VariantView(_View):
    variant_id: str
    period_id: str
    revision: int
    key: str
    name: str
    status: str
    variant_sha256: str
    inputs_sha256: str
    statement: tuple[str, ...]
    summary: dict[str, Any]
    spec: dict[str, Any]
    computed_at: datetime
    ballot_id: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class VariantDetail(_View):
    """A variant's labour values and output by product, and fulfilment by council."""

    variant_id: str
    key: str
    products: tuple[dict[str, Any], ...]  # by hours embodied in final use, largest first
    councils: tuple[dict[str, Any], ...]  # every council that registered needs
    binding: tuple[dict[str, Any], ...]  # every capacity at its limit


@dataclasses.dataclass(frozen=True, slots=True)
class PlanBallotView(_View):
    ballot_id: str
    period_id: str
    revision: int
    electorate: str
    method: str
    options: tuple[str, ...]
    status: str
    closes_at: datetime
    electorate_size: int | None
    total_weight: str | None
    weights: tuple[tuple[str, str], ...]  # delegates' weights (open vote); () for members
    unrepresented: tuple[str, ...]
    roll_call: tuple[dict[str, Any], ...] = ()  # after the close, for an open vote
    result: dict[str, Any] | None = None
    adopted: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class VoteRecorded(_View):
    ballot_id: str
    member_id: str
    paper: Any
    weight: str | None  # an open, weighted delegate vote
    replaced: bool
    receipt_token: str | None = None  # a secret vote: keep it
    receipt_code: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class TargetsPublished(_View):
    period_id: str
    revision: int
    variant_id: str
    targets: int
    workplaces: int
    sha256: str
    sub_periods: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class TargetView(_View):
    period_id: str
    revision: int
    workplace: str
    product: str
    unit: str
    output: float
    labour: float
    by_sub_period: tuple[tuple[str, float], ...]
    inputs: tuple[dict[str, Any], ...]
    needs_served: tuple[dict[str, Any], ...]
    net_share: float
    surplus_share: float
    technique_version: int
    variant_id: str


@dataclasses.dataclass(frozen=True, slots=True)
class TraceView(_View):
    period_id: str
    revision: int
    workplace: str
    product: str
    output: float
    traced: float  # the needs' parts and the surplus, summed: equals output
    direct: float  # delivered as the product itself
    by_council: tuple[tuple[str, float], ...]
    by_branch: tuple[tuple[str, float], ...]
    needs: tuple[dict[str, Any], ...]  # largest first
    surplus: float


@dataclasses.dataclass(frozen=True, slots=True)
class OutputReported(_View):
    period_id: str
    reports: int
    replaced: int
    workplaces: int


@dataclasses.dataclass(frozen=True, slots=True)
class ProgressView(_View):
    period_id: str
    through: tuple[str, ...]
    targets: int
    behind: int  # targets below 100% of plan to date
    planned_hours: float
    actual_hours: float
    rows: tuple[dict[str, Any], ...]
    by_product: tuple[dict[str, Any], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ReplanView(_View):
    period_id: str
    revision: int
    from_sub_period: str
    covers: tuple[str, ...]
    share: float
    unreported: tuple[tuple[str, str], ...]  # targets of the elapsed sub-periods without
    # a report (counted as nothing made)
