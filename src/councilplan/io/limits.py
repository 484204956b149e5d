"""Bounds on what a file from elsewhere may make councilplan do.

Every reader of :mod:`councilplan.io` refuses, with an :class:`~councilplan.errors.InvalidInput`
naming the file (and the row, field or member), a file that would take memory out of
proportion to what it can mean: a CSV cell longer than :data:`MAX_FIELD_CHARS`, a table
row longer than :data:`MAX_ROW_CHARS`, a table of more than :data:`MAX_TABLE_CELLS`
cells or :data:`MAX_TABLE_BYTES` bytes, a ``.blt``
file over :data:`MAX_BLT_BYTES` or with a line over :data:`MAX_BLT_LINE_CHARS`, JSON
over :data:`MAX_JSON_BYTES` or nested beyond what the parser can follow, an ``.npz``
archive with more than :data:`MAX_NPZ_MEMBERS` members, members that overlap or claim
more than they hold, or more than :data:`MAX_NPZ_INFLATED_BYTES` to inflate (a zip
bomb). Each bound is far above any real table, ballot file or economy: the largest
published national tables are about 1 MB, a council's ballot file well under one.
The checks come before the expensive reading, so a hostile file is refused with
little memory spent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from councilplan.errors import InvalidInput, Problem

__all__ = [
    "MAX_BLT_BYTES",
    "MAX_BLT_LINE_CHARS",
    "MAX_FIELD_CHARS",
    "MAX_JSON_BYTES",
    "MAX_NPZ_INFLATED_BYTES",
    "MAX_NPZ_MEMBERS",
    "MAX_ROW_CHARS",
    "MAX_TABLE_BYTES",
    "MAX_TABLE_CELLS",
    "TooLong",
    "bounded_lines",
    "check_file_size",
    "load_json",
]

#: the longest CSV cell read (labels are short, numbers shorter)
MAX_FIELD_CHARS = 64 * 1024
#: cells of one published table read as text (WIOD national tables: about 150 000)
MAX_TABLE_CELLS = 20_000_000
#: characters of one row of a table (the widest published tables: about 50 000)
MAX_ROW_CHARS = 4 * 1024 * 1024
#: bytes of one published table file
MAX_TABLE_BYTES = 512 * 1024 * 1024
#: bytes of one ``.blt`` ballot file (a million distinct papers take about 30 MB)
MAX_BLT_BYTES = 64 * 1024 * 1024
#: characters of one ``.blt`` line (a full ranking of 10 000 candidates is about 60 000)
MAX_BLT_LINE_CHARS = 1024 * 1024
#: bytes of one JSON document (a bundle manifest, checkpoints, an economy's meta)
MAX_JSON_BYTES = 64 * 1024 * 1024
#: members of an economy ``.npz`` (the format has about 25)
MAX_NPZ_MEMBERS = 256
#: bytes that compressed ``.npz`` members may inflate to, all together (stored members,
#: as :func:`councilplan.io.npz.write_npz` writes them, are bounded by the file's size)
MAX_NPZ_INFLATED_BYTES = 4 * 1024 * 1024 * 1024


def check_file_size(path: Path, limit: int, what: str) -> int:
    """The size of ``path``; :class:`InvalidInput` when it is over ``limit`` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise InvalidInput(
            f"{path.name} is too large to be a {what}",
            [Problem(path.name, f"{size} bytes; a {what} is read up to {limit} bytes")],
        )
    return size


class TooLong(Exception):
    """A line (or a record of several lines) longer than the reader's bound."""

    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(line)


class bounded_lines:  # lower case: it is used like the file it wraps
    """The lines of a text file, for :func:`csv.reader`, never holding more than ``limit``
    characters of one record: :meth:`next_record` starts a new record; a record (its
    lines together) longer than ``limit`` raises :class:`TooLong` with its first line."""

    def __init__(self, fh: TextIO, limit: int) -> None:
        self._fh = fh
        self._limit = limit
        self._taken = 0
        self._first = 1
        self.line = 0

    def __iter__(self) -> bounded_lines:
        return self

    def __next__(self) -> str:
        text = self._fh.readline(self._limit + 1)
        if not text:
            raise StopIteration
        self.line += 1
        self._taken += len(text)
        if self._taken > self._limit:
            raise TooLong(self._first)
        return str(text)

    def next_record(self) -> None:
        self._taken = 0
        self._first = self.line + 1


def load_json(text: str | bytes, where: str, *, limit: int = MAX_JSON_BYTES) -> Any:
    """Parse JSON from elsewhere: :class:`InvalidInput` naming ``where`` for text that is
    not JSON, over ``limit`` bytes (or characters), not UTF-8, nested too deeply to
    parse, or holding a number Python will not convert."""
    if len(text) > limit:
        raise InvalidInput("too large to read as JSON",
                           [Problem(where, f"{len(text)} bytes; JSON is read up to {limit}")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("not valid JSON", [Problem(
            f"{where}:{exc.lineno}", f"{exc.msg} (column {exc.colno})")]) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput("not valid JSON",
                           [Problem(where, f"not UTF-8 text ({exc.reason})")]) from None
    except RecursionError:
        raise InvalidInput("not JSON this reader accepts",
                           [Problem(where, "nested too deeply")]) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InvalidInput("not JSON this reader accepts", [Problem(where, str(exc))]) from None
