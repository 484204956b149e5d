"""A needs file: ``product,quantity[,tier]`` rows, read against an economy.

Every fault is reported at once as a :class:`~councilplan.errors.BundleError` whose
problems name ``file:line field``: unknown products, non-numbers, negative
quantities, tiers that are not 1, 2, 3..., rows with more fields than the header; a
file that is not UTF-8 or not CSV (a cell over the csv module's field limit, a NUL)
is refused naming the line. The first 200 faults are listed, the rest counted.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from councilplan.errors import BundleError, EconomyError, Problem, quoted
from councilplan.io.limits import MAX_ROW_CHARS, TooLong, bounded_lines
from councilplan.planning.economy import Economy, FloatArray, IntArray

__all__ = ["NeedsFile", "read_needs"]

_MAX_LISTED = 200  # faults listed; the rest are counted
_MAX_TIER = 10**6


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
    faults = 0

    def bad(where: str, message: str) -> None:
        nonlocal faults
        faults += 1
        if faults <= _MAX_LISTED:
            problems.append(Problem(where, message))

    try:
        handle = p.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise BundleError(
            "cannot read the needs file", [Problem(str(p), exc.strerror or "")]
        ) from exc
    line = 1
    with handle:
        lines = bounded_lines(handle, MAX_ROW_CHARS)
        reader = csv.DictReader(lines)
        try:
            fields = [f.strip() for f in reader.fieldnames or []]
            missing = [c for c in ("product", "quantity") if c not in fields]
            if missing:
                raise BundleError(
                    "the needs file lacks columns",
                    [Problem(f"{name}:1", f"missing column {c!r}") for c in missing],
                )
            lines.next_record()
            for row in reader:
                lines.next_record()
                rows += 1
                line = reader.line_num
                _read_row(row, f"{name}:{line}", len(fields), economy, d, tiers, bad)
        except csv.Error as exc:
            raise BundleError("the needs file is not readable as CSV",
                              [Problem(f"{name}:{reader.line_num or line}", str(exc))]) from None
        except TooLong as exc:
            raise BundleError("the needs file is not readable as CSV", [Problem(
                f"{name}:{exc.line}", f"a row longer than {MAX_ROW_CHARS} characters")]
                              ) from None
        except UnicodeDecodeError as exc:
            raise BundleError("the needs file is not UTF-8 text",
                              [Problem(name, f"{exc.reason} at byte {exc.start}")]) from None
    if faults > _MAX_LISTED:
        problems.append(Problem(name, f"... and {faults - _MAX_LISTED} more faults"))
    if problems:
        raise BundleError("the needs file has errors", problems)
    return NeedsFile(d, tiers, rows)


def _read_row(row: dict[str | None, str | list[str] | None], where: str, width: int,
              economy: Economy, d: FloatArray, tiers: IntArray,
              bad: Callable[[str, str], None]) -> None:
    extra = row.get(None)
    if extra:
        n = width + (len(extra) if isinstance(extra, list) else 1)
        bad(where, f"{n} fields, but the header has {width}")
        return
    clean = {(k or "").strip(): v.strip() if isinstance(v, str) else "" for k, v in row.items()}
    pid = clean.get("product", "")
    try:
        i = economy.product_index(pid)
    except EconomyError:
        bad(f"{where} field product", f"unknown product {quoted(pid)}")
        i = -1
    raw = clean.get("quantity", "")
    try:
        q = float(raw)
    except ValueError:
        bad(f"{where} field quantity", f"{quoted(raw)} is not a number")
        return
    if not np.isfinite(q) or q < 0:
        bad(f"{where} field quantity", f"{quoted(raw)} is not a number >= 0")
        return
    t_raw = clean.get("tier", "")
    tier = 1
    if t_raw:
        if not (t_raw.isascii() and t_raw.isdigit()) or not 1 <= int(t_raw[:12]) <= _MAX_TIER:
            bad(f"{where} field tier", f"tier {quoted(t_raw)} is not 1, 2, 3...")
            return
        tier = int(t_raw)
    if i >= 0:
        d[i] += q
        tiers[i] = tier

