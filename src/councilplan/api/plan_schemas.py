"""Request bodies of the plan cycle's further steps: the catalogue, opening a period,
working time, withdrawing needs, the ratification vote, re-planning."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ValidationInfo

from councilplan.api.schemas import PLAIN, Body, Code, Id, VariantSpecIn

__all__ = ["OpenPeriodIn", "PlanVoteIn", "ProductIn", "ProductsIn", "ReplanIn",
           "WithdrawNeedsIn", "WorkingTimeIn"]

Label = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,32}$")]


class ProductIn(Body):
    code: Code
    name: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=200)]
    unit: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=40)]
    description: Annotated[str, StringConstraints(pattern=PLAIN, max_length=2000)] = ""
    classifications: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")],
                          Annotated[str, StringConstraints(pattern=PLAIN, min_length=1,
                                                           max_length=64)]] = Field(
        default_factory=dict, max_length=20)


class ProductsIn(Body):
    products: list[ProductIn] = Field(min_length=1, max_length=10_000)


class OpenPeriodIn(Body):
    council_id: Id = Field(description="the council that owns (plans) the period")
    name: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=200)]
    starts_on: date = Field(description="the first day (from midnight UTC)")
    ends_on: date = Field(description="the day after the last (to midnight UTC)")
    period_id: Id | None = None
    sub_periods: Literal["quarters", "months", "whole"] = "quarters"
    electorate: Literal["delegates", "members"] | None = Field(
        None, description="default: the delegates above the base, all members at the base")
    method: Literal["schulze", "approval"] = "schulze"

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        starts = info.data.get("starts_on")
        if starts is not None and value <= starts:
            raise PydanticCustomError("period_order", "the period must end after it starts "
                                      "(ends_on after starts_on)")
        return value


class WorkingTimeIn(Body):
    council_id: Id
    hours_per_week: float = Field(gt=0, le=168)
    weeks: float = Field(gt=0, le=53, description="weeks worked in the period")
    members: int | None = Field(None, ge=0, le=100_000_000,
                                description="a workplace's head-count (default: its members)")


class WithdrawNeedsIn(Body):
    council_id: Id
    need_ids: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,95}$"
                                                    )]] | None = Field(
        None, max_length=10_000, description="none: every live need of the council")


class PlanVoteIn(Body):
    choice: list[Key] = Field(min_length=1, max_length=11,
                              description="the variants' keys: a ranking (Schulze) or the "
                                          "approved (approval)")
    previous: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{32,256}$")] | None = Field(
        None, description="a secret vote's earlier receipt token, to replace it")


class ReplanIn(Body):
    from_sub_period: Label
    variants: list[VariantSpecIn] = Field(default_factory=list, max_length=10,
                                          description="computed for the new revision (a job)")
