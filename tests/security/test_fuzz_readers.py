"""Fuzzing every reader of files from elsewhere: each input either parses or is refused
with an :class:`InvalidInput` -- never another exception, never a crash.

Readers: ``.blt`` ballot files, economy bundles (CSV and manifest), economy ``.npz``
files (arrays of every dtype and shape, missing and extra members, damaged bytes), needs
files, and the WIOD, BEA and symmetric table importers. Bounded (fixed examples,
derandomised): ``COUNCILPLAN_FUZZ_EXAMPLES=N`` for a longer, random search.
"""

from __future__ import annotations

import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from hostile_inputs import (
    BLT,
    BUNDLE,
    MANIFEST,
    NEEDS,
    arrays,
    bea_make,
    bea_use,
    blt_texts,
    csv_text,
    damaged,
    manifests,
    mutated_rows,
    symmetric,
    wiod_iot,
    wiod_sea,
)
from hypothesis import given
from hypothesis import strategies as st
from security_helpers import fuzz

from councilplan.errors import InvalidInput
from councilplan.io import read_bea, read_bundle, read_npz, read_symmetric, read_wiod, write_npz
from councilplan.io.blt import parse_blt, read_blt
from councilplan.io.needs import read_needs
from councilplan.planning import Economy


def parses_or_refuses(read: Callable[[], Any]) -> None:
    """``read()`` returns, or raises :class:`InvalidInput` saying what is wrong; any other
    exception fails the test."""
    refused: InvalidInput | None = None
    try:
        read()
    except InvalidInput as exc:
        refused = exc
    if refused is not None:
        assert refused.message
        assert str(refused)


def _folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="councilplan-fuzz-")


def test_the_valid_inputs_are_valid(tmp_path: Path) -> None:
    """The fixtures parse, so mutations start from inputs that reach the whole reader."""
    (tmp_path / "iot.csv").write_text(csv_text(wiod_iot()))
    (tmp_path / "sea.csv").write_text(csv_text(wiod_sea()))
    assert read_wiod(tmp_path / "iot.csv", tmp_path / "sea.csv").economy.n == 3
    (tmp_path / "use.csv").write_text(csv_text(bea_use()))
    (tmp_path / "make.csv").write_text(csv_text(bea_make()))
    assert read_bea(tmp_path / "use.csv", tmp_path / "make.csv").economy.n == 3
    (tmp_path / "sym.csv").write_text(csv_text(symmetric()))
    assert read_symmetric(tmp_path / "sym.csv").economy.n == 2
    eco = _bundle(tmp_path / "b", {})
    assert eco.n == 3
    assert eco.R is not None
    (tmp_path / "needs.csv").write_text(csv_text(NEEDS))
    assert read_needs(tmp_path / "needs.csv", eco).rows == 2
    assert parse_blt(BLT).seats == 2
    assert read_npz(_npz(tmp_path / "e.npz")).n == 3


# -- .blt ------------------------------------------------------------------------------------


@fuzz(400)
@given(text=blt_texts())
def test_blt_text(text: str) -> None:
    parses_or_refuses(lambda: parse_blt(text))
    parses_or_refuses(lambda: read_blt(text))  # a str is a path or the text itself


@fuzz(60)
@given(data=st.binary(max_size=300) | blt_texts().map(lambda t: t.encode("utf-8")))
def test_blt_file(data: bytes) -> None:
    with _folder() as d:
        path = Path(d) / "ballots.blt"
        path.write_bytes(data)
        parses_or_refuses(lambda: read_blt(path))
        parses_or_refuses(lambda: read_blt(str(path)))


# -- economy bundles and needs ------------------------------------------------------------------


def _bundle(folder: Path, changed: dict[str, bytes | None]) -> Economy:
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: csv_text(rows).encode() for name, rows in BUNDLE.items()}
    files["bundle.json"] = json.dumps(MANIFEST).encode()
    files.update(changed)
    for name, content in files.items():
        if content is not None:
            (folder / name).write_bytes(content)
    return read_bundle(folder)


@fuzz(250)
@given(file=st.sampled_from(sorted(BUNDLE)), data=st.data())
def test_bundle_csv(file: str, data: st.DataObject) -> None:
    content = data.draw(mutated_rows(BUNDLE[file]) | st.none(), label=file)
    with _folder() as d:
        parses_or_refuses(lambda: _bundle(Path(d) / "b", {file: content}))


@fuzz(80)
@given(manifest=manifests())
def test_bundle_manifest(manifest: bytes) -> None:
    with _folder() as d:
        parses_or_refuses(lambda: _bundle(Path(d) / "b", {"bundle.json": manifest}))


