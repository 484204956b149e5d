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
from elsewhere cannot run code.

Writes are atomic: a temporary file beside the target, renamed into place.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from councilplan.errors import BundleError, EconomyError, NotProductiveError, Problem
from councilplan.io.atomic import atomic_file
from councilplan.io.meta import meta_to_json
from councilplan.planning.economy import Economy, SequentialIds

__all__ = ["NPZ_FORMAT", "NPZ_VERSION", "read_npz", "write_npz"]

NPZ_FORMAT = "councilplan-economy-npz"
NPZ_VERSION = 1

_REQUIRED = ("format", "version", "shape", "A_data", "A_indices", "A_indptr", "labour",
             "capacity", "needs", "tiers")


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


def _unpack_ids(z: Any, label: str, count: int, problems: list[Problem]) -> Sequence[str] | None:
    if f"{label}_prefix" in z.files:
        return SequentialIds(str(z[f"{label}_prefix"]), count)
    if f"{label}_utf8" in z.files:
        raw = z[f"{label}_utf8"]
        if count == 0:
            return []
        try:
            ids: list[str] = bytes(raw.tobytes()).decode("utf-8").split("\0")
        except UnicodeDecodeError as exc:
            problems.append(Problem(f"{label}_utf8", f"not UTF-8 ({exc.reason})"))
            return None
        if len(ids) != count:
            problems.append(Problem(f"{label}_utf8", f"{len(ids)} ids for {count}"))
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


def read_npz(path: str | Path, *, check_productive: bool = True) -> Economy:
    """Load an economy written by :func:`write_npz`.

    A file that is missing, not an ``.npz``, of another format or version, or whose
    arrays are missing or do not fit together raises :class:`BundleError` naming each
    fault (``file field key: ...``).
    """
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise BundleError(f"no economy file {p}", [Problem(name, "missing file")])
    try:
        z = np.load(p, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{p} is not an economy .npz file",
                          [Problem(name, f"not an .npz file ({exc})")]) from exc
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise BundleError(f"{p} is not an economy .npz file",
                          [Problem(name, "a single .npy array, not an .npz archive")])
    problems: list[Problem] = []
    with z:
        for key in _REQUIRED:
            if key not in z.files:
                problems.append(Problem(f"{name} field {key}", "missing array"))
        if problems:
            raise BundleError(f"{p} is not a complete economy .npz file", problems)
        try:
            fmt = str(z["format"])
            version = int(z["version"])
            shape = [int(s) for s in z["shape"]]
        except (ValueError, TypeError) as exc:
            raise BundleError(f"{p} is not an economy .npz file",
                              [Problem(f"{name} field format", str(exc))]) from exc
        if fmt != NPZ_FORMAT:
            problems.append(Problem(f"{name} field format", f"{fmt!r} is not {NPZ_FORMAT!r}"))
        if version > NPZ_VERSION or version < 1:
            problems.append(Problem(f"{name} field version",
                                    f"version {version} is not one this councilplan reads"))
        if len(shape) != 2:
            problems.append(Problem(f"{name} field shape", f"{shape} is not (n, m)"))
        if problems:
            raise BundleError(f"{p} is not an economy .npz file this version reads", problems)
        n, m = shape
        products = _unpack_ids(z, "products", n, problems)
        if products is None and not problems:
            problems.append(Problem(f"{name} field products", "missing ids"))
        if "techniques_same" in z.files:
            techniques = products
        else:
            techniques = _unpack_ids(z, "techniques", m, problems)
            if techniques is None and not problems:
                problems.append(Problem(f"{name} field techniques", "missing ids"))
        names = _unpack_ids(z, "names", n, problems)
        units = _unpack_ids(z, "units", n, problems)
        makes = z["makes"] if "makes" in z.files else np.arange(m, dtype=np.int64)
        R = None
        resources: Sequence[str] = ()
        caps = None
        if "R_data" in z.files:
            r_shape = (int(z["R_shape"][0]), int(z["R_shape"][1]))
            resources = _unpack_ids(z, "resources", r_shape[0], problems) or ()
            try:
                R = sp.csr_array((z["R_data"], z["R_indices"], z["R_indptr"]), shape=r_shape)
            except ValueError as exc:
                problems.append(Problem(f"{name} field R", str(exc)))
            if "resource_caps" in z.files:
                caps = z["resource_caps"]
        meta: dict[str, Any] = {}
        if "meta_json" in z.files:
            try:
                loaded = json.loads(z["meta_json"].tobytes().decode("utf-8"))
                meta = loaded if isinstance(loaded, dict) else {"meta": loaded}
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(Problem(f"{name} field meta_json", f"not JSON text ({exc})"))
        try:
            A = sp.csr_array((z["A_data"], z["A_indices"], z["A_indptr"]), shape=(n, m))
        except ValueError as exc:
            problems.append(Problem(f"{name} field A", str(exc)))
        if problems or products is None or techniques is None:
            raise BundleError(f"{p} is not a valid economy .npz file", problems)
        labour, capacity, needs = z["labour"], z["capacity"], z["needs"]
        tiers = z["tiers"].astype(np.int64)
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
