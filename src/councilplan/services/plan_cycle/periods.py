"""The catalogue and planning periods: adding products, opening a period, reading them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from councilplan.councils._checks import iso
from councilplan.councils.council import CouncilKind
from councilplan.councils.event import Event
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.planning.cycle.catalogue import Catalogue, Product, catalogue_problems
from councilplan.planning.cycle.digest import document_digest
from councilplan.planning.cycle.period import (
    ElectorateRule,
    PlanningPeriod,
    SubPeriod,
    VotingMethod,
    split_period,
)
from councilplan.services.ids import new_id
from councilplan.services.plan_cycle._common import PLAN_PERIOD_OPENED, PLAN_PRODUCTS_ADDED
from councilplan.services.plan_cycle.views import PeriodView, ProductsAdded
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["add_products", "catalogue", "list_periods", "open_period", "period_view",
           "show_period"]


def add_products(uow: UnitOfWork, products: Sequence[Product], now: datetime) -> ProductsAdded:
    """Add products to the catalogue. The same product again is no change; a code taken
    by another product is refused (all or nothing, every conflict named)."""
    with uow:
        existing = uow.plans.catalogue(p.code for p in products)
        problems = catalogue_problems(existing, products)
        if problems:
            raise PreconditionFailed("the products cannot be added to the catalogue", problems)
        unique: list[Product] = []
        seen: set[str] = set()
        for p in products:
            if p.code not in existing and p.code not in seen:
                seen.add(p.code)
                unique.append(p)
        digest = document_digest([p.to_dict() for p in unique])
        if unique:
            uow.plans.add_products(unique, now)
            uow.audit.append([Event.of(PLAN_PRODUCTS_ADDED, now, products=len(unique),
                                       first=unique[0].code, last=unique[-1].code,
                                       sha256=digest)])
        return ProductsAdded(len(unique), len(products) - len(unique),
                             uow.plans.product_count(), digest)


def catalogue(uow: UnitOfWork) -> Catalogue:
    with uow.reading():
        return uow.plans.catalogue()


def _default_owner(uow: UnitOfWork) -> str:
    nationals = sorted(c.council_id for c in uow.councils.all()
                       if c.kind is CouncilKind.NATIONAL)
    if len(nationals) != 1:
        raise PreconditionFailed(
            "name the council that owns the period",
            [Problem("council", "the default is the national planning council, but there "
                                f"are {len(nationals)} national councils"
                                + (": " + ", ".join(nationals) if nationals else ""))])
    return nationals[0]


def open_period(uow: UnitOfWork, period_id: str | None, name: str, starts_at: datetime,
                ends_at: datetime, now: datetime, *, council_id: str | None = None,
                sub_periods: str | int | Sequence[SubPeriod] = "quarters",
                electorate: ElectorateRule | str | None = None,
                method: VotingMethod | str = VotingMethod.SCHULZE) -> PeriodView:
    """Open a planning period owned by ``council_id`` (default: the national council).

    Its electorate rule defaults to the delegates (weighted by the members they
    represent) for a council above the base, and to all members for a base council.
    A period of the same council overlapping another is refused.
    """
    pid = period_id or new_id("pp")
    with uow:
        owner_id = council_id or _default_owner(uow)
        owner = uow.councils.get(owner_id)
        if isinstance(sub_periods, str | int):
            subs = split_period(starts_at, ends_at, sub_periods)
        else:
            subs = tuple(sub_periods)
        rule = ElectorateRule(electorate) if electorate is not None else (
            ElectorateRule.MEMBERS if owner.kind.is_base else ElectorateRule.DELEGATES)
        try:
            period = PlanningPeriod(pid, owner_id, name, starts_at, ends_at, subs,
                                    electorate=rule, method=VotingMethod(method))
        except ValueError as exc:
            raise InvalidInput(f"period {pid} cannot be opened", [Problem(pid, str(exc))]
                               ) from None
        problems: list[Problem] = []
        if uow.plans.find_period(pid) is not None:
            problems.append(Problem(pid, "a period with this id exists"))
        for other in uow.plans.periods(owner_id):
            if other.starts_at < ends_at and starts_at < other.ends_at:
                problems.append(Problem(other.period_id, f"council {owner_id} already plans "
                                        f"{iso(other.starts_at)} .. {iso(other.ends_at)}"))
        if problems:
            raise PreconditionFailed(f"period {pid} cannot be opened", problems)
        uow.plans.add_period(period, now)
        uow.audit.append([Event.of(
            PLAN_PERIOD_OPENED, now, period_id=pid, council_id=owner_id, name=name,
            starts_at=iso(starts_at), ends_at=iso(ends_at),
            sub_periods=[s.to_dict() for s in subs], electorate=rule.value,
            method=period.method.value)])
        return period_view(uow, period)


def period_view(uow: UnitOfWork, period: PlanningPeriod) -> PeriodView:
    variants = tuple({"variant_id": v.variant_id, "revision": v.revision, "key": v.key,
                      "name": v.name, "status": v.status, "sha256": v.variant_sha256}
                     for v in uow.variants.of_period(period.period_id))
    return PeriodView(
        period.period_id, period.council_id, period.name, period.starts_at, period.ends_at,
        tuple(s.to_dict() for s in period.sub_periods), period.electorate.value,
        period.method.value, period.status.value, period.revision, period.adopted_variant,
        period.in_force, period.replan_from,
        techniques=uow.plans.technique_count(period.period_id),
        needs=uow.plans.need_count(period.period_id), variants=variants)


def show_period(uow: UnitOfWork, period_id: str) -> PeriodView:
    with uow.reading():
        return period_view(uow, uow.plans.get_period(period_id))


def list_periods(uow: UnitOfWork, council_id: str | None = None) -> tuple[PeriodView, ...]:
    with uow.reading():
        if council_id is not None:
            uow.councils.get(council_id)
        return tuple(period_view(uow, p) for p in uow.plans.periods(council_id))
