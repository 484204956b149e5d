"""The strike fund: contributions, strike pay to strikers and pay runs.

Only the strike committee, elected by the strikers, runs the fund (records money in
and pays strike pay); the strikers and the committee read it. Amounts are exact
two-place decimals; the services refuse pay to non-strikers, twice for one period, or
beyond the balance (409).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api.authz import require_committee, require_fund_reader
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.dispute_schemas import ContributionIn, PaymentIn, PayRunIn
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import ID_PATTERN, IdPath, view_list, view_model
from councilplan.services.dispute_records import contributions_of
from councilplan.services.dispute_views import ContributionView, PaymentView, PayRunView

__all__ = ["router"]

router = api_router("", "disputes")


@router.get("/disputes/{dispute_id}/fund/contributions",
            response_model=view_list(ContributionView), summary="Money into the strike fund")
def contributions(dispute_id: IdPath, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_fund_reader(me, uow, dispute_id, now, f"see the fund of {dispute_id}")
    return answer_all(contributions_of(uow, dispute_id))


@router.post("/disputes/{dispute_id}/fund/contributions", status_code=201,
             response_model=view_model(ContributionView), summary="Record a contribution")
def contribute(dispute_id: IdPath, body: ContributionIn, me: Me, uow: UoW, now: Now
               ) -> JSONResponse:
    require_committee(me, uow, dispute_id, now, f"record money into the fund of {dispute_id}")
    return answer(services.contribute(uow, dispute_id, Decimal(body.amount), body.source, now,
                                      contribution_id=body.contribution_id), 201)


@router.get("/disputes/{dispute_id}/fund/payments", response_model=view_list(PaymentView),
            summary="Strike pay made")
def payments(dispute_id: IdPath, me: Me, uow: UoW, now: Now,
             member_id: Annotated[str | None, Query(pattern=ID_PATTERN, max_length=64)] = None
             ) -> JSONResponse:
    """In the order paid (to one striker, with ``member_id``)."""
    require_fund_reader(me, uow, dispute_id, now, f"see the strike pay of {dispute_id}")
    return answer_all(services.strike_payments(uow, dispute_id, member_id))


@router.post("/disputes/{dispute_id}/fund/payments", status_code=201,
             response_model=view_model(PaymentView), summary="Pay strike pay to a striker")
def pay(dispute_id: IdPath, body: PaymentIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_committee(me, uow, dispute_id, now, f"pay strike pay in {dispute_id}")
    return answer(services.pay_strike_pay(uow, dispute_id, body.member_id, body.period,
                                          Decimal(body.amount), now,
                                          payment_id=body.payment_id), 201)


@router.post("/disputes/{dispute_id}/fund/pay-runs", status_code=201,
             response_model=view_model(PayRunView), summary="Pay a period's strike pay")
def pay_run(dispute_id: IdPath, body: PayRunIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """``amount`` each to the strikers named, or to every striker on the roster during
    ``period`` not paid for it yet; all or none."""
    require_committee(me, uow, dispute_id, now, f"pay strike pay in {dispute_id}")
    return answer(services.pay_strike_pay_run(uow, dispute_id, body.period,
                                              Decimal(body.amount), now,
                                              member_ids=body.member_ids), 201)
