"""The dispute pages through HTTP, on SQLite and PostgreSQL: who sees what, the strike
paper cast through the ballot page's flow, and the committee's forms (CSRF, refusals
shown beside the form, nothing half-written)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from councilplan import services
from councilplan.store import UnitOfWork
from tests.integration.api.conftest import Client
from tests.integration.api.world import DAY, NOW, Clock, World

OFFER_TEXT = "Full text: 2% now, 1% next year."


def _without_token(c: Client, url: str, data: dict[str, str]) -> int:
    """POST a form the way a forged one arrives: no CSRF token in it nor in a header."""
    token = c.headers.pop("X-CSRF-Token")
    try:
        return int(c.post(url, data=data).status_code)
    finally:
        c.headers["X-CSRF-Token"] = token


@contextmanager
def _signed_in(app: FastAPI, username: str) -> Iterator[Client]:
    with Client(app) as c:
        assert c.login(username).status_code == 200
        yield c


def test_who_sees_what_on_the_dispute_pages(any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    page = f"/disputes/{fed.dispute}"
    with _signed_in(app, "m1") as striker:
        r = striker.get("/disputes")
        assert r.status_code == 200
        assert "Acme Ltd" in r.text
        assert "you are on strike" in r.text
        r = striker.get(page)
        assert r.status_code == 200
        assert OFFER_TEXT in r.text
        assert 'id="fund"' in r.text
        assert "Cast my vote" in r.text
        assert 'id="committee-actions"' not in r.text
    with _signed_in(app, "del_m") as member:
        r = member.get(page)
        assert r.status_code == 200
        assert OFFER_TEXT not in r.text
        assert "2% + 1%" in r.text
        assert 'id="fund"' not in r.text
        assert "Cast my vote" not in r.text
        assert "Only the strikers on the roster" in r.text
    with _signed_in(app, "sec_m") as chair:
        assert 'id="committee-actions"' in chair.get(page).text
    with _signed_in(app, "w1") as outsider:
        assert "Acme Ltd" not in outsider.get("/disputes").text
        r = outsider.get(page)
        assert r.status_code == 403
        assert OFFER_TEXT not in r.text


def test_a_striker_casts_a_strike_paper_and_a_non_striker_is_refused(
        any_db_app: tuple[FastAPI, World]) -> None:
    app, fed = any_db_app
    vote = f"/ballots/{fed.strike_ballot}/vote"
    with _signed_in(app, "del_m") as member:
        r = member.post(vote, data={"choice": "yes", "csrf_token": member.csrf})
        assert r.status_code == 403
        assert "electorate" in r.text
    with _signed_in(app, "m1") as striker:
        assert _without_token(striker, vote, {"choice": "yes"}) == 403
        r = striker.post(vote, data={"choice": "maybe", "csrf_token": striker.csrf})
        assert r.status_code == 422
        assert "yes, no or spoilt" in r.text
        r = striker.post(vote, data={"choice": "yes", "csrf_token": striker.csrf})
        assert r.status_code == 201
        assert "Your vote is cast" in r.text
        ballot = striker.get(f"/ballots/{fed.strike_ballot}")
        assert 'name="choice" value="yes"' in ballot.text  # a yes/no paper, not a ranking
    uow = UnitOfWork(app.state.councilplan.engine)
    with uow.reading():  # one paper in the box, m1 marked as having voted, del_m not
        assert uow.box.count(fed.strike_ballot) == 1
        assert uow.register.voters(fed.strike_ballot) == ["m1"]


def test_the_committees_forms(any_db_app: tuple[FastAPI, World], clock: Clock) -> None:
    app, fed = any_db_app
    base = f"/disputes/{fed.dispute}"
    uow = UnitOfWork(app.state.councilplan.engine)
    offer = {"summary": "3%", "text": "3% from April."}
    with _signed_in(app, "m1") as striker:  # on strike, not on the committee
        r = striker.post(f"{base}/offers", data={**offer, "csrf_token": striker.csrf})
        assert r.status_code == 403  # the error page saying who may (pages/_forms.refused)
        assert "strike committee" in r.text
    with _signed_in(app, "sec_a") as area:  # runs the Mill, not its strike
        r = area.post(f"{base}/fund/contributions", data={
            "amount": "10.00", "source": "levy", "csrf_token": area.csrf})
        assert r.status_code == 403
    with _signed_in(app, "sec_m") as chair:
        assert _without_token(chair, f"{base}/offers", offer) == 403
        r = chair.post(f"{base}/offers", data={**offer, "csrf_token": chair.csrf},
                       follow_redirects=False)
        assert r.status_code == 303
        made = [o for o in services.list_offers(uow, fed.dispute) if o.summary == "3%"]
        assert len(made) == 1
        assert made[0].recorded_by == "sec_m"
        r = chair.post(f"{base}/ballots", data={"kind": "offer", "offer_id": made[0].offer_id,
                                                "days": "3", "csrf_token": chair.csrf},
                       follow_redirects=False)
        assert r.status_code == 303, r.text
        r = chair.post(f"{base}/calls", data={"form": "strike", "csrf_token": chair.csrf})
        assert r.status_code == 409
        assert 'id="error-call"' in r.text
        r = chair.post(f"{base}/fund/contributions", data={
            "amount": "100.00", "source": "Branch levy", "csrf_token": chair.csrf},
            follow_redirects=False)
        assert r.status_code == 303
        r = chair.post(f"{base}/fund/pay-run", data={
            "period": "2025-W05", "amount": "ten", "csrf_token": chair.csrf})
        assert r.status_code == 422
        assert 'id="error-pay"' in r.text
        r = chair.post(f"{base}/fund/pay-run", data={
            "period": "2025-W05", "amount": "60.00", "csrf_token": chair.csrf})
        assert r.status_code == 409  # 120.00 for two strikers: more than the fund holds
        assert services.strike_payments(uow, fed.dispute) == ()
        r = chair.post(f"{base}/fund/pay-run", data={
            "period": "2025-W05", "amount": "50.00", "csrf_token": chair.csrf},
            follow_redirects=False)
        assert r.status_code == 303
    fund = services.fund_of(uow, fed.dispute, NOW)
    assert (str(fund.contributed), str(fund.paid), str(fund.balance)) == (
        "100.00", "100.00", "0.00")
    # the strikers accept the new offer; then, and only then, the committee settles on it
    with _signed_in(app, "sec_m") as chair:
        r = chair.post(f"{base}/settlement", data={"offer_id": made[0].offer_id,
                                                   "csrf_token": chair.csrf})
        assert r.status_code == 409
        assert 'action="/disputes/d-mill/settlement"' not in r.text  # nothing to settle on
        assert 'id="error-settle"' in r.text
        assert "cannot be settled" in r.text
    (ballot,) = [b for b in services.show_dispute(uow, fed.dispute, NOW).ballots
                 if b.offer_id == made[0].offer_id]
    for voter in ("m1", "sec_m"):
        services.cast_vote(uow, ballot.ballot_id, voter, "yes", NOW)
    clock.now = NOW + 3 * DAY
    services.close_ballot(uow, ballot.ballot_id, clock.now)
    with _signed_in(app, "sec_m") as chair:
        assert 'action="/disputes/d-mill/settlement"' in chair.get(base).text
        r = chair.post(f"{base}/settlement", data={"offer_id": made[0].offer_id,
                                                   "csrf_token": chair.csrf},
                       follow_redirects=False)
        assert r.status_code == 303
        assert "Settled" in chair.get(base).text
    assert services.show_dispute(uow, fed.dispute, clock.now).dispute.status == "settled"


def test_the_strikers_set_up_their_first_committee_on_the_page(
        any_db_app: tuple[FastAPI, World], clock: Clock) -> None:
    app, _ = any_db_app
    uow = UnitOfWork(app.state.councilplan.engine)
    services.open_dispute(uow, "d-canteen", ["mill"], "Acme Catering", ["a canteen"], "GB",
                          "manufacturing", NOW)
    services.join_strike(uow, "d-canteen", ["m3", "m5"], NOW)
    base = "/disputes/d-canteen"
    seat = {"seat_id": "d-canteen/chair", "title": "Chair", "term_days": "60"}
    with _signed_in(app, "m4") as member:  # not on strike
        assert 'id="committee-setup"' not in member.get(base).text
        r = member.post(f"{base}/committee/seats", data={**seat, "csrf_token": member.csrf})
        assert r.status_code == 403  # the error page saying who may
        assert "strikers" in r.text
    with _signed_in(app, "m3") as striker:
        assert 'id="committee-setup"' in striker.get(base).text
        r = striker.post(f"{base}/committee/seats", data={**seat, "csrf_token": striker.csrf},
                         follow_redirects=False)
        assert r.status_code == 303
        r = striker.post(f"{base}/committee/elections", data={
            "seat_id": "d-canteen/chair", "candidates": "m3, m5", "days": "2",
            "csrf_token": striker.csrf}, follow_redirects=False)
        assert r.status_code == 303
        ballot_id = r.headers["location"].rsplit("/", 1)[1]
        assert "Committee elections" in striker.get(base).text
        r = striker.post(f"/ballots/{ballot_id}/vote", data={
            "rank": ["1", "2"], "csrf_token": striker.csrf})
        assert r.status_code == 201
    with _signed_in(app, "m4") as member:  # the strikers elect: no paper for m4
        r = member.post(f"/ballots/{ballot_id}/vote", data={"rank": ["1", ""],
                                                             "csrf_token": member.csrf})
        assert r.status_code == 403
    clock.now = NOW + 2 * DAY
    services.close_ballot(uow, ballot_id, clock.now)
    with _signed_in(app, "m3") as chair:
        (held,) = services.show_dispute(uow, "d-canteen", clock.now).committee
        assert held.holder_id == "m3"
        page = chair.get(base).text
        assert 'id="committee-actions"' in page
        # with a committee in office, the councils' officers no longer set it up
    with _signed_in(app, "sec_m") as officer:
        assert 'id="committee-setup"' not in officer.get(base).text
