"""``councilplan dispute ...`` (the Typer app, run in-process) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from councilplan.cli import council as council_cli
from councilplan.cli import db as db_cli
from councilplan.cli import dispute as dispute_cli
from councilplan.cli.main import app as main_app

AT = "2025-03-03T09:00:00+00:00"

Run = Callable[..., Result]


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(db_cli.app, name="db")
    app.add_typer(council_cli.app, name="council")
    app.add_typer(dispute_cli.app, name="dispute")
    return app


@pytest.fixture
def cli(db_url: URL) -> Run:
    app = _app()
    target = db_url.render_as_string(hide_password=False)

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, [*args, "--db", target])

    return run


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def said(result: Result) -> str:
    """The output with line breaks undone (error messages wrap at the terminal width)."""
    return " ".join(result.output.split())


def data(result: Result) -> Any:
    return json.loads(ok(result))


@pytest.fixture
def on_strike(cli: Run) -> Run:
    """The Mill (w1..w6) in dispute pay25 with Acme Ltd; w1..w5 called out."""
    ok(cli("council", "create", "mill", "Mill workers' council", "--kind", "workplace",
           "--at", AT))
    for i in range(1, 7):
        ok(cli("council", "admit", "mill", f"w{i}", "--name", f"Worker {i}", "--at", AT))
    opened = data(cli("dispute", "open", "pay25", "--council", "mill", "--employer", "Acme Ltd",
                      "--demand", "5% on all rates", "--demand", "no compulsory redundancies",
                      "--jurisdiction", "GB", "--sector", "manufacturing", "--at", AT, "--json"))
    assert (opened["rules"], opened["demands"]) == (
        "gb-tua-2016@v1", ["5% on all rates", "no compulsory redundancies"])
    joined = ok(cli("dispute", "roster", "join", "pay25", "w1", "w2", "w3", "w4", "w5",
                    "--at", "2025-03-03T10:00"))
    assert "5 on strike" in joined
    return cli


def test_the_roster_and_the_committee_by_the_cli(on_strike: Run) -> None:
    cli = on_strike
    ok(cli("dispute", "roster", "dismiss", "pay25", "w4", "--at", "2025-03-03T11:00"))
    ok(cli("dispute", "roster", "reinstate", "pay25", "w4", "--at", "2025-03-03T12:00"))
    ok(cli("dispute", "roster", "return", "pay25", "w5", "--at", "2025-03-03T13:00"))
    refused = cli("dispute", "roster", "return", "pay25", "w5", "--at", "2025-03-03T14:00")
    assert refused.exit_code == 1
    assert "has returned to work already" in said(refused)
    roster = data(cli("dispute", "roster", "show", "pay25", "--at", "2025-03-04T00:00",
                      "--json"))
    assert (roster["size"], roster["strikers"]) == (4, ["w1", "w2", "w3", "w4"])
    assert [e["kind"] for e in roster["events"]][-3:] == ["dismissed", "reinstated", "returned"]
    history = ok(cli("dispute", "roster", "show", "pay25", "--history", "--at",
                     "2025-03-04T00:00"))
    assert "w5 returned" in history
    ok(cli("dispute", "committee", "seat", "pay25", "pay25/chair", "Chair", "--term-days", "60",
           "--at", "2025-03-04T09:00"))
    opened = ok(cli("dispute", "committee", "election", "pay25", "pay25/chair", "--candidates",
                    "w1,w2", "--ballot-id", "ce1", "--days", "2", "--at", "2025-03-04T09:00"))
    assert "electorate: 4 strikers" in opened
    outsider = cli("council", "election", "cast", "ce1", "w6", "w1", "--at", "2025-03-05T09:00")
    assert outsider.exit_code == 1
    assert "not in this ballot's electorate" in said(outsider)
    for m in ("w1", "w2", "w3"):
        ok(cli("council", "election", "cast", "ce1", m, "w1", "--at", "2025-03-05T09:00"))
    ok(cli("council", "election", "close", "ce1", "--at", "2025-03-06T09:00"))
    seats = data(cli("dispute", "committee", "show", "pay25", "--at", "2025-03-06T10:00",
                     "--json"))
    assert (seats[0]["holder_id"], seats[0]["holder_on_roster"]) == ("w1", True)
    petition = data(cli("dispute", "committee", "recall", seats[0]["mandate_id"], "--by", "w2",
                        "--petition-id", "pt1", "--at", "2025-03-07T09:00", "--json"))
    assert (petition["constituency_size"], petition["required"]) == (4, 1)
    signed = ok(cli("dispute", "committee", "sign", "pt1", "w2", "--at", "2025-03-07T10:00"))
    assert "recall ballot" in signed


def test_a_strike_ballot_offers_and_settlement_by_the_cli(on_strike: Run,
                                                         tmp_path: Path) -> None:
    cli = on_strike
    opened = ok(cli("dispute", "ballot", "open", "pay25", "--kind", "action", "--form", "strike",
                    "--days", "14", "--ballot-id", "b1", "--at", "2025-03-04T09:00"))
    assert "electorate (the roster at opening): 5 strikers" in opened
    for m, choice in (("w1", "yes"), ("w2", "YES"), ("w3", "yes"), ("w4", "spoilt")):
        ok(cli("dispute", "ballot", "cast", "b1", m, choice, "--at", "2025-03-05T09:00"))
    bad = cli("dispute", "ballot", "cast", "b1", "w5", "abstain", "--at", "2025-03-05T09:00")
    assert bad.exit_code == 2
    assert "yes, no or spoilt" in said(bad)
    outsider = cli("dispute", "ballot", "cast", "b1", "w6", "yes", "--at", "2025-03-05T09:00")
    assert outsider.exit_code == 1
    hidden = cli("dispute", "ballot", "notice", "b1")
    assert hidden.exit_code == 1
    closed = ok(cli("dispute", "ballot", "close", "b1", "--at", "2025-03-18T09:00"))
    for line in ("Entitled to vote: 5", "Votes cast (papers returned): 4", "Yes: 3", "No: 0",
                 "Spoilt or otherwise invalid: 1", "Turnout: 80.0% (4 of 5)",
                 "Result: CARRIED", "last day of action: 2025-09-17"):
        assert line in closed, line
    notice = data(cli("dispute", "ballot", "notice", "b1", "--json"))
    assert notice["notice"]["mandate_expires_at"] == "2025-09-17T23:00:00.000000+00:00"
    early = cli("dispute", "action", "call", "pay25", "--form", "strike", "--from", "2025-03-20",
                "--to", "2025-03-21", "--at", "2025-03-18T10:00")
    assert early.exit_code == 1
    assert "14 days' notice" in said(early)
    ok(cli("dispute", "action", "call", "pay25", "--form", "strike", "--from", "2025-03-26",
           "--to", "2025-03-27", "--notice-agreed", "--at", "2025-03-18T10:00"))
    extended = ok(cli("dispute", "mandate", "extend", "b1", "--at", "2025-04-01T09:00"))
    assert "2025-12-17" in extended

    offer_file = tmp_path / "offer.txt"
    offer_file.write_text("Acme offers 3% from 1 April 2025 and 2% from 1 January 2026.\n",
                          encoding="utf-8")
    recorded = data(cli("dispute", "offer", "record", "pay25", "--text-file", str(offer_file),
                        "--summary", "3% now, 2% in January", "--offer-id", "o1", "--at",
                        "2025-04-02T09:00", "--json"))
    assert recorded["published_to"] == 5
    listed = data(cli("dispute", "offer", "list", "pay25", "--json"))
    assert [o["offer_id"] for o in listed] == ["o1"]
    shown = ok(cli("dispute", "offer", "show", "o1"))
    assert "2% from 1 January 2026" in shown
    refused = cli("dispute", "settle", "pay25", "--offer", "o1", "--at", "2025-04-02T10:00")
    assert refused.exit_code == 1
    assert "negotiators have no power to accept" in said(refused)
    ok(cli("dispute", "ballot", "open", "pay25", "--kind", "offer", "--offer", "o1", "--days",
           "7", "--ballot-id", "ob1", "--at", "2025-04-03T09:00"))
    for m in ("w1", "w2", "w3", "w4"):
        ok(cli("dispute", "ballot", "cast", "ob1", m, "yes", "--at", "2025-04-04T09:00"))
    ok(cli("dispute", "ballot", "cast", "ob1", "w5", "no", "--at", "2025-04-04T09:00"))
    assert "the offer is accepted" in ok(cli("dispute", "ballot", "close", "ob1", "--at",
                                             "2025-04-10T09:00"))
    settled = ok(cli("dispute", "settle", "pay25", "--offer", "o1", "--at", "2025-04-10T10:00"))
    assert "accepted in ballot ob1" in settled
    shown = data(cli("dispute", "show", "pay25", "--at", "2025-04-11T09:00", "--json"))
    assert shown["dispute"]["status"] == "settled"
    assert [b["ballot_id"] for b in shown["ballots"]] == ["b1", "ob1"]
    assert shown["mandates"][0]["status"] == "revoked"
    human = ok(cli("dispute", "show", "pay25", "--at", "2025-04-11T09:00"))
    assert "settled 2025-04-10 on offer o1" in human
    listed = data(cli("dispute", "list", "--json"))
    assert [(d["dispute_id"], d["status"]) for d in listed] == [("pay25", "settled")]


def test_the_strike_fund_by_the_cli(on_strike: Run) -> None:
    cli = on_strike
    ok(cli("dispute", "fund", "contribute", "pay25", "600", "--source", "branch levy", "--at",
           "2025-03-04T09:00"))
    for m in ("w1", "w2", "w3"):
        ok(cli("dispute", "fund", "pay", "pay25", m, "2025-W10", "50.00", "--at",
               "2025-03-08T09:00"))
    twice = cli("dispute", "fund", "pay", "pay25", "w1", "2025-03-04", "5", "--at",
                "2025-03-08T09:00")
    assert twice.exit_code == 1
    assert "paid for 2025-W10 already" in said(twice)
    assert cli("dispute", "fund", "pay", "pay25", "w1", "2025-W99", "5").exit_code == 2
    assert cli("dispute", "fund", "pay", "pay25", "w1", "2025-W11", "lots").exit_code == 2
    runway = ok(cli("dispute", "fund", "runway", "pay25", "--at", "2025-03-10T09:00"))
    assert "Balance: 450.00 GBP" in runway
    assert "Weekly outflow: 37.50 GBP" in runway  # 150 over four weeks
    assert "Runway: 12.0 weeks" in runway
    fund = data(cli("dispute", "fund", "runway", "pay25", "--weeks", "1", "--at",
                    "2025-03-10T09:00", "--json"))
    assert (fund["weekly_outflow"], fund["runway_weeks"]) == ("150", "3")
    everyone = ok(cli("dispute", "fund", "pay-all", "pay25", "2025-W10", "50", "--at",
                      "2025-03-10T09:00"))
    assert "50.00 strike pay for 2025-W10 to 2 strikers: 100.00 in all" in everyone
    assert "3 paid for it already: w1, w2, w3" in everyone


def test_rules_and_errors_by_the_cli(cli: Run) -> None:
    rules = CliRunner().invoke(_app(), ["dispute", "rules", "--json"])
    assert [r["key"] for r in json.loads(rules.output)] == [
        "gb-tulrca-1992@v1", "gb-tua-2016@v1", "gb-tua-2016-ips@v1", "union-rules@v1"]
    one = CliRunner().invoke(_app(), ["dispute", "rules", "--jurisdiction", "GB", "--sector",
                                      "health", "--on", "2025-03-01"])
    assert one.exit_code == 0
    assert "gb-tua-2016-ips@v1" in said(one)
    assert "yes at least 40.0% of those entitled" in said(one)
    none = CliRunner().invoke(_app(), ["dispute", "rules", "--jurisdiction", "GB", "--sector",
                                       "health", "--on", "1999-03-01"])
    assert none.exit_code == 1
    assert "no rule set of GB is in force" in said(none)
    assert CliRunner().invoke(_app(), ["dispute", "rules", "--on", "2025-01-01"]).exit_code == 2
    unknown = cli("dispute", "show", "nope")
    assert unknown.exit_code == 1
    assert "dispute nope does not exist" in said(unknown)
    both = cli("dispute", "offer", "record", "x", "--summary", "s")
    assert both.exit_code == 2
    # registered in the main app with one line
    assert "dispute" in CliRunner().invoke(main_app, ["--help"]).output
