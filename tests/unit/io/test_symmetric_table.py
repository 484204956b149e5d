"""Symmetric product-by-product tables, checked against published results.

Fixtures written from published figures (no data files are copied):

* Miller and Blair, *Input-Output Analysis* (2nd ed., 2009), Table 2.3: the two-sector
  example ``Z = [[150, 500], [200, 100]]``, ``x = [1000, 2000]``, with its Leontief
  inverse and the gross output for final demand ``[600, 1500]``.
* Eurostat, *Manual of Supply, Use and Input-Output Tables* (2008), ch. 15: Germany
  1995, 6 x 6 product-by-product table (million EUR) with domestic employment
  (1000 persons), and the employment multipliers the manual derives from it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from councilplan.errors import ImportError_
from councilplan.io import read_symmetric
from councilplan.planning import gross_output, labour_values

MILLER_BLAIR_2_3 = """sector,s1,s2,total,final_demand,total_output
s1,150,500,650,350,1000
s2,200,100,300,1700,2000
value_added,650,1400,2050,,
output,1000,2000,3000,,
"""

# Eurostat manual (2008) ch. 15, Germany 1995: intermediate use of domestic products,
# final uses (households, government, capital formation, inventories, exports),
# output and domestic employment (1000 persons) by the six product groups.
GERMANY_1995 = {
    "products": [
        "agriculture",
        "industry",
        "construction",
        "trade",
        "business_services",
        "other_services",
    ],
    "Z": [
        [1131, 25480, 1, 607, 710, 762],
        [7930, 304584, 64167, 41082, 11981, 30360],
        [426, 7334, 3875, 5296, 23457, 9155],
        [3559, 72717, 14190, 74399, 10835, 21008],
        [3637, 96115, 31027, 65755, 193176, 34223],
        [1552, 14986, 1747, 11225, 15058, 22070],
    ],
    "final": [
        [8500, 16, 2975, -6, 3734],
        [197792, 8588, 91692, 7559, 313711],
        [3457, 742, 191715, 0, 149],
        [269663, 13492, 14155, 0, 46045],
        [214757, 10061, 30124, 0, 13612],
        [119504, 317251, 3483, 0, 2042],
    ],
    "output": [43910, 1079446, 245606, 540063, 692487, 508918],
    "employment": [1096, 8381, 3236, 9251, 4258, 10206],
}
GERMANY_1995_EMPLOYMENT_MULTIPLIERS = [0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242]


def germany_csv(path: Path) -> Path:
    g = GERMANY_1995
    fd = ["households", "government", "capital_formation", "inventory_change", "exports"]
    lines = [",".join(["row", *g["products"], "total", *fd])]
    for name, z, f in zip(g["products"], g["Z"], g["final"], strict=True):
        lines.append(",".join([name, *map(str, z), str(sum(z)), *map(str, f)]))
    lines.append(",".join(["output", *map(str, g["output"]), "", *[""] * len(fd)]))
    lines.append(",".join(["employment_total", *map(str, g["employment"]), "", *[""] * 5]))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_miller_blair_table_2_3(tmp_path: Path) -> None:
    path = tmp_path / "mb.csv"
    path.write_text(MILLER_BLAIR_2_3)
    res = read_symmetric(path, labour_row="value_added", unit="USD")
    eco = res.economy
    assert list(eco.products) == ["s1", "s2"]
    assert res.extra["labour_row"] == "value_added"
    assert eco.A.toarray() == pytest.approx(np.array([[0.15, 0.25], [0.2, 0.05]]))
    assert list(res.final_demand) == [350.0, 1700.0]
    assert gross_output(eco) == pytest.approx([1000.0, 2000.0], rel=1e-10)
    L = np.column_stack([gross_output(eco, e) for e in np.eye(2)])
    published_L = np.array([[1.25412541, 0.330033], [0.2640264, 1.12211221]])
    np.testing.assert_allclose(L, published_L, atol=1e-6)
    assert gross_output(eco, [600.0, 1500.0]) == pytest.approx([1247.5, 1841.6], abs=0.05)
    # value added per unit as "labour": the value-added multipliers are all 1
    assert labour_values(eco) == pytest.approx([1.0, 1.0], rel=1e-9)


def test_germany_1995_employment_multipliers(tmp_path: Path) -> None:
    res = read_symmetric(germany_csv(tmp_path / "de.csv"), labour_unit="1000 persons")
    eco = res.economy
    assert res.extra["labour_row"] == "employment_total"
    v = labour_values(eco)
    assert np.round(v, 4) == pytest.approx(GERMANY_1995_EMPLOYMENT_MULTIPLIERS, abs=1e-12)
    # every job counted once: v . f = l . x = total employment (36 428 thousand)
    assert v @ res.final_demand == pytest.approx(36428.0, rel=1e-9)
    assert eco.meta["units"]["labour"] == "1000 persons per million EUR of output"


def test_labour_may_be_given_instead_of_a_row(tmp_path: Path) -> None:
    path = germany_csv(tmp_path / "de.csv")
    by_name = dict(zip(GERMANY_1995["products"], GERMANY_1995["employment"], strict=True))
    a = read_symmetric(path, labour=by_name)
    b = read_symmetric(path, labour_row=None, labour=GERMANY_1995["employment"])
    assert labour_values(a.economy) == pytest.approx(labour_values(b.economy), rel=1e-12)
    with pytest.raises(ImportError_) as exc:
        read_symmetric(path, labour={"agriculture": 1.0})
    assert len(exc.value.problems) == 5
    with pytest.raises(ImportError_, match="no labour row"):
        read_symmetric(path, labour_row="hours")


def test_an_of_which_column_is_found_by_the_balance(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "row,a,b,TOTAL,private,of_which_households,exports\n"
        "a,10,20,30,50,45,20\n"
        "b,5,5,10,80,70,10\n"
        "wages,30,40,,,,\n"
        "output_bp,100,100,,,,\n"
    )
    res = read_symmetric(path)
    assert res.economy.meta["final_demand_columns"] == ["private", "exports"]
    assert any("of_which_households" in n for n in res.report.notes)
    assert list(res.final_demand) == [70.0, 90.0]
    assert res.extra["labour_row"] is None  # no employment or compensation row here
    res = read_symmetric(path, labour_row="wages")
    assert list(res.economy.labour) == pytest.approx([0.3, 0.4])


def test_an_unbalanced_table_names_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("row,a,b,fd\na,10,20,70\nb,5,5,10\noutput,100,100\n")
    with pytest.raises(ImportError_, match="does not balance") as exc:
        read_symmetric(path)
    assert [p.where for p in exc.value.problems] == ["t.csv row b"]


def test_unreadable_cells_and_negatives(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("row,a,b,fd\na,x,20,70\nb,5,,10\noutput,100,100\n")
    with pytest.raises(ImportError_) as exc:
        read_symmetric(path)
    assert [str(p) for p in exc.value.problems] == [
        "t.csv:2 field a: 'x' is not a finite number",
        "t.csv:3 field b: empty: a number is needed",
    ]
    path.write_text("row,a,b,fd\na,10,-2,92\nb,5,5,-10\noutput,100,0\n")
    res = read_symmetric(path)
    assert [d.id for d in res.report.dropped] == ["b"]  # zero output: no coefficients
    path.write_text("row,a,b,fd\na,10,-2,92\nb,50,60,-10\noutput,100,100\n")
    res = read_symmetric(path, labour_row=None)
    assert [(e.table, e.row, e.column, e.value) for e in res.report.negatives] == [
        ("Z", "a", "b", -2.0),
        ("final demand", "b", "summed", -10.0),
    ]
    assert res.economy.A[0, 1] == 0.0
    assert res.economy.needs[1] == 0.0
    assert res.final_demand[1] == -10.0
    with pytest.raises(ImportError_, match="negative entries") as exc:
        read_symmetric(path, labour_row=None, negatives="error")
    assert len(exc.value.problems) == 2
