"""``councilplan demo --no-serve`` seeds the federation on the demo economy and exits;
the seeded database serves the pages and the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient
from typer.testing import CliRunner

from councilplan.api.app import create_app
from councilplan.api.settings import Settings
from councilplan.cli.federation import DEMO_PASSWORD
from councilplan.cli.main import app


def test_demo_no_serve_seeds_prints_the_logins_and_exits(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Address" in out
    assert "http://127.0.0.1:8000/" in out
    assert DEMO_PASSWORD in out
    assert "jonas" in out
    assert "Workplace councils" in out
    assert "labour value" in out
    again = CliRunner().invoke(app, ["demo", "--no-serve", "--db", str(db)])
    assert again.exit_code == 0
    assert "already" in again.output

    web = create_app(Settings(database_url=f"sqlite:///{db}", tick_seconds=0))
    with TestClient(web) as c:
        r = c.post("/api/session", json={"username": "jonas", "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        councils = {x["council_id"]: x for x in c.get("/api/councils").json()}
        assert {"national", "north", "riverside", "wp1"} <= set(councils)
        assert councils["riverside"]["constituency"] == 48
        ballots = [b for b in c.get("/api/ballots").json() if b["status"] == "open"]
        # the open election, and the ratification ballot on the plan's variants
        assert sorted(b["method"] for b in ballots) == ["schulze", "scottish-stv"]
        plans = c.get("/api/plan/periods").json()
        assert sorted(p["status"] for p in plans) == ["adopted", "open", "voting"]
        period = datetime.now(UTC).strftime("%Y-%m")  # the demo reports this month's wages
        detail = c.get("/api/councils/wp1", params={"period": period}).json()
        delegate = next(m for m in detail["mandates"] if m["seat_id"] == "wp1/delegate")
        assert delegate["status"] == "active"
        assert delegate["cap"] is not None
        assert delegate["pay"]
        assert float(delegate["pay"][-1]["amount"]) <= float(
            delegate["cap"]["cap"])
        assert c.get("/api/councils/wp2/petitions").status_code == 403  # not jonas's council
        c.post("/api/session", json={"username": "wanjiru", "password": DEMO_PASSWORD})
        petitions = c.get("/api/councils/wp2/petitions").json()
        assert len(petitions) == 1
        assert petitions[0]["status"] == "open"
        assert petitions[0]["signatures"] == petitions[0]["required"] - 1
        assert c.get("/api/audit/verify").json()["ok"] is True
        assert c.get("/councils/wp2").status_code == 200


def test_account_create_asks_for_the_password_and_the_login_works(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["council", "create", "mill", "Mill", "--kind", "workplace",
                               "--db", db]).exit_code == 0
    assert runner.invoke(app, ["council", "admit", "mill", "w01", "--db", db]).exit_code == 0
    short = runner.invoke(app, ["account", "create", "w01", "--db", db], input="short\nshort\n")
    assert short.exit_code == 2
    assert "too short" in short.output
    made = runner.invoke(app, ["account", "create", "w01", "--username", "ada", "--db", db],
                         input="a long password\na long password\n")
    assert made.exit_code == 0, made.output
    web = create_app(Settings(database_url=f"sqlite:///{db}", tick_seconds=0))
    with TestClient(web) as c:
        r = c.post("/api/session", json={"username": "ada", "password": "a long password"})
        assert r.status_code == 200
        assert r.json()["member_id"] == "w01"
