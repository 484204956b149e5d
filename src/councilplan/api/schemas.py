"""Request bodies and response schemas of the JSON API.

Requests are pydantic models with tight limits (ids, money, periods, free text without
control characters), so bad input is refused with 422 before a service sees it.

Responses are the services' read models (frozen dataclasses, :mod:`councilplan.services.views`)
rendered by their own ``to_dict()`` -- the same JSON the CLI prints with ``--json``.
:func:`view_model` derives a pydantic model from each view's type hints (instants as
date-time text, money and exact shares as text, durations as whole seconds), so the
OpenAPI document describes exactly what is sent.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model, field_validator

from councilplan.councils.council import CouncilKind
from councilplan.councils.counting import DEFAULT_METHOD, Method

__all__ = ["ID_PATTERN", "IdPath", "view_list", "view_model"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,63}$"
PLAIN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # no control characters but tab and newlines

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
IdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$", max_length=64)]
Name = Annotated[str, StringConstraints(pattern=PLAIN, max_length=200, strip_whitespace=True)]
Text = Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=20_000)]
Period = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")]
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
# whole bytes: an even number of hex digits, 16 to 128 bytes
Token = Annotated[str, StringConstraints(pattern=r"^(?:[0-9a-fA-F]{2}){16,128}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoginIn(Body):
    username: Annotated[str, StringConstraints(max_length=64, pattern=PLAIN)]
    password: Annotated[str, StringConstraints(max_length=1024)]


class AccountIn(Body):
    member_id: Id
    password: Annotated[str, StringConstraints(min_length=10, max_length=1024)]
    username: Username | None = None


class PasswordIn(Body):
    current_password: Annotated[str, StringConstraints(max_length=1024)]
    new_password: Annotated[str, StringConstraints(min_length=10, max_length=1024)]


class CouncilIn(Body):
    council_id: Id
    name: Name
    kind: CouncilKind
    parent_id: Id


class AdmitIn(Body):
    member_id: Id
    name: Name | None = None


class WageIn(Body):
    period: Period
    amount: Money


class SeatIn(Body):
    seat_id: Id
    title: Name
    delegate_to: Id | None = Field(None, description="a delegate seat to this (parent) "
                                   "council; without it, an office of the council")
    term_days: int = Field(365, ge=1, le=3650)
    lead_days: int = Field(28, ge=0, le=3649)


class ElectionIn(Body):
    seat_ids: list[Id] = Field(min_length=1, max_length=50)
    candidates: list[Id] = Field(min_length=1, max_length=200)
    days: float = Field(7.0, gt=0, le=366, description="voting runs this many days")
    method: Method = DEFAULT_METHOD


class VoteIn(Body):
    choice: Annotated[str, StringConstraints(max_length=64)] | list[Id] = Field(
        description="yes-no: yes, no or abstain; ranked methods: the options best first; "
                    "approval: the options approved", max_length=200)
    previous: Token | None = Field(None, description="the receipt token of your last vote "
                                   "in this ballot: this vote replaces it")
    token: Token | None = Field(None, description="a receipt token your device drew (at least "
                                "16 random bytes, hex): sending the same vote again with it "
                                "returns the same receipt and adds nothing")


class ReceiptIn(Body):
    token: Token


class PayIn(Body):
    period: Period
    amount: Money


class PayReviewIn(Body):
    period: Period
    next_period: Period


class PetitionIn(Body):
    mandate_id: Id
    threshold: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,6}/[0-9]{1,6}$")] = "1/10"
    window_days: int = Field(42, ge=1, le=365)

    @field_validator("threshold")
    @classmethod
    def _share(cls, value: str) -> str:
        num, den = (int(x) for x in value.split("/"))
        if den == 0 or not 0 < Fraction(num, den) <= 1:
            raise ValueError("a share of the constituency above 0 and at most 1, e.g. 1/10")
        return value


class SignIn(Body):
    ballot_days: float = Field(7.0, gt=0, le=366, description="the recall ballot, once the "
                               "threshold is reached, runs this many days")


class MotionIn(Body):
    text: Text


class AmendmentIn(Body):
    old_text: Text | None = Field(None, description="the fragment replaced; none: the whole text")
    new_text: Text


class MotionBallotIn(Body):
    days: float = Field(7.0, gt=0, le=366)
    amendment_id: Id | None = None


class RecallBallotIn(Body):
    days: float = Field(7.0, gt=0, le=366)


# -- responses --------------------------------------------------------------------------


class VoteReceipt(BaseModel):
    ballot_id: str
    receipt_token: str = Field(description="keep it secret: it checks and replaces your vote")
    code: str = Field(description="appears beside your paper in the published ballots")


class SessionOut(BaseModel):
    account_id: str
    username: str
    member_id: str
    name: str
    csrf_token: str = Field(description="send it as X-CSRF-Token with every unsafe request")
    expires_at: datetime | None = None
    councils: list[str] = []
    constituent_of: list[str] = []
    offices: list[str] = []


class AccountOut(BaseModel):
    account_id: str
    username: str
    member_id: str


class WageOut(BaseModel):
    member_id: str
    period: str


class AuditEntryOut(BaseModel):
    sequence: int
    entry_hash: str
    event: dict[str, Any]


class AuditEntries(BaseModel):
    total: int
    entries: list[AuditEntryOut]


class Problem(BaseModel):
    where: str
    message: str


class ProblemOut(BaseModel):
    """Every refusal: ``application/problem+json`` with the list of problems."""

    type: str = "about:blank"
    title: str
    status: int
    problems: list[Problem] = []


def _field_type(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any:
        return Any
    if origin in (types.UnionType, typing.Union):
        converted = tuple(_field_type(a) for a in args)
        return functools.reduce(lambda a, b: a | b, converted)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return list[_field_type(args[0])]  # type: ignore[misc]
        return tuple[tuple(_field_type(a) for a in args)]  # type: ignore[misc]
    if origin in (list, frozenset, set):
        return list[_field_type(args[0])]  # type: ignore[misc]
    if origin is dict:
        return dict[str, _field_type(args[1])]  # type: ignore[misc]
    if origin is Literal:
        return tp
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return view_model(tp)
        if issubclass(tp, Enum) or issubclass(tp, Decimal | Fraction):
            return str
        if issubclass(tp, timedelta):
            return int
    return tp


@functools.cache
def view_model(cls: type) -> type[BaseModel]:
    """A pydantic model describing ``cls(...).to_dict()`` (a dataclass view)."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        tp = _field_type(hints[f.name])
        if f.default is not dataclasses.MISSING:
            fields[f.name] = (tp, f.default if not isinstance(f.default, tuple) else [])
        elif f.default_factory is not dataclasses.MISSING:
            fields[f.name] = (tp, None)
        else:
            fields[f.name] = (tp, ...)
    return create_model(cls.__name__, __doc__=cls.__doc__, **fields)


