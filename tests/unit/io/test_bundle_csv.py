"""Economy bundles as CSV folders: exact round trips, every fault named file:line:field,
and atomic writes that never leave a half-written bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from councilplan.errors import BundleError, NotProductiveError
from councilplan.io import bundle as bundle_mod
from councilplan.io import load_economy, read_bundle, save_economy, write_bundle
from councilplan.planning import Economy, generate_economy, gross_output, labour_values

# ---------------------------------------------------------------------------- reading


def test_hand_written_bundle_reads_as_the_economy_it_describes(tmp_path: Path, bakery: Any) -> None:
    eco = read_bundle(bakery(tmp_path / "b"))
    assert list(eco.products) == ["bread", "flour", "power"]
    assert list(eco.techniques) == ["bake", "mill", "plant", "solar"]
    assert list(eco.makes) == [0, 1, 2, 2]
    assert eco.A[1, 0] == 0.6
    assert eco.A[2, 0] == 0.3
    assert eco.A[1, 3] == 0.01
    assert list(eco.capacity) == [np.inf, 1000.0, np.inf, 200.0]
    assert list(eco.needs) == [100.0, 0.0, 50.0]
    assert list(eco.tiers) == [1, 1, 2]
    assert list(eco.product_names or []) == ["Bread", "Flour", "Electricity"]
    assert eco.meta["name"] == "bakery"
    assert eco.meta["year"] == 2024
    # gross output with the primary techniques (bake, mill, plant), worked by hand:
    # x_power = 50 + 0.3 x_bread + 0.2 x_flour + 0.05 x_power, x_flour = 0.6 * 100
    x = gross_output(eco)
    assert x[0] == pytest.approx(100.0)
    assert x[1] == pytest.approx(60.0)
    assert x[2] == pytest.approx((50 + 30 + 12) / 0.95)


def test_read_through_the_manifest_and_load_economy(
    tmp_path: Path, bakery: Any, same_economy: Any
) -> None:
    folder = bakery(tmp_path / "b")
    a = read_bundle(folder / "bundle.json")
    b = load_economy(folder)
    same_economy(a, b)


def test_spaces_blank_lines_bom_and_header_case_are_tolerated(
    tmp_path: Path, bakery: Any, bundle_faults: Any
) -> None:
    folder = bakery(
        tmp_path / "b",
        products_csv="\ufeffID , Name,UNIT\n\nbread , Bread,loaf\n flour,Flour,kg\npower,,\n\n",
        inputs_csv=(
            "technique, product, quantity\n"
            "bake, flour, 0.6\nbake,power, 3e-1\nmill,power,0.2\n\nplant,power,.05\n"
        ),
    )
    eco = read_bundle(folder)
    assert list(eco.products) == ["bread", "flour", "power"]
    assert eco.A[2, 0] == 0.3
    assert list(eco.product_names or []) == ["Bread", "Flour", "power"]  # blank name: id


# ---------------------------------------------------------------------------- bundle_faults


def test_a_field_that_is_not_a_number(
    tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any
) -> None:
    text = files["inputs.csv"].replace("bake,power,0.3", "bake,power,abc")
    got = bundle_faults(bakery(tmp_path / "b", inputs_csv=text))
    assert got == ["inputs.csv:3 field quantity: 'abc' is not a number"]


def test_an_unknown_product(tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any) -> None:
    text = files["inputs.csv"] + "bake,sugar,0.1\n"
    got = bundle_faults(bakery(tmp_path / "b", inputs_csv=text))
    assert got == ["inputs.csv:7 field product: unknown product 'sugar' (not in products.csv)"]


def test_an_unknown_technique_and_a_technique_making_an_unknown_product(
    tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any
) -> None:
    folder = bakery(
        tmp_path / "b",
        inputs_csv=files["inputs.csv"] + "oven,flour,0.1\n",
        techniques_csv=files["techniques.csv"] + "brew,beer,1,\n",
    )
    got = bundle_faults(folder)
    assert "inputs.csv:7 field technique: unknown technique 'oven' (not in techniques.csv)" in got
    assert "techniques.csv:6 field product: unknown product 'beer' (not in products.csv)" in got


def test_duplicate_ids(tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any) -> None:
    folder = bakery(
        tmp_path / "b",
        products_csv=files["products.csv"] + "flour,Rye flour,kg\n",
        techniques_csv=files["techniques.csv"] + "mill,flour,0.3,\n",
    )
    got = bundle_faults(folder)
    assert "products.csv:5 field id: duplicate product id 'flour' (first at line 3)" in got
    assert "techniques.csv:6 field id: duplicate technique id 'mill' (first at line 3)" in got
    assert len(got) == 2


def test_a_missing_column(tmp_path: Path, bakery: Any, bundle_faults: Any) -> None:
    text = "id,product,capacity\nbake,bread,\nmill,flour,\nplant,power,\n"
    got = bundle_faults(bakery(tmp_path / "b", techniques_csv=text))
    assert (
        got[0] == "techniques.csv:1 field labour: missing column (the header has "
        "id,product,capacity)"
    )
    # with techniques.csv unreadable, nothing else is blamed on it
    assert len(got) == 1


def test_a_missing_file(tmp_path: Path, bakery: Any, bundle_faults: Any) -> None:
    got = bundle_faults(bakery(tmp_path / "b", needs_csv=None))
    assert got == [
        "needs.csv: missing file (a bundle has needs.csv with columns product,quantity,tier)"
    ]


def test_a_missing_manifest_and_a_wrong_one(
    tmp_path: Path, bakery: Any, bundle_faults: Any
) -> None:
    got = bundle_faults(bakery(tmp_path / "a", bundle_json=None))
    assert len(got) == 1
    assert got[0].startswith("bundle.json: missing file")
    got = bundle_faults(bakery(tmp_path / "b", bundle_json='{"format": "x",\n "version": 9}'))
    assert "bundle.json field format: 'x' is not 'councilplan-economy-bundle'" in got
    assert any(g.startswith("bundle.json field version: version 9 is newer") for g in got)
    got = bundle_faults(bakery(tmp_path / "c", bundle_json='{"format": \n nope}'))
    assert got[0].startswith("bundle.json:2: not valid JSON")


def test_nan_infinite_and_negative_numbers(tmp_path: Path, bakery: Any, bundle_faults: Any) -> None:
    text = (
        "id,product,labour,capacity\n"
        "bake,bread,nan,\n"
        "mill,flour,-1,1000\n"
        "plant,power,inf,-5\n"
        "solar,power,0.05,nan\n"
    )
    got = bundle_faults(bakery(tmp_path / "b", techniques_csv=text))
    assert got == [
        "techniques.csv:2 field labour: 'nan' is not a finite number",
        "techniques.csv:4 field labour: 'inf' is not a finite number",
        "techniques.csv:3 field labour: negative labour -1",
        "techniques.csv:5 field capacity: 'nan' is not a finite number",
        "techniques.csv:4 field capacity: negative capacity -5",
    ]


def test_negative_inputs_and_needs_and_bad_tiers(
    tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any
) -> None:
    folder = bakery(
        tmp_path / "b",
        inputs_csv=files["inputs.csv"].replace("mill,power,0.2", "mill,power,-0.2"),
        needs_csv="product,quantity,tier\nbread,-100,1\npower,50,1.5\nflour,1,0\n",
    )
    got = bundle_faults(folder)
    assert "inputs.csv:4 field quantity: negative quantity -0.2" in got
    assert "needs.csv:2 field quantity: negative need -100" in got
    assert "needs.csv:3 field tier: '1.5' is not a tier 1, 2, 3..." in got
    assert "needs.csv:4 field tier: '0' is not a tier 1, 2, 3..." in got
    assert len(got) == 4


def test_empty_fields_wrong_field_counts_and_duplicate_rows(
    tmp_path: Path, bakery: Any, bundle_faults: Any
) -> None:
    folder = bakery(
        tmp_path / "b",
        inputs_csv=(
            "technique,product,quantity\n"
            "bake,flour,0.6\n"
            "bake,flour,0.5\n"  # the same input twice
            "bake,,0.3\n"  # no product
            "mill,power\n"  # a field short
            "plant,power,0.05,9\n"  # a field too many
        ),
        needs_csv="product,quantity,tier\nbread,100,1\nbread,5,1\n",
    )
    got = bundle_faults(folder)
    assert "inputs.csv:3: duplicate input: this technique and product (first at line 2)" in got
    assert "inputs.csv:4 field product: empty: a product id is needed" in got
    assert "inputs.csv:5: 2 fields, but the header has 3" in got
    assert "inputs.csv:5 field quantity: empty: the quantity is needed" in got
    assert "inputs.csv:6: 4 fields, but the header has 3" in got
    assert "needs.csv:3: duplicate need for this product (first at line 2)" in got


def test_a_product_nobody_makes(
    tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any
) -> None:
    folder = bakery(tmp_path / "b", products_csv=files["products.csv"] + "salt,Salt,kg\n")
    assert bundle_faults(folder) == [
        "products.csv:5 field id: no technique in techniques.csv makes product 'salt'"
    ]


def test_several_faults_in_several_files_are_reported_together(
    tmp_path: Path, bakery: Any, bundle_faults: Any, files: Any
) -> None:
    folder = bakery(
        tmp_path / "b",
        products_csv=files["products.csv"] + "bread,Again,loaf\n",
        techniques_csv=files["techniques.csv"].replace("0.2,1000", "x,1000"),
        inputs_csv=files["inputs.csv"] + "bake,sugar,0.1\nbake,power,NaN\n",
        needs_csv=None,
    )
    got = bundle_faults(folder)
    assert got == [
        "needs.csv: missing file (a bundle has needs.csv with columns product,quantity,tier)",
        "products.csv:5 field id: duplicate product id 'bread' (first at line 2)",
        "techniques.csv:3 field labour: 'x' is not a number",
        "inputs.csv:7 field product: unknown product 'sugar' (not in products.csv)",
        "inputs.csv:8 field quantity: 'NaN' is not a finite number",
        "inputs.csv:8: duplicate input: this technique and product (first at line 3)",
    ]


def test_many_faults_of_one_kind_are_capped_but_counted(
    tmp_path: Path, bakery: Any, bundle_faults: Any
) -> None:
    rows = "".join(f"bake,flour,bad{k}\n" for k in range(250))
    folder = bakery(tmp_path / "b", inputs_csv="technique,product,quantity\n" + rows)
    got = bundle_faults(folder)
    listed = [g for g in got if "is not a number" in g]
    assert len(listed) == 200
    assert any("... and 50 more like the above (not a number)" in g for g in got)


def test_a_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="is not an economy bundle"):
        read_bundle(tmp_path / "nothing")
    with pytest.raises(BundleError, match="cannot tell what kind"):
        load_economy(tmp_path / "nothing.txt")


def test_an_unproductive_bundle_blames_its_products(
    tmp_path: Path, bakery: Any, files: Any
) -> None:
    text = files["inputs.csv"].replace("plant,power,0.05", "plant,power,1.5")
    folder = bakery(tmp_path / "b", inputs_csv=text)
    with pytest.raises(NotProductiveError) as exc:
        read_bundle(folder)
    assert "power" in exc.value.products
    eco = read_bundle(folder, check_productive=False)
    assert eco.A[2, 2] == 1.5


def test_not_utf8(tmp_path: Path, bakery: Any, bundle_faults: Any) -> None:
    folder = bakery(tmp_path / "b")
    (folder / "products.csv").write_bytes(b"id,name,unit\nbread,Br\xe9d,loaf\n")
    got = bundle_faults(folder)
    assert got[0].startswith("products.csv: not UTF-8 text")


# ---------------------------------------------------------------------------- round trips


def test_round_trip_of_a_hand_economy_with_every_part(
    tmp_path: Path, bakery: Any, same_economy: Any
) -> None:
    eco = read_bundle(bakery(tmp_path / "b"))
    eco2 = Economy.from_arrays(
        eco.A,
        eco.labour,
        makes=eco.makes,
        products=eco.products,
        techniques=eco.techniques,
        capacity=eco.capacity,
        needs=eco.needs,
        tiers=eco.tiers,
        product_names=["Bread, white", 'Flour "00"', "Electricity"],
        units=eco.units,
        R=sp.csr_array(np.array([[0.0, 0.0, 2.0, 0.0], [1.0, 0.5, 0.0, 0.0]])),
        resources=("coal t", "land ha"),
        resource_caps=[1e3, np.inf],
        meta={"k": [1, 2]},
    )
    write_bundle(eco2, tmp_path / "copy")
    back = read_bundle(tmp_path / "copy")
    same_economy(eco2, back)
    assert back.meta["k"] == [1, 2]


@pytest.mark.parametrize("suffix", ["", ".npz"])
def test_round_trip_of_a_generated_economy(tmp_path: Path, suffix: str, same_economy: Any) -> None:
    eco = generate_economy(500, 12, seed=7)
    path = save_economy(eco, tmp_path / f"gen{suffix}")
    back = load_economy(path)
    same_economy(eco, back)
    assert np.array_equal(labour_values(eco), labour_values(back))


def test_round_trip_keeps_techniques_equal_to_products(tmp_path: Path) -> None:
    eco = Economy.from_matrix(np.array([[0.1, 0.2], [0.0, 0.3]]), [1.0, 2.0], products=["a", "b"])
    write_bundle(eco, tmp_path / "sq")
    back = read_bundle(tmp_path / "sq")
    assert back.is_square
    assert back.techniques is back.products
    assert back.product_names is None
    assert back.units is None


def test_ids_that_cannot_round_trip_are_refused(tmp_path: Path) -> None:
    eco = Economy.from_matrix(np.array([[0.1]]), [1.0], products=[" padded"])
    with pytest.raises(BundleError, match="cannot be written") as exc:
        write_bundle(eco, tmp_path / "x")
    assert "products[0]" in str(exc.value)
    assert not (tmp_path / "x").exists()


# ---------------------------------------------------------------------------- atomic writes


def test_a_failing_write_leaves_no_bundle_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stray_files: Any
) -> None:
    eco = generate_economy(50, 5, seed=1)
    real = bundle_mod._write_files

    def half_then_fail(e: Economy, tmp: Path) -> None:
        real(e, tmp)
        (tmp / "inputs.csv").write_text("technique,product,quantity\nP0,P1,0.1\n")
        raise OSError("disk full")

    monkeypatch.setattr(bundle_mod, "_write_files", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_bundle(eco, tmp_path / "b")
    assert not (tmp_path / "b").exists()
    assert stray_files(tmp_path) == []


def test_a_failing_rewrite_keeps_the_old_bundle_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, same_economy: Any, stray_files: Any
) -> None:
    old = generate_economy(40, 5, seed=1)
    write_bundle(old, tmp_path / "b")
    before = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}

    def fail(e: Economy, tmp: Path) -> None:
        (tmp / "products.csv").write_text("id\nP0\n")
        raise RuntimeError("killed midway")

    monkeypatch.setattr(bundle_mod, "_write_files", fail)
    with pytest.raises(RuntimeError):
        write_bundle(generate_economy(60, 5, seed=2), tmp_path / "b")
    after = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert after == before
    assert stray_files(tmp_path) == []
    same_economy(old, read_bundle(tmp_path / "b"))


def test_a_successful_rewrite_replaces_the_bundle(
    tmp_path: Path, same_economy: Any, stray_files: Any
) -> None:
    write_bundle(generate_economy(40, 5, seed=1), tmp_path / "b")
    new = generate_economy(60, 5, seed=2)
    write_bundle(new, tmp_path / "b")
    same_economy(new, read_bundle(tmp_path / "b"))
    assert stray_files(tmp_path) == []


def test_a_folder_that_is_not_a_bundle_is_never_overwritten(
    tmp_path: Path, stray_files: Any
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("years of work")
    with pytest.raises(BundleError, match="will not write a bundle over"):
        write_bundle(generate_economy(10, 3, seed=1), tmp_path / "docs")
    assert (tmp_path / "docs" / "thesis.txt").read_text() == "years of work"
    assert stray_files(tmp_path) == []
