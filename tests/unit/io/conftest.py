"""Shared helpers for the bundle tests: a small hand-written bundle, exact comparison."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from councilplan.errors import BundleError
from councilplan.io import read_bundle
from councilplan.planning import Economy

FILES = {
    "bundle.json": json.dumps(
        {
            "format": "councilplan-economy-bundle",
            "version": 1,
            "name": "bakery",
            "source": "hand-written",
            "notes": "",
            "meta": {"year": 2024},
        }
    ),
    "products.csv": "id,name,unit\nbread,Bread,loaf\nflour,Flour,kg\npower,Electricity,kWh\n",
    "techniques.csv": (
        "id,product,labour,capacity\n"
        "bake,bread,0.5,\n"
        "mill,flour,0.2,1000\n"
        "plant,power,0.1,\n"
        "solar,power,0.05,200\n"
    ),
    "inputs.csv": (
        "technique,product,quantity\n"
        "bake,flour,0.6\n"
        "bake,power,0.3\n"
        "mill,power,0.2\n"
        "plant,power,0.05\n"
        "solar,flour,0.01\n"
    ),
    "needs.csv": "product,quantity,tier\nbread,100,1\npower,50,2\n",
}


def make_bundle(folder: Path, **changes: str | None) -> Path:
    """Write the bakery bundle, with some files replaced (``None``: left out)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        key = name.replace(".", "_")
        content = changes.get(key, text) if key in changes else text
        if content is not None:
            (folder / name).write_text(content, encoding="utf-8")
    return folder


def faults(folder: Path) -> list[str]:
    with pytest.raises(BundleError) as exc:
        read_bundle(folder)
    return [str(p) for p in exc.value.problems]


def assert_same_economy(a: Economy, b: Economy) -> None:
    assert list(a.products) == list(b.products)
    assert list(a.techniques) == list(b.techniques)
    assert a.A.shape == b.A.shape
    A1, A2 = sp.csr_array(a.A), sp.csr_array(b.A)
    A1.sort_indices()
    A2.sort_indices()
    assert np.array_equal(A1.indptr, A2.indptr)
    assert np.array_equal(A1.indices, A2.indices)
    assert np.array_equal(A1.data, A2.data)  # exact: floats are written with repr
    for name in ("labour", "capacity", "needs", "tiers", "makes"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert (a.product_names is None) == (b.product_names is None)
    if a.product_names is not None and b.product_names is not None:
        assert list(a.product_names) == list(b.product_names)
    if a.units is not None and b.units is not None:
        assert list(a.units) == list(b.units)
    assert a.resources == b.resources
    if a.R is not None or b.R is not None:
        assert a.R is not None
        assert b.R is not None
        assert (abs(a.R - b.R)).max() == 0
    if a.resource_caps is not None or b.resource_caps is not None:
        assert np.array_equal(np.asarray(a.resource_caps), np.asarray(b.resource_caps))


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def bakery() -> Callable[..., Path]:
    """``bakery(folder, products_csv=..., needs_csv=None, ...)`` writes the bakery bundle."""
    return make_bundle


@pytest.fixture
def same_economy() -> Callable[[Economy, Economy], None]:
    return assert_same_economy


@pytest.fixture
def bundle_faults() -> Callable[[Path], list[str]]:
    return faults


@pytest.fixture
def stray_files() -> Callable[[Path], list[str]]:
    return leftovers


@pytest.fixture
def files() -> dict[str, str]:
    """The bakery bundle's files, by name."""
    return dict(FILES)
