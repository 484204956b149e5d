"""``councilplan cycle ...``: the whole cycle through the CLI and CSV files, on SQLite
and PostgreSQL; bad files named by line and field, exit code 2, nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from councilplan.cli.main import app

Run = Callable[..., Result]

AT = "2026-01-04T09:00:00+00:00"
VOTE = "2026-01-05T09:00:00+00:00"
CLOSE = "2026-01-12T09:00:00+00:00"
LATER = "2026-04-02T09:00:00+00:00"


@pytest.fixture
def cli(db_url: URL) -> Run:
    target = db_url.render_as_string(hide_password=False)

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, [*args, "--db", target])

    return run


def _flat(text: str) -> str:
    """The output with the console's line wrapping undone."""
    return " ".join(text.split())


def _write(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


@pytest.fixture
def formed(cli: Run) -> Run:
    """A national council; region north with a farm, a smithy and a residential council;
    the farm's members elect north's delegate to the national council."""
    steps = [
        ("council", "create", "nat", "National council", "--kind", "national"),
        ("council", "create", "north", "North", "--kind", "regional", "--parent", "nat"),
        ("council", "create", "farm", "Farm", "--kind", "workplace", "--parent", "north"),
        ("council", "create", "smith", "Smithy", "--kind", "workplace", "--parent", "north"),
        ("council", "create", "res", "Residents", "--kind", "residential", "--parent", "north"),
        ("council", "admit", "farm", "f0"), ("council", "admit", "farm", "f1"),
        ("council", "admit", "smith", "s0"),
        ("council", "seat", "north", "north/del", "Delegate", "--delegate-to", "nat"),
        ("council", "election", "open", "north/del", "--candidates", "f0", "--ballot-id",
         "el1", "--days", "0.5"),
        ("council", "election", "cast", "el1", "f0", "f0"),
    ]
    for step in steps:
        done = cli(*step, "--at", "2026-01-01T09:00:00+00:00")
        assert done.exit_code == 0, (step, done.output)
    assert cli("council", "election", "close", "el1", "--at", "2026-01-02T09:00:00+00:00"
               ).exit_code == 0
    return cli


def test_the_whole_cycle_by_the_cli(formed: Run, tmp_path: Path) -> None:
    cli = formed
    products = _write(tmp_path / "products.csv", """
code,name,unit,cpa
grain,Grain,t,CPA_A01
tools,Tools,piece,CPA_C25
""")
    done = cli("cycle", "catalogue", "add", str(products), "--at", AT, "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["added"] == 2
    done = cli("cycle", "period", "open", "y26", "Plan 2026", "--from", "2026-01-01",
               "--to", "2027-01-01", "--at", AT)
    assert done.exit_code == 0, done.output
    assert "Q1, Q2, Q3, Q4; ratified by delegates (schulze)" in done.output
    techniques = _write(tmp_path / "techniques.csv", """
workplace,product,labour,capacity
farm,grain,2.0,
smith,tools,5.0,500
""")
    inputs = _write(tmp_path / "inputs.csv", """
workplace,product,input,quantity
farm,grain,tools,0.05
smith,tools,grain,0.2
""")
    done = cli("cycle", "techniques", "register", "y26", str(techniques), "--inputs",
               str(inputs), "--at", AT)
    assert done.exit_code == 0, done.output
    needs = _write(tmp_path / "needs.csv", """
council,product,quantity,tier,category,reason
res,grain,1000,1,,bread for the year
nat,tools,50,2,investment,new workshops
""")
    done = cli("cycle", "needs", "register", "y26", str(needs), "--at", AT)
    assert done.exit_code == 0, done.output
    assert "2 needs of 2 council(s)" in done.output
    shown = json.loads(cli("cycle", "needs", "show", "y26", "--json").output)
    assert {(r["product"], r["tier"]): r["origins"] for r in shown} == {
        ("grain", 1): [["north", 1000.0]], ("tools", 2): [["nat", 50.0]]}
    done = cli("cycle", "working-time", "y26", "nat", "--hours", "35", "--weeks", "46",
               "--at", AT)
    assert done.exit_code == 0, done.output
    done = cli("cycle", "working-time", "y26", "farm", "--hours", "35", "--weeks", "46",
               "--members", "2", "--at", AT, "--json")
    assert json.loads(done.output)["hours_available"] == (2 + 1) * 35 * 46
    done = cli("cycle", "variants", "compute", "y26", "--variant", "35h:A 35-hour week:hours=35",
               "--variant", "1h:A one-hour week:hours=1",
               "--variant", "invest:More investment:investment=2", "--at", AT)
    assert done.exit_code == 0, done.output
    assert "Every need is met in full" in done.output
    assert "Needs met: tier 1 needs at" in done.output
    done = cli("cycle", "ballot", "open", "y26", "--days", "7", "--ballot-id", "pb1",
               "--at", AT)
    assert done.exit_code == 0, done.output
    assert "delegates (an open, recorded vote), total weight 3: f0 3" in done.output
    done = cli("cycle", "ballot", "vote", "pb1", "f0", "invest", "35h", "1h", "--at", VOTE)
    assert done.exit_code == 0, done.output
    assert "with weight 3 (recorded)" in done.output
    done = cli("cycle", "ballot", "close", "pb1", "--at", CLOSE)
    assert done.exit_code == 0, done.output
    assert "adopted: invest" in done.output
    assert "f0 (3): invest > 35h > 1h" in done.output
    done = cli("cycle", "targets", "publish", "y26", "--at", CLOSE)
    assert done.exit_code == 0, done.output
    done = cli("cycle", "targets", "show", "y26", "farm")
    assert "receives" in done.output
    assert "from smith" in done.output
    assert "serves need" in done.output
    trace = json.loads(cli("cycle", "trace", "y26", "smith", "tools", "--json").output)
    assert trace["traced"] == pytest.approx(trace["output"], rel=1e-9)
    adopted = next(v for v in json.loads(cli("cycle", "period", "show", "y26", "--json")
                                          .output)["variants"] if v["status"] == "adopted")
    detail = json.loads(cli("cycle", "variants", "values", adopted["variant_id"], "--json")
                        .output)
    assert {p["product"] for p in detail["products"]} == {"grain", "tools"}
    assert all(p["labour_value"] > 0 for p in detail["products"])
    assert {c["council"]: c["share_met"] for c in detail["councils"]} == {"res": 1.0,
                                                                         "nat": 1.0}
    reports = _write(tmp_path / "reports.csv", """
sub_period,workplace,product,output,hours
Q1,farm,grain,100,200
Q1,smith,tools,10,50
""")
    done = cli("cycle", "report", "y26", str(reports), "--at", LATER)
    assert done.exit_code == 0, done.output
    done = cli("cycle", "progress", "y26", "--json")
    assert json.loads(done.output)["behind"] >= 1
    done = cli("cycle", "replan", "y26", "--from", "Q2", "--at", LATER)
    assert done.exit_code == 0, done.output
    assert "re-plans Q2, Q3, Q4" in done.output
    period = json.loads(cli("cycle", "period", "show", "y26", "--json").output)
    assert (period["revision"], period["status"]) == (2, "open")
    assert cli("audit", "verify").exit_code == 0
    variant = period["variants"][0]["variant_id"]
    assert cli("cycle", "variants", "verify", variant).exit_code == 0


def test_bad_files_are_refused_by_line_and_field(formed: Run, tmp_path: Path) -> None:
    cli = formed
    products = _write(tmp_path / "p.csv", "code,name,unit\ngrain,Grain,t\n")
    assert cli("cycle", "catalogue", "add", str(products), "--at", AT).exit_code == 0
    assert cli("cycle", "period", "open", "y26", "Plan", "--from", "2026-01-01", "--to",
               "2027-01-01", "--at", AT).exit_code == 0
    bad = _write(tmp_path / "t.csv", "workplace,product,labour\nfarm,grain,lots\n")
    done = cli("cycle", "techniques", "register", "y26", str(bad), "--at", AT)
    assert done.exit_code == 2
    assert "t.csv:2 field labour: 'lots' is not a number" in _flat(done.output)
    needs = _write(tmp_path / "n.csv", "council,product,quantity\nres,steel,5\nres,grain,-1\n")
    done = cli("cycle", "needs", "register", "y26", str(needs), "--at", AT)
    assert done.exit_code == 2
    assert "'steel' is not in the catalogue" in _flat(done.output)
    assert "is not a positive number" in _flat(done.output)
    period = json.loads(cli("cycle", "period", "show", "y26", "--json").output)
    assert (period["techniques"], period["needs"]) == (0, 0)
    done = cli("cycle", "variants", "compute", "y26", "--variant", "x:X:weekly=3")
    assert done.exit_code == 2
    assert "unknown setting 'weekly'" in _flat(done.output)
