"""A linkage attack on a dump of a councilplan database: who voted, paired with what.

The attacker has everything an operator with a copy of the database has -- for SQLite
the main file's raw pages and the write-ahead log's frames (with the stale ones a
checkpoint leaves behind), for PostgreSQL every row's system columns (``xmin``,
``xmax``, ``ctid``) and, through ``pageinspect``, the raw heap pages with their dead
tuples -- and tries every ordering signal in them: physical order, page and offset,
WAL frame order, how many frames a row appears in, transaction ids, heap positions,
scan order, any pair of columns of the two tables, and when each value a row held first
appeared in the log (a re-vote changes the register's row in the commit that stores the
new paper). For each signal it pairs the marked-register rows with the ballot-box rows
two ways -- rank by rank, and each with the nearest key (the same commit, the next
frame) -- ties broken at random. :func:`scores` counts the right pairs of each.

With no information the number of right pairs of ``n`` voters is that of the fixed
points of a random permutation: mean 1, standard deviation 1, whatever ``n``.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Rows",
    "Signal",
    "SqliteDump",
    "pair_by_nearness",
    "pair_by_rank",
    "postgresql_signals",
    "scores",
    "sqlite_signals",
]

Key = Any


@dataclass
class Rows:
    """The rows of one table as the attacker sees them: an identity per row (the member id
    for the register, the receipt code for the box) and, per signal, an orderable key."""

    keys: dict[str, dict[str, Key]] = field(default_factory=dict)

    def add(self, signal: str, row: str, key: Key) -> None:
        self.keys.setdefault(signal, {})[row] = key


@dataclass(frozen=True)
class Signal:
    name: str
    register: Mapping[str, Key]  # member id -> key
    box: Mapping[str, Key]  # receipt code -> key


def pair_by_rank(register: Mapping[str, Key], box: Mapping[str, Key], members: Sequence[str],
                 codes: Sequence[str], rng: random.Random) -> dict[str, str]:
    """Pair the ``members`` and ``codes`` rank by rank on their keys (rows without a key
    last); ties, and the order among rows without a key, at random."""
    def order(ids: Sequence[str], keys: Mapping[str, Key]) -> list[str]:
        shuffled = list(ids)
        rng.shuffle(shuffled)  # sorted() is stable: equal keys stay in this random order
        return sorted(shuffled, key=lambda i: (i not in keys, _orderable(keys.get(i))))
    return dict(zip(order(members, register), order(codes, box), strict=False))


def pair_by_nearness(register: Mapping[str, Key], box: Mapping[str, Key],
                     members: Sequence[str], codes: Sequence[str],
                     rng: random.Random) -> dict[str, str]:
    """Pair each member with the code whose key is nearest (the same commit, the next
    frame...), closest pairs first, ties at random; rows without a key at random."""
    def number(key: Key) -> float:
        head = key[0] if isinstance(key, tuple) else key
        return float(head) if isinstance(head, int | float) else float("nan")
    candidates = [(abs(number(register[m]) - number(box[c])), rng.random(), m, c)
                  for m in members if m in register for c in codes if c in box]
    candidates = [x for x in candidates if x[0] == x[0]]  # numbers only
    candidates.sort()
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for _, _, m, c in candidates:
        if m not in pairs and c not in used:
            pairs[m] = c
            used.add(c)
    rest_m = [m for m in members if m not in pairs]
    rest_c = [c for c in codes if c not in used]
    rng.shuffle(rest_c)
    pairs.update(zip(rest_m, rest_c, strict=False))
    return pairs


STRATEGIES: dict[str, Callable[..., dict[str, str]]] = {
    "rank": pair_by_rank, "nearest": pair_by_nearness}


def _orderable(key: Key) -> Any:
    return (0, 0) if key is None else (1, key)


def scores(signals: Iterable[Signal], truth: Mapping[str, str], seed: int = 0
           ) -> dict[str, int]:
    """Right pairs (member -> their paper's code) of every signal under every pairing
    strategy, as ``{"signal [strategy]": right}``."""
    members, codes = sorted(truth), sorted(truth.values())
    out: dict[str, int] = {}
    for signal in signals:
        for name, pair in STRATEGIES.items():
            pairs = pair(signal.register, signal.box, members, codes, random.Random(seed))
            out[f"{signal.name} [{name}]"] = sum(pairs.get(m) == c for m, c in truth.items())
    return out


# -- SQLite: the file format ---------------------------------------------------------------


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        b = buf[pos + i]
        if i == 8:
            return (value << 8) | b, pos + 9
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, pos + i + 1
    raise AssertionError("unreachable")


def _record(payload: bytes) -> list[Any] | None:
    try:
        header, pos = _varint(payload, 0)
        types: list[int] = []
        while pos < header:
            t, pos = _varint(payload, pos)
            types.append(t)
        out: list[Any] = []
        pos = header
        for t in types:
            if t == 0:
                out.append(None)
            elif t in (1, 2, 3, 4, 5, 6):
                n = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}[t]
                out.append(int.from_bytes(payload[pos:pos + n], "big", signed=True))
                pos += n
            elif t == 7:
                out.append(struct.unpack(">d", payload[pos:pos + 8])[0])
                pos += 8
            elif t in (8, 9):
                out.append(t - 8)
            elif t >= 12:
                n = (t - 12) // 2
                raw = payload[pos:pos + n]
                if len(raw) != n:
                    return None
                out.append(raw.decode("utf-8", "replace") if t % 2 else raw)
                pos += n
            else:
                return None
        return out
    except IndexError:
        return None


def _cells(page: bytes, page_no: int, usable: int) -> Iterable[tuple[int, int | None, list[Any]]]:
    """``(offset in page, rowid or None, record)`` of every leaf cell on a b-tree page."""
    base = 100 if page_no == 1 else 0
    kind = page[base]
    if kind not in (0x0A, 0x0D):
        return
    count = int.from_bytes(page[base + 3:base + 5], "big")
    for k in range(count):
        ptr = int.from_bytes(page[base + 8 + 2 * k:base + 10 + 2 * k], "big")
        if not 0 < ptr < len(page):
            continue
        try:
            size, pos = _varint(page, ptr)
            rowid = None
            if kind == 0x0D:
                rowid, pos = _varint(page, pos)
            most = usable - 35 if kind == 0x0D else (usable - 12) * 64 // 255 - 23
            if size > most:
                continue  # a payload spilled to overflow pages: not one of the rows sought
            rec = _record(page[pos:pos + size])
        except IndexError:
            continue
        if rec is not None:
            yield ptr, rowid, rec


def _children(page: bytes, page_no: int) -> list[int]:
    base = 100 if page_no == 1 else 0
    kind = page[base]
    if kind not in (0x02, 0x05):
        return []
    count = int.from_bytes(page[base + 3:base + 5], "big")
    out = [int.from_bytes(page[base + 8:base + 12], "big")]
    for k in range(count):
        ptr = int.from_bytes(page[base + 12 + 2 * k:base + 14 + 2 * k], "big")
        out.append(int.from_bytes(page[ptr:ptr + 4], "big"))
    return out


def _tree(pages: Mapping[int, bytes], root: int) -> set[int]:
    seen: set[int] = set()
    todo = [root]
    while todo:
        p = todo.pop()
        if p in seen or p not in pages:
            continue
        seen.add(p)
        todo.extend(_children(pages[p], p))
    return seen


@dataclass(frozen=True)
class SqliteDump:
    page_size: int
    main: dict[int, bytes]  # page number -> image in the main file
    frames: list[tuple[int, int, bytes]]  # (frame index, page number, image), in WAL order
    roots: dict[str, int]  # table -> root page (from sqlite_master)

    @classmethod
    def of(cls, main: bytes, wal: bytes, roots: Mapping[str, int]) -> SqliteDump:
        size = int.from_bytes(main[16:18], "big")
        size = 65536 if size == 1 else size
        pages = {i // size + 1: main[i:i + size] for i in range(0, len(main), size)}
        frames = []
        if len(wal) >= 32:
            wal_size = int.from_bytes(wal[8:12], "big")
            step = 24 + wal_size
            for k, off in enumerate(range(32, len(wal) - step + 1, step)):
                page_no = int.from_bytes(wal[off:off + 4], "big")
                frames.append((k, page_no, wal[off + 24:off + step]))
        return cls(size, pages, frames, dict(roots))

    def latest(self) -> dict[int, bytes]:
        pages = dict(self.main)
        for _, page_no, image in self.frames:
            pages[page_no] = image
        return pages


def sqlite_signals(dump: SqliteDump, tables: Mapping[str, tuple[str, int, int]],
                   scan: Mapping[str, Sequence[Sequence[Any]]]) -> list[Signal]:
    """Every ordering signal of a SQLite dump.

    ``tables``: ``"register"`` and ``"box"`` -> (table name, the identity column's index in
    the record, the record's number of columns); ``scan``: the rows of ``SELECT *`` of each
    side in the order SQLite returns them (what a SQL dump shows).
    """
    seen: dict[str, Rows] = {"register": Rows(), "box": Rows()}
    latest = dump.latest()
    for side, (table, col, width) in tables.items():
        rows = seen[side]
        main_tree = _tree(dump.main, dump.roots[table])
        any_tree = main_tree | _tree(latest, dump.roots[table])

        def visit(page: bytes, page_no: int, *, _col: int = col, _width: int = width
                  ) -> Iterable[tuple[int, int | None, str, list[Any]]]:
            for off, rowid, rec in _cells(page, page_no, dump.page_size):
                if len(rec) == _width and isinstance(rec[_col], str):
                    yield off, rowid, rec[_col], rec

        for page_no in sorted(main_tree):
            for off, rowid, ident, _ in visit(dump.main[page_no], page_no):
                rows.add("main file: page, then offset", ident, (page_no, off))
                rows.add("main file: offset in its page", ident, off)
                rows.add("main file: page", ident, page_no)
                if rowid is not None:
                    rows.add("main file: rowid", ident, rowid)
        sightings: dict[str, list[tuple[int, int, tuple[Any, ...]]]] = {}
        for k, page_no, image in dump.frames:
            if page_no not in any_tree:
                continue
            for off, _, ident, rec in visit(image, page_no):
                sightings.setdefault(ident, []).append((k, off, tuple(rec)))
        for ident, seen_in in sightings.items():
            k, off, _ = seen_in[0]
            rows.add("WAL: first frame", ident, k)
            rows.add("WAL: first frame, then offset", ident, (k, off))
            rows.add("WAL: offset in the first frame", ident, off)
            rows.add("WAL: last frame", ident, seen_in[-1][0])
            rows.add("WAL: frames it is in (fewer: newer)", ident, -len(seen_in))
            # when each value the row held first appeared: a re-vote or a seal changes
            # the register's row, and the frame of that change is the commit of a paper
            firsts: dict[tuple[Any, ...], int] = {}
            for frame, _, value in seen_in:
                firsts.setdefault(value, frame)
            changes = sorted(firsts.values())
            rows.add("WAL: first frame of its last value", ident, changes[-1])
            rows.add("WAL: first frame of its value before the last", ident,
                     changes[-2] if len(changes) > 1 else changes[-1])
        for pos, row in enumerate(scan[side]):
            rows.add("SQL: scan order", str(row[col]), pos)
    return _common(seen["register"], seen["box"], scan, tables)


def _common(register: Rows, box: Rows, scan: Mapping[str, Sequence[Sequence[Any]]],
            tables: Mapping[str, tuple[str, int, int]]) -> list[Signal]:
    """The signals both sides have, plus every column both tables share by position."""
    out = [Signal(name, register.keys[name], box.keys.get(name, {}))
           for name in sorted(register.keys) if name in box.keys]
    reg_rows, box_rows = scan["register"], scan["box"]
    if reg_rows and box_rows:
        reg_col, box_col = tables["register"][1], tables["box"][1]
        for a in range(len(reg_rows[0])):
            for b in range(len(box_rows[0])):
                if a == reg_col or b == box_col:
                    continue
                name = f"SQL: register column {a} against box column {b}"
                out.append(Signal(
                    name,
                    {str(r[reg_col]): _key(r[a]) for r in reg_rows},
                    {str(r[box_col]): _key(r[b]) for r in box_rows},
                ))
    return out


def _key(value: Any) -> Key:
    return (str(type(value).__name__), value if value is not None else 0)


# -- PostgreSQL ------------------------------------------------------------------------------


def postgresql_signals(
    system: Mapping[str, Sequence[tuple[str, int, int, int, int]]],
    raw: Mapping[str, Sequence[tuple[str, int, int, int]]],
    scan: Mapping[str, Sequence[Sequence[Any]]],
    tables: Mapping[str, tuple[str, int, int]],
) -> list[Signal]:
    """Every ordering signal of a PostgreSQL dump.

    ``system``: per side, ``(identity, xmin, xmax, ctid block, ctid offset)`` of each live
    row; ``raw``: per side, ``(identity, xmin, block, line pointer)`` of every tuple
    version found in the raw heap pages (dead ones included); ``scan``: ``SELECT *``
    rows in the order returned.
    """
    seen: dict[str, Rows] = {"register": Rows(), "box": Rows()}
    for side in ("register", "box"):
        rows = seen[side]
        for ident, xmin, xmax, block, offset in system[side]:
            rows.add("xmin (live row)", ident, xmin)
            rows.add("xmax (live row)", ident, xmax)
            rows.add("ctid (live row)", ident, (block, offset))
        first: dict[str, tuple[int, int, int]] = {}
        for ident, xmin, block, lp in raw[side]:
            if ident not in first or xmin < first[ident][0]:
                first[ident] = (xmin, block, lp)
        for ident, (xmin, block, lp) in first.items():
            rows.add("raw heap: oldest version's xmin", ident, xmin)
            rows.add("raw heap: oldest version's position", ident, (block, lp))
        for pos, row in enumerate(scan[side]):
            rows.add("SQL: scan order", str(row[tables[side][1]]), pos)
    return _common(seen["register"], seen["box"], scan, tables)

