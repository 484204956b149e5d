"""The binary economy file: exact round trips, lazy ids, bounded memory, atomic writes,
and malformed files named key by key."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from councilplan.errors import BundleError
from councilplan.io import load_economy, read_npz, write_npz
from councilplan.planning import Economy, SequentialIds, generate_economy


def test_round_trip_of_a_generated_economy_keeps_lazy_ids(
    tmp_path: Path, same_economy: Any
) -> None:
    eco = generate_economy(2000, 20, seed=3)
    write_npz(eco, tmp_path / "e.npz")
    back = read_npz(tmp_path / "e.npz")
    same_economy(eco, back)
    assert isinstance(back.products, SequentialIds)
    assert back.A.indices.dtype == eco.A.indices.dtype
    with np.load(tmp_path / "e.npz") as z:
        assert "products_prefix" in z.files
        assert "products_utf8" not in z.files
        assert "makes" not in z.files  # square: technique j makes product j
        for key in z.files:
            assert z[key].dtype != object


def test_round_trip_of_named_non_square_economy_with_resources(
    tmp_path: Path, bakery: Any, same_economy: Any
) -> None:
    from councilplan.io import read_bundle

    eco = read_bundle(bakery(tmp_path / "b"))
    eco = Economy.from_arrays(
        eco.A,
        eco.labour,
        makes=eco.makes,
        products=["brød", "flour", "pow,er"],
        techniques=eco.techniques,
        capacity=eco.capacity,
        needs=eco.needs,
        tiers=eco.tiers,
        product_names=eco.product_names,
        units=eco.units,
        R=sp.csr_array(np.array([[0.0, 0.0, 2.0, 0.0]])),
        resources=("coal",),
        resource_caps=[10.0],
        meta={"year": 2024, "name": "bakery"},
    )
    write_npz(eco, tmp_path / "e.npz")
    back = load_economy(tmp_path / "e.npz")
    same_economy(eco, back)
    assert back.meta == {"year": 2024, "name": "bakery"}


def test_an_id_with_a_nul_character_is_refused(tmp_path: Path, stray_files: Any) -> None:
    eco = Economy.from_matrix(
        np.array([[0.1, 0.0], [0.0, 0.1]]), [1.0, 1.0], products=["a\0b", "c"]
    )
    with pytest.raises(BundleError, match="cannot be stored"):
        write_npz(eco, tmp_path / "e.npz")
    assert stray_files(tmp_path) == []
    assert not (tmp_path / "e.npz").exists()


def test_malformed_files_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(BundleError, match=r"is not an economy \.npz file"):
        read_npz(bad)
    with pytest.raises(BundleError, match="no economy file"):
        read_npz(tmp_path / "absent.npz")
    np.savez(
        tmp_path / "partial.npz",
        format=np.array("councilplan-economy-npz"),
        version=np.array(1),
        shape=np.array([2, 2]),
    )
    with pytest.raises(BundleError) as exc:
        read_npz(tmp_path / "partial.npz")
    where = [p.where for p in exc.value.problems]
    assert "partial.npz field A_data" in where
    assert "partial.npz field tiers" in where
    assert len(where) == 7


def test_wrong_format_and_inconsistent_arrays(tmp_path: Path) -> None:
    eco = generate_economy(30, 4, seed=1)
    write_npz(eco, tmp_path / "e.npz")
    with np.load(tmp_path / "e.npz") as z:
        arrays = {k: z[k] for k in z.files}
    np.savez(tmp_path / "other.npz", **{**arrays, "format": np.array("something else")})
    with pytest.raises(BundleError, match="this version reads"):
        read_npz(tmp_path / "other.npz")
    np.savez(tmp_path / "short.npz", **{**arrays, "labour": arrays["labour"][:-1]})
    with pytest.raises(BundleError) as exc:
        read_npz(tmp_path / "short.npz")
    assert "labour" in str(exc.value)
    neg = arrays["labour"].copy()
    neg[3] = -1.0
    np.savez(tmp_path / "neg.npz", **{**arrays, "labour": neg})
    with pytest.raises(BundleError, match="negative labour"):
        read_npz(tmp_path / "neg.npz")


def test_no_pickles_are_ever_loaded(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "evil.npz", "w") as zf:
        zf.writestr("format.npy", b"junk")
    with pytest.raises(BundleError):
        read_npz(tmp_path / "evil.npz")


def test_a_failing_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stray_files: Any
) -> None:
    old = generate_economy(30, 4, seed=1)
    write_npz(old, tmp_path / "e.npz")
    before = (tmp_path / "e.npz").read_bytes()

    def savez_then_fail(file: object, *args: object, **kw: object) -> None:
        assert hasattr(file, "write")
        file.write(b"PK\x03\x04 half an archive")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", savez_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_npz(generate_economy(50, 4, seed=2), tmp_path / "e.npz")
    assert (tmp_path / "e.npz").read_bytes() == before
    assert stray_files(tmp_path) == []
    with pytest.raises(OSError, match="disk full"):
        write_npz(old, tmp_path / "new.npz")
    assert not (tmp_path / "new.npz").exists()
    assert stray_files(tmp_path) == []


def _big_economy(n: int, per_row: int) -> Economy:
    """n products, n * per_row nonzeros, every row summing to 0.48 (so rho <= 0.48)."""
    rng = np.random.default_rng(0)
    nnz = n * per_row
    indptr = np.arange(0, nnz + 1, per_row, dtype=np.int32)
    indices = rng.integers(0, n, size=nnz, dtype=np.int32)
    data = np.full(nnz, 0.48 / per_row)
    A = sp.csr_array((data, indices, indptr), shape=(n, n))
    A.sum_duplicates()
    return Economy.from_matrix(A, np.ones(n), needs=np.ones(n), check_productive=False)


def test_large_economies_are_written_without_copying_the_matrix(tmp_path: Path) -> None:
    eco = _big_economy(1_000_000, 12)
    a_bytes = eco.A.data.nbytes + eco.A.indices.nbytes + eco.A.indptr.nbytes
    vec_bytes = 4 * eco.n * 8
    assert a_bytes > 140 * 2**20
    tracemalloc.start()
    try:
        write_npz(eco, tmp_path / "big.npz")
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        back = read_npz(tmp_path / "big.npz", check_productive=False)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # np.savez streams each array in chunks of at most 16 MiB: no copy of A
    assert write_peak < 48 * 2**20, write_peak / 2**20
    # reading holds A's arrays once; the rest is the Economy's own validation and copies
    assert read_peak < 3 * (a_bytes + vec_bytes), read_peak / (a_bytes + vec_bytes)
    assert back.A.nnz == eco.A.nnz
    assert isinstance(back.products, SequentialIds)
    assert np.array_equal(back.A.indices, eco.A.indices)


def test_bundle_files_do_not_confuse_the_npz_reader(tmp_path: Path, files: Any) -> None:
    path = tmp_path / "products.npz"
    path.write_text(files["products.csv"])
    with pytest.raises(BundleError):
        load_economy(path)
