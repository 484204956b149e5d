"""The JSON API: one router per resource, included by ``create_app`` from :data:`ROUTERS`.

Adding a resource (disputes, the plan cycle) is one more module here with a ``router``
and one more entry in :data:`ROUTERS`.
"""

from __future__ import annotations

from fastapi import APIRouter

from councilplan.api.routers import (
    accounts,
    audit,
    ballots,
    catalogue,
    councils,
    disputes,
    jobs,
    mandates,
    members,
    motions,
    petitions,
    plan_cycle,
    plan_periods,
    plan_ratification,
    plan_targets,
    seats,
    session,
    strike_committee,
    strike_fund,
    tick,
)

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    session.router,
    accounts.router,
    councils.router,
    members.router,
    seats.router,
    mandates.router,
    ballots.router,
    petitions.router,
    motions.router,
    audit.router,
    jobs.router,
    tick.router,
    disputes.router,
    plan_cycle.router,
    strike_committee.router,
    strike_fund.router,
    plan_periods.router,
    catalogue.router,
    plan_ratification.router,
    plan_targets.router,
)
