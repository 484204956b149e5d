"""A ballot: the paper to mark, the receipt, "did my vote count?", the close, the result
with its stage table and charts, and the published ballots."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api import actions
from councilplan.api.authz import Forbidden, may_cast
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web import charts
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.pages.plan_ballot import variant_names
from councilplan.api.web.render import page, redirect
from councilplan.councils.strike_ballot import STRIKE_METHOD
from councilplan.errors import CouncilplanError, InvalidInput, Problem
from councilplan.services.papers import YES_NO

__all__ = ["router"]

router = page_router()


def ballot_context(request: Request, uow: UoW, now: Now, ballot_id: str) -> dict[str, Any]:
    me = signed_in(request)
    ballot = actions.see_ballot(me, uow, ballot_id)
    try:
        may_cast(uow, ballot_id, me.member_id)
        voter = True
    except Forbidden:
        voter = False
    council = next(c for c in services.list_councils(uow) if c.council_id == ballot.council_id)
    names = services.member_names(uow, ballot.options) if ballot.method != YES_NO else {}
    names |= variant_names(uow, ballot_id) if ballot.purpose == "plan" else {}
    ctx: dict[str, Any] = {
        "ballot": ballot, "council": council, "voter": voter, "names": names,
        "is_yes_no": ballot.method in (YES_NO, STRIKE_METHOD),
        "is_approval": ballot.method == "approval",
        "casting": ballot.status == "open" and ballot.opens_at <= now < ballot.closes_at,
        "closable": ballot.status == "open" and now >= ballot.closes_at,
        "ranks": list(range(1, len(ballot.options) + 1)),
    }
    if ballot.status == "closed" and ballot.result is not None:
        if ballot.method == YES_NO:
            ctx["decision_bars"] = charts.decision_bars(ballot.result)
        elif ballot.method == STRIKE_METHOD:
            ctx["decision_bars"] = charts.tally_bars(ballot.result.get("tally", {}),
                                                     ballot.passed)
        else:
            ctx["table"] = charts.stage_table(ballot.result)
            ctx["first_bars"], ctx["final_bars"] = charts.first_and_final(ballot.result)
    return ctx


@router.get("/ballots/{ballot_id}")
def ballot(request: Request, ballot_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "ballot.html", ballot_context(request, uow, now, ballot_id))


def _paper(ctx: dict[str, Any], choice: str | None, approve: list[str], rank: list[str]) -> Any:
    ballot = ctx["ballot"]
    if ctx["is_yes_no"]:
        return choice or ""
    if ctx["is_approval"]:
        return approve
    if len(rank) != len(ballot.options):
        raise InvalidInput("mark the paper again", [Problem("rank", "one box per candidate")])
    marked: dict[int, str] = {}
    problems = []
    for option, value in zip(ballot.options, rank, strict=True):
        if not value.strip():
            continue
        if not value.strip().isdigit():
            problems.append(Problem(option, f"{value!r} is not a preference number"))
            continue
        n = int(value)
        if n in marked:
            problems.append(Problem(option, f"preference {n} is given twice"))
        marked[n] = option
    if problems:
        raise InvalidInput("the paper is not valid", problems)
    if not marked:
        raise InvalidInput("the paper is not valid",
                           [Problem("rank", "give at least your first preference (1)")])
    order = sorted(marked)
    if order != list(range(1, len(order) + 1)):
        raise InvalidInput("the paper is not valid",
                           [Problem("rank", "number your preferences 1, 2, 3 ... without gaps")])
    return [marked[n] for n in order]


@router.post("/ballots/{ballot_id}/vote")
def vote(request: Request, ballot_id: IdPath, uow: UoW, now: Now,
         choice: Annotated[str | None, Form(max_length=16)] = None,
         approve: Annotated[list[str], Form(max_length=64)] = [],  # noqa: B006
         rank: Annotated[list[str], Form(max_length=8)] = [],  # noqa: B006
         previous: Annotated[str, Form(max_length=256)] = "") -> Response:
    me = signed_in(request)
    ctx = ballot_context(request, uow, now, ballot_id)
    try:
        paper = _paper(ctx, choice, approve, rank)
        receipt = actions.cast(me.member_id, uow, ballot_id, paper, now,
                               previous=previous.strip() or None)
    except CouncilplanError as exc:
        return refused(request, exc, "ballot.html", lambda: ctx, "vote")
    return page(request, "receipt.html", {"ballot": ctx["ballot"], "receipt": receipt,
                                          "paper": paper, "names": ctx["names"]}, status=201)


@router.post("/ballots/{ballot_id}/check")
def check(request: Request, ballot_id: IdPath, uow: UoW, now: Now,
          token: Annotated[str, Form(max_length=256)]) -> Response:
    me = signed_in(request)
    ctx = ballot_context(request, uow, now, ballot_id)
    try:
        ctx["check"] = actions.check_receipt(me, uow, ballot_id, token)
    except CouncilplanError as exc:
        return refused(request, exc, "ballot.html", lambda: ctx, "check")
    return page(request, "ballot.html", ctx)


@router.post("/ballots/{ballot_id}/close")
def close(request: Request, ballot_id: IdPath, uow: UoW, now: Now) -> Response:
    me = signed_in(request)
    try:
        actions.close_ballot(me, uow, ballot_id, now)
    except CouncilplanError as exc:
        return refused(request, exc, "ballot.html",
                       lambda: ballot_context(request, uow, now, ballot_id), "close")
    return redirect(f"/ballots/{ballot_id}#result")


@router.get("/ballots/{ballot_id}/papers")
def papers(request: Request, ballot_id: IdPath, uow: UoW, now: Now,
           code: Annotated[str | None, Query(max_length=128)] = None) -> Response:
    me = signed_in(request)
    ballot = actions.see_ballot(me, uow, ballot_id)
    published = actions.papers(me, uow, ballot_id)
    wanted = (code or "").strip().lower()
    found = next((p for p in published.papers if p[0] == wanted), None) if wanted else None
    names = services.member_names(uow, ballot.options) if ballot.method != YES_NO else {}
    return page(request, "papers.html", {"ballot": ballot, "published": published,
                                         "code": wanted, "found": found, "names": names})
