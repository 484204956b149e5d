"""The ratification ballot of a period's variants, from the plan's side: who is entitled
and with what weight, the delegates' recorded votes, the result.

A ballot of the owner's delegates is an open, recorded vote: this page lists every
delegate with their exact weight (the members they represent), takes a delegate's
ranking of the variants, and after the close shows the roll call -- who voted how, with
what weight. A ballot of all members is secret: this page sends them to the ballot's
own page, with its receipt.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api.authz import require_plan_voter
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.pages.plan import period_context
from councilplan.api.web.render import page
from councilplan.errors import CouncilplanError, InvalidInput, NotFound, Problem
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork

__all__ = ["router", "variant_names"]

router = page_router()


def variant_names(uow: UnitOfWork, ballot_id: str) -> dict[str, str]:
    """The options of a plan ballot, by key: ``key: name`` of each variant on it."""
    with uow.reading():
        rec = uow.variants.find_plan_ballot(ballot_id)
        if rec is None:
            return {}
        on = [v for v in uow.variants.of_period(rec.period_id, rec.revision)
              if v.ballot_id == ballot_id]
    return {v.key: f"{v.key}: {v.name}" for v in on} | {"none": "none of these"}


def ballot_context(request: Request, uow: UnitOfWork, now: Any, period_id: str
                   ) -> dict[str, Any]:
    me = signed_in(request)
    ctx = period_context(request, uow, now, period_id)
    ballot_id = ctx["ballot_id"] or next(
        (v.ballot_id for v in reversed(pc.list_variants(uow, period_id)) if v.ballot_id), None)
    if ballot_id is None:
        raise NotFound(f"no ratification ballot in period {period_id} yet",
                       [Problem(period_id, "the variants are not on a ballot yet")])
    shown = pc.show_plan_ballot(uow, ballot_id)
    weights = dict(shown.weights)
    with uow.reading():
        opens_at = uow.ballots.get(ballot_id).ballot.opens_at
    names = services.member_names(uow, list(weights))
    variants = {v.key: v.name for v in pc.list_variants(uow, period_id, shown.revision)}
    ctx.update({
        "plan_ballot": shown, "open_vote": shown.electorate == "delegates",
        "names": names, "variants": variants, "my_weight": weights.get(me.member_id),
        "casting": shown.status == "open" and opens_at <= now < shown.closes_at,
        "ranks": list(range(1, len(shown.options) + 1)), "recorded": None})
    ctx["ballot_id"] = ballot_id
    return ctx


@router.get("/plan/{period_id}/ballot")
def ballot(request: Request, period_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "plan_ballot.html", ballot_context(request, uow, now, period_id))


def ranking(options: tuple[str, ...], rank: list[str]) -> list[str]:
    """The keys in the order the delegate numbered them (every fault named)."""
    if len(rank) != len(options):
        raise InvalidInput("mark the paper again", [Problem("rank", "one box per variant")])
    marked: dict[int, str] = {}
    problems = []
    for option, value in zip(options, rank, strict=True):
        if not value.strip():
            continue
        if not value.strip().isdigit():
            problems.append(Problem(option, f"{value!r} is not a preference number"))
            continue
        if int(value) in marked:
            problems.append(Problem(option, f"preference {int(value)} is given twice"))
        marked[int(value)] = option
    if not marked and not problems:
        problems.append(Problem("rank", "give at least your first preference (1)"))
    if problems:
        raise InvalidInput("the paper is not valid", problems)
    order = sorted(marked)
    if order != list(range(1, len(order) + 1)):
        raise InvalidInput("the paper is not valid",
                           [Problem("rank", "number your preferences 1, 2, 3 ... without gaps")])
    return [marked[n] for n in order]


@router.post("/plan/{period_id}/ballot/vote")
def vote(request: Request, period_id: IdPath, uow: UoW, now: Now,
         rank: Annotated[list[str], Form(max_length=8)] = [],  # noqa: B006
         approve: Annotated[list[str], Form(max_length=40)] = []  # noqa: B006
         ) -> Response:
    me = signed_in(request)
    ctx = ballot_context(request, uow, now, period_id)
    shown = ctx["plan_ballot"]
    try:
        require_plan_voter(me, uow, ctx["ballot_id"], f"vote in plan ballot {ctx['ballot_id']}")
        paper: Any = (sorted(set(approve)) if shown.method == "approval"
                      else ranking(shown.options, rank))
        ctx["recorded"] = pc.cast_plan_vote(uow, ctx["ballot_id"], me.member_id, paper, now)
    except CouncilplanError as exc:
        return refused(request, exc, "plan_ballot.html", lambda: ctx, "vote")
    return page(request, "plan_ballot.html", ctx, status=201)
