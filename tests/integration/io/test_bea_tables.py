"""BEA 2017 detail Use and Make tables, from ../shared/data/io-tables.

Checked against the tables themselves (read here with pandas, independently of the
importer) and the facts in SOURCES.md: the import works, every negative entry of the
Use table is listed, and the spectral radius of A is about 0.49.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from councilplan.errors import ImportError_
from councilplan.io import ImportResult, read_bea
from councilplan.planning import gross_output, labour_values, spectral_radius

pytestmark = pytest.mark.needs_data

USE = "bea_Detail_Use_2017_PRO_BeforeRedef_17sch.csv"
MAKE = "bea_Detail_Make_2017_BeforeRedef_17sch.csv"


@pytest.fixture(scope="module")
def bea(io_tables: Path) -> ImportResult:
    return read_bea(io_tables / USE, io_tables / MAKE)


@pytest.fixture(scope="module")
def use_table(io_tables: Path) -> pd.DataFrame:
    return pd.read_csv(io_tables / USE, index_col=0)


def test_the_import_works(bea: ImportResult) -> None:
    eco = bea.economy
    assert eco.n == 398  # 402 commodities less scrap, used goods, noncomparable imports, RoW
    assert {d.id for d in bea.report.dropped} == {"S00401", "S00402", "S00300", "S00900"}
    assert eco.meta["year"] == 2017
    assert "proxy" in eco.meta["labour"]
    assert np.all(eco.A.data >= 0)
    # dense tables: the median product has far more than 55 inputs
    assert np.median(np.diff(sp.csc_array(eco.A).indptr)) > 55


def test_spectral_radius_about_049(bea: ImportResult) -> None:
    rho = spectral_radius(bea.economy)
    assert rho == pytest.approx(0.49, abs=0.015)


def test_every_negative_use_entry_is_listed(bea: ImportResult, use_table: pd.DataFrame) -> None:
    cols = list(use_table.columns)
    rows = list(use_table.index)
    block = use_table.loc[rows[: rows.index("T005")], cols[: cols.index("T001")]]
    stacked = block.stack()
    published = {(r, c, float(v)) for (r, c), v in stacked[stacked < 0].items()}
    assert len(published) == 7  # "a few"
    listed = {(e.row, e.column, e.value) for e in bea.report.negatives if e.table == "Use"}
    assert listed == published
    for e in bea.report.negatives:
        if e.table == "Use":
            assert e.action == (
                "set to 0" if e.row != "S00402" else "left out with row S00402 (not a product)"
            )
    assert len(bea.economy.meta["negatives"]) == len(bea.report.negatives)


def test_negative_net_final_demand_is_listed(bea: ImportResult, use_table: pd.DataFrame) -> None:
    fd = [c for c in use_table.columns if c.startswith("F")]
    net = use_table.loc[list(bea.economy.products), fd].sum(axis=1)
    negative = set(net[net < 0].index)
    assert negative == {e.row for e in bea.report.negatives if e.table == "final demand"}
    np.testing.assert_array_equal(bea.final_demand, net.to_numpy())
    assert np.all(bea.economy.needs >= 0)


def test_negatives_may_be_refused(io_tables: Path) -> None:
    with pytest.raises(ImportError_) as exc:
        read_bea(io_tables / USE, io_tables / MAKE, negatives="error")
    where = [p.where for p in exc.value.problems]
    assert "Use[1111A0, S00600]" in where
    assert not any("S00402" in w for w in where)  # dropped rows do not enter the economy


def test_compensation_is_counted_once(bea: ImportResult, use_table: pd.DataFrame) -> None:
    """l . q = total compensation of employees (row V00100) exactly; v . f to the
    tables' rounding (they are rounded to 1 million USD)."""
    total = float(use_table.loc["V00100"].iloc[: list(use_table.columns).index("T001")].sum())
    eco = bea.economy
    assert eco.labour @ bea.output == pytest.approx(total, rel=1e-12)
    v = labour_values(eco)
    assert v @ bea.final_demand == pytest.approx(total, rel=1e-4)
    x = gross_output(eco, bea.final_demand)
    assert np.abs(x - bea.output).sum() / bea.output.sum() < 1e-4


def test_industry_labour_replaces_the_proxy(bea: ImportResult, io_tables: Path) -> None:
    industries = bea.extra["industries"]
    hours = {c: 1000.0 for c in industries}
    res = read_bea(io_tables / USE, io_tables / MAKE, industry_labour=hours)
    assert res.economy.labour @ res.output == pytest.approx(1000.0 * len(industries), rel=1e-12)
    assert res.economy.meta["units"]["labour"] == "hours per million USD of output"
    with pytest.raises(ImportError_) as exc:
        read_bea(io_tables / USE, io_tables / MAKE, industry_labour={"111200": 1.0, "x": 2.0})
    # every industry but one has no labour given, and "x" is no industry
    assert len(exc.value.problems) == (len(industries) - 1) + 1
