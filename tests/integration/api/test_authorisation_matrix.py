"""Every API route x every role: deny by default, and no unexpected success.

Each route is listed with the roles that may use it on the objects of the test world
(:mod:`world`). For each route a fresh copy of the world is taken; every role calls
it. A role outside the list must be refused (401 signed out, 403 otherwise) -- an
unexpected success fails the test. A role in the list must get past authorisation:
not 401/403 (a rule may still refuse it: 409, 422; a missing object 404).
The test also fails when the app has a route the table does not list, so a new route
cannot be added without saying who may use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.test_dispute_api import DISPUTE_MATRIX, DISPUTE_RULE_REFUSALS
from tests.integration.api.test_plan_cycle_api import PLAN_MATRIX, PLAN_RULE_REFUSALS
from tests.integration.api.test_plan_steps_api import (
    PLAN_STEPS_MATRIX,
    PLAN_STEPS_RULE_REFUSALS,
    plan_step_values,
)
from tests.integration.api.test_strike_committee_api import STRIKE_MATRIX, STRIKE_RULE_REFUSALS
from tests.integration.api.world import PASSWORD, PERIOD, ROLES, WITHOUT_ACCOUNT, World

SIGNED_IN = frozenset(r for r in ROLES if r != "anonymous")
MILL_CONSTITUENTS = frozenset({"member", "voter", "delegate", "officer"})
RUN_MILL = frozenset({"officer", "area_officer"})  # its secretary, and Riverside's
SEE_MILL = MILL_CONSTITUENTS | RUN_MILL
ONLY_M1 = frozenset({"member"})
OFFICE_HOLDERS = frozenset({"officer", "area_officer"})

# (method, path template) -> (allowed roles, body or None)
MATRIX: dict[tuple[str, str], tuple[frozenset[str], Any]] = {
    ("GET", "/api/session"): (SIGNED_IN, None),
    ("DELETE", "/api/session"): (SIGNED_IN, None),
    ("POST", "/api/session/password"): (SIGNED_IN, {"current_password": PASSWORD,
                                                    "new_password": PASSWORD + " 2"}),
    ("POST", "/api/accounts"): (RUN_MILL, {"member_id": WITHOUT_ACCOUNT,
                                           "password": "long enough 1"}),
    ("GET", "/api/councils"): (SIGNED_IN, None),
    ("POST", "/api/councils"): (frozenset({"area_officer"}), {
        "council_id": "shed", "name": "Shed", "kind": "workplace", "parent_id": "riverside"}),
    ("GET", "/api/councils/{council_id}"): (SEE_MILL, None),
    ("GET", "/api/councils/{council_id}/elections-due"): (SEE_MILL, None),
    ("GET", "/api/councils/{council_id}/members"): (SEE_MILL, None),
    ("POST", "/api/councils/{council_id}/members"): (RUN_MILL, {"member_id": "n1"}),
    ("DELETE", "/api/councils/{council_id}/members/{member_id}"): (ONLY_M1, None),
    ("POST", "/api/members/{member_id}/wages"): (ONLY_M1, {"period": "2025-03",
                                                           "amount": "2000.00"}),
    ("GET", "/api/councils/{council_id}/seats"): (SEE_MILL, None),
    ("POST", "/api/councils/{council_id}/seats"): (RUN_MILL, {"seat_id": "mill/t",
                                                              "title": "Treasurer"}),
    ("GET", "/api/councils/{council_id}/mandates"): (SEE_MILL, None),
    ("GET", "/api/mandates/{mandate_id}"): (SEE_MILL, None),
    ("GET", "/api/mandates/{mandate_id}/pay-cap"): (SEE_MILL, None),
    ("POST", "/api/mandates/{mandate_id}/pay"): (RUN_MILL, {"period": PERIOD, "amount": "1.00"}),
    ("POST", "/api/mandates/{mandate_id}/pay-review"): (RUN_MILL, {"period": PERIOD,
                                                                   "next_period": "2025-03"}),
    ("GET", "/api/ballots"): (SIGNED_IN, None),
    ("GET", "/api/councils/{council_id}/ballots"): (SEE_MILL, None),
    ("POST", "/api/councils/{council_id}/elections"): (
        RUN_MILL, {"seat_ids": ["mill/treasurer"], "candidates": ["m1", "m2"]}),
    ("GET", "/api/ballots/{ballot_id}"): (SEE_MILL, None),
    ("POST", "/api/ballots/{ballot_id}/votes"): (MILL_CONSTITUENTS, {"choice": ["m3"]}),
    ("POST", "/api/ballots/{ballot_id}/receipt-check"): (SEE_MILL, {"token": "ab" * 32}),
    ("POST", "/api/ballots/{ballot_id}/close"): (SEE_MILL, None),
    ("GET", "/api/ballots/{ballot_id}/count"): (SEE_MILL, None),
    ("GET", "/api/ballots/{ballot_id}/papers"): (SEE_MILL, None),
    ("GET", "/api/councils/{council_id}/petitions"): (SEE_MILL, None),
    ("POST", "/api/petitions"): (MILL_CONSTITUENTS, "petition"),
    ("GET", "/api/petitions/{petition_id}"): (SEE_MILL, None),
    ("POST", "/api/petitions/{petition_id}/signatures"): (MILL_CONSTITUENTS, {}),
    ("POST", "/api/petitions/{petition_id}/ballot"): (MILL_CONSTITUENTS, {"days": 3}),
    ("GET", "/api/councils/{council_id}/motions"): (SEE_MILL, None),
    ("POST", "/api/councils/{council_id}/motions"): (MILL_CONSTITUENTS, {"text": "A motion."}),
    ("GET", "/api/motions/{motion_id}"): (SEE_MILL, None),
    ("POST", "/api/motions/{motion_id}/amendments"): (MILL_CONSTITUENTS, {"new_text": "B."}),
    ("POST", "/api/motions/{motion_id}/ballots"): (RUN_MILL | ONLY_M1, {"days": 2}),
    ("GET", "/api/audit/entries"): (SIGNED_IN, None),
    ("GET", "/api/audit/checkpoints"): (SIGNED_IN, None),
    ("GET", "/api/audit/verify"): (SIGNED_IN, None),
    ("POST", "/api/audit/verify-job"): (SIGNED_IN, None),
    ("GET", "/api/jobs/{job_id}"): (SIGNED_IN, None),
    ("POST", "/api/tick"): (OFFICE_HOLDERS, None),
    **DISPUTE_MATRIX,
    **PLAN_MATRIX,
    **STRIKE_MATRIX,
    **PLAN_STEPS_MATRIX,
}
PUBLIC = {("POST", "/api/session")}  # logging in
# where the world makes every allowed call refused by a rule (the matrix checks only that
# authorisation let it through)
REFUSED_BY_A_RULE_HERE = {
    ("GET", "/api/jobs/{job_id}"),  # no such job (jobs are per account)
    ("POST", "/api/petitions/{petition_id}/ballot"),  # the petition is short of its threshold
    *DISPUTE_RULE_REFUSALS,
    *PLAN_RULE_REFUSALS,
    *STRIKE_RULE_REFUSALS,
    *PLAN_STEPS_RULE_REFUSALS,
}


def _api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every operation of the API (its OpenAPI document lists them all)."""
    return {(method.upper(), path) for path, item in app.openapi()["paths"].items()
            for method in item}


