"""The council pages through httpx, on SQLite and PostgreSQL: the account page and the
password, motions and amendments, recall from the council page, seats, admissions,
elections, the mandate page with pay, cap and review -- and ``GET /api/mandates/{id}``.

Forms are sent as a browser sends them (form-encoded, with the page's CSRF token); a
refusal comes back on the same page, naming the field at fault, with nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

import pytest
from fastapi import FastAPI

from councilplan import services
from councilplan.store import UnitOfWork
from tests.integration.api.conftest import Client
from tests.integration.api.world import NOW, PASSWORD, PERIOD, ROLES, World

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A signed-in form user: reads the CSRF token off a page, posts forms without the
    API's X-CSRF-Token header."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.headers: Mapping[str, str] = {}  # of the last response to a form
        client.headers.pop("X-CSRF-Token", None)

    def get(self, path: str) -> str:
        r = self.client.get(path, follow_redirects=False)
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return r.text

    def post(self, page: str, action: str, data: dict[str, str]) -> tuple[int, str, str]:
        """(status, Location or "", body) of posting ``data`` from ``page`` to ``action``."""
        token = CSRF.search(self.get(page))
        assert token is not None
        r = self.client.post(action, data={"csrf_token": token[1], **data},
                             follow_redirects=False)
        self.headers = r.headers
        return r.status_code, r.headers.get("location", ""), r.text


@pytest.fixture
def any_db(any_db_app: tuple[FastAPI, World]) -> Iterator[tuple[Callable[[str | None], Client],
                                                                 World, UnitOfWork]]:
    app, fed = any_db_app
    made: list[Client] = []

    def make(role: str | None) -> Client:
        c = Client(app, base_url="http://testserver")
        c.__enter__()
        made.append(c)
        username = ROLES.get(role or "anonymous", role)
        if username is not None:
            assert c.login(username).status_code == 200
        return c

    yield make, fed, UnitOfWork(app.state.councilplan.engine)
    for c in made:
        c.__exit__(None, None, None)


def _alert(body: str) -> str:
    found = re.search(r'<div class="alert" role="alert"[^>]*>(.*?)</div>', body, re.S)
    assert found, body[:2000]
    return re.sub(r"<[^>]+>", "", found[1])


def test_the_mandate_json_route(any_db: tuple[Callable[[str | None], Client], World,
                                              UnitOfWork]) -> None:
    client_for, fed, _ = any_db
    r = client_for("voter").get(f"/api/mandates/{fed.delegate_mandate}?period={PERIOD}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["holder_id"] == "del_m"
    assert body["status"] == "active"
    assert body["pay"][-1]["amount"] == "1500.00"
    assert Decimal(body["cap"]["cap"]) > 0
    assert body["cap"]["period"] == PERIOD
    assert client_for("outsider").get(f"/api/mandates/{fed.delegate_mandate}").status_code == 403
    assert client_for("voter").get("/api/mandates/no-such").status_code == 404


def test_a_member_changes_their_password(any_db: tuple[Callable[[str | None], Client], World,
                                                       UnitOfWork]) -> None:
    client_for, _, _ = any_db
    b = Browser(client_for("member"))
    page = b.get("/account")
    assert "Change my password" in page
    assert 'for="current_password"' in page
    status, _, body = b.post("/account", "/account/password", {
        "current_password": "wrong one", "new_password": "a new long password",
        "confirm_password": "a new long password"})
    assert status == 401
    assert "Current password" in _alert(body)
    status, _, body = b.post("/account", "/account/password", {
        "current_password": PASSWORD, "new_password": "a new long password",
        "confirm_password": "another"})
    assert status == 422
    assert "New password again" in _alert(body)
    status, _, body = b.post("/account", "/account/password", {
        "current_password": PASSWORD, "new_password": "short", "confirm_password": "short"})
    assert status == 422
    assert "New password" in _alert(body)
    assert client_for(None).login("m1").status_code == 200  # nothing changed yet
    status, location, _ = b.post("/account", "/account/password", {
        "current_password": PASSWORD, "new_password": "a new long password",
        "confirm_password": "a new long password"})
    assert (status, location) == (303, "/login?changed=1")
    assert b.client.get("/", follow_redirects=False).status_code == 303  # signed out
    assert client_for(None).login("m1").status_code == 401
    assert client_for(None).login("m1", "a new long password").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(
        any_db: tuple[Callable[[str | None], Client], World, UnitOfWork]) -> None:
    client_for, _, uow = any_db
    b = Browser(client_for("member"))
    r = b.client.post("/councils/mill/motions", data={"text": "Forged."},
                      follow_redirects=False)
    assert r.status_code == 403
    assert all(m.text != "Forged." for m in services.list_motions(uow, "mill"))


def test_a_delegate_tables_a_motion_and_a_member_amends_it(
        any_db: tuple[Callable[[str | None], Client], World, UnitOfWork]) -> None:
    client_for, _, uow = any_db
    delegate, voter = Browser(client_for("delegate")), Browser(client_for("voter"))
    status, location, _ = delegate.post("/councils/mill/motions", "/councils/mill/motions",
                                        {"text": "Buy a new loom for the weaving shed."})
    assert status == 303
    assert location.startswith("/motions/")
    motion_id = location.rsplit("/", 1)[1]
    page = voter.get(location)
    assert "Buy a new loom" in page
    assert "Propose an amendment" in page
    assert "Put the motion to the vote" not in page  # neither proposer nor officer
    status, _, body = voter.post(location, f"{location}/amendments",
                                 {"old_text": "a carpet", "new_text": "two"})
    assert status == 409
    assert "Text to replace" in _alert(body)
    assert 'aria-invalid="true">a carpet</textarea>' in body  # kept to correct
    status, _, body = voter.post(location, f"{location}/amendments",
                                 {"old_text": "", "new_text": " "})
    assert status == 422
    assert "Replace it by" in _alert(body)
    status, back, _ = voter.post(location, f"{location}/amendments",
                                 {"old_text": "a new loom", "new_text": "two new looms"})
    assert status == 303
    assert back.endswith("#amendments")
    (amendment,) = services.show_motion(uow, motion_id).amendments
    assert (amendment.old_text, amendment.new_text, amendment.proposed_by) == (
        "a new loom", "two new looms", "m2")
    # the voter may not put it to the vote; the proposer may, the amendment first
    status, _, _ = voter.post(location, f"{location}/ballot",
                              {"amendment_id": amendment.amendment_id, "days": "3"})
    assert status == 403
    page = delegate.get(location)
    assert "Put the amendment to the vote" in page
    assert "The amendments still pending are voted first" in page
    status, _, body = delegate.post(location, f"{location}/ballot", {"days": "3"})
    assert status == 409  # the motion waits for its amendment
    status, _, body = delegate.post(location, f"{location}/ballot",
                                    {"amendment_id": amendment.amendment_id, "days": "0"})
    assert status == 422
    assert "Ballot runs (days)" in _alert(body)
    status, ballot, _ = delegate.post(location, f"{location}/ballot",
                                      {"amendment_id": amendment.amendment_id, "days": "3"})
    assert status == 303
    assert ballot.startswith("/ballots/")
    assert "two new looms" in voter.get(ballot)
    listing = voter.get("/councils/mill/motions")
    assert "Buy a new loom" in listing
    assert "1 pending" in listing
    outsider = Browser(client_for("outsider"))
    assert outsider.client.get(location).status_code == 403


def test_a_member_opens_a_recall_petition_from_the_council_page(
        any_db: tuple[Callable[[str | None], Client], World, UnitOfWork]) -> None:
    client_for, fed, uow = any_db
    voter = Browser(client_for("voter"))
    page = voter.get("/councils/mill")
    assert "A recall petition is open" in page  # the delegate's: sign it, not a second one
    status, location, _ = voter.post("/councils/mill", "/councils/mill/recall",
                                     {"mandate_id": fed.secretary_mandate})
    assert status == 303
    assert location.startswith("/petitions/")
    assert "Sign the petition" in voter.get(location)
    petitions = services.list_petitions(uow, "mill", NOW)
    assert any(p.mandate_id == fed.secretary_mandate and p.status == "open" for p in petitions)
    status, _, body = voter.post("/councils/mill", "/councils/mill/recall",
                                 {"mandate_id": fed.secretary_mandate})
    assert status == 409
    assert "pending" in _alert(body)
    area = Browser(client_for("area_officer"))  # runs the Mill but is not its constituent
    assert "Open a recall petition" not in area.get("/councils/mill")
    status, _, _ = area.post("/councils/mill", "/councils/mill/recall",
                             {"mandate_id": fed.delegate_mandate})
    assert status == 403


def test_officers_admit_members_and_define_seats(
        any_db: tuple[Callable[[str | None], Client], World, UnitOfWork]) -> None:
    client_for, _, uow = any_db
    officer, member = Browser(client_for("officer")), Browser(client_for("member"))
    assert "Admit a member" in officer.get("/councils/mill")
    assert "Admit a member" not in member.get("/councils/mill")
    status, _, _ = member.post("/councils/mill", "/councils/mill/members",
                               {"member_id": "n9", "name": "Nine"})
    assert status == 403
    status, _, body = officer.post("/councils/mill", "/councils/mill/members",
                                   {"member_id": "no spaces", "name": "Nine"})
    assert status == 422
    assert "Member id" in _alert(body)
    status, _, _ = officer.post("/councils/mill", "/councils/mill/members",
                                {"member_id": "n9", "name": "Nine Newton"})
    assert status == 303
    assert any(m.member_id == "n9" and m.name == "Nine Newton"
               for m in services.list_members(uow, "mill"))
    status, _, body = officer.post("/councils/mill", "/councils/mill/seats", {
        "seat_id": "mill/minutes", "title": "", "kind": "office", "term_days": "0",
        "lead_days": "x"})
    assert status == 422
    alert = _alert(body)
    assert "Title" in alert
    assert "Term (days)" in alert
    assert "Election lead (days)" in alert
    status, _, _ = officer.post("/councils/mill", "/councils/mill/seats", {
        "seat_id": "mill/minutes", "title": "Minutes secretary", "kind": "office",
        "term_days": "180", "lead_days": "14"})
    assert status == 303
    status, _, _ = member.post("/councils/mill", "/councils/mill/seats", {
        "seat_id": "mill/x", "title": "X", "kind": "office", "term_days": "180",
        "lead_days": "14"})
    assert status == 403
    page = officer.get("/councils/mill")
    assert "Minutes secretary" in page
    assert "180-day term" in page
    # the new seat is vacant: its election is due, and the officer calls it
    assert 'value="mill/minutes"' in page
    status, location, _ = officer.post("/councils/mill", "/councils/mill/elections", {
        "seat_ids": "mill/minutes", "candidates": "m1, m2", "days": "5",
        "method": "scottish-stv"})
    assert status == 303
    assert location.startswith("/ballots/")


def test_the_mandate_page_shows_term_pay_cap_and_reviews_the_pay(
        any_db: tuple[Callable[[str | None], Client], World, UnitOfWork]) -> None:
    client_for, fed, uow = any_db
    path = f"/mandates/{fed.delegate_mandate}?period={PERIOD}"
    voter = Browser(client_for("voter"))
    page = voter.get(path)
    cap = services.pay_cap_for(uow, fed.delegate_mandate, PERIOD).cap
    assert "1,500.00" in page
    assert f"{cap:,.2f}" in page
    assert "Term" in page
    assert "Set the pay" not in page
    assert "Open a recall petition" not in page
    delegate = Browser(client_for("delegate"))
    assert "nobody sets their own" in delegate.get(path)
    status, _, _ = delegate.post(path, f"/mandates/{fed.delegate_mandate}/pay",
                                 {"period": PERIOD, "amount": "1.00"})
    assert status == 403
    officer = Browser(client_for("officer"))
    assert "Review the pay against the cap" in officer.get(path)
    above = cap + Decimal("0.01")
    status, _, body = officer.post(path, f"/mandates/{fed.delegate_mandate}/pay",
                                   {"period": PERIOD, "amount": str(above)})
    assert status == 409
    assert "cap" in _alert(body)
    status, _, body = officer.post(path, f"/mandates/{fed.delegate_mandate}/pay",
                                   {"period": PERIOD, "amount": "12.345"})
    assert status == 422
    assert "Amount" in _alert(body)
    assert services.show_mandate(uow, fed.delegate_mandate, NOW).pay[-1].amount == Decimal(
        "1500.00")
    status, location, _ = officer.post(path, f"/mandates/{fed.delegate_mandate}/pay-review",
                                       {"period": PERIOD, "next_period": "2025-03"})
    assert status == 303
    assert "review=within" in location
    assert "within the cap" in officer.get(location)


def test_a_forbidden_form_says_who_may(any_db: tuple[Callable[[str | None], Client], World,
                                                     UnitOfWork]) -> None:
    client_for, _, uow = any_db
    member = Browser(client_for("member"))
    status, _, body = member.post("/councils/mill", "/councils/mill/seats", {
        "seat_id": "mill/x", "title": "X", "kind": "office", "term_days": "30",
        "lead_days": "7"})
    assert status == 403
    assert "only the officers of council mill" in _alert(body)
    assert all(s.seat_id != "mill/x" for s in services.show_council(uow, "mill", NOW).seats)


def test_the_cap_falling_below_the_pay_lowers_it_from_the_next_period(
        any_db: tuple[Callable[[str | None], Client], World, UnitOfWork]) -> None:
    client_for, fed, uow = any_db
    for member in ("m1", "m2", "m3", "m4"):  # a lean month: the cap falls below 1500.00
        services.report_wage(uow, member, "2025-03", Decimal("1000.00"), NOW)
    officer = Browser(client_for("officer"))
    path = f"/mandates/{fed.delegate_mandate}?period=2025-03"
    page = officer.get(path)
    assert "below the pay now" in page
    assert 'value="2025-04"' in page  # the next period, offered
    status, location, _ = officer.post(path, f"/mandates/{fed.delegate_mandate}/pay-review",
                                       {"period": "2025-03", "next_period": "2025-04"})
    assert status == 303
    assert "review=lowered" in location
    assert "lowered to the cap" in officer.get(location)
    latest = services.show_mandate(uow, fed.delegate_mandate, NOW).pay[-1]
    assert (latest.period, latest.amount) == ("2025-04", Decimal("1000.00"))


def test_a_wrong_current_password_counts_as_a_failed_login(make_app: Callable[..., FastAPI]
                                                           ) -> None:
    app = make_app(login_failures_per_hour=3)
    with Client(app, base_url="http://testserver") as api, \
            Client(app, base_url="http://testserver") as web:
        assert api.login("m1").status_code == 200
        assert web.login("m1").status_code == 200
        page = Browser(web)
        wrong = {"current_password": "guess", "new_password": "a new long password",
                 "confirm_password": "a new long password"}
        assert page.post("/account", "/account/password", wrong)[0] == 401
        r = api.post("/api/session/password", json={"current_password": "guess 2",
                                                    "new_password": "a new long password"})
        assert r.status_code == 401
        assert page.post("/account", "/account/password", wrong)[0] == 401
        # the fourth try is refused before the password is even checked -- the right one too
        status, _, body = page.post("/account", "/account/password", {
            **wrong, "current_password": PASSWORD})
        assert status == 429
        assert "too many failed logins" in _alert(body)
        assert int(page.headers["Retry-After"]) > 0
        r = api.post("/api/session/password", json={"current_password": PASSWORD,
                                                    "new_password": "a new long password"})
        assert r.status_code == 429
        assert int(r.headers["Retry-After"]) > 0
    with Client(app, base_url="http://testserver") as again:
        assert again.login("m1").status_code == 429  # and logging in waits the hour too
