"""The Economy: products, techniques, the sparse input matrix A, labour, capacity, needs.

Notation (Miller and Blair): ``n`` products, ``m`` techniques (``m >= n``), each
technique makes exactly one product.

* ``A`` (n x m, sparse CSR): units of product ``i`` used per unit of technique ``j``.
* ``makes`` (m): the product each technique makes; ``B`` (n x m) is its 0/1 matrix.
* ``labour`` ``l`` (m): hours per unit; ``capacity`` ``c`` (m): at most this many units
  (``inf``: unlimited).
* ``needs`` ``d`` (n) with ``tiers`` (n, 1 = most urgent).
* optional resource rows ``R`` (k x m) with names: energy, land, emissions...

An Economy is validated once, on construction; every fault is collected and
raised together in one :class:`~councilplan.errors.EconomyError` naming each
offending product, technique or row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from councilplan.errors import EconomyError, Problem

__all__ = ["Economy", "FloatArray", "IntArray", "SequentialIds"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_MAX_LISTED = 1000  # problems collected per kind; the count of the rest is still reported


class SequentialIds(Sequence[str]):
    """Ids ``prefix0 .. prefix(n-1)`` without storing ``n`` strings (for 10^7 products)."""

    __slots__ = ("_n", "_pattern", "prefix")

    def __init__(self, prefix: str, n: int) -> None:
        self.prefix = prefix
        self._n = n
        self._pattern = re.compile(re.escape(prefix) + r"(0|[1-9][0-9]*)\Z")

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return f"{self.prefix}{i}"

    def position(self, pid: str) -> int | None:
        m = self._pattern.match(pid)
        if m is None:
            return None
        i = int(m.group(1))
        return i if i < self._n else None

    def __repr__(self) -> str:
        return f"SequentialIds({self.prefix!r}, {self._n})"


def _as_float_vector(x: Any, name: str, length: int, problems: list[Problem]) -> FloatArray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1 or arr.shape[0] != length:
        problems.append(
            Problem(name, f"expected a vector of length {length}, got shape {arr.shape}")
        )
        return np.zeros(length)
    return arr


def _readonly(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Economy:
    """A validated economy. Build it with :meth:`from_matrix`, :meth:`from_arrays`
    or :meth:`from_tables`; the constructor itself validates too."""

    products: Sequence[str]
    A: sp.csr_array
    labour: FloatArray
    makes: IntArray
    capacity: FloatArray
    techniques: Sequence[str]
    needs: FloatArray
    tiers: IntArray
    product_names: Sequence[str] | None = None
    units: Sequence[str] | None = None
    R: sp.csr_array | None = None
    resources: tuple[str, ...] = ()
    resource_caps: FloatArray | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_matrix(
        cls,
        A: Any,
        labour: Any,
        capacity: Any = None,
        products: Sequence[str] | None = None,
        *,
        needs: Any = None,
        tiers: Any = None,
        product_names: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
        check_productive: bool = True,
        meta: Mapping[str, Any] | None = None,
    ) -> Economy:
        """A square economy: ``A`` is n x n (sparse or dense); technique ``j`` makes product ``j``.

        ``capacity`` defaults to unlimited, ``products`` to ids ``p0 .. p(n-1)``."""
        shape = getattr(A, "shape", None)
        if shape is None or len(shape) != 2 or shape[0] != shape[1]:
            raise EconomyError("A must be a square n x n matrix", [Problem("A", f"shape {shape}")])
        n = int(shape[0])
        ids: Sequence[str] = products if products is not None else SequentialIds("p", n)
        return cls.from_arrays(
            A,
            labour,
            makes=np.arange(n, dtype=np.int64),
            products=ids,
            techniques=ids,
            capacity=capacity,
            needs=needs,
            tiers=tiers,
            product_names=product_names,
            units=units,
            check_productive=check_productive,
            meta=meta,
        )

    @classmethod
    def from_arrays(
        cls,
        A: Any,
        labour: Any,
        *,
        makes: Any,
        products: Sequence[str],
        techniques: Sequence[str] | None = None,
        capacity: Any = None,
        needs: Any = None,
        tiers: Any = None,
        product_names: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
        R: Any = None,
        resources: Sequence[str] = (),
        resource_caps: Any = None,
        check_productive: bool = True,
        meta: Mapping[str, Any] | None = None,
    ) -> Economy:
        """The general form: ``A`` is n x m; ``makes[j]`` is the product technique ``j`` makes."""
        problems: list[Problem] = []
        if sp.issparse(A):
            A_csr = sp.csr_array(A, dtype=np.float64)  # type: ignore[call-overload]
        else:
            dense = np.asarray(A, dtype=np.float64)
            if dense.ndim != 2:
                raise EconomyError("A must be a 2-d matrix", [Problem("A", f"shape {dense.shape}")])
            A_csr = sp.csr_array(dense)
        n, m = (int(s) for s in A_csr.shape)
        if len(products) != n:
            problems.append(Problem("products", f"{len(products)} ids for {n} rows of A"))
        tech_ids: Sequence[str] = techniques if techniques is not None else SequentialIds("t", m)
        if len(tech_ids) != m:
            problems.append(Problem("techniques", f"{len(tech_ids)} ids for {m} columns of A"))
        makes_arr = np.asarray(makes, dtype=np.int64)
        if makes_arr.shape != (m,):
            problems.append(Problem("makes", f"expected length {m}, got shape {makes_arr.shape}"))
            makes_arr = np.zeros(m, dtype=np.int64)
        l_arr = _as_float_vector(labour, "labour", m, problems)
        c_arr = (
            np.full(m, np.inf)
            if capacity is None
            else _as_float_vector(capacity, "capacity", m, problems)
        )
        d_arr = np.zeros(n) if needs is None else _as_float_vector(needs, "needs", n, problems)
        t_arr = (
            np.ones(n, dtype=np.int64)
            if tiers is None
            else np.asarray(tiers, dtype=np.int64).reshape(-1)
        )
        if t_arr.shape != (n,):
            problems.append(Problem("tiers", f"expected length {n}, got shape {t_arr.shape}"))
            t_arr = np.ones(n, dtype=np.int64)
        R_csr: sp.csr_array | None = None
        caps_arr: FloatArray | None = None
        if R is not None:
            R_csr = sp.csr_array(R, dtype=np.float64)
            if R_csr.shape[1] != m or R_csr.shape[0] != len(resources):
                problems.append(
                    Problem("R", f"shape {R_csr.shape}; expected ({len(resources)}, {m})")
                )
            if resource_caps is not None:
                caps_arr = _as_float_vector(
                    resource_caps, "resource_caps", len(resources), problems
                )
        if problems:
            raise EconomyError("the economy's arrays do not fit together", problems)

        eco = cls(
            products=products,
            A=A_csr,
            labour=_readonly(l_arr.copy()),
            makes=_readonly(makes_arr.copy()),
            capacity=_readonly(c_arr.copy()),
            techniques=tech_ids,
            needs=_readonly(d_arr.copy()),
            tiers=_readonly(t_arr.copy()),
            product_names=product_names,
            units=units,
            R=R_csr,
            resources=tuple(resources),
            resource_caps=None if caps_arr is None else _readonly(caps_arr.copy()),
            meta=dict(meta or {}),
        )
        if check_productive:
            from councilplan.planning.productive import check_productive as _check

            _check(eco)
        return eco

    @classmethod
    def from_tables(
        cls,
        products: Iterable[Mapping[str, Any]],
        techniques: Iterable[Mapping[str, Any]],
        inputs: Iterable[Mapping[str, Any]],
        needs: Iterable[Mapping[str, Any]] = (),
        *,
        check_productive: bool = True,
        meta: Mapping[str, Any] | None = None,
    ) -> Economy:
        """Build from labelled records (dicts, or rows of DataFrames via ``to_dict('records')``).

        * products: ``id`` (required), ``name``, ``unit``
        * techniques: ``id``, ``product``, ``labour``, ``capacity`` (blank: unlimited)
        * inputs: ``technique``, ``product``, ``quantity`` (units per unit of technique)
        * needs: ``product``, ``quantity``, ``tier`` (default 1)

        Unknown or duplicate ids are reported together, each naming the row.
        """
        problems: list[Problem] = []
        pids: list[str] = []
        names: list[str] = []
        units: list[str] = []
        pos: dict[str, int] = {}
        for r, row in enumerate(products, start=1):
            pid = str(row.get("id", "")).strip()
            if not pid:
                problems.append(Problem(f"products row {r}", "empty product id"))
                continue
            if pid in pos:
                problems.append(Problem(f"products row {r}", f"duplicate product id {pid!r}"))
                continue
            pos[pid] = len(pids)
            pids.append(pid)
            names.append(str(row.get("name") or pid))
            units.append(str(row.get("unit") or ""))
        tids: list[str] = []
        tpos: dict[str, int] = {}
        makes: list[int] = []
        lab: list[float] = []
        cap: list[float] = []
        for r, row in enumerate(techniques, start=1):
            tid = str(row.get("id", "")).strip()
            prod = str(row.get("product", "")).strip()
            if not tid:
                problems.append(Problem(f"techniques row {r}", "empty technique id"))
                continue
            if tid in tpos:
                problems.append(Problem(f"techniques row {r}", f"duplicate technique id {tid!r}"))
                continue
            if prod not in pos:
                problems.append(
                    Problem(
                        f"techniques row {r}", f"technique {tid!r} makes unknown product {prod!r}"
                    )
                )
                continue
            tpos[tid] = len(tids)
            tids.append(tid)
            makes.append(pos[prod])
            lab.append(_number(row.get("labour"), f"techniques row {r} field labour", problems))
            raw_cap = row.get("capacity")
            cap.append(
                np.inf
                if raw_cap is None
                or (isinstance(raw_cap, str) and not raw_cap.strip())
                or (isinstance(raw_cap, float) and np.isnan(raw_cap))
                else _number(raw_cap, f"techniques row {r} field capacity", problems)
            )
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, row in enumerate(inputs, start=1):
            tid = str(row.get("technique", "")).strip()
            prod = str(row.get("product", "")).strip()
            bad = False
            if tid not in tpos:
                problems.append(Problem(f"inputs row {r}", f"unknown technique {tid!r}"))
                bad = True
            if prod not in pos:
                problems.append(Problem(f"inputs row {r}", f"unknown product {prod!r}"))
                bad = True
            q = _number(row.get("quantity"), f"inputs row {r} field quantity", problems)
            if not bad:
                rows.append(pos[prod])
                cols.append(tpos[tid])
                vals.append(q)
        d = np.zeros(len(pids))
        tier = np.ones(len(pids), dtype=np.int64)
        for r, row in enumerate(needs, start=1):
            prod = str(row.get("product", "")).strip()
            if prod not in pos:
                problems.append(Problem(f"needs row {r}", f"unknown product {prod!r}"))
                continue
            d[pos[prod]] += _number(row.get("quantity"), f"needs row {r} field quantity", problems)
            raw_tier = row.get("tier")
            if raw_tier not in (None, ""):
                t = _number(raw_tier, f"needs row {r} field tier", problems)
                if t != int(t) or t < 1:
                    problems.append(
                        Problem(f"needs row {r} field tier", f"tier {raw_tier!r} is not 1, 2, 3...")
                    )
                else:
                    tier[pos[prod]] = int(t)
        if problems:
            raise EconomyError("the economy's tables have errors", problems)
        A = sp.coo_array(
            (
                np.asarray(vals, dtype=np.float64),
                (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(len(pids), len(tids)),
        ).tocsr()
        return cls.from_arrays(
            A,
            lab,
            makes=makes,
            products=pids,
            techniques=tids,
            capacity=cap,
            needs=d,
            tiers=tier,
            product_names=names,
            units=units,
            check_productive=check_productive,
            meta=meta,
        )

    # ------------------------------------------------------------------ validation
    def __post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise EconomyError("the economy is not valid", problems)

    # ------------------------------------------------------------------ views
    @property
    def n(self) -> int:
        """Number of products."""
        return int(self.A.shape[0])

    @property
    def m(self) -> int:
        """Number of techniques."""
        return int(self.A.shape[1])

    @property
    def is_square(self) -> bool:
        """One technique per product, technique ``j`` making product ``j``."""
        return self.m == self.n and bool(np.array_equal(self.makes, np.arange(self.n)))

    @cached_property
    def B(self) -> sp.csr_array:
        """The make matrix: ``B[makes[j], j] = 1``."""
        return sp.csr_array(
            (np.ones(self.m), (self.makes, np.arange(self.m))), shape=(self.n, self.m)
        )

    @cached_property
    def primary_techniques(self) -> IntArray:
        """For each product, its first-listed technique (used where one technique per product
        is needed: gross output, labour values)."""
        first = np.full(self.n, -1, dtype=np.int64)
        order = np.arange(self.m - 1, -1, -1)
        first[self.makes[order]] = order
        return _readonly(first)

    def square(self, choice: Any = None) -> tuple[sp.csr_array, FloatArray]:
        """``(A_s, l_s)`` for one technique per product: ``choice[i]`` (default the primary
        technique) makes product ``i``. Returns the n x n input matrix and labour vector."""
        if choice is None:
            if self.is_square:
                return self.A, self.labour
            choice = self.primary_techniques
        ch = np.asarray(choice, dtype=np.int64)
        if ch.shape != (self.n,) or not np.array_equal(self.makes[ch], np.arange(self.n)):
            raise EconomyError(
                "a technique choice must name, for each product, a technique that makes it"
            )
        return sp.csr_array(self.A[:, ch]), self.labour[ch]

    @cached_property
    def _product_pos(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.products)}

    def product_index(self, pid: str) -> int:
        """Position of product ``pid``; raises :class:`EconomyError` naming it if unknown."""
        if isinstance(self.products, SequentialIds):
            i = self.products.position(pid)
        else:
            i = self._product_pos.get(pid)
        if i is None:
            raise EconomyError("unknown product", [Problem(pid, "no such product in this economy")])
        return i

    def needs_vector(self, needs: Mapping[str, float]) -> FloatArray:
        """A dense needs vector from ``{product id: quantity}``, naming every unknown id."""
        d = np.zeros(self.n)
        problems: list[Problem] = []
        for pid, q in needs.items():
            try:
                d[self.product_index(pid)] = q
            except EconomyError:
                problems.append(Problem(pid, "no such product in this economy"))
        if problems:
            raise EconomyError("needs name unknown products", problems)
        return d

    def with_needs(self, needs: Any, tiers: Any = None) -> Economy:
        """A copy with other needs (and tiers)."""
        return Economy.from_arrays(
            self.A,
            self.labour,
            makes=self.makes,
            products=self.products,
            techniques=self.techniques,
            capacity=self.capacity,
            needs=needs,
            tiers=self.tiers if tiers is None else tiers,
            product_names=self.product_names,
            units=self.units,
            R=self.R,
            resources=self.resources,
            resource_caps=self.resource_caps,
            check_productive=False,
            meta=self.meta,
        )

    def __repr__(self) -> str:
        return f"Economy(n={self.n}, m={self.m}, nnz={self.A.nnz})"


def _number(raw: Any, where: str, problems: list[Problem]) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(Problem(where, f"{raw!r} is not a number"))
        return 0.0
    if not np.isfinite(value):
        problems.append(Problem(where, f"{raw!r} is not a finite number"))
        return 0.0
    return value


def _label(ids: Sequence[str], i: int) -> str:
    try:
        return str(ids[i])
    except IndexError:
        return f"#{i}"


def _listed(problems: list[Problem], mask: npt.NDArray[np.bool_], describe: Any, what: str) -> None:
    bad = np.flatnonzero(mask)
    for i in bad[:_MAX_LISTED]:
        problems.append(describe(int(i)))
    if bad.size > _MAX_LISTED:
        problems.append(Problem(what, f"... {bad.size - _MAX_LISTED} more of the same kind"))


def _validate(eco: Economy) -> list[Problem]:
    """Every fault of an economy, each naming the product, technique or field."""
    problems: list[Problem] = []
    n, m = eco.n, eco.m
    A = eco.A
    if m < n:
        problems.append(Problem("A", f"{m} techniques for {n} products: each product needs one"))
    id_lists: list[tuple[str, Sequence[str], int]] = [("products", eco.products, n)]
    if eco.techniques is not eco.products:
        id_lists.append(("techniques", eco.techniques, m))
    for name, ids, size in id_lists:
        if len(ids) != size:
            problems.append(Problem(name, f"{len(ids)} ids for {size}"))
            return problems
        if not isinstance(ids, SequentialIds):
            seen: set[str] = set()
            for i, pid in enumerate(ids):
                if pid in seen:
                    problems.append(Problem(f"{name}[{i}]", f"duplicate id {pid!r}"))
                seen.add(pid)
    data = A.data
    if data.size:
        indptr = A.indptr

        def row_of(k: int) -> int:  # the row of stored entry k, found only for faults
            return int(np.searchsorted(indptr, k, side="right")) - 1

        bad_nan = ~np.isfinite(data)
        if bad_nan.any():
            _listed(
                problems,
                bad_nan,
                lambda k: Problem(
                    f"input of {_label(eco.products, row_of(k))} to technique "
                    f"{_label(eco.techniques, int(A.indices[k]))}",
                    f"{data[k]} is not a finite number",
                ),
                "A",
            )
        bad_neg = data < 0
        if bad_neg.any():
            _listed(
                problems,
                bad_neg,
                lambda k: Problem(
                    f"input of {_label(eco.products, row_of(k))} to technique "
                    f"{_label(eco.techniques, int(A.indices[k]))}",
                    f"negative input {data[k]}",
                ),
                "A",
            )
    for name, vec, ids in (
        ("labour", eco.labour, eco.techniques),
        ("capacity", eco.capacity, eco.techniques),
        ("needs", eco.needs, eco.products),
    ):
        nan = np.isnan(vec) | (np.isinf(vec) if name != "capacity" else np.isneginf(vec))
        _listed(
            problems,
            nan,
            lambda i, name=name, vec=vec, ids=ids: Problem(
                f"{name} of {_label(ids, i)}", f"{vec[i]} is not a finite number"
            ),
            name,
        )
        neg = vec < 0
        _listed(
            problems,
            neg,
            lambda i, name=name, vec=vec, ids=ids: Problem(
                f"{name} of {_label(ids, i)}", f"negative {name} {vec[i]}"
            ),
            name,
        )
    bad_makes = (eco.makes < 0) | (eco.makes >= n)
    _listed(
        problems,
        bad_makes,
        lambda j: Problem(
            f"technique {_label(eco.techniques, j)}", f"makes unknown product #{eco.makes[j]}"
        ),
        "makes",
    )
    if not bad_makes.any():
        made = np.zeros(n, dtype=bool)
        made[eco.makes] = True
        _listed(
            problems,
            ~made,
            lambda i: Problem(f"product {_label(eco.products, i)}", "no technique makes it"),
            "products",
        )
    bad_tier = eco.tiers < 1
    _listed(
        problems,
        bad_tier,
        lambda i: Problem(f"tier of {_label(eco.products, i)}", f"tier {eco.tiers[i]} is below 1"),
        "tiers",
    )
    if eco.R is not None:
        rd = eco.R.data
        if (~np.isfinite(rd)).any() or (rd < 0).any():
            rrows = np.repeat(np.arange(eco.R.shape[0]), np.diff(eco.R.indptr))
            _listed(
                problems,
                ~np.isfinite(rd) | (rd < 0),
                lambda k: Problem(
                    f"use of resource {eco.resources[int(rrows[k])]} by technique "
                    f"{_label(eco.techniques, int(eco.R.indices[k]))}",
                    f"{rd[k]} is not a finite non-negative number",
                ),
                "R",
            )
        if eco.resource_caps is not None:
            for k, cap in enumerate(eco.resource_caps):
                if np.isnan(cap) or cap < 0:
                    problems.append(
                        Problem(f"cap of resource {eco.resources[k]}", f"{cap} is invalid")
                    )
    return problems
