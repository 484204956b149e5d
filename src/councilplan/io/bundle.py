"""An economy bundle on disk: a folder of CSV files a person can edit.

Layout (UTF-8, comma-separated, a header line first; blank lines are ignored,
column names are matched without regard to case or surrounding spaces)::

    bundle.json         manifest: {"format": "councilplan-economy-bundle", "version": 1,
                        "name": ..., "source": ..., "notes": ..., "meta": {...}}
    products.csv        id, name, unit                 (name, unit optional)
    techniques.csv      id, product, labour, capacity  (capacity optional; blank = unlimited)
    inputs.csv          technique, product, quantity   (sparse triplets of A)
    needs.csv           product, quantity, tier        (tier optional, default 1;
                                                        products not listed need 0)
    resources.csv       id, cap                        (optional; blank cap = no cap)
    resource_use.csv    technique, resource, quantity  (optional; sparse triplets of R)

In the notation of :mod:`councilplan.planning.economy`, a line
``technique,product,quantity = t,p,q`` of ``inputs.csv`` is the entry
``A[p, t] = q``: ``q`` units of product ``p`` are used per unit made by technique
``t``; a line ``id,product,labour,capacity = t,p,l,c`` of ``techniques.csv`` says
``makes[t] = p``, ``l[t] = l`` hours per unit, ``c[t] = c`` units at most; needs are
``d[p]`` with tier ``tier[p]``; ``resource_use.csv`` holds ``R[r, t]`` and
``resources.csv`` the caps ``r`` of ``R z <= r``.

:func:`read_bundle` checks every file and raises one :class:`BundleError` naming
*every* fault as ``file:line field name: what is wrong`` (a missing file, a missing
column, a field that is not a number, NaN, a negative labour or quantity, an unknown
or duplicate id, a product nobody makes...). :func:`write_bundle` writes a temporary
folder beside the target and renames it into place, so a bundle on disk is never
half-written. Floats are written with ``repr`` (the shortest string that reads back
to the same double), so a round trip is exact.

For large economies use the binary form (:mod:`councilplan.io.npz`);
:func:`load_economy` and :func:`save_economy` pick the form from the path.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import scipy.sparse as sp

from councilplan.errors import BundleError, EconomyError, InvalidInput, NotProductiveError, Problem
from councilplan.io.atomic import atomic_folder
from councilplan.io.limits import (
    MAX_JSON_BYTES,
    MAX_ROW_CHARS,
    TooLong,
    bounded_lines,
    check_file_size,
    load_json,
)
from councilplan.io.meta import meta_to_json
from councilplan.planning.economy import Economy, FloatArray, IntArray

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_VERSION",
    "MANIFEST",
    "is_bundle",
    "load_economy",
    "read_bundle",
    "save_economy",
    "write_bundle",
]

BUNDLE_FORMAT = "councilplan-economy-bundle"
BUNDLE_VERSION = 1
MANIFEST = "bundle.json"

_MAX_PER_KIND = 200  # faults listed per (file, field, kind); the rest are counted
_MAX_TIER = 10**6  # tiers of need are 1, 2, 3...: no more than this many

_PRODUCTS = "products.csv"
_TECHNIQUES = "techniques.csv"
_INPUTS = "inputs.csv"
_NEEDS = "needs.csv"
_RESOURCES = "resources.csv"
_RESOURCE_USE = "resource_use.csv"


# ---------------------------------------------------------------------------- faults
class _Faults:
    """Collects problems as ``file:line field name``; caps each kind, counting the rest."""

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._counts: dict[tuple[str, str, str], int] = {}

    def add(
        self,
        file: str,
        line: int | None,
        fieldname: str | None,
        message: str,
        *,
        kind: str = "",
    ) -> None:
        key = (file, fieldname or "", kind or message)
        seen = self._counts.get(key, 0)
        self._counts[key] = seen + 1
        if seen < _MAX_PER_KIND:
            where = file if line is None else f"{file}:{line}"
            if fieldname:
                where += f" field {fieldname}"
            self._items.append(Problem(where, message))

    def __bool__(self) -> bool:
        return bool(self._items)

    def problems(self) -> list[Problem]:
        out = list(self._items)
        for (file, fieldname, kind), count in self._counts.items():
            if count > _MAX_PER_KIND:
                where = f"{file} field {fieldname}" if fieldname else file
                out.append(
                    Problem(where, f"... and {count - _MAX_PER_KIND} more like the above ({kind})")
                )
        return out


# ---------------------------------------------------------------------------- CSV tables
@dataclass
class _Table:
    """The wanted columns of one CSV file, as strings, with each record's line number."""

    file: str
    header_line: int
    columns: dict[str, list[str]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)

    def has(self, name: str) -> bool:
        return name in self.columns


