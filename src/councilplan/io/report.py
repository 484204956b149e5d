"""What an importer did to a published table: the result and its report.

Real tables are not clean: they have negative entries (scrap, used goods,
adjustments, inventory draw-downs, imports netted out of final demand), industries
with zero output, rows and columns that are not products. An importer never hides
these: every negative entry it met and every product it dropped is listed in an
:class:`ImportReport`, with what was done about it, and the same facts are written
into the economy's ``meta`` so that they travel with it (into a bundle, say).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from councilplan.errors import ImportError_, Problem
from councilplan.planning.economy import Economy, FloatArray

__all__ = [
    "DroppedProduct",
    "ImportReport",
    "ImportResult",
    "NegativeEntry",
    "NegativesPolicy",
    "check_negatives_policy",
    "negative_entries",
    "raise_for_negatives",
]

NegativesPolicy = Literal["zero", "error"]


@dataclass(frozen=True, slots=True)
class NegativeEntry:
    """One negative number in a table: ``table[row, column] = value``, and what was done."""

    table: str
    row: str
    column: str
    value: float
    action: str

    def __str__(self) -> str:
        return f"{self.table}[{self.row}, {self.column}] = {self.value:g}: {self.action}"


@dataclass(frozen=True, slots=True)
class DroppedProduct:
    """A row/column of the table that does not become a product, and why."""

    id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.id}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Everything an importer did that a reader of the result must know."""

    source: str
    negatives: tuple[NegativeEntry, ...] = ()
    dropped: tuple[DroppedProduct, ...] = ()
    notes: tuple[str, ...] = ()

    def as_meta(self) -> dict[str, Any]:
        """A JSON-able summary for ``Economy.meta``."""
        return {
            "negatives": [
                {"table": e.table, "row": e.row, "column": e.column, "value": e.value,
                 "action": e.action}
                for e in self.negatives
            ],
            "dropped": [{"id": d.id, "reason": d.reason} for d in self.dropped],
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        lines = [f"import of {self.source}:"]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  dropped {d}" for d in self.dropped]
        lines += [f"  negative {e}" for e in self.negatives]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """An imported economy with its report and the table's own totals.

    ``final_demand`` is the table's final demand ``f`` exactly as published (it may
    have negative entries, which the economy's ``needs`` cannot); ``output`` is the
    published gross output ``x``. Both are indexed like ``economy.products``, and for
    a balanced table ``x = A x + f``.
    """

    economy: Economy
    report: ImportReport
    final_demand: FloatArray
    output: FloatArray
    extra: Mapping[str, Any] = field(default_factory=dict)


def check_negatives_policy(negatives: str) -> NegativesPolicy:
    if negatives == "zero":
        return "zero"
    if negatives == "error":
        return "error"
    raise ValueError(f"negatives must be 'zero' or 'error', not {negatives!r}")


def negative_entries(
    table: str,
    values: Any,
    rows: Sequence[str],
    columns: Sequence[str],
    action: str,
) -> list[NegativeEntry]:
    """Every negative entry of a 2-d array (or a 1-d one, with ``columns`` of length 1)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    out: list[NegativeEntry] = []
    for i, j in zip(*np.nonzero(arr < 0), strict=True):
        out.append(NegativeEntry(table, rows[int(i)], columns[int(j)], float(arr[i, j]), action))
    return out


def raise_for_negatives(source: str, entries: Sequence[NegativeEntry]) -> None:
    """The ``negatives="error"`` policy: one error listing every negative entry."""
    if entries:
        raise ImportError_(
            f"{source} has {len(entries)} negative entries (negatives='error')",
            [Problem(f"{e.table}[{e.row}, {e.column}]", f"negative value {e.value:g}")
             for e in entries],
        )
