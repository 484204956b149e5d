"""Techniques and capacities: what each workplace council makes, and how.

A workplace council registers, for each product it makes in a period, one
**technique**: the inputs it uses per unit of output (units of catalogue products),
the hours of labour per unit, and its **capacity** (the most it can make in the
period; unlimited when left out). In the plan a technique is one column of the
economy (``A[:, j]``, ``l[j]``, ``c[j]``); several workplaces may make the same
product, each with its own technique, and the plan chooses how much each makes.

Techniques are **versioned per period**: registering the same workplace and product
again makes version 2, 3, ...; a plan uses the versions current when it was computed
and names them, so a plan is never changed by a later registration.

Faults are refused with every problem named: unknown products (made or used), a
workplace outside the period's scope or not a workplace council, negative or
non-finite inputs, labour or capacity, an input listed twice, a product made twice
in one registration, and **impossible techniques** -- one that uses a unit or more of
its own product per unit made can never yield any of it.

Large registrations travel as a :class:`TechniqueTable` (columns, inputs in compressed
sparse form), never as one object per technique.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle.catalogue import Catalogue
from councilplan.planning.cycle.federation import Federation
from councilplan.planning.economy import Economy, FloatArray, IntArray

__all__ = ["TechniqueTable", "technique_problems"]

_MAX_PROBLEMS = 1000


@dataclass(frozen=True, eq=False)
class TechniqueTable:
    """Techniques as columns: technique ``k`` is ``workplaces[k]`` making
    ``products[k]`` with ``labour[k]`` hours and ``capacity[k]`` (``inf``: unlimited)
    per unit; its inputs are ``input_products[indptr[k]:indptr[k+1]]`` in the quantities
    ``input_quantities[...]`` per unit. ``versions`` is empty until registered."""

    workplaces: Sequence[str]
    products: Sequence[str]
    labour: FloatArray
    capacity: FloatArray
    indptr: IntArray
    input_products: Sequence[str]
    input_quantities: FloatArray
    versions: IntArray | None = None

    def __len__(self) -> int:
        return len(self.products)

    @property
    def nnz(self) -> int:
        return len(self.input_products)

    def inputs_of(self, k: int) -> dict[str, float]:
        a, b = int(self.indptr[k]), int(self.indptr[k + 1])
        return dict(zip(self.input_products[a:b], self.input_quantities[a:b].tolist(),
                        strict=True))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], *,
                  workplace: str | None = None) -> TechniqueTable:
        """From records ``workplace`` (or the argument for all), ``product``, ``labour``,
        ``capacity`` (blank or None: unlimited) and ``inputs`` (a mapping product ->
        quantity per unit). Unreadable numbers become NaN and are reported by
        :func:`technique_problems`."""
        wps: list[str] = []
        prods: list[str] = []
        lab: list[float] = []
        cap: list[float] = []
        indptr = [0]
        in_p: list[str] = []
        in_q: list[float] = []
        for row in rows:
            wps.append(str(row.get("workplace") or workplace or "").strip())
            prods.append(str(row.get("product", "")).strip())
            lab.append(_float(row.get("labour")))
            raw = row.get("capacity")
            cap.append(float("inf") if raw is None or (isinstance(raw, str) and not raw.strip())
                       else _float(raw))
            for p, qty in dict(row.get("inputs") or {}).items():
                in_p.append(str(p).strip())
                in_q.append(_float(qty))
            indptr.append(len(in_p))
        return cls(wps, prods, np.asarray(lab, dtype=np.float64),
                   np.asarray(cap, dtype=np.float64), np.asarray(indptr, dtype=np.int64),
                   in_p, np.asarray(in_q, dtype=np.float64))

    @classmethod
    def from_economy(cls, eco: Economy, workplaces: Sequence[str],
                     capacity: Any = None, products: Sequence[str] | None = None
                     ) -> TechniqueTable:
        """The techniques of an economy as registrations: technique ``j`` (column ``j`` of
        ``A``) registered by ``workplaces[j]``, with the economy's labour and capacity (or
        ``capacity``). ``products`` renames the economy's products (catalogue codes)."""
        if len(workplaces) != eco.m:
            raise InvalidInput(f"{len(workplaces)} workplaces for {eco.m} techniques")
        codes = list(eco.products) if products is None else list(products)
        if len(codes) != eco.n:
            raise InvalidInput(f"{len(codes)} product codes for {eco.n} products")
        A = sp.csc_array(eco.A)
        A.sort_indices()
        cap = eco.capacity if capacity is None else np.asarray(capacity, dtype=np.float64)
        return cls(list(workplaces), [codes[int(i)] for i in eco.makes],
                   np.asarray(eco.labour, dtype=np.float64).copy(),
                   np.asarray(cap, dtype=np.float64).copy(), A.indptr.astype(np.int64),
                   [codes[i] for i in A.indices.tolist()],
                   np.asarray(A.data, dtype=np.float64).copy())

    def take(self, rows: Sequence[int] | IntArray) -> TechniqueTable:
        """The techniques ``rows``, in that order."""
        idx = np.asarray(rows, dtype=np.int64)
        counts = np.diff(self.indptr)[idx]
        indptr = np.zeros(idx.size + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        starts = np.repeat(self.indptr[idx] - indptr[:-1], counts)
        flat = (np.arange(int(indptr[-1]), dtype=np.int64) + starts).tolist()
        pick = idx.tolist()
        return TechniqueTable(
            [self.workplaces[k] for k in pick], [self.products[k] for k in pick],
            self.labour[idx], self.capacity[idx], indptr,
            [self.input_products[e] for e in flat], self.input_quantities[flat],
            None if self.versions is None else self.versions[idx])

    def with_versions(self, versions: IntArray) -> TechniqueTable:
        if versions.shape != (len(self),):
            raise InvalidInput(f"{versions.shape} versions for {len(self)} techniques")
        return TechniqueTable(self.workplaces, self.products, self.labour, self.capacity,
                              self.indptr, self.input_products, self.input_quantities,
                              versions.astype(np.int64))

    def rows(self) -> list[dict[str, Any]]:
        """One record per technique (for small tables: display, tests)."""
        out = []
        for k in range(len(self)):
            row: dict[str, Any] = {
                "workplace": self.workplaces[k], "product": self.products[k],
                "labour": float(self.labour[k]),
                "capacity": None if np.isinf(self.capacity[k]) else float(self.capacity[k]),
                "inputs": self.inputs_of(k)}
            if self.versions is not None:
                row["version"] = int(self.versions[k])
            out.append(row)
        return out

    @classmethod
    def concat(cls, tables: Sequence[TechniqueTable]) -> TechniqueTable:
        if not tables:
            return cls.from_rows(())
        offsets = np.cumsum([0] + [t.nnz for t in tables[:-1]])
        indptr = np.concatenate(
            [np.zeros(1, dtype=np.int64)]
            + [t.indptr[1:] + off for t, off in zip(tables, offsets, strict=True)])
        versions = (np.concatenate([t.versions for t in tables if t.versions is not None])
                    if all(t.versions is not None for t in tables) else None)
        return cls([w for t in tables for w in t.workplaces],
                   [p for t in tables for p in t.products],
                   np.concatenate([t.labour for t in tables]),
                   np.concatenate([t.capacity for t in tables]), indptr.astype(np.int64),
                   [p for t in tables for p in t.input_products],
                   np.concatenate([t.input_quantities for t in tables]), versions)


def _float(raw: Any) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        return float("nan")


def _indices(catalogue: Catalogue, codes: Sequence[str]) -> IntArray:
    index = catalogue.index
    return np.fromiter(((-1 if (i := index(c)) is None else i) for c in codes),
                       dtype=np.int64, count=len(codes))


def technique_problems(table: TechniqueTable, catalogue: Catalogue,
                       federation: Federation) -> list[Problem]:
    """Every fault of a registration of techniques, each naming its technique
    (1-based row, workplace and product) -- see the module docstring."""
    problems: list[Problem] = []
    m = len(table)
    if (len(table.workplaces) != m or table.labour.shape != (m,)
            or table.capacity.shape != (m,) or table.indptr.shape != (m + 1,)
            or table.input_quantities.shape != (table.nnz,)
            or int(table.indptr[-1]) != table.nnz or (np.diff(table.indptr) < 0).any()):
        return [Problem("techniques", "the columns of the technique table do not fit together")]

    def add(k: int, message: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(Problem(
                f"technique {k + 1} ({table.workplaces[k]}: {table.products[k]})", message))

    lab, cap, q = table.labour, table.capacity, table.input_quantities
    for k in np.flatnonzero(~np.isfinite(lab) | (lab < 0)).tolist():
        add(k, f"labour {float(lab[k])!r} hours per unit is not a number >= 0")
    for k in np.flatnonzero(np.isnan(cap) | (cap < 0)).tolist():
        add(k, f"capacity {float(cap[k])!r} is not a number >= 0 (leave it out for unlimited)")
    owner = np.repeat(np.arange(m), np.diff(table.indptr))
    for e in np.flatnonzero(~np.isfinite(q) | (q < 0)).tolist():
        add(int(owner[e]), f"input of {table.input_products[e]} {float(q[e])!r} per unit is not a "
                           "number >= 0")
    made = _indices(catalogue, table.products)
    used = _indices(catalogue, table.input_products)
    for k in np.flatnonzero(made < 0).tolist():
        add(k, f"makes product {table.products[k]!r}, which is not in the catalogue")
    for e in np.flatnonzero(used < 0).tolist():
        add(int(owner[e]), f"uses product {table.input_products[e]!r}, which is not in the "
                           "catalogue")
    known = (used >= 0) & (made[owner] >= 0) if m else np.zeros(0, dtype=bool)
    own = np.flatnonzero(known & (used == made[owner]) & np.isfinite(q) & (q >= 1.0))
    for e in own.tolist():
        k = int(owner[e])
        prod = table.products[k]
        add(k, f"uses {float(q[e])!r} units of {prod} per unit of {prod}: a technique that "
               "uses as much of its own product as it makes can never yield any")
    if table.nnz:
        pair = owner.astype(np.int64) * (len(catalogue) + 1) + (used + 1)
        order = np.argsort(pair, kind="stable")
        ko, po = known[order], pair[order]
        twice = np.flatnonzero(ko[1:] & ko[:-1] & (po[1:] == po[:-1]))
        for t in twice.tolist():
            e = int(order[t + 1])
            add(int(owner[e]), f"lists input {table.input_products[e]} twice")
    checked: dict[str, Problem | None] = {}
    seen: dict[tuple[str, str], int] = {}
    for k in range(m):
        wp, prod = table.workplaces[k], table.products[k]
        if wp not in checked:
            bad = federation.scope_problem(wp, wp)
            if bad is None and not federation.is_workplace(wp):
                bad = Problem(wp, f"council {wp} is a {federation.kind(wp)} council: only "
                                  "workplace councils register techniques")
            checked[wp] = bad
        found = checked[wp]
        if found is not None:
            add(k, found.message)
        key = (wp, prod)
        if key in seen:
            add(k, f"listed twice (also technique {seen[key] + 1}): one technique per "
                   "workplace and product")
        else:
            seen[key] = k
    if len(problems) >= _MAX_PROBLEMS:
        problems.append(Problem("techniques", f"... and possibly more: the first "
                                              f"{_MAX_PROBLEMS} faults are listed"))
    return problems
