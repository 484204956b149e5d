"""Property: any valid economy survives a CSV bundle and an npz file exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilplan.io import read_bundle, read_npz, write_bundle, write_npz
from councilplan.planning import Economy

ID_CHARS = st.characters(
    codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\0"
)
IDS = st.text(ID_CHARS, min_size=1, max_size=8).map(str.strip).filter(bool)
FLOATS = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def economies(draw: Any) -> Economy:
    n = draw(st.integers(1, 6))
    extra = draw(st.integers(0, 3))
    m = n + extra
    products = draw(st.lists(IDS, min_size=n, max_size=n, unique=True))
    techniques = draw(st.lists(IDS, min_size=m, max_size=m, unique=True))
    makes = list(range(n)) + draw(st.lists(st.integers(0, n - 1), min_size=extra, max_size=extra))
    dense = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n * m, max_size=n * m)))
    mask = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)))
    A = (dense * mask).reshape(n, m) / (n + 1)  # column sums below 1: productive
    labour = draw(st.lists(FLOATS, min_size=m, max_size=m))
    capacity = draw(st.lists(st.one_of(FLOATS, st.just(np.inf)), min_size=m, max_size=m))
    needs = draw(st.lists(FLOATS, min_size=n, max_size=n))
    tiers = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    names = draw(st.one_of(st.none(), st.lists(IDS, min_size=n, max_size=n)))
    return Economy.from_arrays(
        sp.csr_array(A),
        labour,
        makes=makes,
        products=products,
        techniques=techniques,
        capacity=capacity,
        needs=needs,
        tiers=tiers,
        product_names=names,
    )


def _same(a: Economy, b: Economy) -> None:
    assert list(a.products) == list(b.products)
    assert list(a.techniques) == list(b.techniques)
    assert (a.A != b.A).nnz == 0
    for name in ("labour", "capacity", "needs", "tiers", "makes"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    if a.product_names is not None:
        assert list(a.product_names) == list(b.product_names or [])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(economies())
def test_any_economy_round_trips_through_csv_and_npz(eco: Economy) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_bundle(eco, Path(tmp) / "b")
        _same(eco, read_bundle(Path(tmp) / "b"))
        write_npz(eco, Path(tmp) / "e.npz")
        _same(eco, read_npz(Path(tmp) / "e.npz"))
