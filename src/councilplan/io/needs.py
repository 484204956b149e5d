"""A needs file: ``product,quantity[,tier]`` rows, read against an economy.

Every fault is reported at once as a :class:`~councilplan.errors.BundleError` whose
problems name ``file:line field``: unknown products, non-numbers, negative
quantities, tiers that are not 1, 2, 3...
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from councilplan.errors import BundleError, EconomyError, Problem
from councilplan.planning.economy import Economy, FloatArray, IntArray

__all__ = ["NeedsFile", "read_needs"]


@dataclass(frozen=True, eq=False)
class NeedsFile:
    """Needs ``d`` and tiers, indexed like the economy's products."""

    needs: FloatArray
    tiers: IntArray
    rows: int


def read_needs(path: str | Path, economy: Economy) -> NeedsFile:
    """Read ``path`` (CSV with header ``product,quantity[,tier]``). Products not listed
    get no need; a product listed twice has its quantities added (the tier of its
    last row wins)."""
    p = Path(path)
    name = p.name
    problems: list[Problem] = []
    d = np.zeros(economy.n)
    tiers = economy.tiers.copy()
    rows = 0
    try:
        handle = p.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise BundleError(
            "cannot read the needs file", [Problem(str(p), exc.strerror or "")]
        ) from exc
    with handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        missing = [c for c in ("product", "quantity") if c not in fields]
        if missing:
            raise BundleError(
                "the needs file lacks columns",
                [Problem(f"{name}:1", f"missing column {c!r}") for c in missing],
            )
        for row in reader:
            rows += 1
            line = reader.line_num
            clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            pid = clean.get("product", "")
            try:
                i = economy.product_index(pid)
            except EconomyError:
                problems.append(Problem(f"{name}:{line} field product", f"unknown product {pid!r}"))
                i = -1
            raw = clean.get("quantity", "")
            try:
                q = float(raw)
            except ValueError:
                problems.append(
                    Problem(f"{name}:{line} field quantity", f"{raw!r} is not a number")
                )
                continue
            if not np.isfinite(q) or q < 0:
                problems.append(
                    Problem(f"{name}:{line} field quantity", f"{raw!r} is not a number >= 0")
                )
                continue
            t_raw = clean.get("tier", "")
            tier = 1
            if t_raw:
                if not t_raw.isdigit() or int(t_raw) < 1:
                    problems.append(
                        Problem(f"{name}:{line} field tier", f"tier {t_raw!r} is not 1, 2, 3...")
                    )
                    continue
                tier = int(t_raw)
            if i >= 0:
                d[i] += q
                tiers[i] = tier
    if problems:
        raise BundleError("the needs file has errors", problems)
    return NeedsFile(d, tiers, rows)
