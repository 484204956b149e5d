"""Casting's hot path (:mod:`councilplan.api.casting_lane`) answers exactly as the route
does: the same script of votes, re-votes and refusals is sent to the app as shipped and to
the same app with the lane taken out (the FastAPI route answering everything), each on its
own copy of the federation, and every answer must agree -- status, headers that matter,
and body (receipt tokens and codes are random: only their form is compared).

The script covers what the lane takes itself (first votes, re-votes, and the service's
refusals: voted already, stale receipt, an option not on the ballot, no such ballot, not in
the electorate, a logged-out session, after the close) and what it hands on to the route
(no or a wrong CSRF token, no session, a body that is not JSON or not a vote, a bad ballot
id, another content type)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from councilplan.api.app import create_app
from councilplan.api.casting_lane import CastingLane
from tests.integration.api import world
from tests.integration.api.conftest import Client
from tests.integration.api.world import Clock, World

TOKEN = re.compile(r"^[0-9a-f]{64}$")


def _route_only(app: FastAPI) -> FastAPI:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not CastingLane]
    return app


def _shape(r: httpx.Response) -> dict[str, Any]:
    """What must agree: status, content type, Retry-After, and the body (random receipt
    tokens and codes replaced by their form)."""
    body: Any
    try:
        body = r.json()
    except ValueError:
        body = r.text
    if isinstance(body, dict) and r.status_code == 201:
        assert TOKEN.fullmatch(body.pop("receipt_token")), body
        assert isinstance(body.pop("code"), str)
    return {"status": r.status_code, "type": r.headers.get("content-type"),
            "retry": r.headers.get("retry-after"), "body": body,
            "nosniff": r.headers.get("x-content-type-options")}


def _script(app: FastAPI, clock: Clock, fed: World) -> list[dict[str, Any]]:
    ballot = fed.open_ballot
    votes = f"/api/ballots/{ballot}/votes"
    out: list[dict[str, Any]] = []
    with Client(app) as m2, Client(app) as m3, Client(app) as w1, Client(app) as anon:
        for c, who in ((m2, "m2"), (m3, "m3"), (w1, "w1")):
            assert c.login(who).status_code == 200
        first = m2.post(votes, json={"choice": ["m4", "m3"]})
        out.append(_shape(first))
        token = first.json()["receipt_token"]
        out.append(_shape(m2.post(votes, json={"choice": ["m5"]})))  # voted already: 409
        second = m2.post(votes, json={"choice": ["m5", "m4"], "previous": token})
        out.append(_shape(second))
        out.append(_shape(m2.post(votes, json={"choice": ["m3"], "previous": token})))  # stale
        out.append(_shape(m3.post(votes, json={"choice": ["nobody"]})))  # not an option: 422
        out.append(_shape(m3.post(votes, json={"choice": "m3"})))  # one option, as text
        out.append(_shape(m3.post("/api/ballots/no-such-ballot/votes",
                                  json={"choice": ["m3"]})))  # 404
        out.append(_shape(w1.post(votes, json={"choice": ["m3"]})))  # not in the electorate
        # handed on to the route
        out.append(_shape(m3.post(votes, json={"choice": ["m3"], "extra": 1})))
        out.append(_shape(m3.post(votes, content=b"{not json",
                                  headers={"Content-Type": "application/json"})))
        out.append(_shape(m3.post(votes, content=b"[1, 2]",
                                  headers={"Content-Type": "application/json"})))
        out.append(_shape(m3.post(votes, content=b"",
                                  headers={"Content-Type": "application/json"})))
        out.append(_shape(m3.post(votes, content=b"choice=m3",
                                  headers={"Content-Type": "text/plain"})))
        out.append(_shape(m3.post("/api/ballots/bad%20id/votes", json={"choice": ["m3"]})))
        out.append(_shape(m3.post(votes, json={"choice": ["m3"]},
                                  headers={"X-CSRF-Token": "0" * 64})))  # wrong CSRF: 403
        no_csrf = m3.post(votes, json={"choice": ["m3"]}, headers={"X-CSRF-Token": ""})
        out.append(_shape(no_csrf))
        out.append(_shape(anon.post(votes, json={"choice": ["m3"]})))  # signed out: 401
        out.append(_shape(m3.post(votes, json={"choice": ["m3", "m5"]})))  # voted: 409
        # a session that ended: its old cookie and token are worth nothing
        sid = m3.cookies.get("cp_session")
        csrf = m3.csrf
        assert m3.delete("/api/session").status_code == 204
        with Client(app) as replay:
            replay.cookies.set("cp_session", sid or "")
            out.append(_shape(replay.post(votes, json={"choice": ["m4"]},
                                          headers={"X-CSRF-Token": csrf})))
        # after the close: refused
        clock.now += timedelta(days=7)
        assert w1.login("sec_m").status_code == 200
        assert w1.post(f"/api/ballots/{ballot}/close").status_code == 200
        assert m2.login("m2").status_code == 200
        out.append(_shape(m2.post(votes, json={"choice": ["m3"],
                                               "previous": second.json()["receipt_token"]})))
    return out


@pytest.fixture
def two_copies(template_db: tuple[Path, World], tmp_path: Path
               ) -> tuple[Callable[[bool], tuple[FastAPI, Clock]], World]:
    source, built = template_db

    def make(lane: bool) -> tuple[FastAPI, Clock]:
        target = tmp_path / f"lane-{lane}.db"
        shutil.copyfile(source, target)
        clock = Clock()
        app = create_app(world.settings(f"sqlite:///{target}", clock=clock))
        return (app if lane else _route_only(app)), clock

    return make, built


def test_the_lane_answers_every_request_as_the_route_does(
        two_copies: tuple[Callable[[bool], tuple[FastAPI, Clock]], World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    make, fed = two_copies
    taken: list[str] = []
    cast = CastingLane._cast

    def counted(self: CastingLane, ballot_id: str, session: str, vote: Any) -> bytes:
        taken.append(ballot_id)
        return cast(self, ballot_id, session, vote)

    monkeypatch.setattr(CastingLane, "_cast", counted)
    with_lane = _script(*make(True), fed)
    assert len(taken) == 11  # the lane cast (or refused through the service) these itself
    route_only = _script(*make(False), fed)
    assert len(taken) == 11  # ... and with the lane taken out, the route did it all
    assert [a["status"] for a in with_lane] == [
        201, 409, 201, 409, 422, 201, 404, 403,
        422, 422, 422, 422, 415, 422, 403, 403, 401, 409, 401, 409]
    for k, (a, b) in enumerate(zip(with_lane, route_only, strict=True)):
        assert a == b, f"request {k}: lane {a} != route {b}"
