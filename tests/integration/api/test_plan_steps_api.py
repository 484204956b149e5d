"""The plan cycle's further steps through HTTP, on SQLite and PostgreSQL: the catalogue,
opening a period, working time and the labour it makes, withdrawing needs, the
delegates' open, weighted vote on the plan with its roll call published at the close,
targets, tracing, progress and a re-plan (a job).

:data:`PLAN_STEPS_MATRIX` is these routers' part of the authorisation matrix. In the
test world (:mod:`plan_world`) Riverside's ``rv-2024`` is adopted with its targets
published, and the delegates' vote on ``rv-2026`` is open: ``delegate`` (``del_m``) is
the only delegate to Riverside, so the only one who votes in it.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.plan_world import PLAN_BALLOT, VOTING_PERIOD
from tests.integration.api.world import DAY, World

EVERYONE = frozenset({"outsider", "member", "voter", "delegate", "officer", "area_officer"})
MILL_MEMBERS = frozenset({"member", "voter", "delegate", "officer"})
PLANNERS = frozenset({"delegate", "area_officer"})  # of Riverside
MILL_PLANNERS = frozenset({"delegate", "officer"})  # hold the Mill's mandates
MANDATE_HOLDERS = frozenset({"delegate", "officer", "area_officer"})

PLAN_STEPS_MATRIX: dict[tuple[str, str], tuple[frozenset[str], Any]] = {
    ("GET", "/api/plan/catalogue"): (EVERYONE, None),
    ("POST", "/api/plan/catalogue"): (MANDATE_HOLDERS, {
        "products": [{"code": "yarn", "name": "Cotton yarn", "unit": "kg"}]}),
    ("POST", "/api/plan/periods"): (PLANNERS, {
        "council_id": "riverside", "name": "Riverside plan 2030", "starts_on": "2030-01-01",
        "ends_on": "2031-01-01", "period_id": "rv-2030"}),
    ("POST", "/api/plan/periods/{period_id}/working-time"): (MILL_PLANNERS, {
        "council_id": "mill", "hours_per_week": 32, "weeks": 46}),
    ("GET", "/api/plan/periods/{period_id}/labour"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/needs/withdrawals"): (MILL_MEMBERS, {
        "council_id": "mill"}),
    ("GET", "/api/plan/variants/{variant_id}"): (EVERYONE, None),
    ("GET", "/api/plan/variants/{variant_id}/verify"): (EVERYONE, None),
    ("GET", "/api/plan/ballots/{ballot_id}"): (EVERYONE, None),
    ("POST", "/api/plan/ballots/{ballot_id}/votes"): (frozenset({"delegate"}), {
        "choice": ["35h", "2h"]}),
    ("POST", "/api/plan/periods/{period_id}/targets"): (PLANNERS, None),
    ("GET", "/api/plan/periods/{period_id}/trace/{workplace_id}/{product}"): (EVERYONE, None),
    ("GET", "/api/plan/periods/{period_id}/progress"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/replan"): (PLANNERS, {
        "from_sub_period": "Q3", "variants": [{"key": "rest", "name": "The rest of 2024"}]}),
}
PLAN_STEPS_RULE_REFUSALS = {
    ("POST", "/api/plan/periods/{period_id}/targets"),  # published already
}
_ON_THE_ADOPTED_PERIOD = ("/targets", "/trace/", "/progress", "/replan")


def plan_step_values(path: str, fed: World) -> dict[str, str]:
    """The objects these routes act on in the test world (for the matrix's paths)."""
    out: dict[str, str] = {"product": "cloth"}
    if (path.startswith("/api/plan/periods/") and any(k in path for k in _ON_THE_ADOPTED_PERIOD)
            and not path.endswith("/targets/{workplace_id}")):  # the plan-cycle router's own
        out["period_id"] = fed.adopted_period
    if path.startswith("/api/plan/ballots/"):
        out["ballot_id"] = fed.plan_ballot
    return out


def _client(app: FastAPI, username: str) -> Client:
    c = Client(app)
    c.__enter__()
    assert c.login(username).status_code == 200
    return c


def _finished(client: Client, job_id: str) -> dict[str, Any]:
    for _ in range(600):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] != "running":
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still running")


def test_the_delegates_vote_openly_with_their_weights_and_the_winner_is_adopted(
        any_db_app: tuple[FastAPI, World], clock: Any) -> None:
    app, _fed = any_db_app
    delegate, member = _client(app, "del_m"), _client(app, "m1")
    try:
        shown = member.get(f"/api/plan/ballots/{PLAN_BALLOT}").json()
        assert shown["electorate"] == "delegates"
        assert shown["unrepresented"] == ["works"]
        (weight,) = [w for m, w in shown["weights"] if m == "del_m"]
        url = f"/api/plan/ballots/{PLAN_BALLOT}/votes"
        refused = member.post(url, json={"choice": ["2h"]})
        assert refused.status_code == 403, refused.text
        assert "delegates" in refused.json()["problems"][0]["message"]
        first = delegate.post(url, json={"choice": ["2h", "35h"]})
        assert first.status_code == 201, first.text
        assert (first.json()["weight"], first.json()["replaced"]) == (weight, False)
        again = delegate.post(url, json={"choice": ["35h", "2h"]}).json()
        assert again["replaced"] is True
        assert again["paper"] == ["35h", "2h"]
        bad = delegate.post(url, json={"choice": ["40h"]})
        assert bad.status_code == 422
        assert bad.json()["problems"]
        assert member.get(f"/api/plan/ballots/{PLAN_BALLOT}").json()["roll_call"] == []
        clock.now += 7 * DAY  # past the close (sessions lapse: sign in again)
        assert member.login("m1").status_code == 200
        assert delegate.login("del_m").status_code == 200
        closed = member.post(f"/api/ballots/{PLAN_BALLOT}/close")
        assert closed.status_code == 200, closed.text
        after = member.get(f"/api/plan/ballots/{PLAN_BALLOT}").json()
        assert after["adopted"] == "35h"
        assert [(r["member_id"], r["weight"], r["paper"]) for r in after["roll_call"]] == [
            ("del_m", weight, ["35h", "2h"])]
        published = delegate.post(f"/api/plan/periods/{VOTING_PERIOD}/targets")
        assert published.status_code == 201, published.text
        assert member.post(f"/api/plan/periods/{VOTING_PERIOD}/targets").status_code == 403
        (cloth,) = member.get(f"/api/plan/periods/{VOTING_PERIOD}/targets/mill").json()
        assert cloth["product"] == "cloth"
        assert cloth["output"] > 130
    finally:
        delegate.__exit__(None, None, None)
        member.__exit__(None, None, None)


