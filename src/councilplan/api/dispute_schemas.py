"""Request bodies of the strike committee's and the strike fund's routes (tight limits,
so bad input is refused with 422 naming the field before a service sees it)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from councilplan.api.schemas import PLAIN, Body, Id, Money, Period
from councilplan.councils.counting import DEFAULT_METHOD, Method

__all__ = ["CommitteeElectionIn", "CommitteeSeatIn", "ContributionIn", "PayRunIn",
           "PaymentIn"]

Source = Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=200,
                                          strip_whitespace=True)]


class CommitteeSeatIn(Body):
    seat_id: Id
    title: Annotated[str, StringConstraints(pattern=PLAIN, min_length=1, max_length=200,
                                            strip_whitespace=True)]
    term_days: int = Field(90, ge=1, le=3650, description="the fixed term of each mandate")
    lead_days: int = Field(14, ge=0, le=3649, description="the next election opens this "
                           "many days before a term ends")


class CommitteeElectionIn(Body):
    seat_ids: list[Id] = Field(min_length=1, max_length=50)
    candidates: list[Id] = Field(min_length=1, max_length=200,
                                 description="strikers standing (elected from the strikers)")
    days: float = Field(7.0, gt=0, le=366, description="voting runs this many days")
    method: Method = DEFAULT_METHOD


class ContributionIn(Body):
    amount: Money
    source: Source = Field(description="a levy, a donation, a transfer from another fund")
    contribution_id: Id | None = None


class PaymentIn(Body):
    member_id: Id
    period: Period = Field(description="2025-W12, 2025-03, 2025-03-17 or "
                           "2025-03-17..2025-03-21")
    amount: Money
    payment_id: Id | None = None


class PayRunIn(Body):
    period: Period
    amount: Money = Field(description="to each striker")
    member_ids: list[Id] | None = Field(None, min_length=1, max_length=1000,
                                        description="none: every striker of the period not "
                                        "paid for it yet")
