"""The plan-cycle API through HTTP, on SQLite and PostgreSQL: a member registers needs for
their own council only; a planner computes variants (a job) and reads their labour values;
who is outside the federation is refused.

:data:`PLAN_MATRIX` is this router's part of the authorisation matrix: in the test world
Riverside owns period ``rv-2025``; ``delegate`` (the Mill's delegate to Riverside) and
``area_officer`` (Riverside's secretary) are its planners; every role signed in is in
Riverside's federation.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.world import World

EVERYONE = frozenset({"outsider", "member", "voter", "delegate", "officer", "area_officer"})
MILL_MEMBERS = frozenset({"member", "voter", "delegate", "officer"})
PLANNERS = frozenset({"delegate", "area_officer"})

PLAN_MATRIX: dict[tuple[str, str], tuple[frozenset[str], Any]] = {
    ("GET", "/api/plan/periods"): (EVERYONE, None),
    ("GET", "/api/plan/periods/{period_id}"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/needs"): (MILL_MEMBERS, {
        "council_id": "mill", "needs": [{"product": "cloth", "quantity": 5}]}),
    ("GET", "/api/plan/periods/{period_id}/needs"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/techniques"): (MILL_MEMBERS, {
        "workplace_id": "mill", "techniques": [{"product": "cloth", "labour": 1.5}]}),
    ("GET", "/api/plan/periods/{period_id}/techniques"): (EVERYONE, None),
    ("GET", "/api/plan/periods/{period_id}/variants"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/variants"): (PLANNERS, {
        "variants": [{"key": "short", "name": "A short week", "hours_per_week": 20}]}),
    ("GET", "/api/plan/variants/{variant_id}/labour-values"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/ballot"): (PLANNERS, {"days": 3}),
    ("GET", "/api/plan/periods/{period_id}/targets/{workplace_id}"): (EVERYONE, None),
    ("POST", "/api/plan/periods/{period_id}/reports"): (MILL_MEMBERS, {
        "workplace_id": "mill",
        "reports": [{"sub_period": "Q1", "product": "cloth", "output": 10, "hours": 20}]}),
}
PLAN_RULE_REFUSALS = {
    ("GET", "/api/plan/periods/{period_id}/targets/{workplace_id}"),  # no variant adopted
    ("POST", "/api/plan/periods/{period_id}/reports"),  # no targets published yet
}


def _client(app: FastAPI, username: str) -> Client:
    c = Client(app)
    c.__enter__()
    assert c.login(username).status_code == 200
    return c


def test_a_member_registers_needs_for_their_own_council_only(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    member = _client(app, "m1")  # of the Mill
    try:
        url = f"/api/plan/periods/{fed.plan_period}/needs"
        row = {"product": "cloth", "quantity": 40, "tier": 2, "reason": "aprons"}
        r = member.post(url, json={"council_id": "mill", "needs": [row]})
        assert r.status_code == 201, r.text
        assert (r.json()["needs"], r.json()["councils"]) == (1, 1)
        refused = member.post(url, json={"council_id": "works", "needs": [row]})
        assert refused.status_code == 403
        assert "only the members of council works" in refused.json()["problems"][0]["message"]
        # the aggregate shows where the needs came from
        summary = member.get(url).json()
        cloth = {(n["product"], n["tier"]): n for n in summary}
        assert cloth[("cloth", 2)]["origins"] == [["mill", 40.0]]
        assert cloth[("cloth", 1)]["quantity"] == 100.0
        # a product outside the catalogue: 422 with the problem, never a 500
        bad = member.post(url, json={"council_id": "mill",
                                     "needs": [{"product": "gold", "quantity": 1}]})
        assert bad.status_code == 422
        assert bad.json()["problems"]
    finally:
        member.__exit__(None, None, None)


def test_a_planner_computes_variants_and_reads_their_labour_values(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    planner, member = _client(app, "del_m"), _client(app, "m1")
    try:
        url = f"/api/plan/periods/{fed.plan_period}/variants"
        body = {"variants": [{"key": "short", "name": "A 20-hour week", "hours_per_week": 20}]}
        assert member.post(url, json=body).status_code == 403  # not a planner
        r = planner.post(url, json=body)
        assert r.status_code == 202, r.text
        job_id = r.json()["job_id"]
        for _ in range(300):
            job = planner.get(f"/api/jobs/{job_id}").json()
            if job["status"] != "running":
                break
            time.sleep(0.05)
        assert job["status"] == "finished", job
        (made,) = job["result"]
        assert made["key"] == "short"
        listed = {v["key"]: v for v in member.get(url).json()}  # everyone reads them
        assert set(listed) == {"35h", "short"}
        assert listed["short"]["statement"][0].startswith("Every need is met")
        lv = f"/api/plan/variants/{made['variant_id']}/labour-values"
        values = member.get(lv).json()
        assert [p["product"] for p in values["products"]] == ["cloth", "steel"]
        assert all(p["labour_value"] > 0 for p in values["products"])
        by_code = member.get(lv, params={"q": "cloth"}).json()["products"]
        assert [(p["product"], p["name"]) for p in by_code] == [("cloth", "Woven cloth")]
        by_name = member.get(lv, params={"q": "sheet"}).json()["products"]
        assert [p["product"] for p in by_name] == ["steel"]
    finally:
        planner.__exit__(None, None, None)
        member.__exit__(None, None, None)


def test_outside_the_federation_is_refused(any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    leaver = _client(app, "m8")
    try:  # m8 leaves the Mill, their only council: now outside Riverside's federation
        assert leaver.delete("/api/councils/mill/members/m8").status_code == 200
        assert leaver.get("/api/plan/periods").json() == []
        for path in (f"/api/plan/periods/{fed.plan_period}",
                     f"/api/plan/periods/{fed.plan_period}/variants",
                     f"/api/plan/periods/{fed.plan_period}/needs",
                     f"/api/plan/variants/{fed.variant}/labour-values",
                     f"/api/plan/periods/{fed.plan_period}/targets/mill"):
            r = leaver.get(path)
            assert r.status_code == 403, (path, r.text)
            assert "federation" in r.json()["problems"][0]["message"]
        r = leaver.post(f"/api/plan/periods/{fed.plan_period}/needs",
                        json={"council_id": "mill", "needs": [{"product": "cloth",
                                                               "quantity": 1}]})
        assert r.status_code == 403
    finally:
        leaver.__exit__(None, None, None)
