"""The Eurostat manual's example tables, from ../shared/data/io-tables.

* Germany 1995: the employment multipliers published in SOURCES.md (from the Eurostat
  Manual of Supply, Use and Input-Output Tables, 2008, ch. 15) are the labour values
  v = l (I - A)^-1 with l = domestic employment (1000 persons) / output; the file has
  that employment row, so they are reproduced from the file itself.
* Both tables: the primary inputs (imports, taxes on products, value added) of every
  column add up to what it does not buy from domestic products, so their multipliers
  add up to exactly 1 for every product: (m + t + w)(I - A)^-1 = 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from councilplan.io import read_symmetric
from councilplan.planning import gross_output, labour_values, spectral_radius

pytestmark = pytest.mark.needs_data

GERMANY = "eurostat_manual_germany_1995_siot.csv"
NETHERLANDS = "eurostat_manual_netherlands_2000.csv"
EMPLOYMENT_MULTIPLIERS = [0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242]


def test_germany_1995_employment_multipliers(io_tables: Path) -> None:
    res = read_symmetric(io_tables / GERMANY, labour_unit="1000 persons")
    assert res.extra["labour_row"] == "employment_domestic_total"
    v = labour_values(res.economy)
    np.testing.assert_array_equal(np.round(v, 4), EMPLOYMENT_MULTIPLIERS)
    assert v @ res.final_demand == pytest.approx(36428.0, rel=1e-9)  # 36.4 million jobs
    assert 0.35 < spectral_radius(res.economy) < 0.45


def test_germany_1995_wage_earners_alone_give_smaller_multipliers(io_tables: Path) -> None:
    total = labour_values(read_symmetric(io_tables / GERMANY).economy)
    wage = labour_values(
        read_symmetric(io_tables / GERMANY, labour_row="employment_wage_salary").economy
    )
    assert np.all(wage < total)


@pytest.mark.parametrize(
    ("file", "primary_rows"),
    [
        (GERMANY, ["imports", "net_tax_products", "gva"]),
        (NETHERLANDS, ["imports", "net_tax", "value_added_bp"]),
    ],
)
def test_primary_input_multipliers_add_up_to_one(
    io_tables: Path, file: str, primary_rows: list[str]
) -> None:
    total = sum(
        labour_values(read_symmetric(io_tables / file, labour_row=r).economy) for r in primary_rows
    )
    np.testing.assert_allclose(total, np.ones(6), atol=2e-4)  # tables rounded to 1 million


def test_netherlands_2000(io_tables: Path) -> None:
    res = read_symmetric(io_tables / NETHERLANDS)
    eco = res.economy
    assert res.extra["labour_row"] == "compensation_employees"
    # final_consumption_households is part of final_consumption_private: counted once
    assert "final_consumption_households" not in eco.meta["final_demand_columns"]
    assert any("final_consumption_households" in n for n in res.report.notes)
    x = gross_output(eco, res.final_demand)
    np.testing.assert_allclose(x, res.output, rtol=1e-4)
    np.testing.assert_array_equal(res.output, [21863, 12292, 210900, 18249, 60244, 435953])
    v = labour_values(eco)
    assert v @ res.final_demand == pytest.approx(205691.0, rel=1e-5)  # total compensation
    assert np.all((v > 0) & (v < 1))
