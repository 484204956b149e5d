"""Mandates: terms, pay and the cap (officials paid at most their constituents' mean)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Me, Now, UoW
from councilplan.api.routers._common import answer, answer_all, api_router
from councilplan.api.schemas import IdPath, PayIn, PayReviewIn, Period, view_list, view_model
from councilplan.services.views import MandateView, PayCapView, PayView

__all__ = ["router"]

router = api_router("", "mandates and pay")


@router.get("/councils/{council_id}/mandates", response_model=view_list(MandateView),
            summary="A council's mandates")
def mandates(council_id: IdPath, me: Me, uow: UoW, now: Now,
             period: Annotated[Period | None,
                               Query(description="the pay period of the cap")] = None
             ) -> JSONResponse:
    """Holders, terms, status, pay set, and the cap for ``period`` (when reported)."""
    me.require_sees(council_id, f"see the mandates of {council_id}")
    return answer_all(services.list_mandates(uow, council_id, now, period=period))


@router.get("/mandates/{mandate_id}", response_model=view_model(MandateView),
            summary="One mandate")
def mandate(mandate_id: IdPath, me: Me, uow: UoW, now: Now,
            period: Annotated[Period | None,
                              Query(description="the pay period of the cap")] = None
            ) -> JSONResponse:
    """Its seat, holder, term, status, pay set, and the cap for ``period`` (when
    reported)."""
    return answer(actions.see_mandate(me, uow, mandate_id, now, period=period))


@router.get("/mandates/{mandate_id}/pay-cap", response_model=view_model(PayCapView),
            summary="The cap on a mandate's pay")
def pay_cap(mandate_id: IdPath, me: Me, uow: UoW,
            period: Annotated[Period, Query(description="the pay period")]) -> JSONResponse:
    """The mean pay of the constituency for ``period`` (the holder's own report left out),
    and how it was computed."""
    return answer(actions.pay_cap(me, uow, mandate_id, period))


@router.post("/mandates/{mandate_id}/pay", status_code=201, response_model=view_model(PayView),
             summary="Set a mandate's pay")
def set_pay(mandate_id: IdPath, body: PayIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    """Set by the council's officers, or for a strike committee's seat by the committee
    (never by the holder); refused (409) above the cap, with the cap and how it was
    computed."""
    return answer(actions.set_pay(me, uow, mandate_id, body.period, Decimal(body.amount), now),
                  201)


@router.post("/mandates/{mandate_id}/pay-review", response_model=view_model(PayView) | None,
             summary="Review a mandate's pay against the cap")
def review_pay(mandate_id: IdPath, body: PayReviewIn, me: Me, uow: UoW, now: Now
               ) -> JSONResponse:
    """A cap that fell below the pay is flagged and the pay lowered to it from
    ``next_period``; ``null`` when the pay is within the cap."""
    view = actions.review_pay(me, uow, mandate_id, body.period, body.next_period, now)
    return JSONResponse(None if view is None else view.to_dict())
