"""Eligibility and integrity of a submission over HTTP: the device's own receipt token
(a lost answer is found and not doubled), replays and papers altered in transit
refused, a strike ballot open to the strikers only, nothing accepted after the close."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import create_engine, text

from tests.integration.api.conftest import Client
from tests.integration.api.world import DAY, Clock, World


def _marks_and_papers(url: str, ballot: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        marks = conn.execute(text("SELECT count(*) FROM marked_register WHERE ballot_id = :b"),
                             {"b": ballot}).scalar_one()
        papers = conn.execute(text("SELECT count(*) FROM ballot_box WHERE ballot_id = :b"),
                              {"b": ballot}).scalar_one()
    engine.dispose()
    return marks, papers


def test_a_vote_sent_again_with_the_devices_token_is_found_and_not_doubled(
        client_for: Callable[[str | None], Client], fed: World,
        db_file: tuple[str, World]) -> None:
    voter = client_for("voter")
    token = secrets.token_bytes(32).hex()  # drawn by the device before it submits
    votes = f"/api/ballots/{fed.open_ballot}/votes"
    first = voter.post(votes, json={"choice": ["m4", "m3"], "token": token})
    assert first.status_code == 201, first.text
    assert first.json()["receipt_token"] == token
    # the answer was lost: the device asks, then sends the same vote again
    check = voter.post(f"/api/ballots/{fed.open_ballot}/receipt-check", json={"token": token})
    assert (check.json()["found"], check.json()["counted"]) == (True, False)
    for _ in range(3):
        again = voter.post(votes, json={"choice": ["m4", "m3"], "token": token})
        assert again.status_code == 201
        assert again.json() == first.json()
    assert _marks_and_papers(db_file[0], fed.open_ballot) == (1, 1)


def test_replayed_and_altered_submissions_are_refused(
        client_for: Callable[[str | None], Client], fed: World,
        db_file: tuple[str, World]) -> None:
    voter = client_for("voter")
    votes = f"/api/ballots/{fed.open_ballot}/votes"
    t1, t2, t3 = (secrets.token_bytes(32).hex() for _ in range(3))
    assert voter.post(votes, json={"choice": ["m3"], "token": t1}).status_code == 201
    # the same token with another paper: altered in transit, refused naming the token
    altered = voter.post(votes, json={"choice": ["m5"], "token": t1})
    assert altered.status_code == 422
    assert altered.json()["problems"][0]["where"] == "token"
    assert voter.post(votes, json={"choice": ["m5"], "token": t2,
                                   "previous": t1}).status_code == 201
    # the first vote replayed, as a first vote or as the receipt to replace
    assert voter.post(votes, json={"choice": ["m3"], "token": t1}).status_code == 409
    assert voter.post(votes, json={"choice": ["m4"], "token": t3,
                                   "previous": t1}).status_code == 409
    # a token too short to be a secret, and a re-vote reusing its own receipt's token
    assert voter.post(votes, json={"choice": ["m4"], "token": "ab" * 8 + "a"}).status_code == 422
    assert voter.post(votes, json={"choice": ["m4"], "token": t2,
                                   "previous": t2}).status_code == 422
    # somebody else who learnt a token cannot vote with it
    other = client_for("member")
    assert other.post(votes, json={"choice": ["m4"], "token": t2}).status_code == 422
    assert _marks_and_papers(db_file[0], fed.open_ballot) == (1, 1)


def test_only_strikers_vote_on_a_strike_ballot(
        client_for: Callable[[str | None], Client], fed: World,
        db_file: tuple[str, World]) -> None:
    votes = f"/api/ballots/{fed.strike_ballot}/votes"
    # members of the Mill who are not on the roster, whatever office they hold
    for role in ("voter", "delegate", "area_officer", "outsider"):
        c = client_for(role)
        r = c.post(votes, json={"choice": "yes", "token": secrets.token_bytes(32).hex()})
        assert r.status_code in (403, 409), (role, r.status_code, r.text)
    striker = client_for("member")  # m1 is on strike
    assert striker.post(votes, json={"choice": "yes"}).status_code == 201
    assert _marks_and_papers(db_file[0], fed.strike_ballot) == (1, 1)


def test_nothing_is_accepted_after_the_close(
        client_for: Callable[[str | None], Client], fed: World, clock: Clock,
        db_file: tuple[str, World]) -> None:
    voter = client_for("voter")
    votes = f"/api/ballots/{fed.open_ballot}/votes"
    token = secrets.token_bytes(32).hex()
    assert voter.post(votes, json={"choice": ["m4"], "token": token}).status_code == 201
    clock.now += 7 * DAY
    assert voter.login("m2").status_code == 200  # a day's session has ended meanwhile
    assert voter.post(f"/api/ballots/{fed.open_ballot}/close").status_code == 200
    for body in ({"choice": ["m4"], "token": token},  # sent again after the close
                 {"choice": ["m5"], "token": secrets.token_bytes(32).hex(), "previous": token},
                 {"choice": ["m3"]}):
        r = voter.post(votes, json=body)
        assert r.status_code == 409, r.text
    late = client_for("member")
    assert late.post(votes, json={"choice": ["m3"]}).status_code == 409
    check = voter.post(f"/api/ballots/{fed.open_ballot}/receipt-check", json={"token": token})
    assert (check.json()["counted"], check.json()["paper"]) == (True, ["m4"])
    assert _marks_and_papers(db_file[0], fed.open_ballot) == (1, 1)
