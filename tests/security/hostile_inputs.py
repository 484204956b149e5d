"""Small valid inputs for every reader, and hypothesis strategies that break them.

The tables are tiny but of the real shape (a WIOD national table and its Socio-Economic
Accounts, BEA Use and Make tables, a symmetric product-by-product table, an economy
bundle, a needs file, a ``.blt`` ballot file), so a mutation reaches deep into each
importer instead of failing at the first line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

Rows = list[list[str]]

INDUSTRIES = ["A01", "C10", "G46"]
COMMODITIES = ["111CA", "311FT", "420000"]


def csv_text(rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def wiod_iot() -> Rows:
    z = [[10, 20, 5], [15, 30, 10], [5, 10, 20]]
    f = [[50, 10, 5], [40, 20, 15], [60, 5, 10]]
    rows = [["Year", "Code", "Description", "Origin", *INDUSTRIES, "CONS_h", "GFCF", "EXP", "GO"]]
    for year in (2013, 2014):
        for code, zr, fr in zip(INDUSTRIES, z, f, strict=True):
            rows.append([str(year), code, f"industry {code}", "Domestic", *map(str, zr),
                         *map(str, fr), str(sum(zr) + sum(fr))])
    return rows


def wiod_sea() -> Rows:
    rows = [["country", "variable", "code", "year", "H_EMPE"]]
    for year in (2013, 2014):
        for k, code in enumerate(INDUSTRIES):
            rows.append(["USA", "H_EMPE", code, str(year), str(10 + k)])
    return rows


def bea_use() -> Rows:
    u = [[5, 10, 2], [8, 20, 6], [3, 6, 12]]
    f = [[60, 5, -10], [50, 8, -4], [70, 2, -3]]
    rows = [["Code", *INDUSTRIES, "T001", "F01000", "F04000", "F05000"]]
    for c, ur, fr in zip(COMMODITIES, u, f, strict=True):
        rows.append([c, *map(str, ur), str(sum(ur)), *map(str, fr)])
    rows.append(["T005", "16", "36", "20", "72", "", "", ""])
    rows.append(["V00100", "30", "40", "50", "", "", "", ""])
    return rows


def bea_make() -> Rows:
    v = [[100, 0, 5], [0, 120, 0], [2, 0, 150]]
    rows = [["Code", *COMMODITIES, "T008"]]
    for i, vr in zip(INDUSTRIES, v, strict=True):
        rows.append([i, *map(str, vr), str(sum(vr))])
    rows.append(["T007", "102", "120", "155", "377"])
    return rows


def symmetric() -> Rows:
    return [["sector", "s1", "s2", "total", "final_demand", "total_output"],
            ["s1", "150", "500", "650", "350", "1000"],
            ["s2", "200", "100", "300", "1700", "2000"],
            ["employment", "65", "140", "205", "", ""],
            ["output", "1000", "2000", "3000", "", ""]]


BUNDLE: dict[str, Rows] = {
    "products.csv": [["id", "name", "unit"], ["bread", "Bread", "loaf"], ["flour", "Flour", "kg"],
                     ["power", "Electricity", "kWh"]],
    "techniques.csv": [["id", "product", "labour", "capacity"], ["bake", "bread", "0.5", ""],
                       ["mill", "flour", "0.2", "1000"], ["plant", "power", "0.1", ""],
                       ["solar", "power", "0.05", "200"]],
    "inputs.csv": [["technique", "product", "quantity"], ["bake", "flour", "0.6"],
                   ["bake", "power", "0.3"], ["mill", "power", "0.2"],
                   ["plant", "power", "0.05"], ["solar", "flour", "0.01"]],
    "needs.csv": [["product", "quantity", "tier"], ["bread", "100", "1"], ["power", "50", "2"]],
    "resources.csv": [["id", "cap"], ["land", "500"]],
    "resource_use.csv": [["technique", "resource", "quantity"], ["mill", "land", "0.3"]],
}
MANIFEST: dict[str, Any] = {"format": "councilplan-economy-bundle", "version": 1,
                            "name": "bakery", "source": "hand-written", "notes": "",
                            "meta": {"year": 2024}}
NEEDS: Rows = [["product", "quantity", "tier"], ["bread", "10", "1"], ["power", "5", ""]]
BLT = ('4 2\n-4\n3 1 2 0\n2 2 1 3 0\n(b7) 1 3 0\n1 2=3 1 0\n0\n"Ann"\n"Bea"\n"Cy"\n"Dee"\n'
       '"Ward 1"\n"source"\n')

NASTY = ["", " ", "nan", "NaN", "inf", "-inf", "Infinity", "-1", "-0", "1e309", "1e-400",
         "abc", "1,5", '"', '""', "\x00", "\ufeff", "é", "9" * 400, "0x1A", "1_0", " 7 ",
         "T001", "T005", "T007", "T008", "V00100", "F01000", "Domestic", "USA", "2014",
         "A01", "C10", "111CA", "s1", "output", "total", "employment", "bread", "power",
         "bake", "land", "0", "1", "2", "3.5", "1e6"]
cells = st.sampled_from(NASTY) | st.text(max_size=8) | st.integers(-10**9, 10**9).map(str) \
    | st.floats().map(repr)


@st.composite
def mutated_rows(draw: st.DrawFn, rows: Rows) -> bytes:
    """``rows`` with a few structural and cell mutations, then perhaps raw byte damage."""
    out = [list(r) for r in rows]
    for _ in range(draw(st.integers(1, 4), label="mutations")):
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop row", "duplicate row",
                                   "drop column", "extra field", "short row", "swap rows",
                                   "header cell", "empty row"]))
        if not out:
            break
        r = draw(st.integers(0, len(out) - 1))
        width = max(len(out[r]), 1)
        c = draw(st.integers(0, width - 1))
        if op in ("cell", "header cell"):
            row = out[0 if op == "header cell" else r]
            if row:
                row[min(c, len(row) - 1)] = draw(cells)
        elif op == "drop row":
            del out[r]
        elif op == "duplicate row":
            out.insert(r, list(out[r]))
        elif op == "drop column":
            out = [[x for k, x in enumerate(row) if k != c] for row in out]
        elif op == "extra field":
            out[r].append(draw(cells))
        elif op == "short row":
            out[r] = out[r][:c]
        elif op == "swap rows":
            s = draw(st.integers(0, len(out) - 1))
            out[r], out[s] = out[s], out[r]
        else:
            out.insert(r, [])
    data = csv_text(out).encode("utf-8")
    return draw(damaged(data))


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """Perhaps cut short, perhaps with a few bytes replaced or inserted."""
    op = draw(st.sampled_from(["none", "none", "truncate", "bytes", "insert", "bom", "crlf"]))
    if op == "truncate" and data:
        return data[:draw(st.integers(0, len(data) - 1))]
    if op in ("bytes", "insert") and data:
        k = draw(st.integers(0, len(data) - 1))
        junk = draw(st.binary(min_size=1, max_size=4))
        return data[:k] + junk + data[k + (len(junk) if op == "bytes" else 0):]
    if op == "bom":
        return b"\xef\xbb\xbf" + data
    if op == "crlf":
        return data.replace(b"\n", b"\r\n")
    return data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                               max_size=4),
    max_leaves=12,
)


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    op = draw(st.sampled_from(["field", "field", "replace", "deep", "drop", "raw"]))
    data = dict(MANIFEST)
    if op == "field":
        data[draw(st.sampled_from([*MANIFEST, "extra"]))] = draw(json_values)
    elif op == "replace":
        return json.dumps(draw(json_values)).encode()
    elif op == "deep":
        depth = draw(st.integers(1, 200_000))
        return ("[" * depth + "]" * depth).encode()
    elif op == "drop":
        data.pop(draw(st.sampled_from(sorted(MANIFEST))))
    return draw(damaged(json.dumps(data).encode()))


blt_tokens = st.sampled_from(
    ["0", "1", "2", "3", "4", "5", "-1", "-2", "-4", "1=2", "2=3=1", "=", "(b1)", "(", "()",
     '"Ann"', '"A  b"', '""', '"', "#", "# note", "x", "-", "9" * 30, "9" * 5000, "1e3",
     "\ufeff", "\x00", "\t", "+3", "007"])
blt_lines = st.lists(blt_tokens, max_size=8).map(" ".join)


@st.composite
def blt_texts(draw: st.DrawFn) -> str:
    op = draw(st.sampled_from(["lines", "mutate", "mutate", "random"]))
    if op == "random":
        return draw(st.text(max_size=200))
    if op == "lines":
        return "\n".join(draw(st.lists(blt_lines, max_size=14)))
    lines = BLT.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["replace", "insert", "delete"]))
        if change == "replace":
            lines[k] = draw(blt_lines)
        elif change == "insert":
            lines.insert(k, draw(blt_lines))
        elif len(lines) > 1:
            del lines[k]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


# -- .npz mutations ----------------------------------------------------------------------------

arrays = st.sampled_from([np.float64, np.int64, np.int32, np.uint8, np.bool_, "U3", "S3",
                          np.complex128]).flatmap(
    lambda dt: st.tuples(st.just(dt), st.sampled_from([(), (0,), (1,), (2,), (3,), (4,), (9,),
                                                       (2, 2), (3, 1)]), st.integers(-3, 10**6))
).map(lambda t: np.full(t[1], t[2] % 7 if t[0] in ("U3", "S3") else t[2]).astype(t[0]))
