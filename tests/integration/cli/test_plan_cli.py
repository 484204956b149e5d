"""The planning CLI, end to end through Typer: files in, tables and JSON out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from councilplan.cli.main import app
from councilplan.io import load_economy
from councilplan.planning import gross_output, labour_values

runner = CliRunner()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eco") / "small"
    res = runner.invoke(app, ["economy", "generate", "--products", "40", "--inputs", "6",
                              "--seed", "3", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["products"] == 40
    return out


def test_generate_npz_and_show(tmp_path: Path) -> None:
    out = tmp_path / "big.npz"
    res = runner.invoke(app, ["economy", "generate", "--products", "2000", "--inputs", "20",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["economy", "show", str(out), "--json"])
    info = json.loads(res.stdout)
    assert info["products"] == 2000
    assert info["spectral_radius"] == pytest.approx(0.5, abs=1e-4)


def test_values_json_matches_the_core(bundle: Path) -> None:
    res = runner.invoke(app, ["plan", "values", str(bundle), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    eco = load_economy(bundle)
    v = labour_values(eco)
    got = {row["product"]: row["value"] for row in out["labour_values"]}
    assert len(got) == eco.n
    for i, pid in enumerate(eco.products):
        assert got[pid] == pytest.approx(v[i], rel=1e-12)
    assert out["solve"]["residual"] <= 1e-10
    res = runner.invoke(app, ["plan", "values", str(bundle), "--top", "3"])
    assert res.exit_code == 0
    top = str(eco.products[int(np.argmax(v))])
    assert top in res.stdout


def test_solve_with_labour_share(bundle: Path) -> None:
    res = runner.invoke(app, ["plan", "solve", str(bundle), "--labour-share", "0.5", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["status"] == "optimal"
    eco = load_economy(bundle)
    x = gross_output(eco)
    assert out["labour_available"] == pytest.approx(0.5 * float(eco.labour @ x))
    assert out["binding"][0]["kind"] == "labour"
    assert len(out["activity"]) == eco.n
    human = runner.invoke(app, ["plan", "solve", str(bundle), "--labour-share", "0.5"])
    assert "Binding constraints" in human.stdout


def test_solve_with_needs_file_and_its_errors(bundle: Path, tmp_path: Path) -> None:
    eco = load_economy(bundle)
    p0, p1 = str(eco.products[0]), str(eco.products[1])
    good = tmp_path / "needs.csv"
    good.write_text(f"product,quantity,tier\n{p0},10,1\n{p1},5,2\n")
    res = runner.invoke(app, ["plan", "solve", str(bundle), "--needs", str(good), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out["thetas"]) == {"1", "2"}
    assert set(out["fulfilment"]) == {p0, p1}

    bad = tmp_path / "bad.csv"
    bad.write_text(f"product,quantity,tier\nnothing,1,1\n{p0},abc,1\n{p1},-2,1\n{p1},1,0\n")
    res = runner.invoke(app, ["plan", "solve", str(bundle), "--needs", str(bad)])
    assert res.exit_code == 2
    err = res.stderr
    assert "bad.csv:2 field product: unknown product 'nothing'" in err
    assert "bad.csv:3 field quantity: 'abc' is not a number" in err
    assert "bad.csv:4 field quantity" in err
    assert "bad.csv:5 field tier" in err
    assert "Traceback" not in res.output


def test_missing_bundle_is_a_clear_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["plan", "values", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "nope" in res.stderr


def test_import_symmetric_then_values(io_tables: Path, tmp_path: Path) -> None:
    out = tmp_path / "de"
    res = runner.invoke(app, ["plan", "import", "symmetric",
                              str(io_tables / "eurostat_manual_germany_1995_siot.csv"),
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["plan", "values", str(out), "--json"])
    values = [r["value"] for r in json.loads(res.stdout)["labour_values"]]
    assert sorted(np.round(values, 4)) == sorted([0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242])


def test_import_wiod(io_tables: Path, tmp_path: Path) -> None:
    out = tmp_path / "usa.npz"
    res = runner.invoke(app, ["plan", "import", "wiod", "--iot",
                              str(io_tables / "wiod2016_usaiot.csv"), "--sea",
                              str(io_tables / "wiod2016_usasea.csv"), "--year", "2010",
                              "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["products"] == 55
    eco = load_economy(out)
    assert eco.meta["year"] == 2010


def test_import_pymrio_test_system(tmp_path: Path) -> None:
    out = tmp_path / "mrio"
    res = runner.invoke(app, ["plan", "import", "pymrio", "--test-system", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert load_economy(out).n > 0


def test_demo_on_real_tables(io_tables: Path, monkeypatch: pytest.MonkeyPatch,
                             tmp_path: Path) -> None:
    monkeypatch.setenv("COUNCILPLAN_SHARED_DATA", str(io_tables.parent))
    res = runner.invoke(app, ["demo", "--no-serve", "--db", str(tmp_path / "demo.db")])
    assert res.exit_code == 0, res.output
    assert "WIOD 2016 release, USA 2014" in res.stdout
    assert "Biggest labour contents" in res.stdout
    assert "Binding constraints" in res.stdout


def test_demo_without_shared_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCILPLAN_SHARED_DATA", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["demo", "--no-serve"])
    assert res.exit_code == 0, res.output
    assert "Germany 1995" in res.stdout
    assert "shipped with councilplan" in res.stdout
    assert "Accommodation" not in res.stdout
