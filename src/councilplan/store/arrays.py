"""Binary blobs of arrays for the plan tables: numpy ``.npz`` without pickles.

Numeric arrays are stored as they are; columns of text (ids, codes) as their UTF-8
bytes joined by line feeds (ids hold no line break) with their count, so a blob never
needs ``allow_pickle``. Blobs are written once (snapshots, variants) and read back
exactly.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from councilplan.errors import InvalidInput

__all__ = ["decode_floats", "encode_floats", "pack_arrays", "unpack_arrays"]


def pack_arrays(numeric: Mapping[str, Any], texts: Mapping[str, Sequence[str]]) -> bytes:
    """One blob holding ``numeric`` arrays and ``texts`` columns by name."""
    out: dict[str, np.ndarray] = {}
    for name, arr in numeric.items():
        out["n:" + name] = np.asarray(arr)
    for name, values in texts.items():
        items = list(values)
        if any("\n" in v for v in items):
            raise InvalidInput(f"a text of column {name} holds a line break")
        out["t:" + name] = np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)
        out["c:" + name] = np.asarray([len(items)], dtype=np.int64)
    buf = io.BytesIO()
    np.savez(buf, **out)  # type: ignore[arg-type]
    return buf.getvalue()


def unpack_arrays(blob: bytes) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """The ``numeric`` arrays and ``texts`` columns of a blob from :func:`pack_arrays`."""
    numeric: dict[str, np.ndarray] = {}
    texts: dict[str, list[str]] = {}
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        for key in data.files:
            kind, _, name = key.partition(":")
            if kind == "n":
                numeric[name] = data[key]
            elif kind == "t":
                count = int(data["c:" + name][0])
                raw = data[key].tobytes().decode("utf-8")
                texts[name] = raw.split("\n") if count else []
    return numeric, texts


def encode_floats(values: Any) -> bytes:
    """Little-endian doubles."""
    return np.ascontiguousarray(values, dtype="<f8").tobytes()


def decode_floats(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f8").astype(np.float64)
