"""A symmetric product-by-product input-output table (Eurostat-style) -> an economy.

The table is one CSV: the first column labels the rows; the first columns after it
are the products, each also labelling a row (that square block is ``Z``, the
intermediate use of product ``i`` by product ``j``); then come total columns (a name
starting with ``total``) and final-use columns (households, government, capital
formation, inventories, exports...). Below the product rows come rows such as
imports, taxes, compensation of employees, value added, output and, in the Eurostat
manual's Germany 1995 example, employment. With gross output ``x`` (the row whose
label starts with ``output``, or ``Z 1 + f`` where there is none)::

    A[i, j] = Z[i, j] / x[j]
    f[i]    = sum of the final-use columns in row i
    l[j]    = e[j] / x[j]          e: a labour row (employment, compensation...) or
                                   a given vector of labour by product

so that the labour values ``v = l (I - A)^-1`` are Eurostat's employment (or
compensation) multipliers, and ``v . f = l . x = sum_j e_j``.

Final-use columns default to every column after the products that is not a total.
A column that is a part of another (an "of which" column, such as the Netherlands
2000 example's ``final_consumption_households`` inside
``final_consumption_private``) would count twice; it is found by the balance
``Z 1 + f = x``: if the table does not balance with all the columns but does without
exactly one of them, that one is left out, and the report says so. Otherwise an
unbalanced table is an error naming the rows (pass ``final_demand=[...]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from councilplan.errors import ImportError_, Problem
from councilplan.io.report import (
    DroppedProduct,
    ImportReport,
    ImportResult,
    check_negatives_policy,
    negative_entries,
    raise_for_negatives,
)
from councilplan.io.table import read_text_table
from councilplan.planning.economy import Economy, FloatArray

__all__ = ["read_symmetric"]

_AUTO = "auto"


def _is_total(label: str) -> bool:
    return label.strip().lower().startswith("total")


def _find_output_row(rows: Sequence[str]) -> str | None:
    for r in rows:
        low = r.lower()
        if low in ("output", "total_output", "output_bp", "output_at_basic_prices"):
            return r
    for r in rows:
        if r.lower().startswith("output"):
            return r
    return None


def _find_labour_row(rows: Sequence[str]) -> str | None:
    low = [r.lower() for r in rows]
    picks: list[Callable[[str], bool]] = [
        lambda s: s.startswith("employment") and "total" in s,
        lambda s: s.startswith("employment"),
        lambda s: s.startswith("compensation"),
    ]
    for pick in picks:
        for r, s in zip(rows, low, strict=True):
            if pick(s):
                return r
    return None


def read_symmetric(
    path: str | Path,
    *,
    final_demand: Sequence[str] | None = None,
    output_row: str | None = None,
    labour_row: str | None = _AUTO,
    labour: Mapping[str, float] | Sequence[float] | None = None,
    labour_unit: str | None = None,
    unit: str = "million EUR",
    source: str | None = None,
    year: int | None = None,
    negatives: str = "zero",
    balance_rtol: float = 1e-4,
) -> ImportResult:
    """Import a symmetric product-by-product table (see the module docstring).

    * ``final_demand``: the final-use columns (default: found as described above).
    * ``output_row``: the gross output row (default: the row named ``output*``).
    * ``labour_row``: the row of total labour by product (employment, hours,
      compensation); ``"auto"`` picks the first ``employment*total*``, ``employment*``
      or ``compensation*`` row; ``None`` takes ``labour`` instead.
    * ``labour``: total labour by product, a mapping from product id or a sequence in
      product order (used when ``labour_row`` is None or there is no such row).
    * ``unit``: the money unit of the table; ``source`` and ``year``: for ``meta``.
    * ``negatives``: ``"zero"`` lists negative intermediate entries and negative net
      final demand and sets them to 0; ``"error"`` refuses them.
    """
    policy = check_negatives_policy(negatives)
    t = read_text_table(path, "symmetric input-output table")
    label_col = t.columns[0]
    row_labels = [s.strip() for s in t.column(label_col)]
    row_pos = {r: k for k, r in enumerate(row_labels)}
    cols = t.columns[1:]
    products: list[str] = []
    for c in cols:
        if c in row_pos and not _is_total(c):
            products.append(c)
        else:
            break
    if not products:
        raise ImportError_(
            f"{t.file} is not a symmetric input-output table",
            [Problem(f"{t.file}:1", "no leading columns that are also row labels (products)")],
        )
    rest = cols[len(products):]
    problems: list[Problem] = []
    auto_fd = final_demand is None
    fd_cols = [c for c in rest if not _is_total(c)] if final_demand is None else list(
        final_demand)
    for c in fd_cols:
        if c not in t.frame.columns:
            problems.append(Problem(f"{t.file}:1 field {c}", "no such final-use column"))
    out_label = output_row if output_row is not None else _find_output_row(row_labels)
    if out_label is not None and out_label not in row_pos:
        problems.append(Problem(f"{t.file} row {out_label}", "no such output row"))
    if problems:
        raise ImportError_(f"{t.file}: the named rows or columns are missing", problems)

    prow = [row_pos[p] for p in products]
    Z = t.numbers(prow, products, problems)
    F = t.numbers(prow, fd_cols, problems)
    x_pub = (
        t.numbers([row_pos[out_label]], products, problems)[0] if out_label is not None
        else None
    )
    if problems:
        raise ImportError_(f"{t.file} has unreadable cells", problems)

    notes: list[str] = []
    f = F.sum(axis=1)
    if x_pub is None:
        x = Z.sum(axis=1) + f
        notes.append("no output row: gross output x = Z 1 + f")
    else:
        x = x_pub

        def imbalance(ff: FloatArray) -> FloatArray:
            gap: FloatArray = np.abs(Z.sum(axis=1) + ff - x) / np.maximum(np.abs(x), 1.0)
            return gap

        gap = imbalance(f)
        if gap.max() > balance_rtol and auto_fd and len(fd_cols) > 1:
            fits = [k for k in range(len(fd_cols))
                    if imbalance(f - F[:, k]).max() <= balance_rtol]
            if len(fits) == 1:
                k = fits[0]
                notes.append(
                    f"final-use column {fd_cols[k]!r} left out: it is part of another column "
                    "(the table balances, Z 1 + f = x, only without it)"
                )
                F = np.delete(F, k, axis=1)
                fd_cols = fd_cols[:k] + fd_cols[k + 1:]
                f = F.sum(axis=1)
                gap = imbalance(f)
        if gap.max() > balance_rtol:
            raise ImportError_(
                f"{t.file} does not balance (Z 1 + f = x) with final-use columns "
                f"{', '.join(fd_cols)}; name them with final_demand=[...]",
                [Problem(f"{t.file} row {products[k]}",
                         f"Z 1 + f = {Z[k].sum() + f[k]:g}, output {x[k]:g}")
                 for k in np.flatnonzero(gap > balance_rtol)],
            )
        notes.append(f"largest row imbalance |Z 1 + f - x| / x = {gap.max():.2g}")

    # labour, total by product
    if labour_row == _AUTO:
        lab_label = None if labour is not None else _find_labour_row(row_labels)
    else:
        lab_label = labour_row
    if lab_label is not None and lab_label not in row_pos:
        raise ImportError_(f"{t.file} has no labour row {lab_label!r}",
                           [Problem(f"{t.file} row {lab_label}", "no such row")])
    e: FloatArray
    if lab_label is not None:
        e = t.numbers([row_pos[lab_label]], products, problems)[0]
        labour_desc = f"row {lab_label!r} per unit of output"
    elif labour is not None:
        if isinstance(labour, Mapping):
            missing = [p for p in products if p not in labour]
            if missing:
                problems += [Problem(f"labour[{p!r}]", "no labour for this product")
                             for p in missing]
            e = np.asarray([float(labour.get(p, 0.0)) for p in products])
        else:
            e = np.asarray(labour, dtype=np.float64)
            if e.shape != (len(products),):
                problems.append(Problem("labour", f"{e.shape} values for {len(products)} "
                                                  "products"))
                e = np.zeros(len(products))
        labour_desc = "given labour per unit of output"
    else:
        e = np.zeros(len(products))
        labour_desc = "none in the table and none given: labour is 0"
    for k in np.flatnonzero(~np.isfinite(e) | (e < 0)):
        problems.append(Problem(f"labour of {products[k]}", f"{e[k]!r} is not a finite "
                                                            "non-negative number"))
    if problems:
        raise ImportError_(f"{t.file}: the labour cannot be read", problems)
    notes.append(f"labour: {labour_desc}")
    notes.append(f"needs: sum of final-use columns {', '.join(fd_cols)}")

    # products without output
    dropped: list[DroppedProduct] = []
    zero = x <= 0
    for k in np.flatnonzero(zero):
        dropped.append(DroppedProduct(products[k], f"gross output {x[k]:g}: no coefficients"))
    keep = np.flatnonzero(~zero)
    ids = [products[k] for k in keep]
    if not ids:
        raise ImportError_(f"{t.file} holds no product with output",
                           [Problem(f"{t.file} row {out_label or 'output'}",
                                    "every product's gross output is 0 or less")])
    Zk, xk, fk, ek = Z[np.ix_(keep, keep)], x[keep], f[keep], e[keep]
    act = "set to 0" if policy == "zero" else "refused"
    neg = negative_entries("Z", Zk, ids, ids, act)
    neg_f = negative_entries(
        "final demand", fk, ids, ["summed"],
        "need set to 0 (the published value stays in ImportResult.final_demand)"
        if policy == "zero" else "refused",
    )
    if policy == "error":
        raise_for_negatives(t.file, neg + neg_f)
    A = np.maximum(Zk, 0.0) / xk[None, :]
    report = ImportReport(
        source=source or f"symmetric input-output table {t.file}",
        negatives=tuple(neg + neg_f), dropped=tuple(dropped), notes=tuple(notes),
    )
    meta: dict[str, Any] = {
        "source": report.source,
        "files": [t.file],
        **({"year": year} if year is not None else {}),
        "units": {
            "products": unit,
            "A": f"{unit} of input per {unit} of output",
            "labour": (f"{labour_unit or lab_label or 'labour'} per {unit} of output"),
            "needs": unit,
        },
        "labour": labour_desc,
        "final_demand_columns": fd_cols,
        **report.as_meta(),
    }
    eco = Economy.from_matrix(
        sp.csr_array(A),
        ek / xk,
        products=ids,
        needs=np.maximum(fk, 0.0),
        units=[unit] * len(ids),
        meta=meta,
    )
    return ImportResult(eco, report, final_demand=fk, output=xk,
                        extra={"labour_total": float(ek.sum()), "labour_row": lab_label})
