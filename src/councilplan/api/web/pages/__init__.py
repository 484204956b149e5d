"""The page routers, included by ``create_app`` in this order."""

from __future__ import annotations

from fastapi import APIRouter

from councilplan.api.web.pages import (
    account,
    audit,
    auth,
    ballots,
    councils,
    dispute_forms,
    disputes,
    home,
    mandates,
    members,
    motions,
    petitions,
    plan,
    plan_ballot,
    plan_needs,
    seats,
)

__all__ = ["PAGES"]

PAGES: tuple[APIRouter, ...] = (
    auth.router,
    home.router,
    councils.router,
    ballots.router,
    petitions.router,
    audit.router,
    account.router,
    motions.router,
    members.router,
    seats.router,
    mandates.router,
    disputes.router,
    dispute_forms.router,
    plan.router,
    plan_needs.router,
    plan_ballot.router,
)
