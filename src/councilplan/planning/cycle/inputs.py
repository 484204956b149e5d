"""What a plan is computed from: the period's registrations assembled into arrays.

:func:`assemble_inputs` turns the techniques, needs and working time registered in a
period (the versions current at that moment) into :class:`PlanInputs`:

* **products**: the catalogue codes some workplace of the scope makes, sorted by code
  (product ``i``);
* **techniques**: one column per registered technique, ordered by product, then
  workplace (so an economy where every product has one maker is square: technique
  ``i`` makes product ``i``, and the exact structured method applies); ``A[i, j]``
  units of product ``i`` per unit of technique ``j``, ``labour[j]`` hours per unit,
  ``capacity[j]`` the most it can make in the span the plan covers;
* **needs**: every registered need (its id, council, product, tier, category and
  quantity), in registration order;
* **workforce**: each workplace's head-count, working week and weeks.

A product used as an input but made by nobody in the scope makes the plan impossible:
refused, naming the product and who uses it. A need of a product nobody makes is
refused too, or with ``unmade="leave"`` left out of the plan and listed (its council
sees it is not planned for).

A re-plan covers only the rest of the period: ``share`` is that part's share of the
period; capacities are scaled by it (a capacity is a rate over the period) and the
needs are what is still to be delivered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle.catalogue import Catalogue
from councilplan.planning.cycle.digest import array_digest, document_digest, num, text_digest
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.cycle.technique import TechniqueTable
from councilplan.planning.cycle.working_time import Workforce
from councilplan.planning.economy import FloatArray, IntArray

__all__ = ["PlanInputs", "assemble_inputs"]

INPUTS_SCHEME = "councilplan-plan-inputs-v1"


@dataclass(frozen=True, eq=False)
class PlanInputs:
    """The arrays one revision of a period's plan is computed from (module docstring)."""

    period_id: str
    revision: int
    owner: str
    products: tuple[str, ...]
    units: tuple[str, ...]
    tech_workplaces: tuple[str, ...]
    makes: IntArray
    versions: IntArray
    A: sp.csr_array
    labour: FloatArray
    capacity: FloatArray
    needs: NeedTable
    need_product: IntArray
    workforce: Workforce
    share: float = 1.0
    sub_periods: tuple[str, ...] = ()
    sub_shares: tuple[float, ...] = ()
    unmade: tuple[str, ...] = ()  # ids of needs left out: nobody in the scope makes them
    delivered_before: FloatArray | None = None  # re-plan: what each need already received

    @property
    def n(self) -> int:
        return len(self.products)

    @property
    def m(self) -> int:
        return len(self.tech_workplaces)

    @property
    def is_square(self) -> bool:
        return self.m == self.n and bool(np.array_equal(self.makes, np.arange(self.n)))

    @cached_property
    def technique_keys(self) -> tuple[str, ...]:
        """``workplace/product`` for each technique."""
        return tuple(f"{w}/{self.products[int(p)]}"
                     for w, p in zip(self.tech_workplaces, self.makes.tolist(), strict=True))

    @cached_property
    def workplace_index(self) -> IntArray:
        """For each technique, its workplace's position in ``workforce.workplaces``."""
        pos = {w: k for k, w in enumerate(self.workforce.workplaces)}
        missing = sorted({w for w in self.tech_workplaces if w not in pos})
        if missing:
            raise InvalidInput("techniques of workplaces outside the workforce",
                               [Problem(w, "not a workplace of the scope") for w in missing])
        return np.fromiter((pos[w] for w in self.tech_workplaces), dtype=np.int64,
                           count=self.m)

    @cached_property
    def need_councils(self) -> tuple[tuple[str, ...], IntArray]:
        """``(councils, index)``: the registering councils (sorted) and, for each need,
        its council's position among them."""
        names = sorted(set(self.needs.councils))
        pos = {c: k for k, c in enumerate(names)}
        index = np.fromiter((pos[c] for c in self.needs.councils), dtype=np.int64,
                            count=len(self.needs))
        return tuple(names), index

    @cached_property
    def product_index(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.products)}

    def technique(self, workplace: str, product: str) -> int:
        """The column of ``workplace``'s technique for ``product``."""
        i = self.product_index.get(product)
        if i is not None:
            for j in np.flatnonzero(self.makes == i).tolist():
                if self.tech_workplaces[j] == workplace:
                    return int(j)
        raise InvalidInput("no such technique in this plan",
                           [Problem(f"{workplace}/{product}", "the plan has no technique of "
                                                              "this workplace for this product")])

    def document(self) -> dict[str, Any]:
        """The canonical description of the inputs (array digests; see ``digest``)."""
        A = self.A
        nd = self.needs
        return {
            "scheme": INPUTS_SCHEME,
            "period_id": self.period_id, "revision": self.revision, "owner": self.owner,
            "share": num(self.share), "sub_periods": list(self.sub_periods),
            "sub_shares": [num(s) for s in self.sub_shares],
            "counts": {"products": self.n, "techniques": self.m, "needs": len(nd),
                       "inputs": int(A.nnz), "workplaces": len(self.workforce.workplaces)},
            "products": text_digest("products", self.products),
            "units": text_digest("units", self.units),
            "techniques": {
                "workplaces": text_digest("workplaces", self.tech_workplaces),
                "makes": array_digest("makes", self.makes, "i8"),
                "versions": array_digest("versions", self.versions, "i8"),
                "A": {"shape": [int(A.shape[0]), int(A.shape[1])],
                      "indptr": array_digest("A.indptr", A.indptr, "i8"),
                      "indices": array_digest("A.indices", A.indices, "i8"),
                      "data": array_digest("A.data", A.data)},
                "labour": array_digest("labour", self.labour),
                "capacity": array_digest("capacity", self.capacity),
            },
            "needs": {
                "ids": text_digest("need ids", nd.need_ids),
                "councils": text_digest("need councils", nd.councils),
                "products": array_digest("need products", self.need_product, "i8"),
                "tiers": array_digest("need tiers", nd.tiers, "i8"),
                "categories": text_digest("need categories", nd.categories),
                "quantities": array_digest("need quantities", nd.quantities),
                "delivered_before": (None if self.delivered_before is None
                                     else array_digest("delivered before",
                                                       self.delivered_before)),
            },
            "unmade": text_digest("unmade", self.unmade),
            "workforce": {
                "workplaces": text_digest("workforce", self.workforce.workplaces),
                "members": array_digest("members", self.workforce.members),
                "hours_per_week": array_digest("hours per week",
                                               self.workforce.hours_per_week),
                "weeks": array_digest("weeks", self.workforce.weeks),
                "decided_by": text_digest("decided by", self.workforce.decided_by),
            },
        }

    @cached_property
    def digest(self) -> str:
        return document_digest(self.document())


