"""WIOD 2016 national input-output tables with hours from the Socio-Economic Accounts.

The World Input-Output Database, 2016 release (Timmer et al. 2015, CC BY 4.0)
publishes for each country a national IO table (``{cty}iot.csv``: one block of 56
industries per year, columns ``Year, Code, Description, Origin``, the 56 industry
columns of intermediate use ``Z``, final-demand columns ``CONS_h, CONS_np, CONS_g,
GFCF, INVEN, EXP`` and gross output ``GO``, all in million USD at current prices)
and Socio-Economic Accounts (``{cty}sea.csv``: per industry and year ``EMP``,
``EMPE`` (thousand persons), ``H_EMPE`` (million hours worked by employees), ``COMP``,
``VA``, ``GO`` in national currency...).

The economy of one year (``x = GO``, industry ``j`` is product ``j``)::

    A[i, j] = Z[i, j] / x[j]                      (million USD per million USD of output)
    l[j]    = H_EMPE[j] * 10^6 / x[j]             (hours worked by employees per
                                                   million USD of gross output)
    f[i]    = CONS_h + CONS_np + CONS_g + GFCF + INVEN + EXP    (million USD)

Because the table balances (``x = Z 1 + f``) the labour values ``v = l (I - A)^-1``
count every hour of the year once: ``v . f = l . x = sum_j H_EMPE[j] * 10^6``.
The SEA's own ``GO`` is in national currency and is not used: the IOT's ``GO`` (USD)
is the denominator, so the identity is exact in the table's units.

Industries with zero gross output in the year (USA: ``U``, households as employers;
Australia also ``C33``, ``M71``-``M75``) have no input coefficients (``Z / 0``): they are
dropped, and the drop is listed in the report and in ``meta["dropped"]`` together
with the flows, final demand and hours they had (all zero in the published files,
otherwise a note says how much is lost). Final demand summed over its columns can be
negative (Australia 2012-2014 ``C23``: inventories run down): the published ``f`` is
kept in :attr:`ImportResult.final_demand`, while the economy's needs, which cannot be
negative, are set to 0 there (``negatives="zero"``, listed) or the import fails
(``negatives="error"``).
"""

from __future__ import annotations

from dataclasses import dataclass
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

__all__ = ["WIOD_SOURCE", "WiodTable", "read_wiod", "wiod_years"]

WIOD_SOURCE = (
    "WIOD 2016 release: national input-output table and Socio-Economic Accounts "
    "(Timmer et al. 2015, World Input-Output Database, CC BY 4.0)"
)
_ID_COLUMNS = ("Year", "Code", "Description", "Origin")
_SEA_COLUMNS = ("country", "code", "year", "H_EMPE")


