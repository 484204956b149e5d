"""Catalogue products from imported tables and the plan cycle's CSV files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from councilplan.errors import BundleError
from councilplan.io.catalogue import cpa_of_wiod, products_from_economy, read_products_csv
from councilplan.io.plan_files import read_needs_csv, read_reports_csv, read_techniques_csv
from councilplan.planning import Economy


def _write(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def test_wiod_codes_map_to_nace_cpa_and_isic() -> None:
    assert cpa_of_wiod("A01") == "CPA_A01"
    assert cpa_of_wiod("C10-C12") == "CPA_C10-12"
    assert cpa_of_wiod("M69_M70") == "CPA_M69_70"
    assert cpa_of_wiod("Q") == "CPA_Q"
    eco = Economy.from_matrix(np.zeros((2, 2)), [1.0, 1.0], products=["A01", "C10-C12"],
                              product_names=["Crop and animal production", "Food"],
                              units=["million USD", "million USD"])
    products = products_from_economy(eco, "wiod", prefix="us:")
    assert [p.code for p in products] == ["us:A01", "us:C10-C12"]
    assert dict(products[1].classifications) == {"cpa": "CPA_C10-12", "isic": "C10-C12",
                                                 "nace": "C10-C12", "wiod": "C10-C12"}
    assert products[0].unit == "million USD"


def test_bea_codes_map_to_naics() -> None:
    eco = Economy.from_matrix(np.zeros((2, 2)), [1.0, 1.0], products=["1111A0", "S00101"])
    products = products_from_economy(eco, "bea")
    assert dict(products[0].classifications) == {"bea": "1111A0", "naics": "1111"}
    assert dict(products[1].classifications) == {"bea": "S00101"}


def test_a_products_file_names_every_fault(tmp_path: Path) -> None:
    good = _write(tmp_path / "p.csv", "code,name,unit,cpa\ngrain,Grain,t,CPA_A01\n")
    assert read_products_csv(good)[0].classifications["cpa"] == "CPA_A01"
    bad = _write(tmp_path / "bad.csv", "code,name,unit\n,Nothing,t\nok,Fine,\n")
    with pytest.raises(BundleError) as info:
        read_products_csv(bad)
    assert [p.where for p in info.value.problems] == [f"{bad}:2", f"{bad}:3"]


def test_needs_techniques_and_reports_from_csv(tmp_path: Path) -> None:
    needs = read_needs_csv(_write(tmp_path / "n.csv", """
council,product,quantity,tier,category,reason
res,grain,10,1,,bread
nat,tools,2.5,3,investment,
"""))
    assert needs.councils == ["res", "nat"]
    assert needs.quantities.tolist() == [10.0, 2.5]
    assert needs.tiers.tolist() == [1, 3]
    assert needs.categories == ["", "investment"]
    tech = read_techniques_csv(
        _write(tmp_path / "t.csv", "product,labour,capacity\ngrain,2,\ntools,5,100\n"),
        _write(tmp_path / "i.csv", "product,input,quantity\ngrain,tools,0.05\n"),
        workplace="farm")
    assert tech.rows() == [
        {"workplace": "farm", "product": "grain", "labour": 2.0, "capacity": None,
         "inputs": {"tools": 0.05}},
        {"workplace": "farm", "product": "tools", "labour": 5.0, "capacity": 100.0,
         "inputs": {}}]
    reports = read_reports_csv(_write(tmp_path / "r.csv", """
sub_period,workplace,product,output,hours
Q1,farm,grain,100,250
"""))
    assert reports[0].output == 100.0


def test_bad_plan_files_are_named_by_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(BundleError) as info:
        read_needs_csv(_write(tmp_path / "n.csv", "product,quantity,tier\ngrain,x,1.5\n"),
                       council="res")
    assert {p.where for p in info.value.problems} == {f"{tmp_path}/n.csv:2 field quantity",
                                                      f"{tmp_path}/n.csv:2 field tier"}
    t = _write(tmp_path / "t.csv", "workplace,product,labour\nfarm,grain,1\nfarm,grain,2\n")
    i = _write(tmp_path / "i.csv", "workplace,product,input,quantity\nfarm,milk,grain,1\n")
    with pytest.raises(BundleError) as info:
        read_techniques_csv(t, i)
    text = "\n".join(str(p) for p in info.value.problems)
    assert "makes grain on line 2 already" in text
    assert "no technique of farm for 'milk'" in text
    with pytest.raises(BundleError, match="lacks columns"):
        read_reports_csv(_write(tmp_path / "r.csv", "sub_period,output\nQ1,3\n"))
    with pytest.raises(BundleError, match="unknown columns"):
        read_needs_csv(_write(tmp_path / "u.csv", "council,product,quantity,colour\n"))