@fuzz(120)
@given(content=mutated_rows(NEEDS))
def test_needs_file(content: bytes) -> None:
    eco = Economy.from_matrix(sp.csr_array(np.array([[0.1, 0.2], [0.3, 0.1]])),
                              np.array([1.0, 1.0]), products=["bread", "power"])
    with _folder() as d:
        path = Path(d) / "needs.csv"
        path.write_bytes(content)
        parses_or_refuses(lambda: read_needs(path, eco))


# -- .npz ----------------------------------------------------------------------------------------


def _economy() -> Economy:
    A = sp.csr_array(np.array([[0.0, 0.2, 0.1, 0.0], [0.3, 0.0, 0.0, 0.1], [0.0, 0.1, 0.0, 0.2]]))
    return Economy.from_arrays(
        A, np.array([0.5, 0.2, 0.1, 0.05]), makes=np.array([0, 1, 2, 2]),
        products=["bread", "flour", "power"], techniques=["bake", "mill", "plant", "solar"],
        capacity=np.array([np.inf, 1000.0, np.inf, 200.0]), needs=np.array([100.0, 0, 50]),
        tiers=np.array([1, 1, 2]), product_names=["Bread", "Flour", "Power"],
        units=["loaf", "kg", "kWh"], R=sp.csr_array(np.array([[0.0, 0.3, 0.0, 0.0]])),
        resources=["land"], resource_caps=np.array([500.0]), meta={"year": 2024})


def _npz(path: Path) -> Path:
    write_npz(_economy(), path)
    return path


_MEMBERS = ("format", "version", "shape", "A_data", "A_indices", "A_indptr", "labour",
            "capacity", "needs", "tiers", "makes", "products_utf8", "techniques_utf8",
            "names_utf8", "units_utf8", "R_data", "R_indices", "R_indptr", "R_shape",
            "resources_utf8", "resource_caps", "meta_json", "techniques_same",
            "products_prefix")


@fuzz(300)
@given(changes=st.dictionaries(st.sampled_from(_MEMBERS), arrays | st.none(), min_size=1,
                               max_size=3),
       compressed=st.booleans())
def test_npz_arrays(changes: dict[str, Any], compressed: bool) -> None:
    with _folder() as d:
        src = _npz(Path(d) / "e.npz")
        with np.load(src) as z:
            found = {k: z[k] for k in z.files}
        for key, value in changes.items():
            if value is None:
                found.pop(key, None)
            else:
                found[key] = value
        out = Path(d) / "m.npz"
        (np.savez_compressed if compressed else np.savez)(out, **found)
        parses_or_refuses(lambda: read_npz(out))


@fuzz(150)
@given(data=st.data())
def test_npz_bytes(data: st.DataObject) -> None:
    with _folder() as d:
        raw = _npz(Path(d) / "e.npz").read_bytes()
        path = Path(d) / "m.npz"
        path.write_bytes(data.draw(damaged(raw)))
        parses_or_refuses(lambda: read_npz(path))


@fuzz(60)
@given(names=st.lists(st.sampled_from([*_MEMBERS, "x", "../evil", "a" * 300]).map(
    lambda n: n + ".npy"), max_size=6), payload=st.binary(max_size=64),
       method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_npz_members_that_are_not_arrays(names: list[str], payload: bytes, method: int) -> None:
    with _folder() as d:
        path = Path(d) / "m.npz"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", method) as zf, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a name twice: part of the attack
            for n in names:
                zf.writestr(n, payload)
        path.write_bytes(buf.getvalue())
        parses_or_refuses(lambda: read_npz(path))


# -- published tables ----------------------------------------------------------------------------


@fuzz(200)
@given(which=st.sampled_from(["iot", "sea"]), data=st.data())
def test_wiod_tables(which: str, data: st.DataObject) -> None:
    tables = {"iot": wiod_iot(), "sea": wiod_sea()}
    with _folder() as d:
        paths = {k: Path(d) / f"{k}.csv" for k in tables}
        for k, rows in tables.items():
            paths[k].write_bytes(data.draw(mutated_rows(rows)) if k == which
                                 else csv_text(rows).encode())
        parses_or_refuses(lambda: read_wiod(paths["iot"], paths["sea"]))


@fuzz(200)
@given(which=st.sampled_from(["use", "make"]), data=st.data())
def test_bea_tables(which: str, data: st.DataObject) -> None:
    tables = {"use": bea_use(), "make": bea_make()}
    with _folder() as d:
        paths = {k: Path(d) / f"{k}.csv" for k in tables}
        for k, rows in tables.items():
            paths[k].write_bytes(data.draw(mutated_rows(rows)) if k == which
                                 else csv_text(rows).encode())
        parses_or_refuses(lambda: read_bea(paths["use"], paths["make"]))


@fuzz(200)
@given(content=mutated_rows(symmetric()))
def test_symmetric_table(content: bytes) -> None:
    with _folder() as d:
        path = Path(d) / "table.csv"
        path.write_bytes(content)
        parses_or_refuses(lambda: read_symmetric(path))