def view_list(cls: type) -> Any:
    """The schema of a list of ``cls`` views (for ``response_model``)."""
    return types.GenericAlias(list, (view_model(cls),))


# -- disputes --------------------------------------------------------------------------------


class DisputeIn(Body):
    dispute_id: Id
    council_ids: list[Id] = Field(min_length=1, max_length=20)
    employer: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=200)]
    demands: list[Annotated[str, StringConstraints(pattern=PLAIN, min_length=1,
                                                   max_length=2000)]] = Field(
        min_length=1, max_length=50)
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
    sector: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_ -]{0,63}$")]


class RosterIn(Body):
    kind: Literal["joined", "returned", "dismissed", "reinstated"]
    member_ids: list[Id] = Field(min_length=1, max_length=1000)


class OfferIn(Body):
    summary: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=500)]
    text: Text
    offer_id: Id | None = None


class StrikeBallotIn(Body):
    kind: Literal["action", "continue", "offer", "settle"]
    days: float = Field(7.0, gt=0, le=366, description="voting runs this many days")
    form: Literal["strike", "short_of_strike"] | None = None
    offer_id: Id | None = None


class SettleIn(Body):
    offer_id: Id
    ballot_id: Id | None = None


class ActionCallIn(Body):
    form: Literal["strike", "short_of_strike"]
    starts_in_days: float = Field(14.0, ge=0, le=366)
    days: float = Field(1.0, gt=0, le=366)
    notice_agreed: bool = False


# -- the plan cycle --------------------------------------------------------------------------

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")]
Quantity = Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)]


class NeedRowIn(Body):
    product: Code
    quantity: Quantity
    tier: int = Field(1, ge=1, le=9)
    category: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")] | None = None
    reason: Annotated[str, StringConstraints(pattern=PLAIN, max_length=500)] = ""


class NeedsIn(Body):
    council_id: Id
    needs: list[NeedRowIn] = Field(min_length=1, max_length=10_000)


class TechniqueRowIn(Body):
    product: Code
    labour: Quantity = Field(description="hours per unit")
    capacity: Quantity | None = Field(None, description="none: unlimited")
    inputs: dict[Code, Quantity] = Field(default_factory=dict, max_length=1000,
                                         json_schema_extra={"additionalProperties": False})


class TechniquesIn(Body):
    workplace_id: Id
    techniques: list[TechniqueRowIn] = Field(min_length=1, max_length=10_000)


class VariantSpecIn(Body):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,32}$")]
    name: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=200)]
    hours_per_week: float | None = Field(None, gt=0, le=168)
    weeks: float | None = Field(None, gt=0, le=53)
    need_scale: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")],
                     Annotated[float, Field(ge=0, le=1000)]] = Field(
        default_factory=dict, max_length=20,
        # keys outside the pattern are refused: say so (patternProperties alone allows them)
        json_schema_extra={"additionalProperties": False})


class VariantsIn(Body):
    variants: list[VariantSpecIn] = Field(min_length=1, max_length=10)


class PlanBallotIn(Body):
    days: float = Field(7.0, gt=0, le=366)
    include_none: bool = False


class ReportRowIn(Body):
    sub_period: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    product: Code
    output: Quantity
    hours: Quantity


class ReportsIn(Body):
    workplace_id: Id
    reports: list[ReportRowIn] = Field(min_length=1, max_length=10_000)


class JobOut(BaseModel):
    job_id: str
    kind: str
    status: str
    stage: str
    done: int
    total: int
    percent: float
    result: Any = None
    error: str | None = None