def test_a_planner_opens_a_period_and_the_councils_working_time_makes_the_labour(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, _fed = any_db_app
    area, officer, member = _client(app, "sec_a"), _client(app, "sec_m"), _client(app, "m1")
    try:
        body = {"council_id": "riverside", "name": "Riverside plan 2031",
                "starts_on": "2031-01-01", "ends_on": "2032-01-01", "period_id": "rv-2031"}
        assert member.post("/api/plan/periods", json=body).status_code == 403
        opened = area.post("/api/plan/periods", json=body)
        assert opened.status_code == 201, opened.text
        assert [s["label"] for s in opened.json()["sub_periods"]] == ["Q1", "Q2", "Q3", "Q4"]
        assert area.post("/api/plan/periods", json=body).status_code == 409  # overlaps
        wrong = area.post("/api/plan/periods", json={**body, "ends_on": "2030-06-01"})
        assert wrong.status_code in (409, 422)
        assert wrong.json()["problems"]
        url = "/api/plan/periods/rv-2031/working-time"
        decision = {"council_id": "mill", "hours_per_week": 30, "weeks": 40}
        assert member.post(url, json=decision).status_code == 403
        assert area.post(url, json=decision).status_code == 403  # runs the Mill, plans Riverside
        assert officer.post(url, json=decision).status_code == 201
        labour = member.get("/api/plan/periods/rv-2031/labour").json()
        assert labour["undecided"] == ["works"]
        mill = len(member.get("/api/councils/mill/members").json())  # the Works undecided
        assert labour["hours_available"] == pytest.approx(mill * 30 * 40)
        too_long = officer.post(url, json={**decision, "hours_per_week": 200})
        assert too_long.status_code == 422
        assert "hours_per_week" in too_long.text
    finally:
        for c in (area, officer, member):
            c.__exit__(None, None, None)


def test_the_catalogue_is_searched_and_added_to_and_needs_are_withdrawn(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    officer, member = _client(app, "sec_m"), _client(app, "m1")
    try:
        found = member.get("/api/plan/catalogue", params={"q": "sheet"}).json()
        assert (found["total"], [p["code"] for p in found["products"]]) == (1, ["steel"])
        row = {"code": "yarn", "name": "Cotton yarn", "unit": "kg"}
        assert member.post("/api/plan/catalogue", json={"products": [row]}).status_code == 403
        added = officer.post("/api/plan/catalogue", json={"products": [row]})
        assert added.status_code == 201
        assert added.json()["added"] == 1
        clash = officer.post("/api/plan/catalogue", json={"products": [{**row, "unit": "t"}]})
        assert clash.status_code == 409
        assert "yarn" in clash.text
        assert member.get("/api/plan/catalogue", params={"q": "yar"}).json()["total"] == 1
        url = f"/api/plan/periods/{fed.plan_period}/needs/withdrawals"
        assert member.post(url, json={"council_id": "works"}).status_code == 403
        gone = member.post(url, json={"council_id": "mill"})
        assert gone.status_code == 200
        assert gone.json()["withdrawn"] == 1
        summary = member.get(f"/api/plan/periods/{fed.plan_period}/needs").json()
        assert all(n["product"] != "cloth" for n in summary)
        checked = member.get(f"/api/plan/variants/{fed.variant}/verify").json()
        assert checked["ok"] is True
        assert len(checked["sha256"]) == 64
    finally:
        officer.__exit__(None, None, None)
        member.__exit__(None, None, None)


def test_targets_are_traced_progress_is_reported_and_the_rest_is_replanned(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    planner, member = _client(app, "sec_a"), _client(app, "m1")
    try:
        base = f"/api/plan/periods/{fed.adopted_period}"
        traced = member.get(f"{base}/trace/mill/cloth").json()
        assert traced["traced"] == pytest.approx(traced["output"])
        assert {c for c, _ in traced["by_council"]} == {"mill", "works"}
        progress = member.get(f"{base}/progress").json()
        (row,) = [r for r in progress["rows"] if r["workplace"] == "mill"]
        assert progress["through"] == ["Q1"]
        assert row["actual_to_date"] == 30.0
        body = {"from_sub_period": "Q3",
                "variants": [{"key": "rest", "name": "The rest", "hours_per_week": 30}]}
        assert member.post(f"{base}/replan", json=body).status_code == 403
        started = planner.post(f"{base}/replan", json=body)
        assert started.status_code == 202, started.text
        job = _finished(planner, started.json()["job_id"])
        assert job["status"] == "finished", job
        assert job["result"]["replan"]["revision"] == 2
        assert [v["key"] for v in job["result"]["variants"]] == ["rest"]
        again = planner.post(f"{base}/replan", json=body)
        assert again.status_code == 409  # revision 2 is open, not adopted
    finally:
        planner.__exit__(None, None, None)
        member.__exit__(None, None, None)
