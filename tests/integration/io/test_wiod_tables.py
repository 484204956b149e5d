"""WIOD 2016 national tables with hours (USA, Australia), from ../shared/data/io-tables.

The identity that must hold for every year: labour values from l = H_EMPE / GO count
every hour worked by employees exactly once,

    v . f = l . x = sum_j H_EMPE_j     (to 1e-9 relative),

with the total hours read straight from the Socio-Economic Accounts here, not from
the importer. And real tables have spectral radius of A around 0.4-0.5.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from councilplan.errors import ImportError_
from councilplan.io import WiodTable, read_wiod, wiod_years
from councilplan.planning import gross_output, labour_values, spectral_radius

pytestmark = pytest.mark.needs_data

COUNTRIES = {"USA": "usa", "AUS": "aus"}


@pytest.fixture(scope="module", params=sorted(COUNTRIES))
def wiod(request: pytest.FixtureRequest, io_tables: Path) -> WiodTable:
    code = COUNTRIES[request.param]
    return WiodTable.read(
        io_tables / f"wiod2016_{code}iot.csv", io_tables / f"wiod2016_{code}sea.csv"
    )


def sea_hours(io_tables: Path, country: str, year: int) -> float:
    sea = pd.read_csv(io_tables / f"wiod2016_{COUNTRIES[country]}sea.csv")
    rows = sea[(sea["year"] == year) & (sea["country"] == country)]
    return float(rows["H_EMPE"].sum()) * 1e6


def test_every_year_counts_every_hour_once(wiod: WiodTable, io_tables: Path) -> None:
    assert wiod.years == tuple(range(2000, 2015))
    for year in wiod.years:
        res = wiod.economy(year)
        eco = res.economy
        total = sea_hours(io_tables, wiod.country, year)
        assert total > 1e10  # tens of billions of hours
        v = labour_values(eco)
        x = gross_output(eco, res.final_demand)
        assert v @ res.final_demand == pytest.approx(total, rel=1e-9), year
        assert eco.labour @ x == pytest.approx(total, rel=1e-9), year
        assert eco.labour @ res.output == pytest.approx(total, rel=1e-12), year
        # the published gross output is reproduced from the published final demand
        np.testing.assert_allclose(x, res.output, rtol=1e-8)


def test_spectral_radius_is_that_of_a_real_table(wiod: WiodTable) -> None:
    radii = [spectral_radius(wiod.economy(y).economy) for y in wiod.years]
    assert min(radii) > 0.38
    assert max(radii) < 0.5


def test_industries_without_output_are_dropped_and_said_so(wiod: WiodTable) -> None:
    res = wiod.economy()
    assert res.economy.meta["year"] == 2014  # the latest by default
    dropped = [d.id for d in res.report.dropped]
    expected = ["U"] if wiod.country == "USA" else ["C33", "M71", "M72", "M73", "M74_M75", "U"]
    assert dropped == expected
    assert res.economy.n == 56 - len(expected)
    assert [d["id"] for d in res.economy.meta["dropped"]] == expected
    assert all("all zero" in d.reason for d in res.report.dropped)
    assert np.all(np.isfinite(res.economy.A.data))
    assert res.economy.meta["units"]["labour"].startswith("hours worked by employees per")


def test_negative_final_demand_is_listed_not_hidden(io_tables: Path) -> None:
    iot, sea = io_tables / "wiod2016_ausiot.csv", io_tables / "wiod2016_aussea.csv"
    res = read_wiod(iot, sea, year=2013)
    assert [(e.table, e.row) for e in res.report.negatives] == [("final demand", "C23")]
    k = list(res.economy.products).index("C23")
    assert res.final_demand[k] == pytest.approx(res.report.negatives[0].value)
    assert res.final_demand[k] < 0
    assert res.economy.needs[k] == 0.0
    with pytest.raises(ImportError_, match="negative entries"):
        read_wiod(iot, sea, year=2013, negatives="error")
    assert read_wiod(iot, sea, year=2011).report.negatives == ()


def test_years_countries_and_files_are_checked(io_tables: Path) -> None:
    iot, sea = io_tables / "wiod2016_usaiot.csv", io_tables / "wiod2016_usasea.csv"
    assert wiod_years(iot)[-1] == 2014
    with pytest.raises(ImportError_, match="no year 1999"):
        read_wiod(iot, sea, year=1999)
    with pytest.raises(ImportError_, match="no country 'AUS'"):
        read_wiod(iot, sea, country="AUS")
    with pytest.raises(ImportError_, match="missing"):
        read_wiod(iot, io_tables / "wiod2016_usaiot.csv")  # the IOT is not an SEA
    res = read_wiod(iot, sea, year=2005, country="USA")
    assert res.economy.meta["files"] == ["wiod2016_usaiot.csv", "wiod2016_usasea.csv"]


def test_an_imported_table_survives_a_bundle(io_tables: Path, tmp_path: Path) -> None:
    from councilplan.io import load_economy, save_economy

    res = read_wiod(io_tables / "wiod2016_usaiot.csv", io_tables / "wiod2016_usasea.csv")
    for target in (tmp_path / "usa2014", tmp_path / "usa2014.npz"):
        back = load_economy(save_economy(res.economy, target))
        assert list(back.product_names or []) == list(res.economy.product_names or [])
        assert back.product_names is not None
        assert back.product_names[0].startswith("Crop and animal production, hunting")
        assert back.meta["year"] == 2014
        assert back.meta["dropped"][0]["id"] == "U"
        np.testing.assert_array_equal(labour_values(back), labour_values(res.economy))
