"""The product catalogue every planning period shares: searching it, adding to it.

Every signed-in member reads it; the holders of an office or a delegation add products
(all or nothing; a code taken by another product is refused).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from councilplan.api.authz import require_mandate_holder
from councilplan.api.deps import CurrentAccount, Me, Now, UoW
from councilplan.api.plan_schemas import ProductsIn
from councilplan.api.routers._common import answer, api_router
from councilplan.api.schemas import view_model
from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle import Product
from councilplan.services import plan_cycle as pc
from councilplan.services.plan_cycle.views import ProductsAdded

__all__ = ["router", "search_catalogue"]

router = api_router("/plan/catalogue", "plan")

Search = Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$",
                                     description="a product code or a substring of its name")]


def search_catalogue(products: list[Product], q: str | None) -> list[Product]:
    """The products whose code is ``q`` (or starts with it) or whose name holds it."""
    if not q or not q.strip():
        return products
    needle = q.strip().casefold()
    return [p for p in products
            if p.code.casefold().startswith(needle) or needle in p.name.casefold()]


@router.get("", summary="The product catalogue")
def catalogue(_account: CurrentAccount, uow: UoW, q: Search = None,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JSONResponse:
    found = search_catalogue(list(pc.catalogue(uow)), q)
    page = found[offset: offset + limit]
    return JSONResponse({"total": len(found), "offset": offset, "products": [
        {"code": p.code, "name": p.name, "unit": p.unit, "description": p.description,
         "classifications": dict(p.classifications)} for p in page]})


@router.post("", status_code=201, response_model=view_model(ProductsAdded),
             summary="Add products to the catalogue")
def add(body: ProductsIn, me: Me, uow: UoW, now: Now) -> JSONResponse:
    require_mandate_holder(me, now, "add products to the catalogue")
    products: list[Product] = []
    problems: list[Problem] = []
    for k, p in enumerate(body.products, start=1):
        try:
            products.append(Product(p.code, p.name, p.unit, p.description,
                                    dict(p.classifications)))
        except InvalidInput as exc:
            problems += [Problem(f"products[{k}] ({p.code})", q.message) for q in exc.problems]
    if problems:
        raise InvalidInput("the products cannot be added to the catalogue", problems)
    return answer(pc.add_products(uow, products, now), 201)
