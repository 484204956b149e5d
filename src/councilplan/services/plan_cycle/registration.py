"""Registrations: needs, techniques and working time, each all or nothing.

Every registration is checked whole before anything is written: one fault anywhere
refuses the whole batch (:class:`~councilplan.errors.InvalidInput` or
:class:`~councilplan.errors.PreconditionFailed` listing every fault), so a refused
registration leaves no partial writes. Accepted rows go in with one ``executemany``
per table, and the audit log gets one event per council with the number of rows and
the SHA-256 of their canonical text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from councilplan.councils.event import Event
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.planning.cycle.digest import num
from councilplan.planning.cycle.need import AggregateNeed, NeedTable, aggregate_needs, need_problems
from councilplan.planning.cycle.technique import TechniqueTable, technique_problems
from councilplan.planning.cycle.working_time import (
    WorkingTime,
    resolve_workforce,
    working_time_problems,
)
from councilplan.services.ids import new_id
from councilplan.services.plan_cycle._common import (
    PLAN_NEEDS_REGISTERED,
    PLAN_NEEDS_WITHDRAWN,
    PLAN_TECHNIQUES_REGISTERED,
    PLAN_WORKING_TIME_DECIDED,
    federation_of,
    need_rows_digest,
    technique_rows_digest,
)
from councilplan.services.plan_cycle.views import (
    LabourView,
    NeedsRegistered,
    TechniquesRegistered,
)
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "decide_working_time",
    "decide_working_times",
    "labour_available",
    "needs_summary",
    "register_needs",
    "register_techniques",
    "withdraw_needs",
]


def _groups(keys: Sequence[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        out.setdefault(key, []).append(k)
    return out


def register_needs(uow: UnitOfWork, period_id: str, needs: NeedTable, now: datetime, *,
                   replace: bool = False) -> NeedsRegistered:
    """Register needs (any councils of the period's scope at once). ``replace`` first
    withdraws the live needs of every council in the batch (a council re-registering
    its whole list). Refused whole on any fault (see the module docstring)."""
    if len(needs) == 0:
        raise InvalidInput("no needs to register")
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_registering("registering needs")
        fed = federation_of(uow, period.council_id)
        needs = needs.with_default_categories(fed.kinds)
        cat = uow.plans.catalogue(set(needs.products), full=False)
        problems = need_problems(needs, cat, fed)
        if problems:
            raise InvalidInput(f"the needs cannot be registered in period {period_id}",
                               problems)
        batch = new_id("nb")
        ids = [f"{batch}/{k}" for k in range(len(needs))]
        table = needs.with_ids(ids)
        groups = _groups(table.councils)
        events: list[Event] = []
        withdrawn = 0
        if replace:
            for council in sorted(groups):
                count = uow.plans.withdraw_needs(period_id, council, now)
                withdrawn += count
                if count:
                    events.append(Event.of(PLAN_NEEDS_WITHDRAWN, now, period_id=period_id,
                                           council_id=council, needs=count))
        uow.plans.add_needs(period_id, table, batch, now)
        for council in sorted(groups):
            rows = groups[council]
            events.append(Event.of(PLAN_NEEDS_REGISTERED, now, period_id=period_id,
                                   council_id=council, batch_id=batch, needs=len(rows),
                                   sha256=need_rows_digest(table, rows)))
        uow.audit.append(events)
        return NeedsRegistered(period_id, batch, len(table), len(groups), withdrawn,
                               tuple(ids) if len(ids) <= 1000 else ())


def withdraw_needs(uow: UnitOfWork, period_id: str, council_id: str, now: datetime, *,
                   need_ids: Sequence[str] | None = None) -> int:
    """A council withdraws its needs (all, or some); how many were withdrawn."""
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_registering("withdrawing needs")
        count = uow.plans.withdraw_needs(period_id, council_id, now, need_ids)
        if need_ids is not None and count != len(set(need_ids)):
            raise PreconditionFailed(
                "needs cannot be withdrawn",
                [Problem(council_id, f"{len(set(need_ids)) - count} of the needs named are "
                                     "not live needs of this council in the period")])
        if count:
            uow.audit.append([Event.of(PLAN_NEEDS_WITHDRAWN, now, period_id=period_id,
                                       council_id=council_id, needs=count)])
        return count


def needs_summary(uow: UnitOfWork, period_id: str, council_id: str | None = None
                  ) -> tuple[AggregateNeed, ...]:
    """The needs of a council's subtree (default: the whole scope) by product and tier,
    with the part each branch below it registered."""
    with uow.reading():
        period = uow.plans.get_period(period_id)
        fed = federation_of(uow, period.council_id)
        at = council_id or period.council_id
        if not fed.in_scope(at):
            raise InvalidInput("outside the period's scope",
                               [Problem(at, f"not {period.council_id} or below it")])
        return aggregate_needs(uow.plans.needs(period_id, councils=fed.under(at)), fed, at)


def register_techniques(uow: UnitOfWork, period_id: str, techniques: TechniqueTable,
                        now: datetime) -> TechniquesRegistered:
    """Register techniques and capacities of workplace councils (any number at once).
    A workplace registering a product again makes a new version; the plan uses the
    latest. Refused whole on any fault."""
    if len(techniques) == 0:
        raise InvalidInput("no techniques to register")
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_registering("registering techniques")
        fed = federation_of(uow, period.council_id)
        cat = uow.plans.catalogue(set(techniques.products) | set(techniques.input_products),
                                  full=False)
        problems = technique_problems(techniques, cat, fed)
        if problems:
            raise InvalidInput(f"the techniques cannot be registered in period {period_id}",
                               problems)
        known = uow.plans.current_versions(period_id, set(techniques.workplaces))
        keys = list(zip(techniques.workplaces, techniques.products, strict=True))
        versions = np.fromiter((known.get(k, 0) + 1 for k in keys), dtype=np.int64,
                               count=len(keys))
        again = [k for k in keys if k in known]
        if again:
            uow.plans.supersede(period_id, again)
        table = techniques.with_versions(versions)
        batch = new_id("tb")
        uow.plans.add_techniques(period_id, table, batch, now)
        groups = _groups(table.workplaces)
        uow.audit.append([
            Event.of(PLAN_TECHNIQUES_REGISTERED, now, period_id=period_id,
                     workplace_id=wp, batch_id=batch, techniques=len(rows),
                     versions=[[table.products[k], int(versions[k])] for k in rows],
                     sha256=technique_rows_digest(table, rows))
            for wp, rows in sorted(groups.items())])
        return TechniquesRegistered(period_id, batch, len(table), len(groups), len(again))


def decide_working_time(uow: UnitOfWork, period_id: str, decision: WorkingTime,
                        now: datetime) -> WorkingTime:
    """A council decides the working week and weeks (and, for a workplace, how many work
    there) for the period; a later decision of the same council replaces it."""
    return decide_working_times(uow, period_id, [decision], now)[0]


def decide_working_times(uow: UnitOfWork, period_id: str, decisions: Sequence[WorkingTime],
                         now: datetime) -> tuple[WorkingTime, ...]:
    """Several councils' decisions at once (all or nothing)."""
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_registering("deciding working time")
        fed = federation_of(uow, period.council_id)
        problems: list[Problem] = []
        seen: set[str] = set()
        for d in decisions:
            problems += working_time_problems(d, fed, period.weeks)
            if d.council_id in seen:
                problems.append(Problem(d.council_id, "decided twice in one batch"))
            seen.add(d.council_id)
        if problems:
            raise InvalidInput("the working time cannot be decided", problems)
        decided = uow.plans.decided(period_id, seen)
        fresh = [d for d in decisions if d.council_id not in decided]
        for d in decisions:
            if d.council_id in decided:
                uow.plans.set_working_time(period_id, d, now)
        if fresh:
            uow.plans.add_working_times(period_id, fresh, now)
        uow.audit.append([Event.of(PLAN_WORKING_TIME_DECIDED, now, period_id=period_id,
                                   council_id=d.council_id, hours_per_week=num(d.hours_per_week),
                                   weeks=num(d.weeks), members=d.members,
                                   replaces=d.council_id in decided)
                          for d in decisions])
        return tuple(decisions)


def labour_available(uow: UnitOfWork, period_id: str) -> LabourView:
    """The hours the councils' decisions make available, and the workplaces no decision
    covers yet."""
    with uow.reading():
        period = uow.plans.get_period(period_id)
        fed = federation_of(uow, period.council_id)
        decisions = uow.plans.working_times(period_id)
        wf = resolve_workforce(fed, decisions, uow.members.count_direct(), strict=False)
        hours = float(np.nansum(wf.hours()))
        return LabourView(period_id, len(wf.workplaces), wf.people, hours, wf.undecided(),
                          tuple(d.to_dict() for d in decisions))
