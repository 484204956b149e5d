"""To and from a pymrio ``IOSystem`` (the field's Python library for (multi-regional) IO).

pymrio holds dense DataFrames indexed by ``(region, sector)``: flows ``Z``, final
demand ``Y`` (columns ``(region, category)``), and extensions (satellite accounts)
with factor use ``F`` (stressors x sectors). Its own calculation is::

    x = Z 1 + Y 1        A = Z x^-1        L = (I - A)^-1
    S = F x^-1           M = S L           (multipliers)

From pymrio, each ``(region, sector)`` becomes a product with id
``"region/sector"`` (the pair is kept in ``meta["pymrio_index"]``); ``A`` is taken
from ``Z`` and ``x`` as above (or from the system's ``A`` where it has no ``Z``);
needs are ``Y 1``; labour per unit is one stressor row of one extension,
``l = S[row] = F[row] / x``, so that the labour values ``v = l (I - A)^-1`` are
pymrio's multipliers ``M[row]``. Sectors with zero output get zero coefficients
and zero labour, as in pymrio.

To pymrio, a (square) economy becomes a system with ``x`` the gross output of its
needs, ``Z = A x̂``, ``Y`` the needs (one category ``"needs"`` per region) and an
extension ``labour`` with ``F = l x̂``. pymrio is dense: this is for economies of up
to some thousands of products.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from councilplan.errors import ImportError_, InvalidInput, Problem
from councilplan.io.report import (
    ImportReport,
    ImportResult,
    check_negatives_policy,
    negative_entries,
    raise_for_negatives,
)
from councilplan.planning.economy import Economy, FloatArray
from councilplan.planning.leontief import gross_output

__all__ = ["DENSE_LIMIT", "economy_from_pymrio", "economy_to_pymrio"]

DENSE_LIMIT = 20_000  # products; pymrio's dense n x n frames beyond this are gigabytes


def _recip(x: FloatArray) -> FloatArray:
    out = np.zeros_like(x)
    nz = x != 0
    out[nz] = 1.0 / x[nz]
    return out


def _frame(obj: Any, name: str) -> pd.DataFrame | None:
    value = getattr(obj, name, None)
    return value if isinstance(value, pd.DataFrame) else None


def economy_from_pymrio(
    io: Any,
    *,
    labour: tuple[str, Hashable] | None = None,
    negatives: str = "zero",
    check_productive: bool = True,
) -> ImportResult:
    """An economy from the pymrio ``IOSystem`` ``io`` (which is not changed).

    ``labour = (extension, row)`` names the stressor row taken as labour, e.g.
    ``("factor_inputs", "Value Added")``, or for a two-level index
    ``("emissions", ("emission_type1", "air"))``; ``None`` gives zero labour.
    """
    policy = check_negatives_policy(negatives)
    Z = _frame(io, "Z")
    Y = _frame(io, "Y")
    if Y is None:
        raise ImportError_("the IOSystem has no final demand Y", [Problem("Y", "missing")])
    A_given = _frame(io, "A")
    source_frame = Z if Z is not None else A_given
    if source_frame is None:
        raise ImportError_("the IOSystem has neither Z nor A", [Problem("Z", "missing")])
    index = source_frame.index
    f = Y.reindex(index).to_numpy(dtype=np.float64).sum(axis=1)
    notes: list[str] = []
    if Z is not None:
        Zv = Z.to_numpy(dtype=np.float64)
        x = Zv.sum(axis=1) + f
        A_dense = Zv * _recip(x)[None, :]
        notes.append("A = Z / x with x = Z 1 + Y 1 (as pymrio's calc_x and calc_A)")
    else:
        assert A_given is not None
        A_dense = A_given.to_numpy(dtype=np.float64)
        x_frame = _frame(io, "x")
        if x_frame is not None:
            x = x_frame.reindex(index).to_numpy(dtype=np.float64)[:, 0]
        else:
            x = np.linalg.solve(np.eye(A_dense.shape[0]) - A_dense, f)
        notes.append("A taken from the system's A (it has no Z)")
    bad = ~np.isfinite(A_dense)
    if bad.any():
        raise ImportError_(
            "the IOSystem's coefficients are not finite",
            [Problem(f"A[{index[i]}, {index[j]}]", f"{A_dense[i, j]}")
             for i, j in zip(*np.nonzero(bad), strict=True)][:200],
        )
    ids = [
        "/".join(str(p) for p in key) if isinstance(key, tuple) else str(key) for key in index
    ]
    act = "set to 0" if policy == "zero" else "refused"
    neg = negative_entries("A", A_dense, ids, ids, act)
    neg_f = negative_entries(
        "final demand", f, ids, ["Y summed"],
        "need set to 0 (the published value stays in ImportResult.final_demand)"
        if policy == "zero" else "refused",
    )
    if policy == "error":
        raise_for_negatives("the IOSystem", neg + neg_f)
    A_dense = np.maximum(A_dense, 0.0)

    lab = np.zeros(len(ids))
    lab_desc = "none: labour is 0"
    lab_unit = ""
    if labour is not None:
        ext_name, row = labour
        ext = getattr(io, ext_name, None)
        if ext is None:
            raise ImportError_(f"the IOSystem has no extension {ext_name!r}",
                               [Problem(ext_name, "no such extension")])
        F = _frame(ext, "F")
        S = _frame(ext, "S")
        table = F if F is not None else S
        if table is None or row not in table.index:
            rows = [] if table is None else list(table.index)
            raise ImportError_(f"extension {ext_name!r} has no row {row!r}",
                               [Problem(f"{ext_name}[{row!r}]", f"rows: {rows}")])
        values = table.loc[[row]].reindex(columns=index).to_numpy(dtype=np.float64)[0]
        lab = values * _recip(x) if F is not None else values
        lab_desc = f"{ext_name} row {row!r} per unit of output (pymrio's S)"
        unit_frame = _frame(ext, "unit")
        if unit_frame is not None and row in unit_frame.index:
            lab_unit = str(unit_frame.loc[[row]].iloc[0, 0])
    problems = [Problem(f"labour of {ids[k]}", f"{lab[k]!r} is not a finite non-negative "
                                               "number")
                for k in np.flatnonzero(~np.isfinite(lab) | (lab < 0))]
    if problems:
        raise ImportError_("the labour row cannot be labour", problems)
    notes.append(f"labour: {lab_desc}")
    notes.append("needs: Y summed over all regions' final-demand categories")
    unit_frame = _frame(io, "unit")
    units = (
        [str(u) for u in unit_frame.reindex(index).iloc[:, 0]] if unit_frame is not None
        else None
    )
    name = str(getattr(io, "name", "") or "pymrio IOSystem")
    report = ImportReport(source=f"pymrio IOSystem {name}", negatives=tuple(neg + neg_f),
                          notes=tuple(notes))
    meta: dict[str, Any] = {
        "source": report.source,
        **({"year": io.year} if getattr(io, "year", None) is not None else {}),
        "pymrio_index": [list(k) if isinstance(k, tuple) else [k] for k in index],
        "pymrio_index_names": list(index.names),
        "units": {"products": units[0] if units and len(set(units)) == 1 else "see units",
                  "labour": f"{lab_unit or 'labour'} per unit of output"},
        "labour": lab_desc,
        **report.as_meta(),
    }
    sectors = [str(k[-1]) if isinstance(k, tuple) else str(k) for k in index]
    eco = Economy.from_matrix(
        sp.csr_array(A_dense),
        lab,
        products=ids,
        needs=np.maximum(f, 0.0),
        product_names=sectors,
        units=units,
        check_productive=check_productive,
        meta=meta,
    )
    return ImportResult(eco, report, final_demand=f, output=x)


def economy_to_pymrio(
    economy: Economy,
    needs: Any = None,
    *,
    name: str | None = None,
    labour_unit: str = "hours",
    rtol: float = 1e-13,
) -> Any:
    """A pymrio ``IOSystem`` for ``economy`` (its needs, or ``needs``), ready for ``calc_all``.

    Uses one technique per product (the primary ones if the economy has more); ``x``
    is solved to relative residual ``rtol`` (tight: pymrio inverts densely). The
    index is the economy's ``meta["pymrio_index"]`` where it came from pymrio, else
    ``(region, product id)`` with region ``meta.get("region", "region")``.
    """
    import pymrio

    eco = economy
    n = eco.n
    if n > DENSE_LIMIT:
        raise InvalidInput(
            "this economy is too large for pymrio's dense tables",
            [Problem("economy", f"{n} products; pymrio stores n x n dense frames "
                                f"(at most {DENSE_LIMIT} here)")],
        )
    A, lab = eco.square()
    d = eco.needs if needs is None else np.asarray(needs, dtype=np.float64)
    x = gross_output(eco, d, rtol=rtol)
    idx_meta = eco.meta.get("pymrio_index")
    names: Sequence[str] = eco.meta.get("pymrio_index_names") or ["region", "sector"]
    if isinstance(idx_meta, list) and len(idx_meta) == n and all(
        isinstance(k, (list, tuple)) and len(k) == 2 for k in idx_meta
    ):
        index = pd.MultiIndex.from_tuples([tuple(k) for k in idx_meta], names=list(names))
    else:
        region = str(eco.meta.get("region", "region"))
        index = pd.MultiIndex.from_tuples([(region, str(p)) for p in eco.products],
                                          names=["region", "sector"])
    Zv = sp.csr_array(A).toarray() * x[None, :]
    Z = pd.DataFrame(Zv, index=index, columns=index)
    regions = list(dict.fromkeys(index.get_level_values(0)))
    Y = pd.DataFrame(0.0, index=index,
                     columns=pd.MultiIndex.from_product([regions, ["needs"]],
                                                        names=["region", "category"]))
    for r, key in enumerate(index):
        Y.loc[key, (key[0], "needs")] = d[r]
    F = pd.DataFrame((lab * x)[None, :], index=pd.Index(["labour"], name="stressor"),
                     columns=index)
    unit_name = str((eco.units or ["unit"])[0]) if eco.units else "unit"
    unit = pd.DataFrame({"unit": [unit_name] * n}, index=index)
    labour_ext = {
        "name": "labour", "F": F, "unit": pd.DataFrame({"unit": [labour_unit]}, index=F.index)
    }
    return pymrio.IOSystem(
        Z=Z, Y=Y, unit=unit, name=name or str(eco.meta.get("name", "councilplan economy")),
        labour=labour_ext,
    )
