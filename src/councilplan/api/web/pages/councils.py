"""A council: its delegates and officers with their terms, pay and cap; members, ballots,
recall petitions, motions; the forms its members and officers use."""

from __future__ import annotations

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
from councilplan.councils.counting import DEFAULT_METHOD, Method
from councilplan.errors import CouncilplanError

__all__ = ["router"]

router = page_router()


def _period(now: Any, period: str | None) -> str:
    return period or now.strftime("%Y-%m")


def council_context(request: Request, uow: UoW, now: Now, council_id: str,
                    period: str | None) -> dict[str, Any]:
    me = signed_in(request)
    period = _period(now, period)
    detail = actions.see_council(me, uow, council_id, now, period=period)
    motions = services.list_motions(uow, council_id)
    names = services.member_names(uow, {*(m.holder_id for m in detail.mandates),
                                        *(m.proposed_by for m in motions)})
    names.update({m.member_id: m.name for m in detail.members})
    seats = {s.seat_id: s for s in detail.seats}
    live = [m for m in detail.mandates if m.status in ("active", "pending")]
    voting_for = {b.subject_id for b in detail.ballots if b.status == "open"}
    past = [m for m in detail.mandates if m.status not in ("active", "pending")]
    return {
        "detail": detail, "council": detail.council,
        "elections_due": [e for e in detail.elections_due if e.seat_id not in voting_for],
        "period": period, "names": names,
        "seats": seats, "live_mandates": live, "past_mandates": past,
        "holders": {m.mandate_id: m.holder_id for m in detail.mandates},
        "open_petitions": {p.mandate_id: p for p in detail.petitions if p.status == "open"},
        "motions": motions,
        "runs": me.runs(council_id),
        "constituent": me.is_constituent(council_id),
        "may_open_election": actions.may_open_election(me, uow, council_id, now),
        "methods": [m.value for m in Method], "default_method": DEFAULT_METHOD.value,
        "parent": detail.council.parent_id,
        "council_names": {c.council_id: c.name for c in services.list_councils(uow)},
    }


@router.get("/councils/{council_id}")
def council(request: Request, council_id: IdPath, uow: UoW, now: Now,
            period: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    return page(request, "council.html", council_context(request, uow, now, council_id, period))


@router.post("/councils/{council_id}/pay")
def set_pay(request: Request, council_id: IdPath, uow: UoW, now: Now,
            mandate_id: Annotated[str, Form(max_length=64)],
            period: Annotated[str, Form(max_length=32)],
            amount: Annotated[str, Form(max_length=32)]) -> Response:
    me = signed_in(request)
    try:
        actions.require_pay_setter(me, uow, mandate_id, now)
        actions.set_pay(me, uow, mandate_id, period, fields.amount(amount), now)
    except CouncilplanError as exc:
        return refused(request, exc, "council.html",
                       lambda: council_context(request, uow, now, council_id, period),
                       f"pay-{mandate_id}")
    return redirect(f"/councils/{council_id}?period={period}#mandate-{mandate_id}")


@router.post("/councils/{council_id}/wage")
def report_wage(request: Request, council_id: IdPath, uow: UoW, now: Now,
                period: Annotated[str, Form(max_length=32)],
                amount: Annotated[str, Form(max_length=32)]) -> Response:
    me = signed_in(request)
    try:
        actions.report_wage(me, uow, me.member_id, period, fields.amount(amount), now)
    except CouncilplanError as exc:
        return refused(request, exc, "council.html",
                       lambda: council_context(request, uow, now, council_id, period), "wage")
    return redirect(f"/councils/{council_id}?period={period}")


@router.post("/councils/{council_id}/recall")
def open_recall(request: Request, council_id: IdPath, uow: UoW, now: Now,
                mandate_id: Annotated[str, Form(max_length=64)]) -> Response:
    me = signed_in(request)
    try:
        view = actions.open_petition(me, uow, mandate_id, now)
    except CouncilplanError as exc:
        return refused(request, exc, "council.html",
                       lambda: council_context(request, uow, now, council_id, None),
                       f"recall-{mandate_id}")
    return redirect(f"/petitions/{view.petition_id}")


@router.post("/councils/{council_id}/elections")
def open_election(request: Request, council_id: IdPath, uow: UoW, now: Now,
                  seat_ids: Annotated[list[str], Form(max_length=64)],
                  candidates: Annotated[str, Form(max_length=5000)],
                  days: Annotated[float, Form(gt=0, le=366)] = 7.0,
                  method: Annotated[str, Form(max_length=32)] = DEFAULT_METHOD.value
                  ) -> Response:
    me = signed_in(request)
    names = [c.strip() for c in candidates.replace("\n", ",").split(",") if c.strip()]
    try:
        view = actions.open_election(me, uow, council_id, seat_ids, names, now, days=days,
                                     method=method)
    except CouncilplanError as exc:
        return refused(request, exc, "council.html",
                       lambda: council_context(request, uow, now, council_id, None), "election")
    return redirect(f"/ballots/{view.ballot_id}")
