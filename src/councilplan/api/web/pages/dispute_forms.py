"""The strike committee's forms on a dispute's page: record the employer's offer, open a
strikers' ballot, call action, record money into the fund and pay a period's strike pay.

Each is checked as the JSON API checks it (:func:`~councilplan.api.authz.require_committee`:
only the committee the strikers elected); a refusal is shown beside its form."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api.authz import require_committee, require_committee_setup
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.pages.disputes import dispute_context
from councilplan.api.web.render import redirect
from councilplan.errors import CouncilplanError, InvalidInput, Problem

__all__ = ["router"]

router = page_router()

Days = Annotated[float, Form(gt=0, le=366)]
Short = Annotated[str, Form(max_length=64)]


def _amount(text: str, name: str = "amount") -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput("not an amount", [Problem(name, f"{text!r}: e.g. 60.00")])
    return value


def _refused(request: Request, uow: UoW, now: Now, dispute_id: str, exc: CouncilplanError,
             form: str) -> Response:
    return refused(request, exc, "dispute.html",
                   lambda: dispute_context(request, uow, now, dispute_id), form)


@router.post("/disputes/{dispute_id}/offers")
def record_offer(request: Request, dispute_id: IdPath, uow: UoW, now: Now,
                 summary: Annotated[str, Form(max_length=500)],
                 text: Annotated[str, Form(max_length=20_000)]) -> Response:
    me = signed_in(request)
    try:
        require_committee(me, uow, dispute_id, now, f"record an offer in {dispute_id}")
        problems = [Problem(k, f"write the offer's {k}") for k, v in
                    (("summary", summary), ("text", text)) if not v.strip()]
        if problems:
            raise InvalidInput("the offer is not recorded", problems)
        offer = services.record_employer_offer(uow, dispute_id, text.strip(), summary.strip(),
                                               now, recorded_by=me.member_id)
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "offer")
    return redirect(f"/disputes/{dispute_id}#offer-{offer.offer_id}")


@router.post("/disputes/{dispute_id}/ballots")
def open_ballot(request: Request, dispute_id: IdPath, uow: UoW, now: Now, kind: Short,
                days: Days = 7.0, form: Short = "", offer_id: Short = "") -> Response:
    me = signed_in(request)
    try:
        require_committee(me, uow, dispute_id, now, f"open a ballot in {dispute_id}")
        if kind not in ("action", "continue", "offer", "settle"):
            raise InvalidInput("no such ballot", [Problem("kind", f"{kind!r}: action, "
                                                          "continue, offer or settle")])
        services.open_strike_ballot(uow, dispute_id, kind, now, now + timedelta(days=days),
                                    form=form or None, offer_id=offer_id or None)
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "ballot")
    return redirect(f"/disputes/{dispute_id}#ballots")


@router.post("/disputes/{dispute_id}/calls")
def call_action(request: Request, dispute_id: IdPath, uow: UoW, now: Now, form: Short,
                starts_in_days: Annotated[float, Form(ge=0, le=366)] = 14.0,
                days: Days = 1.0, notice_agreed: Short = "") -> Response:
    me = signed_in(request)
    try:
        require_committee(me, uow, dispute_id, now, f"call action in {dispute_id}")
        starts = now + timedelta(days=starts_in_days)
        services.call_action(uow, dispute_id, form, starts, starts + timedelta(days=days), now,
                             notice_agreed=notice_agreed == "yes")
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "call")
    return redirect(f"/disputes/{dispute_id}#action")


@router.post("/disputes/{dispute_id}/fund/contributions")
def contribute(request: Request, dispute_id: IdPath, uow: UoW, now: Now,
               amount: Short, source: Annotated[str, Form(max_length=200)]) -> Response:
    me = signed_in(request)
    try:
        require_committee(me, uow, dispute_id, now, f"record money into the fund of {dispute_id}")
        if not source.strip():
            raise InvalidInput("the contribution is not recorded",
                               [Problem("source", "say where the money came from")])
        services.contribute(uow, dispute_id, _amount(amount), source, now)
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "contribution")
    return redirect(f"/disputes/{dispute_id}#fund")


@router.post("/disputes/{dispute_id}/fund/pay-run")
def pay_run(request: Request, dispute_id: IdPath, uow: UoW, now: Now, period: Short,
            amount: Short) -> Response:
    me = signed_in(request)
    try:
        require_committee(me, uow, dispute_id, now, f"pay strike pay in {dispute_id}")
        services.pay_strike_pay_run(uow, dispute_id, period, _amount(amount), now)
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "pay")
    return redirect(f"/disputes/{dispute_id}#fund")


@router.post("/disputes/{dispute_id}/settlement")
def settle(request: Request, dispute_id: IdPath, uow: UoW, now: Now, offer_id: Short) -> Response:
    me = signed_in(request)
    try:
        require_committee(me, uow, dispute_id, now, f"settle {dispute_id}")
        services.settle(uow, dispute_id, offer_id, now)
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "settle")
    return redirect(f"/disputes/{dispute_id}")


@router.post("/disputes/{dispute_id}/committee/seats")
def define_seat(request: Request, dispute_id: IdPath, uow: UoW, now: Now, seat_id: Short,
                title: Annotated[str, Form(max_length=200)],
                term_days: Annotated[int, Form(ge=1, le=3650)] = 90) -> Response:
    me = signed_in(request)
    try:
        require_committee_setup(me, uow, dispute_id, now,
                                f"define a committee seat of {dispute_id}")
        if not title.strip():
            raise InvalidInput("the seat is not defined", [Problem("title", "name the seat")])
        services.define_committee_seat(uow, dispute_id, seat_id.strip(), title.strip(), now,
                                       term_length=timedelta(days=term_days),
                                       election_lead=timedelta(days=min(14, term_days - 1)))
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "seat")
    return redirect(f"/disputes/{dispute_id}#committee")


@router.post("/disputes/{dispute_id}/committee/elections")
def open_election(request: Request, dispute_id: IdPath, uow: UoW, now: Now, seat_id: Short,
                  candidates: Annotated[str, Form(max_length=5000)],
                  days: Days = 7.0) -> Response:
    me = signed_in(request)
    names = [c.strip() for c in candidates.replace("\n", ",").split(",") if c.strip()]
    try:
        require_committee_setup(me, uow, dispute_id, now,
                                f"open a committee election in {dispute_id}")
        if not names:
            raise InvalidInput("no election opened",
                               [Problem("candidates", "name at least one striker standing")])
        view = services.open_committee_election(uow, dispute_id, [seat_id], names, now,
                                                now + timedelta(days=days))
    except CouncilplanError as exc:
        return _refused(request, uow, now, dispute_id, exc, "committee-election")
    return redirect(f"/ballots/{view.ballot_id}")
