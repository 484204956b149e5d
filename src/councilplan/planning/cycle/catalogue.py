"""The product catalogue: stable codes, units, descriptions, official classifications.

A :class:`Product` has a **code** that never changes once it is in the catalogue
(needs, techniques, targets and reports all name products by code), a name, a
**unit** (what one unit of it is: ``"t"``, ``"million USD"``, ``"dwelling"``), a
description, and its codes in official classifications, so that a table read by the
importers maps onto it: ``wiod`` (WIOD 2016 industries), ``nace`` (NACE Rev. 2),
``cpa`` (CPA 2008), ``bea`` (BEA detail commodities), ``naics`` (NAICS), ``isic``
(ISIC Rev. 4) and ``label`` (a row label of a symmetric table).

A code is 1-64 characters of letters, digits and ``. _ : / -``, starting with a letter
or digit. Adding a product whose code is taken is refused unless it is the same
product (same name, unit and classifications): additions are idempotent, changes
are not possible -- a changed product is a new code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from councilplan.errors import InvalidInput, Problem

__all__ = [
    "CLASSIFICATIONS",
    "Catalogue",
    "Product",
    "catalogue_problems",
    "code_problem",
]

CLASSIFICATIONS: Mapping[str, str] = MappingProxyType({
    "wiod": "WIOD 2016 release industry (56 industries, ISIC Rev. 4 / NACE Rev. 2 based)",
    "nace": "NACE Rev. 2 (statistical classification of economic activities, EU)",
    "cpa": "CPA 2008 (statistical classification of products by activity, EU)",
    "bea": "BEA detail commodity code (US benchmark input-output tables, 2017)",
    "naics": "NAICS 2017 (North American Industry Classification System)",
    "isic": "ISIC Rev. 4 (UN international standard industrial classification)",
    "label": "row label of a symmetric input-output table (e.g. the Eurostat manual)",
})
"""The classification systems a product may be mapped to, with what each is."""

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}\Z")


def code_problem(code: object, where: str) -> Problem | None:
    """Why ``code`` is not a valid product code, or ``None`` if it is."""
    if not isinstance(code, str) or not _CODE.match(code):
        return Problem(where, f"{code!r} is not a product code (1-64 letters, digits, "
                              "'.', '_', ':', '/', '-', starting with a letter or digit)")
    return None


@dataclass(frozen=True, slots=True)
class Product:
    """One product of the catalogue (see the module docstring)."""

    code: str
    name: str
    unit: str
    description: str = ""
    classifications: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        problems = _product_problems(self, self.code or "product")
        if problems:
            raise InvalidInput(f"product {self.code!r} is not valid", problems)
        object.__setattr__(self, "classifications",
                           MappingProxyType(dict(sorted(self.classifications.items()))))

    @classmethod
    def stored(cls, code: str, name: str, unit: str, description: str,
               classifications: Mapping[str, str]) -> Product:
        """A product read back from a store (it was checked when it was added)."""
        p = object.__new__(cls)
        object.__setattr__(p, "code", code)
        object.__setattr__(p, "name", name)
        object.__setattr__(p, "unit", unit)
        object.__setattr__(p, "description", description)
        object.__setattr__(p, "classifications", MappingProxyType(dict(classifications)))
        return p

    def same_as(self, other: Product) -> bool:
        """Same code, name, unit and classifications (the description may be reworded)."""
        return (self.code, self.name, self.unit, dict(self.classifications)) == (
            other.code, other.name, other.unit, dict(other.classifications))

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "unit": self.unit,
                "description": self.description,
                "classifications": dict(self.classifications)}


def _product_problems(p: Product, where: str) -> list[Problem]:
    problems: list[Problem] = []
    bad = code_problem(p.code, where)
    if bad is not None:
        problems.append(bad)
    if not isinstance(p.name, str) or not p.name.strip():
        problems.append(Problem(where, "a product needs a name"))
    if not isinstance(p.unit, str) or not p.unit.strip():
        problems.append(Problem(where, "a product needs a unit (what one unit of it is)"))
    if not isinstance(p.description, str):
        problems.append(Problem(where, "the description must be text"))
    for system, value in dict(p.classifications).items():
        if system not in CLASSIFICATIONS:
            problems.append(Problem(where, f"unknown classification {system!r}; known: "
                                    + ", ".join(sorted(CLASSIFICATIONS))))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(where, f"an empty {system} code"))
    return problems


def catalogue_problems(existing: Catalogue, new: Sequence[Product]) -> list[Problem]:
    """Every reason ``new`` cannot be added to ``existing`` (empty: it can).

    A code listed twice in ``new``, or already in ``existing`` for a different
    product, is a problem; the same product again is not.
    """
    problems: list[Problem] = []
    seen: dict[str, Product] = {}
    for k, p in enumerate(new, start=1):
        where = f"product {k} ({p.code})"
        if p.code in seen:
            problems.append(Problem(where, "this code is listed twice"))
            continue
        seen[p.code] = p
        old = existing.find(p.code)
        if old is not None and not old.same_as(p):
            problems.append(Problem(
                where, f"code {p.code} is already {old.name!r} in {old.unit!r}: a code never "
                       "changes its product (give the new product a new code)"))
    return problems


class Catalogue:
    """The products by code, in the order given (index lookups are O(1))."""

    __slots__ = ("_index", "_products")

    def __init__(self, products: Iterable[Product] = ()) -> None:
        self._products: tuple[Product, ...] = tuple(products)
        self._index: dict[str, int] = {}
        problems: list[Problem] = []
        for k, p in enumerate(self._products):
            if p.code in self._index:
                problems.append(Problem(p.code, "this code is listed twice"))
            self._index[p.code] = k
        if problems:
            raise InvalidInput("the catalogue lists a code twice", problems)

    def __len__(self) -> int:
        return len(self._products)

    def __iter__(self) -> Iterator[Product]:
        return iter(self._products)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._index

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self._products)

    def find(self, code: str) -> Product | None:
        k = self._index.get(code)
        return None if k is None else self._products[k]

    def get(self, code: str) -> Product:
        found = self.find(code)
        if found is None:
            raise InvalidInput("unknown product", [Problem(code, "not in the catalogue")])
        return found

    def index(self, code: str) -> int | None:
        return self._index.get(code)

    def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes of ``codes`` that are not in the catalogue (each once, in order)."""
        out: list[str] = []
        seen: set[str] = set()
        for c in codes:
            if c not in self._index and c not in seen:
                seen.add(c)
                out.append(c)
        return out

    def with_products(self, new: Sequence[Product]) -> Catalogue:
        """A catalogue with ``new`` added (refused with every :func:`catalogue_problems`)."""
        problems = catalogue_problems(self, new)
        if problems:
            raise InvalidInput("the products cannot be added to the catalogue", problems)
        fresh = [p for p in new if p.code not in self._index]
        return Catalogue((*self._products, *fresh))
