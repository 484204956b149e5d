"""Reading a published table from CSV, with every unreadable cell named by file:line:field.

Tables are read as text first (no guessing of types, no silent NaN; a file too large,
with too many cells or a cell too long is refused before it is parsed, see
:mod:`councilplan.io.limits`), then the cells an importer uses are converted to
numbers; each cell that is not a finite number becomes one :class:`Problem`
``file:line field column``, and they are raised together in one :class:`ImportError_`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from councilplan.errors import ImportError_, InvalidInput, Problem
from councilplan.io.limits import (
    MAX_FIELD_CHARS,
    MAX_ROW_CHARS,
    MAX_TABLE_BYTES,
    MAX_TABLE_CELLS,
    TooLong,
    bounded_lines,
    check_file_size,
)
from councilplan.planning.economy import FloatArray

__all__ = ["TextTable", "read_text_table"]

_MAX_LISTED = 200


@dataclass(frozen=True)
class TextTable:
    """A CSV table as text: ``frame`` (all cells ``str``), each row's line in the file."""

    file: str
    frame: pd.DataFrame
    lines: npt.NDArray[np.int64]

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def column(self, name: str) -> list[str]:
        return [str(s) for s in self.frame[name].tolist()]

    def require_columns(self, names: Sequence[str], what: str) -> None:
        """Raise naming every missing column."""
        missing = [c for c in names if c not in self.frame.columns]
        if missing:
            raise ImportError_(
                f"{self.file} is not {what}: {len(missing)} column(s) missing",
                [Problem(f"{self.file}:1 field {c}", "missing column") for c in missing],
            )

    def numbers(
        self,
        rows: npt.NDArray[np.int64] | Sequence[int],
        columns: Sequence[str],
        problems: list[Problem],
        *,
        blank: float | None = None,
    ) -> FloatArray:
        """The cells ``rows x columns`` as floats (``rows``: positions in ``frame``).

        A cell that is not a finite number is appended to ``problems`` (and read as 0);
        an empty cell is ``blank``, or a problem when ``blank`` is None.
        """
        idx = np.asarray(rows, dtype=np.int64)
        out = np.zeros((idx.size, len(columns)))
        listed = 0
        for j, col in enumerate(columns):
            text = self.frame[col].iloc[idx].astype(str).str.strip()
            values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, copy=True)
            empty = (text == "").to_numpy()
            if blank is not None:
                values[empty] = blank
            bad = ~np.isfinite(values)
            if blank is not None:
                bad &= ~empty
            for k in np.flatnonzero(bad):
                listed += 1
                if listed <= _MAX_LISTED:
                    cell = text.iloc[k]
                    msg = "empty: a number is needed" if not cell else (
                        f"{cell!r} is not a finite number")
                    problems.append(Problem(f"{self.file}:{self.lines[idx[k]]} field {col}", msg))
            values[bad] = 0.0
            out[:, j] = values
        if listed > _MAX_LISTED:
            problems.append(Problem(self.file, f"... and {listed - _MAX_LISTED} more such cells"))
        return out


def _prescan(p: Path, what: str) -> None:
    """Refuse, before pandas reads it, a file too large for a table, or with a cell too
    long or too many cells (:mod:`councilplan.io.limits`), or that is not UTF-8 CSV --
    streaming it, so the refusal costs little memory."""
    try:
        check_file_size(p, MAX_TABLE_BYTES, what)
    except InvalidInput as exc:
        raise ImportError_(exc.message, exc.problems) from None
    cells = 0
    line = 0
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            lines = bounded_lines(fh, MAX_ROW_CHARS)
            reader = csv.reader(lines)
            for row in reader:
                lines.next_record()
                cells += len(row)
                if cells > MAX_TABLE_CELLS:
                    raise ImportError_(f"{p.name} is too large to be a {what}", [Problem(
                        f"{p.name}:{reader.line_num}",
                        f"more than {MAX_TABLE_CELLS} cells; a table is read up to that")])
                if row and max(map(len, row)) > MAX_FIELD_CHARS:
                    k = next(k for k, f in enumerate(row) if len(f) > MAX_FIELD_CHARS)
                    raise ImportError_(f"{p.name} cannot be read as a {what}", [Problem(
                        f"{p.name}:{reader.line_num} field {k + 1}",
                        f"{len(row[k])} characters; a cell is read up to {MAX_FIELD_CHARS}")])
                line = reader.line_num
    except TooLong as exc:
        raise ImportError_(f"{p.name} cannot be read as a {what}", [Problem(
            f"{p.name}:{exc.line}", f"a row longer than {MAX_ROW_CHARS} characters")]) from None
    except csv.Error as exc:
        raise ImportError_(f"{p.name} cannot be read as a {what}",
                           [Problem(f"{p.name}:{line + 1}", f"not readable as CSV: {exc}")]
                           ) from None
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{p.name} cannot be read as a {what}",
                           [Problem(p.name, f"not UTF-8 text ({exc.reason} at byte "
                                            f"{exc.start})")]) from None
    except OSError as exc:
        raise ImportError_(f"{p.name} cannot be read as a {what}",
                           [Problem(p.name, exc.strerror or str(exc))]) from None


def read_text_table(path: str | Path, what: str) -> TextTable:
    """Read the CSV file ``path`` (a ``what``, for messages) as text, blank lines dropped."""
    p = Path(path)
    if not p.is_file():
        raise ImportError_(f"no {what} at {p}", [Problem(p.name, "missing file")])
    _prescan(p, what)
    try:
        frame = pd.read_csv(
            p,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding="utf-8-sig",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            OSError, ValueError) as exc:
        raise ImportError_(f"{p.name} cannot be read as a {what}",
                           [Problem(p.name, f"not a readable CSV table ({exc})")]) from exc
    if frame.columns.size == 0:
        raise ImportError_(f"{p.name} cannot be read as a {what}",
                           [Problem(f"{p.name}:1", "no header line (the first line is blank)")])
    lines = np.arange(len(frame), dtype=np.int64) + 2
    blank = (frame.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy()
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        lines = lines[~blank]
    frame.columns = [str(c).strip() for c in frame.columns]
    return TextTable(p.name, frame, lines)
