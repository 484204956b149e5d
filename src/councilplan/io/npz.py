"""The compact binary form of an economy: one uncompressed ``.npz`` file.

For economies too large to edit by hand (10^7 products, 10^8 inputs), the arrays
go to disk as they are: ``A``'s CSR arrays (``A_data``, ``A_indices``, ``A_indptr``
with their own index dtype), ``makes`` (left out when technique ``j`` makes
product ``j``), ``labour``, ``capacity`` (``inf``: unlimited), ``needs``, ``tiers``
(in the smallest integer type that holds them), the resource rows ``R`` if any, and
the ids. Ids of generated economies (:class:`SequentialIds`, ``p0 .. p(n-1)``) are
stored as their prefix only; other ids as one UTF-8 byte array with the ids
separated by NUL characters, so no Python list of ``n`` objects is built to store
them. ``meta`` is JSON text.

``np.savez`` writes without compression (speed matters more than size here) and
streams each array into the zip member in chunks, and ``np.load`` reads each member
into one pre-allocated array, so writing needs no extra copy of ``A`` and reading
about the size of ``A``'s arrays themselves. ``allow_pickle=False`` both ways: an ``.npz``
from elsewhere cannot run code. Before anything is inflated the archive is checked
(members, sizes, headers; see :func:`read_npz`), and every array is checked for its
kind and shape before it is used, every sparse index for lying inside its matrix.

Writes are atomic: a temporary file beside the target, renamed into place.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from councilplan.errors import (
    BundleError,
    EconomyError,
    InvalidInput,
    NotProductiveError,
    Problem,
    quoted,
)
from councilplan.io.atomic import atomic_file
from councilplan.io.limits import MAX_NPZ_INFLATED_BYTES, MAX_NPZ_MEMBERS, load_json
from councilplan.io.meta import meta_to_json
from councilplan.planning.economy import Economy, SequentialIds

__all__ = ["NPZ_FORMAT", "NPZ_VERSION", "read_npz", "write_npz"]

NPZ_FORMAT = "councilplan-economy-npz"
NPZ_VERSION = 1

_REQUIRED = ("format", "version", "shape", "A_data", "A_indices", "A_indptr", "labour",
             "capacity", "needs", "tiers")
_MAX_HEADER = 10_000  # bytes of one .npy header (numpy's own default bound)
_ALWAYS_INFLATED = 64 * 1024 * 1024  # compressed members may always inflate this far ...
_MAX_RATIO = 100  # ... or to this many times their compressed size (a zip bomb: ~1000)


def _pack_ids(ids: Sequence[str], label: str) -> dict[str, npt.NDArray[Any]]:
    """``{label_prefix: 'p'}`` for sequential ids, else ``{label_utf8: NUL-joined bytes}``."""
    if isinstance(ids, SequentialIds):
        return {f"{label}_prefix": np.array(ids.prefix)}
    text = "\0".join(ids)
    if len(ids) > 1 and text.count("\0") != len(ids) - 1:
        raise BundleError(
            f"the {label} ids cannot be stored", [Problem(label, "an id contains a NUL character")]
        )
    return {f"{label}_utf8": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}


def _unpack_ids(z: _Arrays, label: str, count: int) -> Sequence[str] | None:
    if f"{label}_prefix" in z.files:
        prefix = z.get(f"{label}_prefix", "US", ndim=0)
        return None if prefix is None else SequentialIds(str(prefix), count)
    if f"{label}_utf8" in z.files:
        raw = z.get(f"{label}_utf8", "u", itemsize=1)
        if raw is None:
            return None
        if count == 0:
            return []
        try:
            ids: list[str] = bytes(raw.tobytes()).decode("utf-8").split("\0")
        except UnicodeDecodeError as exc:
            z.fault(f"{label}_utf8", f"not UTF-8 ({exc.reason})")
            return None
        if len(ids) != count:
            z.fault(f"{label}_utf8", f"{len(ids)} ids for {count}")
            return None
        return ids
    return None


def _smallest_int(a: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    if a.size == 0:
        return a.astype(np.uint8)
    lo, hi = int(a.min()), int(a.max())
    for dt in (np.uint8, np.uint16, np.uint32, np.int64):
        info = np.iinfo(dt)
        if info.min <= lo and hi <= info.max:
            return a.astype(dt, copy=False)
    return a


def write_npz(economy: Economy, path: str | Path) -> Path:
    """Write ``economy`` to the ``.npz`` file ``path`` (atomically; replaces a file there)."""
    eco = economy
    p = Path(path)
    A = eco.A
    if not A.has_canonical_format:
        A = sp.csr_array(A, copy=True)
        A.sum_duplicates()
    arrays: dict[str, npt.NDArray[Any]] = {
        "format": np.array(NPZ_FORMAT),
        "version": np.array(NPZ_VERSION, dtype=np.int64),
        "shape": np.array([eco.n, eco.m], dtype=np.int64),
        "A_data": A.data,
        "A_indices": A.indices,
        "A_indptr": A.indptr,
        "labour": eco.labour,
        "capacity": eco.capacity,
        "needs": eco.needs,
        "tiers": _smallest_int(eco.tiers),
    }
    if not eco.is_square:
        arrays["makes"] = eco.makes
    arrays.update(_pack_ids(eco.products, "products"))
    if eco.techniques is eco.products:
        arrays["techniques_same"] = np.array(True)
    else:
        arrays.update(_pack_ids(eco.techniques, "techniques"))
    if eco.product_names is not None:
        arrays.update(_pack_ids(eco.product_names, "names"))
    if eco.units is not None:
        arrays.update(_pack_ids(eco.units, "units"))
    if eco.R is not None:
        R = sp.csr_array(eco.R)
        arrays.update(
            R_data=R.data, R_indices=R.indices, R_indptr=R.indptr,
            R_shape=np.array(R.shape, dtype=np.int64),
        )
        arrays.update(_pack_ids(list(eco.resources), "resources"))
        if eco.resource_caps is not None:
            arrays["resource_caps"] = eco.resource_caps
    meta = meta_to_json(eco.meta)
    arrays["meta_json"] = np.frombuffer(meta.encode("utf-8"), dtype=np.uint8)
    with atomic_file(p) as fh:
        np.savez(fh, allow_pickle=False, **arrays)
    return p


class _Arrays:
    """The members of an open ``.npz``, each read and checked before use: its dtype's kind,
    number of dimensions and size; every fault collected as ``file field key``."""

    def __init__(self, z: Any, name: str) -> None:
        self._z = z
        self._name = name
        self.files: list[str] = list(z.files)
        self.problems: list[Problem] = []

    def fault(self, key: str, message: str) -> None:
        self.problems.append(Problem(f"{self._name} field {key}", message))

    def get(self, key: str, kinds: str, *, ndim: int = 1, size: int | None = None,
            itemsize: int | None = None) -> npt.NDArray[Any] | None:
        """Array ``key`` if it is there and of one of ``kinds`` (numpy kind letters), ``ndim``
        dimensions and ``size`` elements; ``None`` (and a fault) otherwise."""
        if key not in self.files:
            self.fault(key, "missing array")
            return None
        try:
            a = self._z[key]
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
            self.fault(key, f"cannot be read ({exc})")
            return None
        if not isinstance(a, np.ndarray) or a.dtype.kind not in kinds:
            self.fault(key, f"holds {getattr(a, 'dtype', type(a))}, not {_KINDS[kinds]}")
            return None
        if a.ndim != ndim or (size is not None and a.size != size):
            want = "a single value" if ndim == 0 else (
                f"{size} values" if size is not None else f"a {ndim}-d array")
            self.fault(key, f"shape {a.shape}: expected {want}")
            return None
        if itemsize is not None and a.dtype.itemsize != itemsize:
            self.fault(key, f"holds {a.dtype}, not bytes")
            return None
        return a


_NUMBER, _INTEGER, _TEXT = "fiub", "iub", "US"
_FORMAT: Any = np.lib.format  # the .npy header readers (untyped in numpy's stubs)
_HEADER_READERS = {(1, 0): _FORMAT.read_array_header_1_0, (2, 0): _FORMAT.read_array_header_2_0}
_KINDS = {_NUMBER: "numbers", _INTEGER: "whole numbers", _TEXT: "text", "u": "bytes"}


def _guard(p: Path, name: str) -> None:
    """Refuse an archive that would make reading it take memory out of proportion to what
    it can mean -- before anything is inflated: too many members, members that overlap
    (so the same bytes count many times), members that claim more than they hold, or more
    to inflate than the archive's size allows (a zip bomb); and a member that is not a
    plain ``.npy`` array (object arrays included)."""
    problems: list[Problem] = []
    size = p.stat().st_size
    with zipfile.ZipFile(p) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_NPZ_MEMBERS:
            raise BundleError(f"{p} is not an economy .npz file", [Problem(
                name, f"{len(infos)} members; an economy has at most {MAX_NPZ_MEMBERS}")])
        packed = [i for i in infos if i.compress_type != zipfile.ZIP_STORED]
        inflated = sum(i.file_size for i in packed)
        allowed = min(MAX_NPZ_INFLATED_BYTES,
                      max(_ALWAYS_INFLATED, _MAX_RATIO * sum(i.compress_size for i in packed)))
        if sum(i.compress_size for i in infos) > size:
            problems.append(Problem(name, "its members overlap: the same bytes are read "
                                          "more than once"))
        elif inflated > allowed:
            problems.append(Problem(name, f"its compressed members inflate to {inflated} "
                                          f"bytes, more than the {allowed} allowed for an "
                                          "archive of its size"))
        for info in infos if not problems else ():
            where = f"{name} field {info.filename.removesuffix('.npy')}"
            if info.flag_bits & 0x1:
                problems.append(Problem(where, "an encrypted member"))
                continue
            if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
                problems.append(Problem(where, "a stored member whose sizes disagree"))
                continue
            if not info.filename.endswith(".npy"):
                continue  # np.load does not read it as an array
            try:
                with zf.open(info) as fh:
                    version = _FORMAT.read_magic(fh)
                    read_header = _HEADER_READERS.get(version)
                    if read_header is None:
                        raise ValueError(f".npy format version {version} is not read here")
                    shape, _, dtype = read_header(fh, max_header_size=_MAX_HEADER)
                    header = fh.tell()
            except (ValueError, OSError, EOFError, NotImplementedError,
                    zipfile.BadZipFile) as exc:
                problems.append(Problem(where, f"not a .npy array ({exc})"))
                continue
            if dtype.hasobject:
                problems.append(Problem(where, "an array of Python objects"))
                continue
            claims = math.prod(shape) * dtype.itemsize
            if claims != info.file_size - header:
                problems.append(Problem(where, f"its header claims {claims} bytes, the member "
                                               f"holds {info.file_size - header}"))
    if problems:
        raise BundleError(f"{p} is not an economy .npz file this version reads", problems)


def read_npz(path: str | Path, *, check_productive: bool = True) -> Economy:
    """Load an economy written by :func:`write_npz`.

    A file that is missing, not an ``.npz``, of another format or version, too large to
    inflate (see :mod:`councilplan.io.limits`), or whose arrays are missing, of the wrong
    kind or shape, or do not fit together raises :class:`BundleError` naming each fault
    (``file field key: ...``).
    """
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise BundleError(f"no economy file {p}", [Problem(name, "missing file")])
    try:
        _guard(p, name)
        z = np.load(p, allow_pickle=False)
    except (OSError, ValueError, EOFError, NotImplementedError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{p} is not an economy .npz file",
                          [Problem(name, f"not an .npz file ({exc})")]) from exc
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise BundleError(f"{p} is not an economy .npz file",
                          [Problem(name, "a single .npy array, not an .npz archive")])
    with z:
        arrays = _Arrays(z, name)
        problems = arrays.problems
        for key in _REQUIRED:
            if key not in arrays.files:
                arrays.fault(key, "missing array")
        if problems:
            raise BundleError(f"{p} is not a complete economy .npz file", problems)
        fmt = arrays.get("format", _TEXT, ndim=0)
        version = arrays.get("version", _INTEGER, ndim=0)
        shape = arrays.get("shape", _INTEGER, size=2)
        if fmt is not None and str(fmt) != NPZ_FORMAT:
            arrays.fault("format", f"{quoted(str(fmt))} is not {NPZ_FORMAT!r}")
        if version is not None and not 1 <= int(version) <= NPZ_VERSION:
            arrays.fault("version", f"version {int(version)} is not one this councilplan reads")
        if shape is not None and (shape < 0).any():
            arrays.fault("shape", f"{shape.tolist()} is not (n, m)")
        if problems or shape is None:
            raise BundleError(f"{p} is not an economy .npz file this version reads", problems)
        n, m = (int(x) for x in shape)
        labour = arrays.get("labour", _NUMBER, size=m)
        capacity = arrays.get("capacity", _NUMBER, size=m)
        needs = arrays.get("needs", _NUMBER, size=n)
        tiers = arrays.get("tiers", _INTEGER, size=n)
        makes = (arrays.get("makes", _INTEGER, size=m) if "makes" in arrays.files
                 else np.arange(m, dtype=np.int64) if labour is not None else None)
        A = _csr(arrays, "A", (n, m))
        products = _unpack_ids(arrays, "products", n)
        if products is None and not problems:
            arrays.fault("products", "missing ids")
        if "techniques_same" in arrays.files:
            techniques = products
        else:
            techniques = _unpack_ids(arrays, "techniques", m)
            if techniques is None and not problems:
                arrays.fault("techniques", "missing ids")
        names = _unpack_ids(arrays, "names", n)
        units = _unpack_ids(arrays, "units", n)
        R = None
        resources: Sequence[str] = ()
        caps = None
        if "R_data" in arrays.files:
            r_shape = arrays.get("R_shape", _INTEGER, size=2)
            if r_shape is not None and (r_shape >= 0).all():
                rows = int(r_shape[0])
                resources = _unpack_ids(arrays, "resources", rows) or ()
                R = _csr(arrays, "R", (rows, int(r_shape[1])))
                if "resource_caps" in arrays.files:
                    caps = arrays.get("resource_caps", _NUMBER, size=rows)
            elif r_shape is not None:
                arrays.fault("R_shape", f"{r_shape.tolist()} is not (resources, m)")
        meta: dict[str, Any] = {}
        if "meta_json" in arrays.files:
            raw = arrays.get("meta_json", "u", itemsize=1)
            if raw is not None:
                try:
                    loaded = load_json(raw.tobytes(), f"{name} field meta_json")
                    meta = loaded if isinstance(loaded, dict) else {"meta": loaded}
                except InvalidInput as exc:
                    problems.extend(exc.problems)
        if (problems or products is None or techniques is None or A is None or labour is None
                or capacity is None or needs is None or tiers is None or makes is None):
            raise BundleError(f"{p} is not a valid economy .npz file", problems)
        tiers = tiers.astype(np.int64)
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
            resources=resources,
            resource_caps=caps,
            check_productive=check_productive,
            meta=meta,
        )
    except NotProductiveError:
        raise
    except EconomyError as exc:
        raise BundleError(
            f"{p} does not hold a valid economy: {exc.message}",
            [Problem(f"{name}: {q.where}", q.message) for q in exc.problems],
        ) from exc


def _csr(arrays: _Arrays, label: str, shape: tuple[int, int]) -> sp.csr_array | None:
    """The CSR matrix ``label`` of ``shape``, every index checked to lie in it."""
    data = arrays.get(f"{label}_data", _NUMBER)
    indices = arrays.get(f"{label}_indices", _INTEGER,
                         size=None if data is None else data.size)
    indptr = arrays.get(f"{label}_indptr", _INTEGER, size=shape[0] + 1)
    if data is None or indices is None or indptr is None:
        return None
    try:
        A = sp.csr_array((data, indices, indptr), shape=shape)
        A.check_format(full_check=True)  # every index in range, indptr non-decreasing
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        arrays.fault(label, f"not a {shape[0]} x {shape[1]} sparse matrix ({exc})")
        return None
    return A
