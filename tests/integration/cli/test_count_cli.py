"""``councilplan count``: the elected in order and the stages, human and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from councilplan.cli.main import app

runner = CliRunner()

# Tennessee capital example (SOURCES.md): Memphis 42, Nashville 26, Chattanooga 15,
# Knoxville 17 (per cent); the Condorcet and ranked-pairs winner is Nashville.
TENNESSEE = """4 1
42 1 2 3 4 0
26 2 3 4 1 0
15 3 4 2 1 0
17 4 3 2 1 0
0
"Memphis"
"Nashville"
"Chattanooga"
"Knoxville"
"Tennessee capital"
"""


def test_count_json_shape_and_condorcet_winner(tmp_path: Path) -> None:
    f = tmp_path / "tn.blt"
    f.write_text(TENNESSEE)
    for method in ("schulze", "ranked-pairs"):
        res = runner.invoke(app, ["count", str(f), "--method", method, "--json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["elected"] == ["Nashville"]
        assert isinstance(out["stages"], list)
    res = runner.invoke(app, ["count", str(f), "--method", "irv", "--json"])
    assert json.loads(res.stdout)["elected"] == [
        "Knoxville"
    ]  # IRV: Chattanooga out, then Nashville


def test_count_glasgow_ward_human(elections: Path) -> None:
    res = runner.invoke(app, ["count", str(elections / "glasgow-2007" / "Calton-2007.blt")])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert "quota 1300.00000" in lines[0]
    assert lines[1:4] == ["  1. George Redmond", "  2. Alison E Thewliss", "  3. Ruth Simpson"]
    assert "stage 2: surplus transfer of George Redmond" in res.stdout


def test_malformed_ballot_file_names_the_lines(tmp_path: Path) -> None:
    f = tmp_path / "bad.blt"
    f.write_text('3 1\n1 1 2 0\nx 2 0\n1 9 0\n0\n"A"\n"B"\n"C"\n"t"\n')
    res = runner.invoke(app, ["count", str(f)])
    assert res.exit_code == 2
    assert "line 3" in res.stderr
    assert "line 4" in res.stderr
    assert "Traceback" not in res.output
