"""The disputes API through HTTP, on SQLite and PostgreSQL: the offers' text is for the
strikers, the committee records offers, settling needs a ballot that accepted the offer,
and who stands outside the dispute's councils is refused.

:data:`DISPUTE_MATRIX` is this router's part of the authorisation matrix
(``test_authorisation_matrix``): in the test world m1 (``member``) and sec_m
(``officer``) are on strike in the Mill's dispute, and sec_m chairs its committee.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.world import World

READERS = frozenset({"member", "voter", "delegate", "officer", "area_officer"})
STRIKERS = frozenset({"member", "officer"})
COMMITTEE = frozenset({"officer"})
SIGNED_IN = READERS | {"outsider"}
RUN_MILL = frozenset({"officer", "area_officer"})

DISPUTE_MATRIX: dict[tuple[str, str], tuple[frozenset[str], Any]] = {
    ("GET", "/api/disputes"): (SIGNED_IN, None),
    ("POST", "/api/disputes"): (RUN_MILL, {
        "dispute_id": "d-new", "council_ids": ["mill"], "employer": "Acme Ltd",
        "demands": ["a 35-hour week"], "jurisdiction": "GB", "sector": "manufacturing"}),
    ("GET", "/api/disputes/{dispute_id}"): (READERS, None),
    ("GET", "/api/disputes/{dispute_id}/roster"): (READERS, None),
    ("POST", "/api/disputes/{dispute_id}/roster"): (COMMITTEE, {"kind": "joined",
                                                                "member_ids": ["m3"]}),
    ("GET", "/api/disputes/{dispute_id}/offers"): (READERS, None),
    ("POST", "/api/disputes/{dispute_id}/offers"): (COMMITTEE, {"summary": "3%",
                                                                "text": "3% from April."}),
    ("GET", "/api/offers/{offer_id}"): (STRIKERS, None),
    ("GET", "/api/disputes/{dispute_id}/ballots"): (READERS, None),
    ("POST", "/api/disputes/{dispute_id}/ballots"): (COMMITTEE, {"kind": "offer",
                                                                 "offer_id": "of-mill-1"}),
    ("GET", "/api/strike-ballots/{ballot_id}/notice"): (READERS, None),
    ("GET", "/api/disputes/{dispute_id}/fund"): (STRIKERS, None),
    ("POST", "/api/disputes/{dispute_id}/calls"): (COMMITTEE, {"form": "strike"}),
    ("POST", "/api/disputes/{dispute_id}/settlement"): (COMMITTEE, {"offer_id": "of-mill-1"}),
}
DISPUTE_RULE_REFUSALS = {
    ("GET", "/api/strike-ballots/{ballot_id}/notice"),  # the ballot is still open
    ("POST", "/api/disputes/{dispute_id}/calls"),  # no strikers' mandate in force yet
    ("POST", "/api/disputes/{dispute_id}/settlement"),  # no ballot accepted the offer
}


def _client(app: FastAPI, username: str) -> Client:
    c = Client(app)
    c.__enter__()
    assert c.login(username).status_code == 200
    return c


def test_offers_are_for_strikers_and_the_committee_records_them(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    striker, chair, non_striker = (_client(app, u) for u in ("m1", "sec_m", "del_m"))
    try:
        # a member of the Mill not on strike: refused the text, sees the summary only
        r = non_striker.get(f"/api/offers/{fed.offer}")
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "strikers" in r.json()["problems"][0]["message"]
        listed = non_striker.get(f"/api/disputes/{fed.dispute}/offers").json()
        assert [(o["summary"], o["text"]) for o in listed] == [("2% + 1%", "")]
        assert non_striker.get(f"/api/disputes/{fed.dispute}/fund").status_code == 403
        # nor may they record an offer: only the committee does
        body = {"summary": "3%", "text": "3% from April, no redundancies."}
        r = non_striker.post(f"/api/disputes/{fed.dispute}/offers", json=body)
        assert r.status_code == 403
        assert striker.post(f"/api/disputes/{fed.dispute}/offers", json=body).status_code == 403
        # the committee's chair records it; a striker reads it in full
        r = chair.post(f"/api/disputes/{fed.dispute}/offers", json=body)
        assert r.status_code == 201, r.text
        made = r.json()
        assert (made["recorded_by"], made["published_to"]) == ("sec_m", 2)
        full = striker.get(f"/api/offers/{made['offer_id']}")
        assert full.status_code == 200
        assert full.json()["text"] == "3% from April, no redundancies."
        texts = [o["text"] for o in striker.get(f"/api/disputes/{fed.dispute}/offers").json()]
        assert "3% from April, no redundancies." in texts
        assert striker.get(f"/api/disputes/{fed.dispute}/fund").status_code == 200
    finally:
        for c in (striker, chair, non_striker):
            c.__exit__(None, None, None)


def test_settling_without_an_accepting_ballot_is_refused_with_the_reason(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    chair = _client(app, "sec_m")
    try:
        r = chair.post(f"/api/disputes/{fed.dispute}/settlement", json={"offer_id": fed.offer})
        assert r.status_code == 409
        problem = r.json()
        assert "cannot be settled" in problem["title"]
        assert any("no strikers' ballot on it has been held" in p["message"]
                   and p["where"] == fed.offer for p in problem["problems"])
        # the dispute stays open
        assert chair.get(f"/api/disputes/{fed.dispute}").json()["status"] == "open"
    finally:
        chair.__exit__(None, None, None)


def test_outside_the_disputes_councils_is_refused(any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    outsider = _client(app, "w1")  # a member of the Works, not of the Mill
    try:
        assert outsider.get("/api/disputes").json() == []
        for path in (f"/api/disputes/{fed.dispute}", f"/api/disputes/{fed.dispute}/roster",
                     f"/api/disputes/{fed.dispute}/offers", f"/api/offers/{fed.offer}",
                     f"/api/strike-ballots/{fed.strike_ballot}/notice"):
            r = outsider.get(path)
            assert r.status_code == 403, (path, r.text)
            assert r.json()["problems"]
        assert outsider.get("/api/disputes/no-such-dispute").status_code == 404
    finally:
        outsider.__exit__(None, None, None)


def test_a_committee_mandate_alone_does_not_run_the_council(app: FastAPI) -> None:
    """A strike committee seat is filed under the dispute's first council, but it is
    held from the strikers: it gives no office in that council."""
    from councilplan import services
    from councilplan.store import UnitOfWork
    from tests.integration.api.world import DAY, NOW

    uow = UnitOfWork(app.state.councilplan.engine)
    services.define_committee_seat(uow, "d-mill", "d-mill/minutes", "Minutes secretary",
                                   NOW - 2 * DAY, term_length=90 * DAY, election_lead=14 * DAY)
    services.open_committee_election(uow, "d-mill", ["d-mill/minutes"], ["m1"], NOW - 2 * DAY,
                                     NOW - DAY, ballot_id="ce-minutes")
    services.cast_vote(uow, "ce-minutes", "m1", ["m1"], NOW - 2 * DAY)
    services.close_ballot(uow, "ce-minutes", NOW - DAY)
    with Client(app) as m1:
        assert m1.login("m1").status_code == 200
        assert m1.post("/api/councils/mill/members", json={"member_id": "n9"}).status_code == 403
