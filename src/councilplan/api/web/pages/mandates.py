"""A mandate: its seat, holder and term, the pay set, the cap (the mean wage of those it
represents) and how it was computed; setting and reviewing the pay (the council's
officers, never the holder); the recall petitions against it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages import _fields as fields
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.render import page, redirect
from councilplan.errors import CouncilplanError

__all__ = ["router"]

router = page_router()

REVIEWS = {"within": "The pay is within the cap: nothing changes.",
           "lowered": "The cap fell below the pay: that is flagged in the audit log, and the "
                      "pay is lowered to the cap from the next period."}


def next_period(period: str) -> str:
    """The month after a ``YYYY-MM`` period ("" for another kind of period)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if not found:
        return ""
    year, month = int(found[1]), int(found[2])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _period(now: datetime, period: str | None) -> str:
    try:
        return fields.period(period) if period else now.strftime("%Y-%m")
    except CouncilplanError:
        return now.strftime("%Y-%m")


def mandate_context(request: Request, uow: UoW, now: Now, mandate_id: str,
                    period: str | None) -> dict[str, Any]:
    me = signed_in(request)
    chosen = _period(now, period)
    mandate = actions.see_mandate(me, uow, mandate_id, now, period=chosen)
    detail = actions.see_council(me, uow, mandate.council_id, now)
    seat = next((s for s in detail.seats if s.seat_id == mandate.seat_id), None)
    petitions = [p for p in detail.petitions if p.mandate_id == mandate_id]
    return {
        "mandate": mandate, "council": detail.council, "seat": seat, "period": chosen,
        "next_period": next_period(chosen), "petitions": petitions,
        "open_petition": next((p for p in petitions if p.status == "open"), None),
        "holder": services.member_names(uow, [mandate.holder_id]).get(mandate.holder_id,
                                                                      mandate.holder_id),
        "may_set_pay": actions.may_set_pay(me, uow, mandate_id, now),
        "may_recall": (me.is_constituent(mandate.council_id) and mandate.status == "active"
                       and mandate.holder_id != me.member_id),
        "council_names": {c.council_id: c.name for c in services.list_councils(uow)},
    }


@router.get("/mandates/{mandate_id}")
def mandate(request: Request, mandate_id: IdPath, uow: UoW, now: Now,
            period: Annotated[str | None, Query(max_length=32)] = None,
            review: Annotated[str | None, Query(max_length=16)] = None) -> Response:
    ctx = mandate_context(request, uow, now, mandate_id, period)
    ctx["review"] = REVIEWS.get(review or "")
    return page(request, "mandate.html", ctx)


@router.post("/mandates/{mandate_id}/pay")
def set_pay(request: Request, mandate_id: IdPath, uow: UoW, now: Now,
            period: Annotated[str, Form(max_length=64)] = "",
            amount: Annotated[str, Form(max_length=64)] = "") -> Response:
    me = signed_in(request)
    try:
        actions.require_pay_setter(me, uow, mandate_id, now)
        v = fields.gather("the pay was not set", period=lambda: fields.period(period),
                          amount=lambda: fields.amount(amount))
        actions.set_pay(me, uow, mandate_id, v["period"], v["amount"], now)
    except CouncilplanError as exc:
        return refused(request, exc, "mandate.html",
                       lambda: mandate_context(request, uow, now, mandate_id, period), "pay",
                       values={"period": period, "amount": amount})
    return redirect(f"/mandates/{mandate_id}?period={v['period']}#pay")


@router.post("/mandates/{mandate_id}/pay-review")
def review_pay(request: Request, mandate_id: IdPath, uow: UoW, now: Now,
               period: Annotated[str, Form(max_length=64)] = "",
               next_period: Annotated[str, Form(max_length=64)] = "") -> Response:
    me = signed_in(request)
    try:
        actions.require_pay_setter(me, uow, mandate_id, now)
        v = fields.gather("the pay was not reviewed", period=lambda: fields.period(period),
                          next_period=lambda: fields.period(next_period, "next_period"))
        lowered = actions.review_pay(me, uow, mandate_id, v["period"], v["next_period"], now)
    except CouncilplanError as exc:
        return refused(request, exc, "mandate.html",
                       lambda: mandate_context(request, uow, now, mandate_id, period), "review")
    outcome = "within" if lowered is None else "lowered"
    return redirect(f"/mandates/{mandate_id}?period={v['period']}&review={outcome}#pay")