def _read_csv(
    folder: Path,
    file: str,
    required: Sequence[str],
    optional: Sequence[str],
    faults: _Faults,
    *,
    must_exist: bool = True,
) -> _Table | None:
    """Read ``folder/file``; ``None`` if it is absent or cannot be interpreted (faulted)."""
    path = folder / file
    if not path.is_file():
        if must_exist:
            cols = ",".join([*required, *optional])
            faults.add(file, None, None, f"missing file (a bundle has {file} with columns {cols})")
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _parse_csv(fh, file, required, optional, faults)
    except UnicodeDecodeError as exc:
        faults.add(file, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        faults.add(file, None, None, f"cannot be read: {exc.strerror or exc}")
    return None


def _parse_csv(
    fh: TextIO,
    file: str,
    required: Sequence[str],
    optional: Sequence[str],
    faults: _Faults,
) -> _Table | None:
    lines = bounded_lines(fh, MAX_ROW_CHARS)
    reader = csv.reader(lines)
    prev = 0
    header: list[str] | None = None
    header_line = 0
    table: _Table | None = None
    wanted: list[tuple[str, int]] = []
    width = 0
    try:
        for row in reader:
            lines.next_record()
            line = prev + 1  # the line this record starts on
            prev = reader.line_num
            if not row or all(not f.strip() for f in row):
                continue
            if header is None:
                header = [h.strip().lower() for h in row]
                header_line = line
                seen: dict[str, int] = {}
                for k, h in enumerate(header):
                    if h in seen:
                        faults.add(file, line, h, "this column appears twice in the header")
                    else:
                        seen[h] = k
                missing = [c for c in required if c not in seen]
                for c in missing:
                    faults.add(
                        file, line, c, f"missing column (the header has {','.join(row)})"
                    )
                if missing:
                    return None
                wanted = [(c, seen[c]) for c in (*required, *optional) if c in seen]
                width = len(header)
                table = _Table(file, header_line, {c: [] for c, _ in wanted})
                continue
            assert table is not None
            if len(row) != width:
                faults.add(
                    file,
                    line,
                    None,
                    f"{len(row)} fields, but the header has {width}",
                    kind="wrong number of fields",
                )
                if len(row) < width:
                    row = row + [""] * (width - len(row))
            for c, k in wanted:
                table.columns[c].append(row[k].strip())
            table.lines.append(line)
    except csv.Error as exc:
        faults.add(file, prev + 1, None, f"not readable as CSV: {exc}")
        return None
    except TooLong as exc:
        faults.add(file, exc.line, None, f"a row longer than {MAX_ROW_CHARS} characters")
        return None
    if header is None:
        cols = ",".join([*required, *optional])
        faults.add(file, None, None, f"empty file: no header line (expected {cols})")
        return None
    return table


def _floats(
    t: _Table,
    name: str,
    faults: _Faults,
    *,
    what: str,
    blank: float | None = None,
    allow_inf: bool = False,
    allow_negative: bool = False,
    default: float = 0.0,
) -> FloatArray:
    """Column ``name`` as finite non-negative floats, faulting every bad field.

    ``blank`` is the value of an empty field (``None``: empty is a fault); the column
    may be absent, in which case every row takes ``default``. ``allow_inf`` admits
    ``inf`` (an unlimited capacity).
    """
    col = t.columns.get(name)
    if col is None:
        return np.full(len(t), default)
    try:
        arr = np.array(col, dtype=np.float64)  # fast path: every field a number
    except ValueError:
        arr = np.empty(len(col))
        for k, s in enumerate(col):
            if not s:
                if blank is None:
                    faults.add(t.file, t.lines[k], name, f"empty: the {what} is needed",
                               kind="empty")
                    arr[k] = 0.0
                else:
                    arr[k] = blank
                continue
            try:
                arr[k] = float(s)
            except ValueError:
                faults.add(t.file, t.lines[k], name, f"{s!r} is not a number",
                           kind="not a number")
                arr[k] = 0.0
    bad = np.isnan(arr) | (np.isneginf(arr) if allow_inf else np.isinf(arr))
    for k in np.flatnonzero(bad):
        faults.add(t.file, t.lines[k], name, f"{col[k]!r} is not a finite number",
                   kind="not finite")
    arr[bad] = 0.0
    if allow_negative:
        return arr
    for k in np.flatnonzero(arr < 0):
        faults.add(t.file, t.lines[k], name, f"negative {what} {col[k]}", kind="negative")
    arr[arr < 0] = 0.0
    return arr


@dataclass
class _Ids:
    """Accepted ids of one table: their rows in the table and their positions."""

    ids: list[str]
    rows: IntArray  # table row of each accepted id
    pos: dict[str, int]


def _unique_ids(t: _Table, name: str, what: str, faults: _Faults) -> _Ids:
    ids: list[str] = []
    rows: list[int] = []
    pos: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for k, pid in enumerate(t.columns[name]):
        if not pid:
            faults.add(t.file, t.lines[k], name, f"empty {what} id", kind="empty id")
        elif pid in pos:
            faults.add(
                t.file,
                t.lines[k],
                name,
                f"duplicate {what} id {pid!r} (first at line {first_line[pid]})",
                kind="duplicate id",
            )
        else:
            pos[pid] = len(ids)
            first_line[pid] = t.lines[k]
            ids.append(pid)
            rows.append(k)
    return _Ids(ids, np.asarray(rows, dtype=np.int64), pos)


def _lookup(
    t: _Table, name: str, pos: dict[str, int] | None, what: str, home: str, faults: _Faults
) -> IntArray:
    """Positions of the ids in column ``name``; -1 (and a fault) for unknown ones.

    With ``pos`` None (the table of those ids could not be read) nothing is faulted
    and every position is -1.
    """
    col = t.columns[name]
    if pos is None:
        return np.full(len(col), -1, dtype=np.int64)
    out = np.fromiter((pos.get(s, -1) for s in col), dtype=np.int64, count=len(col))
    for k in np.flatnonzero(out < 0):
        s = col[k]
        msg = f"empty: a {what} id is needed" if not s else f"unknown {what} {s!r} (not in {home})"
        faults.add(t.file, t.lines[k], name, msg, kind=f"unknown {what}")
    return out


def _duplicate_pairs(
    t: _Table,
    rows: IntArray,
    a: IntArray,
    b: IntArray,
    size_b: int,
    describe: str,
    faults: _Faults,
) -> None:
    """Fault every repeated pair ``(a, b)`` among table rows ``rows``, naming the first line."""
    if rows.size < 2:
        return
    key = a * np.int64(max(size_b, 1)) + b
    order = np.argsort(key, kind="stable")
    sk = key[order]
    dup = np.flatnonzero(sk[1:] == sk[:-1]) + 1
    for d in dup:
        k = int(rows[order[d]])
        start = d
        while start > 0 and sk[start - 1] == sk[d]:
            start -= 1
        first = int(rows[order[start]])
        faults.add(
            t.file,
            t.lines[k],
            None,
            f"duplicate {describe} (first at line {t.lines[first]})",
            kind="duplicate pair",
        )


# ---------------------------------------------------------------------------- manifest
def _read_manifest(folder: Path, faults: _Faults) -> dict[str, Any]:
    path = folder / MANIFEST
    example = f'{{"format": "{BUNDLE_FORMAT}", "version": {BUNDLE_VERSION}}}'
    if not path.is_file():
        faults.add(MANIFEST, None, None, f"missing file (the least manifest is {example})")
        return {}
    try:
        check_file_size(path, MAX_JSON_BYTES, "bundle manifest")
        raw = path.read_bytes()
        data = load_json(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw, MANIFEST)
    except InvalidInput as exc:
        for p in exc.problems:
            line = p.where.rpartition(":")[2]
            faults.add(MANIFEST, int(line) if line.isdigit() else None, None,
                       f"{exc.message}: {p.message}")
        return {}
    except OSError as exc:
        faults.add(MANIFEST, None, None, f"cannot be read: {exc.strerror or exc}")
        return {}
    if not isinstance(data, dict):
        faults.add(MANIFEST, None, None, f"must hold a JSON object like {example}")
        return {}
    if data.get("format") != BUNDLE_FORMAT:
        faults.add(MANIFEST, None, "format",
                   f"{data.get('format')!r} is not {BUNDLE_FORMAT!r}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        faults.add(MANIFEST, None, "version", f"{version!r} is not a format version (1, 2...)")
    elif version > BUNDLE_VERSION:
        faults.add(MANIFEST, None, "version",
                   f"version {version} is newer than this councilplan reads ({BUNDLE_VERSION})")
    for key in ("name", "source", "notes"):
        if key in data and not isinstance(data[key], str):
            faults.add(MANIFEST, None, key, f"must be text, not {type(data[key]).__name__}")
    if "meta" in data and not isinstance(data["meta"], dict):
        faults.add(MANIFEST, None, "meta", "must be a JSON object")
    return data


# ---------------------------------------------------------------------------- reading
def is_bundle(path: str | Path) -> bool:
    """Whether ``path`` is a folder with a bundle manifest."""
    p = Path(path)
    return p.is_dir() and (p / MANIFEST).is_file()


def read_bundle(path: str | Path, *, check_productive: bool = True) -> Economy:
    """Load the bundle folder ``path`` (or its ``bundle.json``) into an :class:`Economy`.

    Raises :class:`BundleError` listing every fault of every file at once, each as
    ``file:line field name: message``. A bundle whose economy is well formed but not
    productive (spectral radius of ``A`` at or above 1) raises
    :class:`NotProductiveError` instead, naming the products to blame; pass
    ``check_productive=False`` to load it anyway.
    """
    folder = Path(path)
    if folder.is_file() and folder.name == MANIFEST:
        folder = folder.parent
    if not folder.is_dir():
        raise BundleError(
            f"{folder} is not an economy bundle",
            [Problem(str(folder), "no such folder (a bundle is a folder of CSV files)")],
        )
    faults = _Faults()
    manifest = _read_manifest(folder, faults)
    pt = _read_csv(folder, _PRODUCTS, ("id",), ("name", "unit"), faults)
    tt = _read_csv(folder, _TECHNIQUES, ("id", "product", "labour"), ("capacity",), faults)
    it = _read_csv(folder, _INPUTS, ("technique", "product", "quantity"), (), faults)
    nt = _read_csv(folder, _NEEDS, ("product", "quantity"), ("tier",), faults)
    rt = _read_csv(folder, _RESOURCES, ("id",), ("cap",), faults, must_exist=False)
    ut = _read_csv(
        folder, _RESOURCE_USE, ("technique", "resource", "quantity"), (), faults, must_exist=False
    )
    if (folder / _RESOURCES).is_file() != (folder / _RESOURCE_USE).is_file():
        absent = _RESOURCE_USE if (folder / _RESOURCES).is_file() else _RESOURCES
        faults.add(absent, None, None,
                   f"missing file ({_RESOURCES} and {_RESOURCE_USE} come together)")

    # products
    prods = _unique_ids(pt, "id", "product", faults) if pt is not None else None
    n = len(prods.ids) if prods is not None else 0
    names: list[str] | None = None
    units: list[str] | None = None
    if pt is not None and prods is not None:
        if pt.has("name"):
            col = pt.columns["name"]
            raw = [col[k] for k in prods.rows]
            if any(raw):
                names = [s or pid for s, pid in zip(raw, prods.ids, strict=True)]
        if pt.has("unit"):
            col = pt.columns["unit"]
            rawu = [col[k] for k in prods.rows]
            if any(rawu):
                units = rawu

    # techniques
    techs: _Ids | None = None
    makes = np.zeros(0, dtype=np.int64)
    labour = np.zeros(0)
    capacity = np.zeros(0)
    if tt is not None:
        techs = _unique_ids(tt, "id", "technique", faults)
        made_by = _lookup(tt, "product", prods.pos if prods else None, "product", _PRODUCTS,
                          faults)
        lab_all = _floats(tt, "labour", faults, what="labour")
        cap_all = _floats(tt, "capacity", faults, what="capacity", blank=np.inf,
                          allow_inf=True, default=np.inf)
        makes = made_by[techs.rows]
        labour = lab_all[techs.rows]
        capacity = cap_all[techs.rows]
        if prods is not None and pt is not None:
            made = np.zeros(n, dtype=bool)
            made[makes[makes >= 0]] = True
            for i in np.flatnonzero(~made):
                faults.add(
                    _PRODUCTS,
                    pt.lines[int(prods.rows[i])],
                    "id",
                    f"no technique in {_TECHNIQUES} makes product {prods.ids[i]!r}",
                    kind="not made",
                )
    m = len(techs.ids) if techs is not None else 0

    # inputs
    a_rows = a_cols = np.zeros(0, dtype=np.int64)
    a_vals = np.zeros(0)
    if it is not None:
        tix = _lookup(it, "technique", techs.pos if techs else None, "technique", _TECHNIQUES,
                      faults)
        pix = _lookup(it, "product", prods.pos if prods else None, "product", _PRODUCTS, faults)
        q = _floats(it, "quantity", faults, what="quantity")
        ok = np.flatnonzero((tix >= 0) & (pix >= 0))
        a_rows, a_cols, a_vals = pix[ok], tix[ok], q[ok]
        _duplicate_pairs(it, ok, a_cols, a_rows, n, "input: this technique and product", faults)

    # needs
    needs = np.zeros(n)
    tiers = np.ones(n, dtype=np.int64)
    if nt is not None:
        pix = _lookup(nt, "product", prods.pos if prods else None, "product", _PRODUCTS, faults)
        q = _floats(nt, "quantity", faults, what="need")
        tier_f = _floats(nt, "tier", faults, what="tier", blank=1.0, default=1.0,
                         allow_negative=True)
        for k in np.flatnonzero((tier_f != np.floor(tier_f)) | (tier_f < 1)
                                | (tier_f > _MAX_TIER)):
            faults.add(nt.file, nt.lines[k], "tier",
                       f"{nt.columns['tier'][k]!r} is not a tier 1, 2, 3...", kind="tier")
        ok = np.flatnonzero(pix >= 0)
        _duplicate_pairs(nt, ok, pix[ok], np.zeros(ok.size, dtype=np.int64), 1,
                         "need for this product", faults)
        needs[pix[ok]] = q[ok]
        tiers[pix[ok]] = np.maximum(tier_f[ok], 1).astype(np.int64)

    # resources
    res_ids: list[str] = []
    res_caps: FloatArray | None = None
    R: sp.csr_array | None = None
    if rt is not None:
        res = _unique_ids(rt, "id", "resource", faults)
        res_ids = res.ids
        caps_all = _floats(rt, "cap", faults, what="cap", blank=np.inf, allow_inf=True,
                           default=np.inf)
        if rt.has("cap") and any(rt.columns["cap"][k] for k in res.rows):
            res_caps = caps_all[res.rows]
        if ut is not None:
            tix = _lookup(ut, "technique", techs.pos if techs else None, "technique",
                          _TECHNIQUES, faults)
            rix = _lookup(ut, "resource", res.pos, "resource", _RESOURCES, faults)
            q = _floats(ut, "quantity", faults, what="quantity")
            ok = np.flatnonzero((tix >= 0) & (rix >= 0))
            _duplicate_pairs(ut, ok, rix[ok], tix[ok], m, "use: this resource and technique",
                             faults)
            R = sp.coo_array((q[ok], (rix[ok], tix[ok])), shape=(len(res_ids), m)).tocsr()
        else:
            R = sp.csr_array((len(res_ids), m))

    if faults or prods is None or techs is None:
        problems = faults.problems()
        raise BundleError(f"the economy bundle {folder} has {len(problems)} fault(s)", problems)

    A = sp.coo_array((a_vals, (a_rows, a_cols)), shape=(n, m)).tocsr()
    meta = dict(manifest.get("meta") or {})
    for key in ("name", "source", "notes"):
        if manifest.get(key):
            meta[key] = manifest[key]
    products: Sequence[str] = prods.ids
    techniques: Sequence[str] = techs.ids
    if m == n and techs.ids == prods.ids and np.array_equal(makes, np.arange(n)):
        techniques = products
    try:
        return Economy.from_arrays(
            A,
            labour,
            makes=makes,
            products=products,
            techniques=techniques,
            capacity=capacity,
            needs=needs,
            tiers=tiers,
            product_names=names,
            units=units,
            R=R,
            resources=res_ids,
            resource_caps=res_caps,
            check_productive=check_productive,
            meta=meta,
        )
    except NotProductiveError:
        raise
    except EconomyError as exc:
        raise BundleError(
            f"the economy bundle {folder} does not make a valid economy: {exc.message}",
            [Problem(f"{folder.name}: {p.where}", p.message) for p in exc.problems],
        ) from exc


# ---------------------------------------------------------------------------- writing
def _num(x: float) -> str:
    return repr(float(x))


def _check_ids(label: str, ids: Iterable[str], problems: list[Problem]) -> None:
    bad = 0
    for i, pid in enumerate(ids):
        if not pid or pid != pid.strip():
            bad += 1
            if bad <= 20:
                problems.append(
                    Problem(f"{label}[{i}]", f"id {pid!r} is empty or has surrounding spaces")
                )
    if bad > 20:
        problems.append(Problem(label, f"... and {bad - 20} more such ids"))


def _may_replace(path: Path) -> bool:
    return (path / MANIFEST).is_file() or not any(path.iterdir())


def write_bundle(
    economy: Economy,
    path: str | Path,
    *,
    name: str | None = None,
    source: str | None = None,
    notes: str | None = None,
) -> Path:
    """Write ``economy`` as a bundle folder at ``path``, atomically.

    The files are written to a temporary folder beside ``path`` which is then renamed
    into place; if anything fails midway the temporary folder is removed and ``path``
    is as it was. An existing ``path`` is replaced only if it is a bundle (has a
    ``bundle.json``) or an empty folder. ``name``, ``source`` and ``notes`` default to
    the economy's ``meta`` entries of those names (``name``: the folder's name).
    """
    folder = Path(path)
    eco = economy
    problems: list[Problem] = []
    _check_ids("products", eco.products, problems)
    if eco.techniques is not eco.products:
        _check_ids("techniques", eco.techniques, problems)
    _check_ids("resources", eco.resources, problems)
    if problems:
        raise BundleError("these ids cannot be written to a CSV bundle", problems)
    meta = dict(eco.meta)
    manifest: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "name": name if name is not None else str(meta.pop("name", folder.name)),
        "source": source if source is not None else str(meta.pop("source", "")),
        "notes": notes if notes is not None else str(meta.pop("notes", "")),
    }
    for key in ("name", "source", "notes"):
        meta.pop(key, None)
    manifest["meta"] = meta
    try:
        with atomic_folder(folder, may_replace=_may_replace) as tmp:
            _write_files(eco, tmp)
            (tmp / MANIFEST).write_text(
                meta_to_json(manifest, indent=2) + "\n",
                encoding="utf-8",
            )
    except FileExistsError as exc:
        raise BundleError(
            f"will not write a bundle over {folder}",
            [Problem(str(folder), "exists and is not an economy bundle (no bundle.json) "
                     "nor an empty folder")],
        ) from exc
    return folder


def _write_files(eco: Economy, tmp: Path) -> None:
    prods = list(eco.products)
    techs = prods if eco.techniques is eco.products else list(eco.techniques)
    names = eco.product_names
    units = eco.units
    with open(tmp / _PRODUCTS, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("id", "name", "unit"))
        w.writerows(
            (pid, names[i] if names is not None else "", units[i] if units is not None else "")
            for i, pid in enumerate(prods)
        )
    with open(tmp / _TECHNIQUES, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("id", "product", "labour", "capacity"))
        w.writerows(
            (tid, prods[mk], _num(lab), "" if math.isinf(cap) else _num(cap))
            for tid, mk, lab, cap in zip(
                techs, eco.makes.tolist(), eco.labour.tolist(), eco.capacity.tolist(),
                strict=True,
            )
        )
    A = sp.csc_array(eco.A)
    A.sort_indices()
    with open(tmp / _INPUTS, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("technique", "product", "quantity"))
        indptr = A.indptr
        for j in range(eco.m):
            s, e = int(indptr[j]), int(indptr[j + 1])
            if s == e:
                continue
            tid = techs[j]
            w.writerows(
                (tid, prods[i], _num(q))
                for i, q in zip(A.indices[s:e].tolist(), A.data[s:e].tolist(), strict=True)
            )
    with open(tmp / _NEEDS, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("product", "quantity", "tier"))
        listed = np.flatnonzero((eco.needs != 0) | (eco.tiers != 1))
        w.writerows(
            (prods[i], _num(eco.needs[i]), str(int(eco.tiers[i]))) for i in listed.tolist()
        )
    if eco.R is not None and eco.resources:
        caps = eco.resource_caps
        with open(tmp / _RESOURCES, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(("id", "cap"))
            w.writerows(
                (rid, "" if caps is None else _num(caps[k]))
                for k, rid in enumerate(eco.resources)
            )
        R = sp.coo_array(eco.R)
        with open(tmp / _RESOURCE_USE, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(("technique", "resource", "quantity"))
            w.writerows(
                (techs[j], eco.resources[r], _num(q))
                for r, j, q in zip(R.row.tolist(), R.col.tolist(), R.data.tolist(), strict=True)
            )


# ---------------------------------------------------------------------------- either form
def load_economy(path: str | Path, *, check_productive: bool = True) -> Economy:
    """Load an economy from a bundle folder (or its ``bundle.json``) or an ``.npz`` file."""
    from councilplan.io.npz import read_npz

    p = Path(path)
    if p.is_dir() or p.name == MANIFEST:
        return read_bundle(p, check_productive=check_productive)
    if p.suffix.lower() == ".npz":
        return read_npz(p, check_productive=check_productive)
    raise BundleError(
        f"cannot tell what kind of economy file {p} is",
        [Problem(str(p), "expected a bundle folder, its bundle.json, or an .npz file"
                 + ("" if p.exists() else " (and it does not exist)"))],
    )


def save_economy(economy: Economy, path: str | Path) -> Path:
    """Save ``economy`` as an ``.npz`` file if ``path`` ends in ``.npz``, else a bundle folder."""
    from councilplan.io.npz import write_npz

    p = Path(path)
    if p.suffix.lower() == ".npz":
        return write_npz(economy, p)
    return write_bundle(economy, p)
