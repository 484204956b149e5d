"""Catalogue products from the tables the importers read, and from a CSV file.

:func:`products_from_economy` names each product of an imported economy with its code
in the table and the official classifications it maps to:

* ``wiod``: a WIOD 2016 industry code (``A01``, ``C10-C12``, ``M69_M70``) is NACE Rev. 2
  based: ``nace`` is the same code; ``cpa`` the CPA 2008 aggregate in Eurostat's
  spelling (``CPA_A01``, ``CPA_C10-12``, ``CPA_M69_70``); ``isic`` the ISIC Rev. 4
  code, which NACE Rev. 2 follows at this level;
* ``bea``: a BEA detail commodity code (``1111A0``, ``336111``); ``naics`` is the
  NAICS 2017 code it is built on, its leading digits (``1111``, ``336111``);
* ``label``: a symmetric table's row label.

A products CSV has columns ``code,name,unit`` and optionally ``description`` and one
column per classification (``nace``, ``cpa``, ``wiod``, ``bea``, ``naics``, ``isic``,
``label``); every fault is named by line and field.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Literal

from councilplan.errors import BundleError, InvalidInput, Problem
from councilplan.planning.cycle.catalogue import CLASSIFICATIONS, Product
from councilplan.planning.economy import Economy

__all__ = ["cpa_of_wiod", "products_from_economy", "read_products_csv"]

System = Literal["wiod", "bea", "label"]

_RANGE = re.compile(r"([A-Z])(\d+)([-_])\1(\d+)\Z")


def cpa_of_wiod(code: str) -> str:
    """The CPA 2008 aggregate of a WIOD industry, in Eurostat's spelling."""
    m = _RANGE.match(code)
    if m:
        return f"CPA_{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}"
    return f"CPA_{code}"


def _safe(code: str) -> str:
    out = re.sub(r"[^A-Za-z0-9._:/-]", "_", code.strip())
    return out[:64] or "product"


def products_from_economy(eco: Economy, system: System, *, prefix: str = "") -> list[Product]:
    """One product per product of ``eco`` (see the module docstring). ``prefix`` is put
    before each code (``"us:"``), for catalogues holding several tables."""
    names = eco.product_names or list(eco.products)
    units = eco.units or ["unit"] * eco.n
    out: list[Product] = []
    for code, name, unit in zip(eco.products, names, units, strict=True):
        cls: dict[str, str]
        if system == "wiod":
            cls = {"wiod": code, "nace": code, "cpa": cpa_of_wiod(code), "isic": code}
        elif system == "bea":
            digits = re.match(r"\d+", code)
            cls = {"bea": code}
            if digits and len(digits.group(0)) >= 2:
                cls["naics"] = digits.group(0)
        else:
            cls = {"label": code}
        out.append(Product(_safe(prefix + code), name or code, unit or "unit",
                           classifications=cls))
    return out


def read_products_csv(path: str | Path) -> list[Product]:
    """Products from a CSV file (see the module docstring)."""
    file = str(path)
    problems: list[Problem] = []
    out: list[Product] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("code", "name", "unit") if c not in (reader.fieldnames or [])]
        if missing:
            raise BundleError(f"{file} is not a products file",
                              [Problem(f"{file}:1", f"missing column {c}") for c in missing])
        for line, row in enumerate(reader, start=2):
            cls = {k: (row.get(k) or "").strip() for k in CLASSIFICATIONS
                   if (row.get(k) or "").strip()}
            try:
                out.append(Product((row.get("code") or "").strip(),
                                   (row.get("name") or "").strip(),
                                   (row.get("unit") or "").strip(),
                                   (row.get("description") or "").strip(), cls))
            except InvalidInput as exc:
                problems += [Problem(f"{file}:{line}", p.message) for p in exc.problems]
    if problems:
        raise BundleError(f"{file} has faults", problems)
    return out
