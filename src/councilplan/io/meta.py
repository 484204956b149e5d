"""Economy ``meta`` as JSON: numbers, text, lists and objects; anything else as text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["json_default", "meta_to_json"]


def json_default(x: Any) -> Any:
    """``json.dumps(default=...)``: numpy scalars and arrays as numbers and lists, sets and
    tuples as lists, anything else as its ``str``."""
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (set, frozenset, tuple)):
        return list(x)
    return str(x)


def meta_to_json(meta: Mapping[str, Any], *, indent: int | None = None) -> str:
    """``meta`` as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(dict(meta), indent=indent, default=json_default, ensure_ascii=False)
