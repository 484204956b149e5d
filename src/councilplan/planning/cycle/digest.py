"""Canonical digests: how a plan variant, a registration or a set of targets is hashed.

Scheme (version 1), reproducible by anyone holding the data:

* **Numbers** travel in documents as text: :func:`num` gives Python's shortest
  round-trip ``repr`` of the float (``"0.1"``, ``"1e-05"``, ``"inf"``), so a document
  never depends on a JSON library's float printing.
* **Arrays** are digested, not spelled out (a national plan has 10^5-10^7 entries):
  :func:`array_digest` is ``sha256(b"councilplan-array-v1\\n" + name + "\\n" + dtype +
  "\\n" + shape + "\\n" + bytes)`` over the array in a fixed little-endian dtype
  (``<f8`` for numbers, ``<i8`` for indices), C order; text columns
  (:func:`text_digest`) are their UTF-8 values, each followed by ``"\\n"`` (ids hold no
  line break).
* **Documents** are canonical JSON (:func:`canonical`: keys sorted, separators ``,``
  ``:``, UTF-8, no floats -- every number is an int or :func:`num` text) and their
  digest is :func:`document_digest`, the SHA-256 of those bytes.

A variant's hash is the digest of its document, which holds its settings, the
digests of every input array (products, techniques, inputs, labour, capacities,
needs, working time) and of every result array (activity, net output, labour
values), and its scalar results. Changing one stored number changes the hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["array_digest", "canonical", "document_digest", "num", "text_digest"]

_ARRAY = b"councilplan-array-v1\n"
_TEXT = b"councilplan-text-v1\n"


def num(value: float) -> str:
    """The canonical text of a number (shortest round-trip repr; ``inf``, ``nan``)."""
    return repr(float(value))


def canonical(document: Any, *, checked: bool = False) -> str:
    """Canonical JSON of a document (floats refused: put them through :func:`num`;
    ``checked``: the caller built it from :func:`num` texts, skip the walk)."""
    if not checked:
        _check(document)
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_refuse)


def _check(value: Any) -> None:
    if isinstance(value, float):
        raise TypeError(f"a canonical document holds no float ({value!r}): use num()")
    if isinstance(value, dict):
        for v in value.values():
            _check(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _check(v)


def _refuse(value: object) -> object:
    raise TypeError(f"a canonical document holds no {type(value).__name__}: {value!r}")


def document_digest(document: Any, *, checked: bool = False) -> str:
    """SHA-256 (hex) of the canonical JSON of ``document``."""
    return hashlib.sha256(canonical(document, checked=checked).encode("utf-8")).hexdigest()


def array_digest(name: str, array: npt.ArrayLike, kind: str = "f8") -> str:
    """SHA-256 (hex) of a numeric array in the canonical encoding (``kind`` ``f8`` or ``i8``)."""
    dtype = np.dtype("<" + kind)
    arr = np.ascontiguousarray(np.asarray(array), dtype=dtype)
    h = hashlib.sha256(_ARRAY)
    h.update(f"{name}\n{dtype.str}\n{','.join(str(s) for s in arr.shape)}\n".encode())
    h.update(arr.tobytes())
    return h.hexdigest()


def text_digest(name: str, values: Iterable[str]) -> str:
    """SHA-256 (hex) of a column of texts: each UTF-8 value followed by a line feed."""
    h = hashlib.sha256(_TEXT)
    h.update(f"{name}\n".encode())
    items = list(values)
    if items:
        h.update(("\n".join(items) + "\n").encode("utf-8"))
    return h.hexdigest()