def _take(seq: Sequence[str], idx: IntArray) -> tuple[str, ...]:
    return tuple(seq[int(k)] for k in idx)


def assemble_inputs(
    period_id: str,
    revision: int,
    owner: str,
    catalogue: Catalogue,
    techniques: TechniqueTable,
    needs: NeedTable,
    workforce: Workforce,
    *,
    share: float = 1.0,
    sub_periods: Sequence[str] = (),
    sub_shares: Sequence[float] = (),
    unmade: Literal["refuse", "leave"] = "refuse",
    delivered_before: FloatArray | None = None,
) -> PlanInputs:
    """Assemble the registrations into :class:`PlanInputs` (see the module docstring).

    ``techniques`` must carry versions and ``needs`` ids (they are registered ones).
    """
    if techniques.versions is None:
        raise InvalidInput("techniques must be registered ones (with versions)")
    if len(needs) and not needs.need_ids:
        raise InvalidInput("needs must be registered ones (with ids)")
    if not 0.0 < share <= 1.0:
        raise InvalidInput(f"a plan covers a share in (0, 1] of its period, not {share!r}")
    m0 = len(techniques)
    if m0 == 0:
        raise InvalidInput("no workplace of the scope has registered a technique",
                           [Problem(period_id, "a plan needs at least one technique")])
    made = sorted(set(techniques.products))
    pos = {p: i for i, p in enumerate(made)}
    problems: list[Problem] = []

    # inputs made by nobody
    absent: dict[str, list[str]] = {}
    owner_of = np.repeat(np.arange(m0), np.diff(techniques.indptr))
    for e, code in enumerate(techniques.input_products):
        if code not in pos:
            k = int(owner_of[e])
            absent.setdefault(code, []).append(
                f"{techniques.workplaces[k]}/{techniques.products[k]}")
    for code, users in sorted(absent.items()):
        shown = ", ".join(users[:10]) + (f" ... ({len(users)} in all)" if len(users) > 10
                                         else "")
        problems.append(Problem(code, f"used as an input by {shown}, but no workplace of the "
                                      "scope registered a technique that makes it"))
    # needs of products made by nobody
    keep = np.fromiter((p in pos for p in needs.products), dtype=bool, count=len(needs))
    left: tuple[str, ...] = ()
    if not keep.all():
        missing = np.flatnonzero(~keep)
        if unmade == "leave":
            left = tuple(needs.need_ids[int(k)] for k in missing)
        else:
            by_product: dict[str, list[str]] = {}
            for k in missing.tolist():
                by_product.setdefault(needs.products[k], []).append(needs.councils[k])
            for code, councils in sorted(by_product.items()):
                who = sorted(set(councils))
                problems.append(Problem(code, f"needed by {', '.join(who[:10])}"
                                              + (f" ... ({len(who)} councils)"
                                                 if len(who) > 10 else "")
                                              + ", but no workplace of the scope makes it "
                                                "(compute with unmade=leave to plan without "
                                                "these needs)"))
    if problems:
        raise InvalidInput("the registrations do not make a plan", problems)
    kept = needs.take(keep) if left else needs
    if delivered_before is not None and left:
        delivered_before = delivered_before[keep]

    # techniques ordered by product, then workplace
    made_idx = np.fromiter((pos[p] for p in techniques.products), dtype=np.int64, count=m0)
    order = np.array(sorted(range(m0), key=lambda k: (int(made_idx[k]),
                                                      techniques.workplaces[k])),
                     dtype=np.int64)
    inverse = np.empty(m0, dtype=np.int64)
    inverse[order] = np.arange(m0)
    rows = np.fromiter((pos[c] for c in techniques.input_products), dtype=np.int64,
                       count=techniques.nnz)
    A = sp.coo_array((techniques.input_quantities.astype(np.float64),
                      (rows, inverse[owner_of])), shape=(len(made), m0)).tocsr()
    A.sum_duplicates()
    A.sort_indices()
    A = sp.csr_array((A.data, A.indices.astype(np.int64), A.indptr.astype(np.int64)),
                     shape=A.shape)
    units = tuple(catalogue.get(p).unit for p in made)
    need_product = np.fromiter((pos[p] for p in kept.products), dtype=np.int64,
                               count=len(kept))
    capacity = techniques.capacity[order] * share
    return PlanInputs(
        period_id=period_id, revision=revision, owner=owner, products=tuple(made),
        units=units, tech_workplaces=_take(techniques.workplaces, order),
        makes=made_idx[order], versions=techniques.versions[order], A=A,
        labour=techniques.labour[order].astype(np.float64), capacity=capacity,
        needs=kept, need_product=need_product, workforce=workforce, share=float(share),
        sub_periods=tuple(sub_periods), sub_shares=tuple(float(s) for s in sub_shares),
        unmade=left, delivered_before=delivered_before,
    )
