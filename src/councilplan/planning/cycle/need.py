"""Needs: what councils register for a period, and how needs add up the tree.

A need names a product of the catalogue, a quantity (units of the product over the
whole period), a priority **tier** (1 = most urgent; the plan meets tier 1 before tier
2), a reason, and a **category**:

* base councils register the needs of the people in them: residential and consumer
  councils ``consumption``, workplace councils ``workplace`` (their canteen, their
  safety equipment, ...);
* a council above the base adds **collective** needs: ``health``, ``education``,
  ``housing``, ``investment``, ``reserves``.

Every need keeps its origin (the council that registered it) for good: needs add up
the tree (:func:`aggregate_needs`) with the contribution of each branch listed, and
every target of the adopted plan lists the needs it serves (see
:mod:`~councilplan.planning.cycle.target` and :mod:`~councilplan.planning.cycle.trace`).

Large registrations travel as a :class:`NeedTable` (columns, not objects): a national
period holds hundreds of thousands of needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle.catalogue import Catalogue
from councilplan.planning.cycle.federation import Federation
from councilplan.planning.economy import FloatArray, IntArray

__all__ = [
    "AggregateNeed",
    "NeedCategory",
    "NeedTable",
    "aggregate_needs",
    "default_category",
    "need_problems",
]

_MAX_PROBLEMS = 1000
_REASON = 500


class NeedCategory(StrEnum):
    CONSUMPTION = "consumption"
    WORKPLACE = "workplace"
    HEALTH = "health"
    EDUCATION = "education"
    HOUSING = "housing"
    INVESTMENT = "investment"
    RESERVES = "reserves"

    @property
    def collective(self) -> bool:
        return self not in (NeedCategory.CONSUMPTION, NeedCategory.WORKPLACE)


def default_category(kind: str) -> NeedCategory | None:
    """What a council of ``kind`` registers when it names no category (``None``: it must)."""
    if kind == "workplace":
        return NeedCategory.WORKPLACE
    if kind in ("residential", "consumer"):
        return NeedCategory.CONSUMPTION
    return None


@dataclass(frozen=True, eq=False)
class NeedTable:
    """Needs as columns: row ``k`` is ``councils[k]`` needing ``quantities[k]`` of
    ``products[k]`` in tier ``tiers[k]``, category ``categories[k]``, because
    ``reasons[k]``. ``need_ids`` is empty until the needs are registered."""

    councils: Sequence[str]
    products: Sequence[str]
    quantities: FloatArray
    tiers: IntArray
    categories: Sequence[str]
    reasons: Sequence[str]
    need_ids: Sequence[str] = ()

    def __len__(self) -> int:
        return len(self.products)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], *, council: str | None = None,
                  kinds: Mapping[str, str] | None = None) -> NeedTable:
        """From records ``council`` (or the ``council`` argument for all), ``product``,
        ``quantity``, ``tier`` (default 1), ``category`` (default by the council's kind),
        ``reason``. Unreadable numbers become NaN and are reported by
        :func:`need_problems`, with every other fault."""
        councils: list[str] = []
        products: list[str] = []
        qty: list[float] = []
        tiers: list[int] = []
        cats: list[str] = []
        reasons: list[str] = []
        for row in rows:
            c = str(row.get("council") or council or "").strip()
            councils.append(c)
            products.append(str(row.get("product", "")).strip())
            qty.append(_float(row.get("quantity")))
            tiers.append(_int(row.get("tier"), 1))
            cat = str(row.get("category") or "").strip()
            if not cat and kinds is not None:
                d = default_category(kinds.get(c, ""))
                cat = "" if d is None else d.value
            cats.append(cat)
            reasons.append(str(row.get("reason") or "").strip())
        return cls(councils, products, np.asarray(qty, dtype=np.float64),
                   np.asarray(tiers, dtype=np.int64), cats, reasons)

    def with_default_categories(self, kinds: Mapping[str, str]) -> NeedTable:
        """Blank categories filled in by the registering council's kind (base councils
        only: a council above the base must name the category of a collective need)."""
        cats = list(self.categories)
        for k, c in enumerate(cats):
            if not c:
                d = default_category(kinds.get(self.councils[k], ""))
                if d is not None:
                    cats[k] = d.value
        return NeedTable(self.councils, self.products, self.quantities, self.tiers, cats,
                         self.reasons, self.need_ids)

    def with_ids(self, ids: Sequence[str]) -> NeedTable:
        if len(ids) != len(self):
            raise InvalidInput(f"{len(ids)} ids for {len(self)} needs")
        return NeedTable(self.councils, self.products, self.quantities, self.tiers,
                         self.categories, self.reasons, tuple(ids))

    def take(self, rows: Any) -> NeedTable:
        """The rows ``rows`` (indices or a boolean mask), in that order."""
        idx = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        pick = idx.tolist()
        return NeedTable([self.councils[k] for k in pick], [self.products[k] for k in pick],
                         self.quantities[idx], self.tiers[idx],
                         [self.categories[k] for k in pick], [self.reasons[k] for k in pick],
                         [self.need_ids[k] for k in pick] if self.need_ids else ())

    @classmethod
    def concat(cls, tables: Sequence[NeedTable]) -> NeedTable:
        if not tables:
            return cls((), (), np.zeros(0), np.zeros(0, dtype=np.int64), (), ())
        with_ids = all(t.need_ids or not len(t) for t in tables)
        return cls(
            [c for t in tables for c in t.councils], [p for t in tables for p in t.products],
            np.concatenate([t.quantities for t in tables]),
            np.concatenate([t.tiers for t in tables]).astype(np.int64),
            [c for t in tables for c in t.categories], [r for t in tables for r in t.reasons],
            [i for t in tables for i in t.need_ids] if with_ids else (),
        )


def _float(raw: Any) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        return float("nan")


def _int(raw: Any, default: int) -> int:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return 0
    return int(value) if value == int(value) else 0


def need_problems(table: NeedTable, catalogue: Catalogue, federation: Federation) -> list[Problem]:
    """Every fault of a registration of needs, each naming its row (1-based):

    unknown products, quantities that are not positive finite numbers, tiers that
    are not 1, 2, 3..., unknown categories, a base council registering a collective
    need or a higher council a base one, councils outside the period's scope, and
    reasons over 500 characters.
    """
    problems: list[Problem] = []
    n = len(table)
    for name in ("councils", "categories", "reasons"):
        if len(getattr(table, name)) != n:
            return [Problem("needs", f"{len(getattr(table, name))} {name} for {n} needs")]
    if table.quantities.shape != (n,) or table.tiers.shape != (n,):
        return [Problem("needs", "quantities and tiers must have one entry per need")]

    def add(k: int, message: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(Problem(f"need {k + 1} ({table.councils[k]}: {table.products[k]})",
                                    message))

    q = table.quantities
    for k in np.flatnonzero(~np.isfinite(q) | (q <= 0)).tolist():
        add(k, f"quantity {float(q[k])!r} is not a positive number")
    for k in np.flatnonzero(table.tiers < 1).tolist():
        add(k, "the tier must be 1, 2, 3... (1 is the most urgent)")
    unknown = set(catalogue.unknown(table.products))
    checked: dict[str, Problem | None] = {}
    categories = {c.value: c for c in NeedCategory}
    for k in range(n):
        if table.products[k] in unknown:
            add(k, f"product {table.products[k]!r} is not in the catalogue")
        council = table.councils[k]
        if council not in checked:
            checked[council] = federation.scope_problem(council, council)
        bad = checked[council]
        if bad is not None:
            add(k, bad.message)
            continue
        cat = categories.get(table.categories[k])
        if cat is None and not table.categories[k] and not federation.is_base(council):
            add(k, f"a {federation.kind(council)} council adds collective needs: name the "
                   "category (health, education, housing, investment, reserves)")
        elif cat is None:
            add(k, f"unknown category {table.categories[k]!r}; one of "
                   + ", ".join(categories))
        else:
            base = federation.is_base(council)
            if base and cat.collective:
                add(k, f"a {federation.kind(council)} council registers its own needs "
                       f"({default_category(federation.kind(council))}), not collective "
                       f"{cat.value} needs: those are added by a council above the base")
            elif not base and not cat.collective:
                add(k, f"a {federation.kind(council)} council adds collective needs (health, "
                       f"education, housing, investment, reserves), not {cat.value} needs")
            elif base and cat is not default_category(federation.kind(council)):
                add(k, f"a {federation.kind(council)} council registers "
                       f"{default_category(federation.kind(council))} needs, not {cat.value}")
        if len(table.reasons[k]) > _REASON:
            add(k, f"the reason is longer than {_REASON} characters")
    bad_rows = len(problems)
    if bad_rows >= _MAX_PROBLEMS:
        problems.append(Problem("needs", f"... and possibly more: the first {_MAX_PROBLEMS} "
                                         "faults are listed"))
    return problems


@dataclass(frozen=True, slots=True)
class AggregateNeed:
    """The needs for one product and tier of one council's subtree: the total and the
    part each origin contributed (the council itself, or each council directly below it
    whose subtree registered some)."""

    product: str
    tier: int
    quantity: float
    origins: tuple[tuple[str, float], ...]
    needs: int  # registered needs summed

    def to_dict(self) -> dict[str, object]:
        return {"product": self.product, "tier": self.tier, "quantity": self.quantity,
                "origins": [list(o) for o in self.origins], "needs": self.needs}


def aggregate_needs(table: NeedTable, federation: Federation,
                    council_id: str | None = None) -> tuple[AggregateNeed, ...]:
    """The needs of ``council_id``'s subtree (default: the owner's, i.e. the whole
    scope), summed by product and tier, each with its origins: the council itself and
    each council directly below it, with what its subtree registered. Ordered by
    product code, then tier."""
    at = federation.owner if council_id is None else council_id
    below = federation.under(at)
    origin_of: dict[str, str] = {}

    def origin(c: str) -> str:
        found = origin_of.get(c)
        if found is None:
            path = federation.path(c)
            found = at if c == at else path[path.index(at) - 1]
            origin_of[c] = found
        return found

    acc: dict[tuple[str, int], dict[str, float]] = {}
    counts: dict[tuple[str, int], int] = {}
    for k in range(len(table)):
        c = table.councils[k]
        if c not in below:
            continue
        key = (table.products[k], int(table.tiers[k]))
        parts = acc.setdefault(key, {})
        o = origin(c)
        parts[o] = parts.get(o, 0.0) + float(table.quantities[k])
        counts[key] = counts.get(key, 0) + 1
    return tuple(
        AggregateNeed(p, t, float(sum(parts.values())), tuple(sorted(parts.items())),
                      counts[(p, t)])
        for (p, t), parts in sorted(acc.items())
    )
