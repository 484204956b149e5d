"""The page routers, included by ``create_app`` in this order (disputes and the plan cycle
add theirs here)."""

from __future__ import annotations

from fastapi import APIRouter

from councilplan.api.web.pages import audit, auth, ballots, councils, home, petitions
from councilplan.api.web.pages.dispute_forms import router as dispute_forms_router
from councilplan.api.web.pages.disputes import router as disputes_router

__all__ = ["PAGES"]

PAGES: tuple[APIRouter, ...] = (
    auth.router,
    home.router,
    councils.router,
    ballots.router,
    petitions.router,
    audit.router,
    disputes_router,
    dispute_forms_router,
)
