"""Needs entry: a member registers a need of their own council (a product found by code
or name, a quantity, a tier, a reason), sees their council's needs and withdraws one,
and sees the needs added up with where they came from.

A bad entry is refused whole, the page shown again with each fault beside its field.
"""

from __future__ import annotations

import contextlib
import math
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response

from councilplan.api.authz import require_own_council
from councilplan.api.deps import Now, UoW
from councilplan.api.routers.catalogue import search_catalogue
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.pages.plan import period_context
from councilplan.api.web.render import page, redirect
from councilplan.errors import CouncilplanError, InvalidInput, Problem
from councilplan.planning.cycle import NeedTable
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork

__all__ = ["router"]

router = page_router()

LISTED = 200  # products offered in the form at once (search for the rest)
Search = Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")]
Ident = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9._:@-]*$")]


def needs_context(request: Request, uow: UnitOfWork, now: Any, period_id: str,
                  find: str | None = None, at: str | None = None) -> dict[str, Any]:
    me = signed_in(request)
    ctx = period_context(request, uow, now, period_id)
    owner = ctx["period"].council_id
    with uow.reading():
        councils = {c.council_id: c for c in uow.councils.all()}
        catalogue = list(uow.plans.catalogue())
        mine = [c for c in sorted(me.councils) if c in councils]
        own = uow.plans.needs(period_id, councils=mine)
    names = {p.code: p.name for p in catalogue}
    in_scope = [c for c in councils if _under(c, owner, councils)]
    parent = next((councils[c].parent_id for c in mine if councils[c].parent_id), None)
    default_at = parent if parent in in_scope else owner
    chosen_at = at if at in in_scope else default_at
    found = search_catalogue(catalogue, find)
    ctx.update({
        "find": find or "", "products": found[:LISTED], "more_products": len(found) > LISTED,
        "my_councils": [(c, councils[c].name) for c in mine if c in in_scope],
        "own": [{"need_id": own.need_ids[k], "council": own.councils[k],
                 "product": own.products[k], "name": names.get(own.products[k], ""),
                 "quantity": float(own.quantities[k]), "tier": int(own.tiers[k]),
                 "reason": own.reasons[k]} for k in range(len(own))],
        "summary": pc.needs_summary(uow, period_id, chosen_at), "at": chosen_at,
        "scope": sorted((c, councils[c].name) for c in in_scope), "names": names,
        "council_names": {c: councils[c].name for c in councils},
        "registering": ctx["period"].status == "open", "form": {}, "field_errors": {},
    })
    return ctx


def _under(council_id: str, owner: str, councils: dict[str, Any]) -> bool:
    current: str | None = council_id
    seen: set[str] = set()
    while current is not None and current not in seen:
        if current == owner:
            return True
        seen.add(current)
        current = councils[current].parent_id if current in councils else None
    return False


@router.get("/plan/{period_id}/needs")
def needs(request: Request, period_id: IdPath, uow: UoW, now: Now, find: Search = None,
          at: Ident = None) -> Response:
    return page(request, "plan_needs.html", needs_context(request, uow, now, period_id,
                                                          find, at))


def _entry(product: str, quantity: str, tier: str) -> tuple[float, int]:
    problems: list[Problem] = []
    if not product.strip():
        problems.append(Problem("product", "choose a product (search by its code or name)"))
    value = math.nan
    with contextlib.suppress(ValueError):
        value = float(quantity.replace(",", ""))
    if not math.isfinite(value) or value <= 0:
        problems.append(Problem("quantity", f"{quantity!r} is not a quantity: enter a number "
                                            "above 0, like 12.5"))
    level = int(tier) if tier.strip().isdigit() else 0
    if not 1 <= level <= 9:
        problems.append(Problem("tier", "choose a tier from 1 (most urgent) to 9"))
    if problems:
        raise InvalidInput("the need cannot be registered", problems)
    return value, level


@router.post("/plan/{period_id}/needs")
def register(request: Request, period_id: IdPath, uow: UoW, now: Now,
             council: Annotated[str, Form(max_length=64)] = "",
             product: Annotated[str, Form(max_length=64)] = "",
             quantity: Annotated[str, Form(max_length=32)] = "",
             tier: Annotated[str, Form(max_length=2)] = "1",
             reason: Annotated[str, Form(max_length=500)] = "",
             find: Annotated[str, Form(max_length=100)] = "") -> Response:
    me = signed_in(request)
    form = {"council": council, "product": product, "quantity": quantity, "tier": tier,
            "reason": reason}

    def context() -> dict[str, Any]:
        ctx = needs_context(request, uow, now, period_id, find or None)
        ctx["form"] = form
        return ctx

    try:
        require_own_council(me, council, f"register the needs of {council or 'a council'}")
        value, level = _entry(product, quantity, tier)
        pc.register_needs(uow, period_id, NeedTable.from_rows([{
            "council": council, "product": product.strip(), "quantity": value,
            "tier": level, "reason": reason.strip()}]), now)
    except CouncilplanError as exc:
        return refused(request, exc, "plan_needs.html", context, "need")
    return redirect(f"/plan/{period_id}/needs#mine")


@router.post("/plan/{period_id}/needs/withdraw")
def withdraw(request: Request, period_id: IdPath, uow: UoW, now: Now,
             council: Annotated[str, Form(max_length=64)] = "",
             need_id: Annotated[str, Form(max_length=96)] = "") -> Response:
    me = signed_in(request)
    try:
        require_own_council(me, council, f"withdraw the needs of {council or 'a council'}")
        pc.withdraw_needs(uow, period_id, council, now, need_ids=[need_id])
    except CouncilplanError as exc:
        return refused(request, exc, "plan_needs.html",
                       lambda: needs_context(request, uow, now, period_id), "withdraw")
    return redirect(f"/plan/{period_id}/needs#mine")
