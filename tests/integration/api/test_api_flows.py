"""The JSON API through httpx (Starlette's TestClient): the use cases end to end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.world import DAY, PERIOD, Clock, World


def test_a_member_votes_checks_the_receipt_and_finds_it_after_the_close(
        any_db_app: tuple[FastAPI, World], clock: Clock) -> None:
    app, fed = any_db_app
    with Client(app) as member, Client(app) as officer:
        assert member.login("m2").status_code == 200
        assert officer.login("sec_m").status_code == 200
        ballot = member.get(f"/api/ballots/{fed.open_ballot}").json()
        assert ballot["status"] == "open"
        assert ballot["result"] is None
        assert ballot["options"] == ["m3", "m4", "m5"]

        r = member.post(f"/api/ballots/{fed.open_ballot}/votes", json={"choice": ["m4", "m3"]})
        assert r.status_code == 201, r.text
        first = r.json()
        # a second vote without the receipt is refused: nobody votes twice
        again = member.post(f"/api/ballots/{fed.open_ballot}/votes", json={"choice": ["m5"]})
        assert again.status_code == 409
        r = member.post(f"/api/ballots/{fed.open_ballot}/votes",
                        json={"choice": ["m4", "m5"], "previous": first["receipt_token"]})
        assert r.status_code == 201, r.text
        receipt = r.json()
        for voter in ("m3", "m5", "m6"):
            with Client(app) as c:
                c.login(voter)
                assert c.post(f"/api/ballots/{fed.open_ballot}/votes",
                              json={"choice": ["m4"]}).status_code == 201

        check = member.post(f"/api/ballots/{fed.open_ballot}/receipt-check",
                            json={"token": receipt["receipt_token"]}).json()
        assert check["found"] is True
        assert check["counted"] is False
        assert check["paper"] is None
        old = member.post(f"/api/ballots/{fed.open_ballot}/receipt-check",
                          json={"token": first["receipt_token"]}).json()
        assert old["found"] is False  # replaced, not added

        # results stay hidden until the close, and the close waits for the closing time
        assert member.get(f"/api/ballots/{fed.open_ballot}/papers").status_code == 409
        assert member.get(f"/api/ballots/{fed.open_ballot}/count").status_code == 409
        early = member.post(f"/api/ballots/{fed.open_ballot}/close")
        assert early.status_code == 409
        clock.now += 7 * DAY
        # a week on, the sessions have expired (12 hours): sign in again
        assert member.get("/api/session").status_code == 401
        member.login("m2")
        officer.login("sec_m")
        closed = member.post(f"/api/ballots/{fed.open_ballot}/close")
        assert closed.status_code == 200, closed.text
        assert closed.json()["elected"] == ["m4"]
        assert closed.json()["papers"] == 4

        count = member.get(f"/api/ballots/{fed.open_ballot}/count").json()
        assert count["matches_stored"] is True
        assert count["stages"]
        assert "votes" in count["stages"][0]
        papers = member.get(f"/api/ballots/{fed.open_ballot}/papers").json()
        assert papers["matches_sealed"] is True
        assert [receipt["code"], ["m4", "m5"]] in papers["papers"]
        assert len(papers["papers"]) == 4
        counted = member.post(f"/api/ballots/{fed.open_ballot}/receipt-check",
                              json={"token": receipt["receipt_token"]}).json()
        assert counted["counted"] is True
        assert counted["paper"] == ["m4", "m5"]

        # the elected took the seat
        mill = officer.get("/api/councils/mill").json()
        holders = {s["seat_id"]: s["holder_id"] for s in mill["seats"]}
        assert holders["mill/safety"] == "m4"
        audit = officer.get("/api/audit/verify").json()
        assert audit["ok"] is True


def test_pay_above_the_cap_is_refused_and_nobody_sets_their_own(
        client_for: Callable[[str | None], Client], fed: World) -> None:
    officer = client_for("officer")
    cap = officer.get(f"/api/mandates/{fed.delegate_mandate}/pay-cap",
                      params={"period": PERIOD}).json()
    limit = cap["cap"]
    above = officer.post(f"/api/mandates/{fed.delegate_mandate}/pay",
                         json={"period": PERIOD, "amount": str(float(limit) + 0.01)})
    assert above.status_code == 409
    body = above.json()
    assert body["status"] == 409
    assert "cap" in (body["title"] + str(body["problems"])).lower()
    ok = officer.post(f"/api/mandates/{fed.delegate_mandate}/pay",
                      json={"period": PERIOD, "amount": limit})
    assert ok.status_code == 201
    assert ok.json()["amount"] == limit
    own = client_for("delegate").post(f"/api/mandates/{fed.delegate_mandate}/pay",
                                      json={"period": PERIOD, "amount": "1.00"})
    assert own.status_code == 403
    mandates = client_for("member").get("/api/councils/mill/mandates",
                                        params={"period": PERIOD}).json()
    delegate = next(m for m in mandates if m["mandate_id"] == fed.delegate_mandate)
    assert delegate["pay"][-1]["amount"] == limit
    assert delegate["cap"]["cap"] == limit


def test_a_recall_petition_reaching_its_threshold_opens_the_ballot(
        client_for: Callable[[str | None], Client], fed: World) -> None:
    before = client_for("member").get(f"/api/petitions/{fed.petition}").json()
    assert before["status"] == "open"
    assert before["ballot_id"] is None
    signers = ["m1", "m2"][: before["required"] - before["signatures"]]
    last = None
    for who in signers:
        last = client_for(who).post(f"/api/petitions/{fed.petition}/signatures", json={})
        assert last.status_code == 200, last.text
    assert last is not None
    after = last.json()
    assert after["signatures"] == after["required"]
    assert after["ballot_id"]
    ballot = client_for("voter").get(f"/api/ballots/{after['ballot_id']}").json()
    assert ballot["purpose"] == "recall"
    assert ballot["status"] == "open"
    twice = client_for(signers[-1]).post(f"/api/petitions/{fed.petition}/signatures", json={})
    assert twice.status_code == 409


def test_councils_members_motions_and_wages(
        client_for: Callable[[str | None], Client], fed: World) -> None:
    member = client_for("member")
    ids = [c["council_id"] for c in member.get("/api/councils").json()]
    assert ids == ["mill", "riverside"]  # theirs and the one above, not the Works
    detail = member.get("/api/councils/mill", params={"period": PERIOD}).json()
    assert detail["council"]["members"] == 11
    assert {m["mandate_id"] for m in detail["mandates"]} >= {fed.delegate_mandate}
    assert member.post("/api/members/m1/wages",
                       json={"period": "2025-03", "amount": "2100.00"}).status_code == 201
    assert member.post("/api/members/m2/wages",
                       json={"period": "2025-03", "amount": "2100.00"}).status_code == 403
    motion = member.post("/api/councils/mill/motions", json={"text": "Plant trees."})
    assert motion.status_code == 201
    mid = motion.json()["motion_id"]
    ballot = member.post(f"/api/motions/{mid}/ballots", json={"days": 2})
    assert ballot.status_code == 201
    assert ballot.json()["method"] == "yes-no"
    assert client_for("voter").post(f"/api/motions/{mid}/ballots",
                                    json={"days": 2}).status_code == 403
    officer = client_for("officer")
    r = officer.post("/api/councils/mill/members", json={"member_id": "new1", "name": "New"})
    assert r.status_code == 201
    r = officer.post("/api/accounts", json={"member_id": "new1", "password": "a long password"})
    assert r.status_code == 201
    assert r.json()["username"] == "new1"
    area = client_for("area_officer")
    r = area.post("/api/councils", json={"council_id": "dock", "name": "Dock council",
                                         "kind": "workplace", "parent_id": "riverside"})
    assert r.status_code == 201
    assert officer.post("/api/councils", json={"council_id": "yard", "name": "Yard",
                                               "kind": "workplace",
                                               "parent_id": "riverside"}).status_code == 403


def test_an_election_is_opened_by_the_officers(
        client_for: Callable[[str | None], Client], clock: Clock) -> None:
    officer = client_for("officer")
    seat = officer.post("/api/councils/mill/seats", json={"seat_id": "mill/steward",
                                                          "title": "Steward"})
    assert seat.status_code == 201, seat.text
    body = {"seat_ids": ["mill/steward"], "candidates": ["m1", "m2"], "days": 3}
    assert client_for("member").post("/api/councils/mill/elections",
                                     json=body).status_code == 403
    r = officer.post("/api/councils/mill/elections", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["electorate_size"] == 11
    assert officer.post("/api/councils/riverside/elections",
                        json=body).status_code == 403  # the seat is the Mill's


def test_bad_input_is_422_with_every_problem(client_for: Callable[[str | None], Client],
                                             fed: World) -> None:
    officer = client_for("officer")
    r = officer.post(f"/api/mandates/{fed.delegate_mandate}/pay",
                     json={"period": "bad period!", "amount": "lots"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    wheres = {p["where"] for p in r.json()["problems"]}
    assert {"period", "amount"} <= wheres
    r = officer.post(f"/api/ballots/{fed.open_ballot}/votes", json={"choice": ["nobody"]})
    assert r.status_code == 422
    assert officer.get("/api/ballots/no-such-ballot").status_code == 404


@pytest.mark.parametrize("path", ["/api/councils", "/api/ballots", "/api/audit/entries",
                                  "/api/session"])
def test_signed_out_is_401(client_for: Callable[[str | None], Client], path: str) -> None:
    r = client_for(None).get(path)
    assert r.status_code == 401
    assert r.json()["title"] == "sign in first"


def test_audit_entries_checkpoints_and_the_verify_job(
        client_for: Callable[[str | None], Client]) -> None:
    c = client_for("outsider")
    page = c.get("/api/audit/entries", params={"limit": 5}).json()
    assert len(page["entries"]) == 5
    assert page["total"] > 5
    nxt = c.get("/api/audit/entries", params={"after": 5, "limit": 5}).json()
    assert nxt["entries"][0]["sequence"] == 6
    assert c.get("/api/audit/checkpoints").json()
    job = c.post("/api/audit/verify-job")
    assert job.status_code == 202
    for _ in range(200):
        state = c.get(job.headers["location"]).json()
        if state["status"] != "running":
            break
    assert state["status"] == "finished"
    assert state["result"]["ok"] is True
    assert state["percent"] == 100.0
    # a job is its owner's only
    assert client_for("member").get(job.headers["location"]).status_code == 404


def test_tick_closes_due_ballots(client_for: Callable[[str | None], Client], clock: Clock,
                                 fed: World) -> None:
    assert client_for("member").post("/api/tick").status_code == 403
    officer = client_for("officer")
    clock.now += timedelta(days=7)
    officer.login("sec_m")
    done = officer.post("/api/tick").json()
    assert fed.open_ballot in done["closed_ballots"]
