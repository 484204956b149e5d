"""The page routers, included by ``create_app`` in this order (disputes and the plan cycle
add theirs here)."""

from __future__ import annotations

from fastapi import APIRouter

from councilplan.api.web.pages import (
    audit,
    auth,
    ballots,
    councils,
    home,
    petitions,
    plan,
    plan_ballot,
    plan_needs,
)

__all__ = ["PAGES"]

PAGES: tuple[APIRouter, ...] = (
    auth.router,
    home.router,
    councils.router,
    ballots.router,
    petitions.router,
    audit.router,
    plan.router,
    plan_needs.router,
    plan_ballot.router,
)
