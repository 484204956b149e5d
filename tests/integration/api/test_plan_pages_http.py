"""The plan pages through HTTP (the server-rendered HTML), on the test world: the
delegates' open vote on Riverside's plan -- the weights listed, a delegate's ranking
recorded with their weight, a bad paper refused naming the fault, anybody else refused,
the roll call published at the close -- and the pages of a period read by its members."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from tests.integration.api.conftest import Client
from tests.integration.api.plan_world import PLAN_BALLOT, VOTING_PERIOD
from tests.integration.api.world import DAY, World


def _client(app: FastAPI, username: str) -> Client:
    c = Client(app)
    c.__enter__()
    assert c.login(username).status_code == 200
    return c


def test_a_delegate_records_a_weighted_vote_and_the_roll_call_is_published(
        app: FastAPI, clock: Any) -> None:
    delegate, member = _client(app, "del_m"), _client(app, "m1")
    try:
        url = f"/plan/{VOTING_PERIOD}/ballot"
        shown = delegate.get(url)
        assert shown.status_code == 200, shown.text
        weight = re.search(r"Your vote \(weight ([0-9/]+)\)", shown.text)
        assert weight is not None, shown.text
        assert "Name of del_m" in shown.text
        assert "works" in shown.text
        assert "Record my vote" not in member.get(url).text  # not a delegate: no paper
        refused = member.post(f"{url}/vote", data={"rank": ["1", "2"]})
        assert refused.status_code == 403
        twice = delegate.post(f"{url}/vote", data={"rank": ["1", "1"]})
        assert twice.status_code == 422
        assert "preference 1 is given twice" in twice.text
        # the paper lists the variants by key: 2h, then 35h
        recorded = delegate.post(f"{url}/vote", data={"rank": ["1", "2"]})
        assert recorded.status_code == 201, recorded.text
        assert f"Your vote is recorded</strong> with weight {weight.group(1)}: 2h, 35h" \
            in recorded.text
        assert "The roll call" not in member.get(url).text  # published at the close
        clock.now += 7 * DAY
        assert member.login("m1").status_code == 200
        assert member.post(f"/api/ballots/{PLAN_BALLOT}/close").status_code == 200
        after = member.get(url).text
        assert "Adopted: <strong>2h: A 2-hour week</strong>" in after
        row = re.search(r"<tr><th scope=\"row\">Name of del_m</th><td class=\"num\">"
                        r"([0-9/]+)</td><td>([^<]+)</td></tr>", after)
        assert row is not None
        assert row.groups() == (weight.group(1), "2h, 35h")
    finally:
        delegate.__exit__(None, None, None)
        member.__exit__(None, None, None)


def test_the_period_pages_are_read_by_its_federation(app: FastAPI, fed: World) -> None:
    member = _client(app, "w1")  # of the Works
    try:
        for path in ("/plan", f"/plan/{fed.plan_period}", f"/plan/{fed.plan_period}/needs",
                     f"/plan/{fed.plan_period}/variants", f"/plan/{fed.adopted_period}/targets",
                     f"/plan/{fed.adopted_period}/values?q=steel", f"/plan/{fed.adopted_period}"
                     "/ballot"):
            r = member.get(path)
            assert r.status_code == 200, (path, r.text[:500])
        targets = member.get(f"/plan/{fed.adopted_period}/targets").text
        assert "Targets of Works council" in targets
        assert "Inputs, by supplier" in targets
        values = member.get(f"/plan/{fed.adopted_period}/values?q=sheet").text
        assert "1 product matching" in values
        assert "steel" in values
        assert "cloth" not in values
        # not a planner: no form to compute variants; the Mill's needs are not theirs
        assert "Compute a variant" not in member.get(f"/plan/{fed.plan_period}/variants").text
        r = member.post(f"/plan/{fed.plan_period}/needs",
                        data={"council": "mill", "product": "cloth", "quantity": "3"})
        assert r.status_code == 403
        assert "only the members of council mill" in r.text
        r = member.post(f"/plan/{fed.plan_period}/needs",
                        data={"council": "works", "product": "", "quantity": "-1", "tier": "0"})
        assert r.status_code == 422
        for field in ("Product", "Quantity", "Tier"):
            assert f"<strong>{field}:</strong>" in r.text, field
    finally:
        member.__exit__(None, None, None)
