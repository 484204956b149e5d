"""Disputes, run by the strikers: the disputes a member may see, and one dispute with its
roster, committee, offers, strikers' ballots (the paper to mark and the results notice),
mandates, calls to action and the strike fund. The committee's forms are in
:mod:`.dispute_forms`; votes go through the ballot pages' casting flow."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api.authz import (
    Forbidden,
    dispute_standing,
    may_cast,
    require_dispute_reader,
)
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web import charts
from councilplan.api.web.pages._forms import page_router, signed_in
from councilplan.api.web.render import page
from councilplan.services.dispute_records import contributions_of
from councilplan.services.dispute_views import StrikeBallotView

__all__ = ["dispute_context", "router"]

router = page_router()

KINDS = {"action": "Action", "continue": "Continuing action", "offer": "The employer's offer",
         "settle": "Settling"}


@router.get("/disputes")
def disputes(request: Request, uow: UoW, now: Now) -> Response:
    me = signed_in(request)
    mine = []
    for d in services.list_disputes(uow, now):
        standing = dispute_standing(me, uow, d.dispute_id, now)
        if standing.reader or standing.striker:
            mine.append((d, standing))
    councils = {c.council_id: c.name for c in services.list_councils(uow)}
    return page(request, "disputes.html", {"disputes": mine, "councils": councils})


def _ballot(uow: UoW, me: Any, sb: StrikeBallotView, now: Any) -> dict[str, Any]:
    b = sb.ballot
    out: dict[str, Any] = {"sb": sb, "b": b, "kind": KINDS.get(sb.kind, sb.kind),
                           "casting": b.status == "open" and b.opens_at <= now < b.closes_at,
                           "closable": b.status == "open" and now >= b.closes_at}
    try:
        may_cast(uow, sb.ballot_id, me.member_id)
        out["voter"] = True
    except Forbidden:
        out["voter"] = False
    if b.status == "closed":
        notice = services.results_notice(uow, sb.ballot_id).notice
        out["notice"] = notice
        out["bars"] = charts.tally_bars({k: notice[k] for k in ("yes", "no", "spoilt")},
                                        bool(notice["passed"]))
    return out


def _committee_elections(uow: UoW, detail: Any) -> list[Any]:
    """The elections of the committee's seats (filed under the dispute's first council)."""
    seats = {s.seat_id for s in detail.committee}
    return [b for b in services.list_ballots(uow, detail.dispute.council_ids[0])
            if b.purpose == "election" and b.subject_id in seats]


def dispute_context(request: Request, uow: UoW, now: Now, dispute_id: str) -> dict[str, Any]:
    me = signed_in(request)
    standing = require_dispute_reader(me, uow, dispute_id, now, f"see dispute {dispute_id}")
    detail = services.show_dispute(uow, dispute_id, now)
    offers = list(detail.offers)
    if not standing.striker:  # the full text is for the strikers
        offers = [dataclasses.replace(o, text="") for o in offers]
    statuses = Counter(m.status for m in detail.roster.members)
    holders = [s.holder_id for s in detail.committee if s.holder_id]
    councils = {c.council_id: c.name for c in services.list_councils(uow)}
    ctx: dict[str, Any] = {
        "detail": detail, "dispute": detail.dispute, "standing": standing, "offers": offers,
        "roster": detail.roster, "counts": statuses, "councils": councils,
        "names": {**{m.member_id: m.name for m in detail.roster.members},
                  **services.member_names(uow, holders)},
        "ballots": [_ballot(uow, me, sb, now) for sb in reversed(detail.ballots)],
        "open_offers": [o for o in offers if o.status == "received"],
        "accepted_offers": [o for o in offers if o.status == "accepted"],
        "may_setup": standing.committee or (not standing.committee_in_office
                                            and (standing.striker or standing.officer)),
        "committee_elections": _committee_elections(uow, detail),
        "fund": None,
    }
    if standing.striker or standing.committee:
        ctx["fund"] = detail.fund
        ctx["contributions"] = contributions_of(uow, dispute_id)
        ctx["payments"] = services.strike_payments(uow, dispute_id)
    return ctx


@router.get("/disputes/{dispute_id}")
def dispute(request: Request, dispute_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "dispute.html", dispute_context(request, uow, now, dispute_id))