def test_the_matrix_lists_every_route(app: FastAPI) -> None:
    routes = _api_routes(app)
    assert routes - PUBLIC == set(MATRIX), (
        f"not in the matrix: {sorted(routes - PUBLIC - set(MATRIX))}; "
        f"no such route: {sorted(set(MATRIX) - routes)}")


def _fill(path: str, fed: World) -> str:
    values = {"council_id": "mill", "member_id": "m1", "mandate_id": fed.delegate_mandate,
              "petition_id": fed.petition, "motion_id": fed.motion, "job_id": "no-such-job",
              "dispute_id": fed.dispute, "offer_id": fed.offer, "period_id": fed.plan_period,
              "variant_id": fed.variant, "workplace_id": "mill"}
    ballot = (fed.strike_ballot if path.startswith("/api/strike-ballots")
              else fed.closed_ballot if path.endswith(("/count", "/papers"))
              else fed.due_ballot if path.endswith("/close") else fed.open_ballot)
    values["ballot_id"] = ballot
    values.update(plan_step_values(path, fed))
    url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
    return url + ("?period=" + PERIOD if path.endswith("/pay-cap") else "")


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=lambda x: str(x))
def test_every_role_on_every_route(method: str, path: str, fed: World,
                                   client_for: Callable[[str | None], Client]) -> None:
    allowed, body = MATRIX[(method, path)]
    if body == "petition":
        body = {"mandate_id": fed.secretary_mandate}
    url = _fill(path, fed)
    # the refused go first: a refusal must leave nothing behind for the allowed to trip on
    order = sorted(ROLES, key=lambda r: (r in allowed, r))
    seen: dict[str, int] = {}
    for role in order:
        client = client_for(role)
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        response = client.request(method, url, **kwargs)
        seen[role] = response.status_code
        if role in allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            expected = 401 if role == "anonymous" else 403
            assert response.status_code == expected, (
                f"UNEXPECTED {'SUCCESS' if response.status_code < 400 else 'STATUS'} for "
                f"{role}: {response.status_code} {response.text[:300]}")
    successes = {r for r, s in seen.items() if r in allowed and s < 400}
    if (method, path) not in REFUSED_BY_A_RULE_HERE:
        assert successes, f"no allowed role succeeded: {seen}"
