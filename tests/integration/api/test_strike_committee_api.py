"""The strike committee, the strikers' mandates, the rule sets and the strike fund through
HTTP, on SQLite and PostgreSQL: the committee elected by the strikers runs the fund and
its own elections, only strikers vote in them, and the rule book is public.

:data:`STRIKE_MATRIX` is these routers' part of the authorisation matrix
(``test_authorisation_matrix``); in the test world m1 (``member``) and sec_m
(``officer``) are on strike in the Mill's dispute and sec_m chairs its committee.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.world import DAY, Clock, World

READERS = frozenset({"member", "voter", "delegate", "officer", "area_officer"})
STRIKERS = frozenset({"member", "officer"})
COMMITTEE = frozenset({"officer"})
SIGNED_IN = READERS | {"outsider"}
ONLY_M1 = frozenset({"member"})

STRIKE_MATRIX: dict[tuple[str, str], tuple[frozenset[str], Any]] = {
    ("GET", "/api/disputes/{dispute_id}/committee"): (READERS, None),
    ("POST", "/api/disputes/{dispute_id}/committee/seats"): (COMMITTEE, {
        "seat_id": "d-mill/treasurer", "title": "Strike fund treasurer"}),
    ("POST", "/api/disputes/{dispute_id}/committee/elections"): (COMMITTEE, {
        "seat_ids": ["d-mill/chair"], "candidates": ["m1"]}),
    ("GET", "/api/disputes/{dispute_id}/mandates"): (READERS, None),
    ("POST", "/api/strike-ballots/{ballot_id}/mandate/extension"): (COMMITTEE, None),
    ("GET", "/api/disputes/{dispute_id}/calls"): (READERS, None),
    ("GET", "/api/disputes/{dispute_id}/rules"): (READERS, None),
    ("GET", "/api/rule-sets"): (SIGNED_IN, None),
    ("GET", "/api/members/{member_id}/offers"): (ONLY_M1, None),
    ("GET", "/api/disputes/{dispute_id}/fund/contributions"): (STRIKERS, None),
    ("POST", "/api/disputes/{dispute_id}/fund/contributions"): (COMMITTEE, {
        "amount": "250.00", "source": "branch levy"}),
    ("GET", "/api/disputes/{dispute_id}/fund/payments"): (STRIKERS, None),
    ("POST", "/api/disputes/{dispute_id}/fund/payments"): (COMMITTEE, {
        "member_id": "m1", "period": "2025-W05", "amount": "10.00"}),
    ("POST", "/api/disputes/{dispute_id}/fund/pay-runs"): (COMMITTEE, {
        "period": "2025-W05", "amount": "10.00"}),
}
STRIKE_RULE_REFUSALS = {
    ("POST", "/api/disputes/{dispute_id}/committee/elections"),  # the chair's term runs
    ("POST", "/api/strike-ballots/{ballot_id}/mandate/extension"),  # the ballot is open
    ("POST", "/api/disputes/{dispute_id}/fund/payments"),  # the fund is empty
    ("POST", "/api/disputes/{dispute_id}/fund/pay-runs"),  # the fund is empty
}


@contextmanager
def _clients(app: FastAPI, *usernames: str) -> Iterator[list[Client]]:
    made = []
    try:
        for u in usernames:
            c = Client(app)
            c.__enter__()
            made.append(c)
            assert c.login(u).status_code == 200
        yield made
    finally:
        for c in made:
            c.__exit__(None, None, None)


def test_the_committee_runs_the_fund_and_strikers_read_it(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    base = f"/api/disputes/{fed.dispute}/fund"
    with _clients(app, "sec_m", "m1", "del_m", "sec_a") as (chair, striker, member, area):
        gift = {"amount": "500.00", "source": "Dock branch donation"}
        # the Riverside secretary runs the Mill, but not its strike: refused
        for c in (striker, member, area):
            assert c.post(f"{base}/contributions", json=gift).status_code == 403
        r = chair.post(f"{base}/contributions", json=gift)
        assert r.status_code == 201, r.text
        assert (r.json()["amount"], r.json()["source"]) == ("500.00", "Dock branch donation")
        # strike pay: to a striker, then the rest of the period's strikers in one run
        r = chair.post(f"{base}/payments", json={"member_id": "m1", "period": "2025-W05",
                                                 "amount": "100.00"})
        assert r.status_code == 201, r.text
        again = chair.post(f"{base}/payments", json={"member_id": "m1", "period": "2025-W05",
                                                     "amount": "100.00"})
        assert again.status_code == 409  # never twice for one period
        r = chair.post(f"{base}/pay-runs", json={"period": "2025-W05", "amount": "100.00"})
        assert r.status_code == 201, r.text
        assert (r.json()["paid"], r.json()["skipped"], r.json()["total"]) == (
            ["sec_m"], ["m1"], "100.00")
        # a non-striker is no payee; beyond the balance is refused, nothing half-paid
        r = chair.post(f"{base}/payments", json={"member_id": "del_m", "period": "2025-W05",
                                                 "amount": "1.00"})
        assert r.status_code == 409, r.text
        r = chair.post(f"{base}/pay-runs", json={"period": "2025-W06", "amount": "200.00"})
        assert r.status_code == 409, r.text
        bad = chair.post(f"{base}/payments", json={"member_id": "m1", "period": "2025-W05",
                                                   "amount": "1.005"})
        assert bad.status_code == 422
        assert any("amount" in p["where"] for p in bad.json()["problems"])
        # the strikers read the fund; a member not on strike does not
        fund = striker.get(base).json()
        assert (fund["contributed"], fund["paid"], fund["balance"]) == (
            "500.00", "200.00", "300.00")
        assert [c["amount"] for c in striker.get(f"{base}/contributions").json()] == ["500.00"]
        paid = striker.get(f"{base}/payments").json()
        assert sorted((p["member_id"], p["period"], p["amount"]) for p in paid) == [
            ("m1", "2025-W05", "100.00"), ("sec_m", "2025-W05", "100.00")]
        assert len(striker.get(f"{base}/payments", params={"member_id": "m1"}).json()) == 1
        for path in (f"{base}/contributions", f"{base}/payments"):
            assert member.get(path).status_code == 403


def test_only_strikers_elect_the_committee(any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    base = f"/api/disputes/{fed.dispute}/committee"
    with _clients(app, "sec_m", "m1", "del_m") as (chair, striker, member):
        seat = {"seat_id": "d-mill/treasurer", "title": "Strike fund treasurer"}
        assert striker.post(f"{base}/seats", json=seat).status_code == 403
        r = chair.post(f"{base}/seats", json=seat)
        assert r.status_code == 201, r.text
        assert r.json()["term_length"] == 90 * 86400
        election = {"seat_ids": ["d-mill/treasurer"], "candidates": ["m1"], "days": 3}
        assert member.post(f"{base}/elections", json=election).status_code == 403
        r = chair.post(f"{base}/elections", json=election)
        assert r.status_code == 201, r.text
        ballot = r.json()
        assert ballot["electorate_size"] == 2  # the strikers, frozen at opening
        vote = {"choice": ["m1"]}
        assert member.post(f"/api/ballots/{ballot['ballot_id']}/votes",
                           json=vote).status_code == 403
        assert striker.post(f"/api/ballots/{ballot['ballot_id']}/votes",
                            json=vote).status_code == 201
        # a seat of another council is no committee seat
        r = chair.post(f"{base}/elections", json={"seat_ids": ["mill/treasurer"],
                                                  "candidates": ["m1"]})
        assert r.status_code == 409
        assert r.json()["problems"][0]["where"] == "mill/treasurer"
        seats = member.get(base).json()
        assert [(s["seat_id"], s["holder_id"]) for s in seats] == [
            ("d-mill/chair", "sec_m"), ("d-mill/treasurer", None)]


def test_the_strikers_set_up_their_first_committee(any_db_app: tuple[FastAPI, World]) -> None:
    app, _ = any_db_app
    with _clients(app, "sec_m", "m3", "m4") as (officer, striker, member):
        r = officer.post("/api/disputes", json={
            "dispute_id": "d-canteen", "council_ids": ["mill"], "employer": "Acme Catering",
            "demands": ["a canteen"], "jurisdiction": "GB", "sector": "manufacturing"})
        assert r.status_code == 201, r.text
        r = officer.post("/api/disputes/d-canteen/roster",
                         json={"kind": "joined", "member_ids": ["m3", "m5"]})
        assert r.status_code == 200, r.text
        seat = {"seat_id": "d-canteen/chair", "title": "Chair"}
        assert member.post("/api/disputes/d-canteen/committee/seats", json=seat
                           ).status_code == 403
        r = striker.post("/api/disputes/d-canteen/committee/seats", json=seat)
        assert r.status_code == 201, r.text


def test_mandates_the_notice_and_the_extension(any_db_app: tuple[FastAPI, World],
                                               clock: Clock) -> None:
    app, fed = any_db_app
    with _clients(app, "sec_m", "m1") as voters:
        for c in voters:
            assert c.post(f"/api/ballots/{fed.strike_ballot}/votes",
                          json={"choice": "yes"}).status_code == 201
    clock.now += 7 * DAY  # the ballot's closing time (sessions last hours: sign in again)
    with _clients(app, "sec_m", "m1", "del_m") as (chair, striker, member):
        assert member.post(f"/api/ballots/{fed.strike_ballot}/close").status_code == 200
        notice = member.get(f"/api/strike-ballots/{fed.strike_ballot}/notice").json()["notice"]
        assert (notice["entitled"], notice["cast"], notice["yes"]) == (2, 2, 2)
        assert [(c["name"], c["met"]) for c in notice["checks"]] == [
            ("turnout", True), ("majority", True)]
        (mandate,) = member.get(f"/api/disputes/{fed.dispute}/mandates").json()
        assert (mandate["form"], mandate["status"], mandate["extended_at"]) == (
            "strike", "in_force", None)
        assert mandate["last_day"] == notice["mandate_last_day"]
        path = f"/api/strike-ballots/{fed.strike_ballot}/mandate/extension"
        assert striker.post(path).status_code == 403
        r = chair.post(path)
        assert r.status_code == 200, r.text
        assert r.json()["extended_at"] is not None
        assert r.json()["expires_at"] > mandate["expires_at"]
        assert chair.post(path).status_code == 409  # once
        r = chair.post(f"/api/disputes/{fed.dispute}/calls",
                       json={"form": "strike", "starts_in_days": 14, "days": 2})
        assert r.status_code == 201, r.text
        assert [c["form"] for c in member.get(f"/api/disputes/{fed.dispute}/calls").json()] == [
            "strike"]


def test_rule_sets_and_the_offers_published_to_me(any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    with _clients(app, "m1", "w1") as (striker, outsider):
        (found,) = outsider.get("/api/rule-sets", params={
            "jurisdiction": "GB", "sector": "health", "on": "2025-03-01"}).json()
        assert found["key"] == "gb-tua-2016-ips@v1"
        assert "40.0% of those entitled" in found["action_rule"]
        keys = [r["key"] for r in outsider.get("/api/rule-sets",
                                               params={"jurisdiction": "GB"}).json()]
        assert keys == ["gb-tulrca-1992@v1", "gb-tua-2016@v1", "gb-tua-2016-ips@v1"]
        r = outsider.get("/api/rule-sets", params={"jurisdiction": "XX", "sector": "health",
                                                    "on": "2025-03-01"})
        assert r.status_code == 404
        assert outsider.get("/api/rule-sets", params={"on": "not a day"}).status_code == 422
        # a bare number is no day (pydantic alone read 0 as 1970-01-01: schemathesis)
        assert outsider.get("/api/rule-sets", params={"on": "0"}).status_code == 422
        r = outsider.get("/api/rule-sets", params={"on": "2026-02-30"})
        assert r.status_code == 422
        assert [p["where"] for p in r.json()["problems"]] == ["on"]
        assert striker.get(f"/api/disputes/{fed.dispute}/rules").json()["key"] == "gb-tua-2016@v1"
        assert outsider.get(f"/api/disputes/{fed.dispute}/rules").status_code == 403
        mine = striker.get("/api/members/m1/offers").json()
        assert [(o["offer_id"], o["text"]) for o in mine] == [
            (fed.offer, "Full text: 2% now, 1% next year.")]
        assert striker.get("/api/members/sec_m/offers").status_code == 403


def test_the_committee_not_the_council_sets_a_committee_mandates_pay(
        any_db_app: tuple[FastAPI, World]) -> None:
    """A committee seat is held from the strikers: its pay is set by the committee (never
    by the holder), capped by the strikers' average, and not by the officers of the
    council the seat is filed under."""
    from datetime import timedelta

    from councilplan import services
    from councilplan.store import UnitOfWork
    from tests.integration.api.world import NOW, PERIOD, T0

    app, fed = any_db_app
    uow = UnitOfWork(app.state.councilplan.engine)
    services.define_committee_seat(uow, fed.dispute, "d-mill/treasurer", "Treasurer",
                                   T0 + 14 * DAY, term_length=timedelta(days=90),
                                   election_lead=timedelta(days=14))
    services.open_committee_election(uow, fed.dispute, ["d-mill/treasurer"], ["m1"],
                                     T0 + 15 * DAY, T0 + 17 * DAY, ballot_id="ce-treasurer")
    for voter in ("m1", "sec_m"):
        services.cast_vote(uow, "ce-treasurer", voter, ["m1"], T0 + 16 * DAY)
    services.close_ballot(uow, "ce-treasurer", T0 + 17 * DAY)
    chair = next(m.mandate_id for m in services.list_mandates(uow, "mill", NOW)
                 if m.seat_id == "d-mill/chair")
    path = f"/api/mandates/{chair}/pay"
    with _clients(app, "m1", "del_m", "sec_a", "sec_m") as (treasurer, member, area, holder):
        for outsider in (member, area):  # a Mill member and Riverside's secretary
            r = outsider.post(path, json={"period": PERIOD, "amount": "100.00"})
            assert r.status_code == 403, r.text
            assert "strike committee" in r.text
        r = holder.post(path, json={"period": PERIOD, "amount": "100.00"})
        assert r.status_code == 403  # the chair, also the Mill's secretary: not their own
        # the cap: the strikers' average without the holder, i.e. m1's reported 2,000.00
        r = treasurer.post(path, json={"period": PERIOD, "amount": "2000.01"})
        assert r.status_code == 409, r.text
        r = treasurer.post(path, json={"period": PERIOD, "amount": "2000.00"})
        assert r.status_code == 201, r.text
        assert r.json()["amount"] == "2000.00"
