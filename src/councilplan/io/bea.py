"""BEA benchmark detail Use and Make tables -> a commodity-by-commodity economy.

The US Bureau of Economic Analysis publishes (public domain), for 2017 at the
detail level (402 commodities, 402 industries, million USD):

* the **Use** table ``U`` (commodities x industries, producer prices, before
  redefinitions), with final-demand columns ``F01000 .. F10S00`` (personal
  consumption, private fixed investment, inventory change ``F03000``, exports
  ``F04000``, imports ``F05000`` entered *negative*, government...), and value-added
  rows ``V00100`` (compensation of employees), ``V00200`` (taxes on production and
  imports less subsidies), ``V00300`` (gross operating surplus);
* the **Make** table ``V`` (industries x commodities): what each industry makes.

Industry output ``g = V 1`` and commodity output ``q = V^T 1``. Under the
**industry-technology assumption** (each industry makes all its commodities with
one technique; BEA, *Concepts and Methods of the U.S. Input-Output Accounts*,
ch. 12) a commodity is made by the industries in proportion to their market
shares, and::

    B = U g^-1          direct requirements, commodity x industry
    D = V q^-1          market shares, industry x commodity
    W = (I - p)^-1 D    shares adjusted for output that is not a product (p below)
    A = B W             commodity x commodity, n x n
    f = sum of the final-demand columns F*      (net of imports: F05000 < 0)
    x = q

Rows and columns left out of ``A``:

* commodity ``S00401`` *scrap* and ``S00900`` *rest-of-the-world adjustment*: the
  industries make them as by-products; as in BEA's scrap adjustment, ``p_j`` is the
  share of industry ``j``'s output that is scrap or RoW adjustment and the market
  shares are scaled by ``1 / (1 - p_j)``, so that ``W q = g`` and no output is lost;
* commodity ``S00402`` *used and secondhand goods* and ``S00300`` *noncomparable
  imports*: no domestic industry makes them (zero output in the Make table); they
  are treated like imports, a primary input (any other zero-output commodity is
  dropped the same way);
* the total rows ``T005, T006, T008`` and columns ``T001, T007, T008`` and the two
  unnamed total columns of the CSV (total final uses, total commodity output), and
  the value-added rows (``V00100`` becomes the labour proxy below; ``V00200`` and
  ``V00300`` are not used).

Negative entries are reported, never hidden (:attr:`ImportReport.negatives`): every
negative cell of the intermediate block of ``U`` and of ``V`` (2017: seven in ``U``,
in federal general government ``S00600``'s purchases of farm products and in the
used-goods row ``S00402``), and every commodity whose net final demand is negative
(imports larger than domestic final uses). With ``negatives="zero"`` (default) they
are set to 0 (entries of dropped rows are just dropped, and listed as such; the
published ``f`` stays in :attr:`ImportResult.final_demand`); with ``"error"`` the
import fails naming them all.

Labour: the BEA tables have no hours. By default labour per unit is **compensation
of employees per USD of output**, a money proxy for labour::

    l = (c g^-1) W      c = row V00100 (million USD), so  l . q = sum_j c_j

and labour values are then "compensation embodied per USD of final demand".
``industry_labour`` (a mapping from industry code to the industry's total labour,
e.g. hours from BLS) replaces ``c`` in that formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from councilplan.errors import ImportError_, Problem
from councilplan.io.report import (
    DroppedProduct,
    ImportReport,
    ImportResult,
    NegativeEntry,
    check_negatives_policy,
    negative_entries,
    raise_for_negatives,
)
from councilplan.io.table import TextTable, read_text_table
from councilplan.planning.economy import Economy

__all__ = ["BEA_NOT_PRODUCTS", "BEA_SOURCE", "read_bea"]

BEA_SOURCE = (
    "US Bureau of Economic Analysis, 2017 benchmark detail Use (producer prices, before "
    "redefinitions) and Make tables (public domain)"
)

#: Commodities that are not products: code -> (what it is, how it is handled).
BEA_NOT_PRODUCTS: dict[str, tuple[str, str]] = {
    "S00401": ("scrap", "by-product"),
    "S00900": ("rest-of-the-world adjustment", "by-product"),
    "S00402": ("used and secondhand goods", "primary"),
    "S00300": ("noncomparable imports", "primary"),
}
_FINAL_DEMAND = re.compile(r"F\d")
_COMPENSATION = "V00100"


def _labels(t: TextTable) -> list[str]:
    return [s.strip() for s in t.column(t.columns[0])]


def _block_end(labels: list[str], total: str, file: str, what: str) -> int:
    if total not in labels:
        raise ImportError_(
            f"{file} is not a BEA {what} table",
            [Problem(f"{file} field {total}", f"no total {total!r} marking the end of the block")],
        )
    return labels.index(total)


def read_bea(
    use: str | Path,
    make: str | Path,
    *,
    negatives: str = "zero",
    industry_labour: Mapping[str, float] | None = None,
    labour_unit: str = "hours",
    check_productive: bool = True,
) -> ImportResult:
    """Import the BEA detail Use and Make tables as a commodity-by-commodity economy.

    See the module docstring for the equations and what is dropped. Products are the
    commodity codes (the CSVs carry no descriptions); ``meta`` states source, year,
    units and every adjustment.
    """
    policy = check_negatives_policy(negatives)
    ut = read_text_table(use, "BEA Use table")
    mt = read_text_table(make, "BEA Make table")
    problems: list[Problem] = []

    # --- the Use table: commodities x industries, final demand, value added
    u_rows = _labels(ut)
    u_cols = ut.columns[1:]
    if "T001" not in u_cols:
        raise ImportError_(f"{ut.file} is not a BEA Use table",
                           [Problem(f"{ut.file}:1 field T001", "missing total column T001")])
    industries = u_cols[: u_cols.index("T001")]
    n_com = _block_end(u_rows, "T005", ut.file, "Use")
    commodities = u_rows[:n_com]
    fd_cols = [c for c in u_cols[u_cols.index("T001") + 1:] if _FINAL_DEMAND.match(c)]
    if not fd_cols:
        problems.append(Problem(f"{ut.file}:1", "no final-demand columns F..."))
    if _COMPENSATION not in u_rows:
        problems.append(Problem(f"{ut.file} field {_COMPENSATION}",
                                "no compensation-of-employees row"))

    # --- the Make table: industries x commodities
    m_rows = _labels(mt)
    m_cols = mt.columns[1:]
    n_ind_m = _block_end(m_rows, "T007", mt.file, "Make")
    m_industries = m_rows[:n_ind_m]
    m_commodities = m_cols[: m_cols.index("T008")] if "T008" in m_cols else m_cols
    for what, a, b, fa, fb in (
        ("industry", industries, m_industries, f"{ut.file} columns", f"{mt.file} rows"),
        ("commodity", commodities, m_commodities, f"{ut.file} rows", f"{mt.file} columns"),
    ):
        for c in sorted(set(a) - set(b)):
            problems.append(Problem(fb, f"{what} {c!r} of the {fa} is missing"))
        for c in sorted(set(b) - set(a)):
            problems.append(Problem(fa, f"{what} {c!r} of the {fb} is missing"))
    if problems:
        raise ImportError_("the BEA Use and Make tables do not fit together", problems)

    U = ut.numbers(np.arange(n_com), industries, problems)
    F = ut.numbers(np.arange(n_com), fd_cols, problems)
    comp = ut.numbers([u_rows.index(_COMPENSATION)], industries, problems)[0]
    m_pos = {c: k for k, c in enumerate(m_industries)}
    V = mt.numbers([m_pos[c] for c in industries], commodities, problems)
    if problems:
        raise ImportError_("the BEA tables have unreadable cells", problems)

    g = V.sum(axis=1)  # industry output
    q = V.sum(axis=0)  # commodity output
    notes: list[str] = []
    for k in np.flatnonzero(g <= 0):
        problems.append(Problem(f"{mt.file} row {industries[k]}",
                                f"industry output {g[k]:g} is not positive"))
    if problems:
        raise ImportError_("the BEA Make table has industries without output", problems)

    # --- which commodities become products
    dropped: list[DroppedProduct] = []
    byproduct = np.zeros(len(commodities), dtype=bool)
    keep_mask = np.ones(len(commodities), dtype=bool)
    for k, c in enumerate(commodities):
        if c in BEA_NOT_PRODUCTS:
            what, how = BEA_NOT_PRODUCTS[c]
            keep_mask[k] = False
            if how == "by-product" and q[k] > 0:
                byproduct[k] = True
                dropped.append(DroppedProduct(
                    c, f"{what}: a by-product ({q[k]:g} million USD); its makers' market "
                       "shares are scaled by 1/(1 - p), p = their share of output in it"))
            else:
                dropped.append(DroppedProduct(
                    c, f"{what}: output {q[k]:g} in the Make table; treated as a primary "
                       "input like imports (its Use row is left out of A)"))
        elif q[k] <= 0:
            keep_mask[k] = False
            dropped.append(DroppedProduct(c, "zero commodity output in the Make table; "
                                             "treated as a primary input"))
    keep = np.flatnonzero(keep_mask)
    ids = [commodities[k] for k in keep]
    if not ids:
        raise ImportError_("the BEA tables hold no commodity with output", [Problem(
            f"{mt.file}", "every commodity has zero output in the Make table or is not a "
                          "product")])
    dropped_rows = {commodities[k]: commodities[k] for k in np.flatnonzero(~keep_mask)}

    # --- negative entries: listed, then zeroed or refused
    act = "set to 0" if policy == "zero" else "refused"
    neg: list[NegativeEntry] = []
    for e in negative_entries("Use", U, commodities, industries, act):
        if e.row in dropped_rows:
            neg.append(NegativeEntry(e.table, e.row, e.column, e.value,
                                     f"left out with row {e.row} (not a product)"))
        else:
            neg.append(e)
    neg += negative_entries("Make", V[:, keep], industries, ids, act)
    f_net = F.sum(axis=1)[keep]
    neg_f = negative_entries(
        "final demand", f_net, ids, ["F* (net, summed)"],
        "need set to 0 (the published value stays in ImportResult.final_demand)"
        if policy == "zero" else "refused",
    )
    if policy == "error":
        raise_for_negatives("the BEA 2017 tables",
                            [e for e in neg + neg_f if e.action == "refused"])
    U = np.maximum(U, 0.0)
    V = np.maximum(V, 0.0)
    g = V.sum(axis=1)
    q = V.sum(axis=0)

    # --- industry technology: A = B W
    B = U[keep, :] / g[None, :]
    p = V[:, byproduct].sum(axis=1) / g
    scale = np.where(p < 1.0, 1.0 / np.where(p < 1.0, 1.0 - p, 1.0), 0.0)
    W = (V[:, keep] / q[keep][None, :]) * scale[:, None]
    A = B @ W
    A[A < 0] = 0.0  # only rounding: B, W >= 0
    x = q[keep]
    fd_needs = np.maximum(f_net, 0.0)

    # --- labour
    if industry_labour is None:
        lab_ind = comp
        labour_desc = ("compensation of employees (Use row V00100) per USD of output: a money "
                       "proxy for labour, the BEA tables have no hours")
        labour_units = "million USD of compensation per million USD of output"
    else:
        missing = [c for c in industries if c not in industry_labour]
        unknown = [c for c in industry_labour if c not in set(industries)]
        bad = [Problem(f"industry_labour[{c!r}]", "no labour given for this industry")
               for c in missing]
        bad += [Problem(f"industry_labour[{c!r}]", "no such industry in the Use table")
                for c in unknown]
        lab_ind = np.asarray([float(industry_labour.get(c, 0.0)) for c in industries])
        bad += [Problem(f"industry_labour[{industries[k]!r}]",
                        f"{lab_ind[k]!r} is not a finite non-negative number")
                for k in np.flatnonzero(~np.isfinite(lab_ind) | (lab_ind < 0))]
        if bad:
            raise ImportError_("industry_labour does not fit the BEA industries", bad)
        labour_desc = f"given industry labour ({labour_unit}) per USD of output"
        labour_units = f"{labour_unit} per million USD of output"
    labour = (lab_ind / g) @ W

    balance = A @ x + f_net - x
    worst = int(np.argmax(np.abs(balance)))
    notes.append(
        "commodity-by-commodity A = B W by the industry-technology assumption "
        f"({len(ids)} commodities from {len(commodities)}, {len(industries)} industries)"
    )
    notes.append(f"labour: {labour_desc}")
    notes.append(f"needs: sum of final-demand columns {', '.join(fd_cols)} (net of imports)")
    notes.append(
        f"balance x = A x + f holds to {abs(balance[worst]):.3g} million USD at worst "
        f"({ids[worst]}; the published tables are rounded to 1 million USD)"
    )
    n_fd_neg = int((F[keep] < 0).sum())
    notes.append(
        f"{n_fd_neg} negative cells in the final-demand columns (imports, inventory "
        "draw-downs) enter only through their sum per commodity"
    )
    report = ImportReport(
        source=BEA_SOURCE, negatives=tuple(neg + neg_f), dropped=tuple(dropped),
        notes=tuple(notes),
    )
    meta = {
        "source": BEA_SOURCE,
        "files": [ut.file, mt.file],
        "country": "USA",
        "year": 2017,
        "model": "commodity-by-commodity, industry-technology assumption",
        "units": {
            "products": "million USD (2017, producer prices)",
            "A": "million USD of input per million USD of commodity output",
            "labour": labour_units,
            "needs": "million USD",
        },
        "labour": labour_desc,
        "final_demand_columns": fd_cols,
        **report.as_meta(),
    }
    eco = Economy.from_matrix(
        sp.csr_array(A),
        labour,
        products=ids,
        needs=fd_needs,
        units=["million USD"] * len(ids),
        check_productive=check_productive,
        meta=meta,
    )
    return ImportResult(eco, report, final_demand=f_net, output=x,
                        extra={"industry_labour_total": float(lab_ind.sum()),
                               "industries": tuple(industries)})