@dataclass(frozen=True)
class WiodTable:
    """A WIOD national IOT and its SEA, read once; :meth:`economy` builds one year."""

    iot: TextTable
    sea: TextTable
    country: str
    years: tuple[int, ...]

    @classmethod
    def read(cls, iot: str | Path, sea: str | Path, *, country: str | None = None) -> WiodTable:
        """Read ``iot`` (``{cty}iot.csv``) and ``sea`` (``{cty}sea.csv``).

        ``country`` (ISO3, e.g. ``"USA"``) is checked against the SEA; by default it is the
        SEA's only country.
        """
        it = read_text_table(iot, "WIOD national input-output table")
        it.require_columns(("Year", "Code", "GO"), "a WIOD national input-output table")
        st = read_text_table(sea, "WIOD Socio-Economic Accounts table")
        st.require_columns(_SEA_COLUMNS, "a WIOD Socio-Economic Accounts table")
        countries = sorted(set(st.column("country")))
        if country is None:
            if len(countries) != 1:
                raise ImportError_(
                    f"{st.file} holds several countries; name one",
                    [Problem(f"{st.file} field country", f"countries: {', '.join(countries)}")],
                )
            country = countries[0]
        elif country not in countries:
            raise ImportError_(
                f"{st.file} has no country {country!r}",
                [Problem(f"{st.file} field country", f"countries: {', '.join(countries)}")],
            )
        problems: list[Problem] = []
        year_col = it.numbers(np.arange(len(it.frame)), ["Year"], problems)[:, 0]
        if problems:
            raise ImportError_(f"{it.file} has unreadable years", problems)
        years = tuple(sorted({int(y) for y in year_col}))
        if not years:
            raise ImportError_(f"{it.file} holds no rows",
                               [Problem(f"{it.file}:2", "no industry of any year")])
        return cls(it, st, country, years)

    def economy(self, year: int | None = None, *, negatives: str = "zero") -> ImportResult:
        """The economy of ``year`` (default: the latest in the table). See the module doc."""
        policy = check_negatives_policy(negatives)
        it, st = self.iot, self.sea
        if year is None:
            year = self.years[-1]
        if year not in self.years:
            raise ImportError_(
                f"{it.file} has no year {year}",
                [Problem(f"{it.file} field Year", f"years: {self.years[0]}-{self.years[-1]}")],
            )
        problems: list[Problem] = []
        year_col = it.numbers(np.arange(len(it.frame)), ["Year"], problems)[:, 0]
        sel = year_col == year
        if "Origin" in it.frame.columns:
            sel &= (it.frame["Origin"].astype(str).str.strip() == "Domestic").to_numpy()
        rows = np.flatnonzero(sel)
        code_col = it.column("Code")
        codes = [code_col[r].strip() for r in rows]
        desc_col = it.column("Description") if "Description" in it.frame.columns else code_col
        names = [desc_col[r].strip() or codes[k] for k, r in enumerate(rows)]
        missing = [c for c in codes if c not in it.frame.columns]
        if missing:
            raise ImportError_(
                f"{it.file}: industries of {year} without a column",
                [Problem(f"{it.file}:1 field {c}", "missing column of industry") for c in missing],
            )
        if len(set(codes)) != len(codes):
            dup = sorted({c for c in codes if codes.count(c) > 1})
            raise ImportError_(
                f"{it.file}: duplicate industries in {year}",
                [Problem(f"{it.file} field Code", f"industry {c!r} appears twice in {year}")
                 for c in dup],
            )
        fd_cols = [
            c for c in it.columns if c not in codes and c not in _ID_COLUMNS and c != "GO"
        ]
        Z = it.numbers(rows, codes, problems)
        F = it.numbers(rows, fd_cols, problems)
        x = it.numbers(rows, ["GO"], problems)[:, 0]

        # hours from the SEA, matched by code
        sea_year = st.numbers(np.arange(len(st.frame)), ["year"], problems)[:, 0]
        sea_rows = np.flatnonzero(
            (sea_year == year)
            & (st.frame["country"].astype(str).str.strip() == self.country).to_numpy()
        )
        sea_code_col = st.column("code")
        sea_codes = [sea_code_col[r].strip() for r in sea_rows]
        sea_pos = {c: int(r) for c, r in zip(sea_codes, sea_rows, strict=True)}
        absent = [c for c in codes if c not in sea_pos]
        for c in absent:
            problems.append(
                Problem(f"{st.file} field code", f"no hours for industry {c!r} in {year}")
            )
        hours_rows = np.asarray([sea_pos.get(c, 0) for c in codes], dtype=np.int64)
        h_empe = st.numbers(hours_rows, ["H_EMPE"], problems)[:, 0] if sea_rows.size else (
            np.zeros(len(codes)))
        for k in np.flatnonzero(x < 0):
            problems.append(Problem(f"{it.file}:{it.lines[rows[k]]} field GO",
                                    f"negative gross output {x[k]:g}"))
        for k in np.flatnonzero(h_empe < 0):
            problems.append(Problem(f"{st.file}:{st.lines[hours_rows[k]]} field H_EMPE",
                                    f"negative hours {h_empe[k]:g}"))
        if problems:
            raise ImportError_(f"the WIOD tables for {self.country} {year} cannot be read",
                               problems)
        hours = h_empe * 1e6  # million hours -> hours
        total_hours = float(hours.sum())

        # drop industries without output
        zero = x == 0
        dropped: list[DroppedProduct] = []
        notes: list[str] = []
        f_all = F.sum(axis=1)
        for k in np.flatnonzero(zero):
            lost = {
                "deliveries": float(np.abs(Z[k]).sum()),
                "purchases": float(np.abs(Z[:, k]).sum()),
                "final demand": float(np.abs(F[k]).sum()),
                "hours": float(hours[k]),
            }
            if any(lost.values()):
                detail = ", ".join(f"{kk} {vv:g}" for kk, vv in lost.items() if vv)
                reason = f"zero gross output in {year}; dropped with its nonzero {detail}"
                notes.append(f"dropping {codes[k]} loses {detail} (the table is not balanced "
                             "there)")
            else:
                reason = (f"zero gross output in {year} (its row, column, final demand and "
                          "hours are all zero)")
            dropped.append(DroppedProduct(codes[k], reason))
        keep = np.flatnonzero(~zero)
        ids = [codes[k] for k in keep]
        if not ids:
            raise ImportError_(f"the WIOD tables for {self.country} {year} hold no industry "
                               "with output", [Problem(f"{it.file} field GO",
                                                       f"no domestic industry in {year} "
                                                       "has a gross output above 0")])
        Zk, xk, fk, hk = Z[np.ix_(keep, keep)], x[keep], f_all[keep], hours[keep]

        neg: list[NegativeEntry] = negative_entries(
            "Z", Zk, ids, ids, "set to 0" if policy == "zero" else "refused"
        )
        neg_f = negative_entries(
            "final demand", fk, ids, ["summed"],
            "need set to 0 (the published value stays in ImportResult.final_demand)"
            if policy == "zero" else "refused",
        )
        if policy == "error":
            raise_for_negatives(f"WIOD {self.country} {year}", neg + neg_f)
        Zk = np.where(Zk < 0, 0.0, Zk)
        A = sp.csr_array(Zk / xk[None, :])
        labour = hk / xk
        needs = np.maximum(fk, 0.0)
        balance = float(np.abs(Zk.sum(axis=1) + fk - xk).max() / max(float(xk.max()), 1.0))
        notes.append(
            f"labour: hours worked by employees (SEA H_EMPE x 10^6) per million USD of gross "
            f"output; total {total_hours:.6g} hours in {year}"
        )
        notes.append(f"needs: sum of final-demand columns {', '.join(fd_cols)}")
        notes.append(f"largest row imbalance |Z 1 + f - x| / max x = {balance:.2g}")
        report = ImportReport(
            source=f"{WIOD_SOURCE}: {self.country} {year}",
            negatives=tuple(neg + neg_f),
            dropped=tuple(dropped),
            notes=tuple(notes),
        )
        meta = {
            "source": WIOD_SOURCE,
            "files": [it.file, st.file],
            "country": self.country,
            "year": year,
            "units": {
                "products": "million USD (current prices)",
                "A": "million USD of input per million USD of gross output",
                "labour": "hours worked by employees per million USD of gross output",
                "needs": "million USD",
                "labour values": "hours per million USD",
            },
            "final_demand_columns": fd_cols,
            "total_hours": total_hours,
            **report.as_meta(),
        }
        eco = Economy.from_matrix(
            A,
            labour,
            products=ids,
            needs=needs,
            product_names=[names[k] for k in keep],
            units=["million USD"] * len(ids),
            meta=meta,
        )
        return ImportResult(
            eco, report, final_demand=fk, output=xk, extra={"hours": hk, "total_hours":
                                                            total_hours}
        )


def wiod_years(iot: str | Path) -> tuple[int, ...]:
    """The years of a WIOD national IOT file."""
    it = read_text_table(iot, "WIOD national input-output table")
    it.require_columns(("Year",), "a WIOD national input-output table")
    problems: list[Problem] = []
    years = it.numbers(np.arange(len(it.frame)), ["Year"], problems)[:, 0]
    if problems:
        raise ImportError_(f"{it.file} has unreadable years", problems)
    return tuple(sorted({int(y) for y in years}))


def read_wiod(
    iot: str | Path,
    sea: str | Path,
    *,
    year: int | None = None,
    country: str | None = None,
    negatives: str = "zero",
) -> ImportResult:
    """Import one year (default: the latest) of a WIOD 2016 national table with hours.

    ``iot`` is the national IO table (``{cty}iot.csv``), ``sea`` its Socio-Economic
    Accounts (``{cty}sea.csv``). Returns the economy (``A = Z / x``, labour
    ``l = H_EMPE * 10^6 / x`` in hours per million USD, needs = summed final demand)
    with its :class:`ImportReport`, the published final demand and gross output.
    """
    return WiodTable.read(iot, sea, country=country).economy(year, negatives=negatives)

