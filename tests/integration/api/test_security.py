"""Accounts, sessions, CSRF, the login throttle, limits, headers and errors."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from councilplan.api.auth.sessions import SESSION_COOKIE
from councilplan.api.security import LoadShedding
from tests.integration.api.conftest import Client
from tests.integration.api.world import PASSWORD, Clock, World


def _cookie(response: object, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        if header.startswith(name + "="):
            return str(header)
    raise AssertionError(f"no {name} cookie set")


def test_session_cookie_attributes_and_https(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app()) as c:
        r = c.post("/api/session", json={"username": "m1", "password": PASSWORD})
        cookie = _cookie(r, SESSION_COOKIE).lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert "secure" not in cookie
        assert "strict-transport-security" not in r.headers
    with TestClient(make_app(https=True), base_url="https://testserver") as c:
        r = c.post("/api/session", json={"username": "m1", "password": PASSWORD})
        assert "secure" in _cookie(r, SESSION_COOKIE).lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")


def test_login_makes_a_new_session_and_logout_ends_it(
        make_app: Callable[..., FastAPI], db_file: tuple[str, World]) -> None:
    app = make_app()
    with Client(app) as c:
        c.login("m1")
        first = c.cookies[SESSION_COOKIE]
        c.login("m1")
        second = c.cookies[SESSION_COOKIE]
        assert first != second  # a new id at every login: no fixation
        with Client(app) as thief:
            thief.cookies.set(SESSION_COOKIE, first)
            assert thief.get("/api/session").status_code == 401  # the old one was ended
        engine = create_engine(db_file[0])
        with engine.connect() as conn:
            stored = set(conn.execute(text("SELECT session_hash FROM sessions")).scalars())
        engine.dispose()
        assert second not in stored  # only the hash is kept
        assert hashlib.sha256(second.encode()).hexdigest() in stored
        assert c.delete("/api/session").status_code == 204
        with Client(app) as thief:
            thief.cookies.set(SESSION_COOKIE, second)
            assert thief.get("/api/session").status_code == 401
            assert thief.get("/", follow_redirects=False).status_code == 303


def test_csrf_is_required_on_unsafe_requests(client_for: Callable[[str | None], Client],
                                             fed: World) -> None:
    c = client_for("member")
    c.headers.pop("X-CSRF-Token")
    r = c.post("/api/councils/mill/motions", json={"text": "x"})
    assert r.status_code == 403
    assert "CSRF" in r.json()["title"]
    c.headers["X-CSRF-Token"] = "0" * 64
    assert c.post("/api/councils/mill/motions", json={"text": "x"}).status_code == 403
    # a page form without the token
    r = c.post(f"/petitions/{fed.petition}/sign", data={"csrf_token": "nope"})
    assert r.status_code == 403
    c.headers["X-CSRF-Token"] = c.csrf
    assert c.post("/api/councils/mill/motions", json={"text": "x"}).status_code == 201


def test_the_login_form_needs_its_pre_session_token(app: FastAPI) -> None:
    with TestClient(app) as c:
        r = c.post("/login", data={"username": "m1", "password": PASSWORD})
        assert r.status_code == 403
        page = c.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        r = c.post("/login", data={"username": "m1", "password": PASSWORD,
                                   "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == "/"
        assert c.get("/").status_code == 200


def test_at_most_so_many_failed_logins_per_account_per_hour(
        make_app: Callable[..., FastAPI], clock: Clock) -> None:
    app = make_app(login_failures_per_hour=3)
    with TestClient(app) as c:
        for _ in range(3):
            assert c.post("/api/session", json={"username": "m1",
                                                "password": "wrong"}).status_code == 401
        r = c.post("/api/session", json={"username": "m1", "password": PASSWORD})
        assert r.status_code == 429
        assert 3000 < int(r.headers["retry-after"]) <= 3600
        # another account is not affected
        assert c.post("/api/session", json={"username": "m2",
                                            "password": PASSWORD}).status_code == 200
        # unknown usernames are throttled alike (the throttle tells nothing)
        for _ in range(3):
            c.post("/api/session", json={"username": "ghost", "password": "x"})
        assert c.post("/api/session", json={"username": "ghost",
                                            "password": "x"}).status_code == 429
    with TestClient(make_app(login_failures_per_hour=3)) as c:  # persisted, not in memory
        assert c.post("/api/session", json={"username": "m1",
                                            "password": PASSWORD}).status_code == 429
        clock.now += timedelta(hours=1, seconds=1)
        assert c.post("/api/session", json={"username": "m1",
                                            "password": PASSWORD}).status_code == 200


def test_bodies_above_the_limit_are_413_with_a_clear_message(
        make_app: Callable[..., FastAPI]) -> None:
    app = make_app(max_body_bytes=1024)
    with Client(app) as c:
        c.login("m1")
        big = {"text": "x" * 5000}
        r = c.post("/api/councils/mill/motions", json=big)
        assert r.status_code == 413
        assert "at most 1 KiB" in r.json()["problems"][0]["message"]

        def chunks():  # no Content-Length: found while reading
            for _ in range(10):
                yield b'{"text": "' + b"y" * 500

        r = c.post("/api/councils/mill/motions", content=chunks(),
                   headers={"content-type": "application/json"})
        assert r.status_code == 413
        r = c.post("/councils/mill/motions", data={"text": "z" * 5000, "csrf_token": c.csrf})
        assert r.status_code == 413
        assert "<h1>" in r.text


def test_the_plans_bulk_registrations_take_a_larger_body_when_signed_in(
        make_app: Callable[..., FastAPI], fed: World) -> None:
    """Needs, techniques, reports and the catalogue take up to 10,000 rows in one body:
    ``max_bulk_bytes`` is their limit (from a browser with a session), not the
    ``max_body_bytes`` of every other body."""
    app = make_app(max_body_bytes=1024, max_bulk_bytes=64 * 1024)
    url = f"/api/plan/periods/{fed.plan_period}/needs"
    rows = [{"product": "cloth", "quantity": 1, "reason": f"row {i}"} for i in range(200)]
    body = {"council_id": "mill", "needs": rows}  # about 10 KiB
    with TestClient(app) as anonymous:
        r = anonymous.post(url, json=body)
        assert r.status_code == 413, r.text  # no session: the ordinary limit
    with Client(app) as c:
        c.login("m1")
        r = c.post(url, json=body)
        assert r.status_code == 201, r.text
        assert r.json()["needs"] == 200
        r = c.post("/api/councils/mill/motions", json={"text": "x" * 5000})
        assert r.status_code == 413  # the ordinary limit elsewhere
        huge = {"council_id": "mill", "needs": rows * 8}  # about 80 KiB
        r = c.post(url, json=huge)
        assert r.status_code == 413
        assert "at most 64 KiB" in r.json()["problems"][0]["message"]


def test_rate_limit_is_429_with_retry_after(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(rate_per_second=0.5, rate_burst=3)
    with TestClient(app) as c:
        codes = [c.get("/login").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200]
        assert codes[-1] == 429
        r = c.get("/api/councils")
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1


def test_made_up_session_cookies_do_not_escape_the_address_limit(
        make_app: Callable[..., FastAPI]) -> None:
    app = make_app(rate_per_address=0.5, address_burst=4)
    with TestClient(app) as c:
        codes = []
        for k in range(6):
            c.cookies.set(SESSION_COOKIE, f"made-up-{k}")
            codes.append(c.get("/api/councils").status_code)
        assert codes[:4] == [401, 401, 401, 401]
        assert codes[-1] == 429


def test_load_shedding_is_503_with_retry_after() -> None:
    from councilplan.api.settings import Settings

    sent: list[dict[str, object]] = []

    async def app(scope: object, receive: object, send: object) -> None:
        raise AssertionError("must not be reached")

    shed = LoadShedding(app, Settings(max_in_flight=2))  # type: ignore[arg-type]
    shed.in_flight = 2

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.request"}

    # in a thread of its own: the browser tests' driver may hold this thread's event loop
    worker = threading.Thread(target=lambda: asyncio.run(
        shed({"type": "http", "path": "/api/x", "headers": []}, receive, send)))
    worker.start()
    worker.join()
    assert sent[0]["status"] == 503
    assert (b"retry-after", b"1") in sent[0]["headers"]  # type: ignore[operator]


def test_the_api_takes_json_only(client_for: Callable[[str | None], Client]) -> None:
    c = client_for("member")
    r = c.post("/api/councils/mill/motions", content="text=x",
               headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415


def test_security_headers(app: FastAPI) -> None:
    with TestClient(app) as c:
        for path in ("/login", "/api/openapi.json"):
            r = c.get(path)
            csp = r.headers["content-security-policy"]
            assert "unsafe-inline" not in csp
            assert "frame-ancestors 'none'" in csp
            assert "script-src 'self'" in csp
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "same-origin"
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["cache-control"] == "no-store"
        js = c.get("/static/vendor/htmx.min.js")
        assert js.status_code == 200
        assert "no-store" not in js.headers.get("cache-control", "")


def test_no_stack_trace_reaches_a_client(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/boom")
    def page_boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c:
        for path in ("/api/boom", "/boom"):
            r = c.get(path)
            assert r.status_code == 500
            assert "secret internals" not in r.text
            assert "Traceback" not in r.text
        assert c.get("/api/boom").json()["title"] == "Something went wrong on the server"


def test_no_docs_page_with_scripts_from_a_cdn(app: FastAPI) -> None:
    with TestClient(app) as c:
        assert c.get("/docs").status_code in (303, 404)
        doc = c.get("/api/openapi.json").json()
    ops = [(p, m) for p, item in doc["paths"].items() for m in item]
    assert len(ops) >= 30
    for path, method in ops:
        assert path.startswith("/api/")
        assert doc["paths"][path][method].get("summary"), (path, method)


@pytest.mark.parametrize("path", ["/", "/councils/mill", "/audit"])
def test_pages_send_the_signed_out_to_the_login(app: FastAPI, path: str) -> None:
    with TestClient(app) as c:
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/login")


# -- sessions: fixation, logout; CSRF; the login throttle at its real size ------------------


def _form_token(page_text: str) -> str:
    return page_text.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_pre_login_session_is_not_kept_after_login(app: FastAPI) -> None:
    """An attacker who planted a pre-session cookie (cookie tossing from a sibling
    site) and knows its form token gains nothing once the victim has logged in: the
    login drops the pre-session, and a token bound to it never passes for a live
    session."""
    from councilplan.api.auth.sessions import ANON_COOKIE

    with TestClient(app) as attacker:
        page = attacker.get("/login")
        planted, planted_token = attacker.cookies[ANON_COOKIE], _form_token(page.text)
    for how in ("form", "api"):
        with Client(app) as victim:
            victim.cookies.set(ANON_COOKIE, planted, domain="testserver.local")
            if how == "form":
                r = victim.post("/login", data={"username": "m1", "password": PASSWORD,
                                                "csrf_token": planted_token},
                                follow_redirects=False)
                assert r.status_code == 303
            else:
                r = victim.login("m1")
                assert r.status_code == 200
            # the pre-session is dropped at login
            assert "max-age=0" in _cookie(r, ANON_COOKIE).lower()
            assert ANON_COOKIE not in victim.cookies
            # planted again afterwards
            victim.cookies.set(ANON_COOKIE, planted, domain="testserver.local")
            victim.headers.pop("X-CSRF-Token", None)  # only what the attacker's form sends
            forged = victim.post("/councils/mill/motions",
                                 data={"text": "forged", "csrf_token": planted_token},
                                 follow_redirects=False)
            assert forged.status_code == 403, how
            forged = victim.post("/api/councils/mill/motions", json={"text": "forged"},
                                 headers={"X-CSRF-Token": planted_token})
            assert forged.status_code == 403, how
            own = _form_token(victim.get("/councils/mill").text)
            assert own != planted_token
            ok = victim.post("/councils/mill/motions", data={"text": "mine", "csrf_token": own},
                             follow_redirects=False)
            assert ok.status_code in (200, 303), ok.text


def test_a_planted_session_cookie_is_replaced_at_login_and_then_worthless(
        app: FastAPI) -> None:
    with Client(app) as attacker:
        attacker.login("m2")  # the attacker's own, real session, planted in the victim's
        planted = attacker.cookies[SESSION_COOKIE]
    with TestClient(app) as victim:
        r = victim.post("/api/session", json={"username": "m1", "password": PASSWORD},
                        headers={"Cookie": f"{SESSION_COOKIE}={planted}"})
        assert r.status_code == 200
        mine = r.cookies[SESSION_COOKIE]
        assert mine != planted
    with TestClient(app) as victim:
        victim.cookies.set(SESSION_COOKIE, mine)
        assert victim.get("/api/session").json()["member_id"] == "m1"
    with TestClient(app) as attacker:
        attacker.cookies.set(SESSION_COOKIE, planted)
        assert attacker.get("/api/session").status_code == 401  # ended by the login


def test_logout_on_the_pages_ends_the_session_on_the_server(app: FastAPI) -> None:
    with Client(app) as c:
        c.login("m1")
        sid = c.cookies[SESSION_COOKIE]
        assert c.get("/api/session").status_code == 200  # in the process's session cache
        token = _form_token(c.get("/councils/mill").text)
        r = c.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
    with Client(app) as thief:
        thief.cookies.set(SESSION_COOKIE, sid)
        assert thief.get("/api/session").status_code == 401
        assert thief.post("/api/councils/mill/motions", json={"text": "x"},
                          headers={"X-CSRF-Token": token}).status_code in (401, 403)


def test_csrf_tokens_are_bound_to_their_session(
        client_for: Callable[[str | None], Client], fed: World) -> None:
    one, other = client_for("member"), client_for("voter")
    # another session's token, a token in the wrong header case, none at all on a vote,
    # a logout or a receipt check: all refused before anything is done
    for token in (other.csrf, other.csrf.upper()[:-1] + "0", ""):
        r = one.post("/api/councils/mill/motions", json={"text": "x"},
                     headers={"X-CSRF-Token": token})
        assert r.status_code == 403, token
    one.headers.pop("X-CSRF-Token")
    assert one.post(f"/api/ballots/{fed.open_ballot}/votes",
                    json={"choice": ["m3"]}).status_code == 403
    assert one.delete("/api/session").status_code == 403
    one.headers["X-CSRF-Token"] = one.csrf
    assert one.get("/api/session").status_code == 200  # the logout without a token did not


def test_the_default_throttle_is_100_failed_logins_per_account_per_hour(
        make_app: Callable[..., FastAPI], clock: Clock) -> None:
    from councilplan.api.settings import Settings

    assert Settings().login_failures_per_hour == 100
    app = make_app()
    with TestClient(app) as c:
        page = c.get("/login")
        token = _form_token(page.text)
        for k in range(100):  # half through the API, half through the login form
            if k % 2:
                r = c.post("/api/session", json={"username": "m3", "password": f"guess {k}"})
            else:
                r = c.post("/login", data={"username": "m3", "password": f"guess {k}",
                                           "csrf_token": token})
            assert r.status_code == 401, k
        # the 101st attempt is refused without the password being looked at: even the
        # right one; through either door
        r = c.post("/api/session", json={"username": "m3", "password": PASSWORD})
        assert r.status_code == 429
        r = c.post("/login", data={"username": "M3 ", "password": PASSWORD,
                                   "csrf_token": token})
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) > 3000
        clock.now += timedelta(minutes=59)
        assert c.post("/api/session", json={"username": "m3",
                                            "password": PASSWORD}).status_code == 429
        clock.now += timedelta(minutes=1, seconds=1)
        assert c.post("/api/session", json={"username": "m3",
                                            "password": PASSWORD}).status_code == 200


def test_a_405_names_every_method_its_path_takes(app: FastAPI) -> None:
    with TestClient(app) as c:
        # two routes share this path (GET and POST): Allow must list both
        r = c.request("OPTIONS", "/api/plan/periods/rv-2025/needs")
        assert r.status_code == 405
        allowed = {m.strip() for m in r.headers["allow"].split(",")}
        assert {"GET", "POST"} <= allowed
        r = c.request("PUT", "/api/session")
        assert r.status_code == 405
        assert {"GET", "POST", "DELETE"} <= {m.strip() for m in r.headers["allow"].split(",")}


def test_the_document_refuses_keys_outside_a_maps_pattern(app: FastAPI) -> None:
    with TestClient(app) as c:
        doc = c.get("/api/openapi.json").json()["components"]["schemas"]
    for model, field in (("VariantSpecIn", "need_scale"), ("TechniqueRowIn", "inputs")):
        prop = doc[model]["properties"][field]
        assert prop["patternProperties"]
        assert prop["additionalProperties"] is False, (model, field)


def test_a_receipt_token_of_an_odd_number_of_digits_is_refused_by_the_document(
        client_for: Callable[[str | None], Client], fed: World) -> None:
    """The document's pattern is what the server takes: whole bytes of hex (an odd digit
    count was schema-valid, then refused by the service; found by schemathesis)."""
    c = client_for("voter")
    for path, body in ((f"/api/ballots/{fed.open_ballot}/receipt-check", {"token": "a" * 33}),
                       (f"/api/ballots/{fed.open_ballot}/votes",
                        {"choice": ["m3"], "token": "b" * 63})):
        r = c.post(path, json=body)
        assert r.status_code == 422
        assert r.json()["title"] == "the request is not valid"  # the schema's refusal
    with TestClient(c.app) as anon:
        doc = anon.get("/api/openapi.json").json()["components"]["schemas"]
    assert doc["ReceiptIn"]["properties"]["token"]["pattern"] == "^(?:[0-9a-fA-F]{2}){16,128}$"
