"""CSV files of the plan cycle: needs, techniques (with their inputs) and output reports.

=====================  ======================================================
needs                  ``council,product,quantity[,tier][,category][,reason]``
techniques             ``workplace,product,labour[,capacity]`` (blank capacity:
                       unlimited)
inputs                 ``workplace,product,input,quantity`` (units of ``input``
                       per unit of ``product`` at ``workplace``)
reports                ``sub_period,workplace,product,output,hours``
=====================  ======================================================

``council`` / ``workplace`` may be left out of a file when one is given for all its
rows. Every fault of a file is reported at once, by file, line and field; the rules
themselves (catalogue, scope, tiers...) are checked when the rows are registered.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from councilplan.errors import BundleError, Problem
from councilplan.planning.cycle.need import NeedTable
from councilplan.planning.cycle.report import OutputReport
from councilplan.planning.cycle.technique import TechniqueTable

__all__ = ["read_needs_csv", "read_reports_csv", "read_techniques_csv"]


def _rows(path: str | Path, required: Sequence[str], optional: Sequence[str] = ()
          ) -> list[tuple[int, dict[str, str]]]:
    file = str(path)
    try:
        fh = open(path, newline="", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise BundleError(f"{file} cannot be read", [Problem(file, str(exc))]) from None
    with fh:
        reader = csv.DictReader(fh)
        names = [n.strip() for n in (reader.fieldnames or [])]
        missing = [c for c in required if c not in names]
        if missing:
            raise BundleError(f"{file} lacks columns",
                              [Problem(f"{file}:1", f"missing column {c}") for c in missing])
        unknown = [n for n in names if n not in required and n not in optional]
        if unknown:
            raise BundleError(f"{file} has unknown columns",
                              [Problem(f"{file}:1", f"unknown column {c}") for c in unknown])
        return [(line, {(k or "").strip(): (v or "").strip() for k, v in row.items()})
                for line, row in enumerate(reader, start=2)]


def _number(text: str, where: str, problems: list[Problem], *, blank: float | None = None
            ) -> float:
    if not text and blank is not None:
        return blank
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(where, f"{text!r} is not a number"))
        return float("nan")
    if np.isnan(value):
        problems.append(Problem(where, f"{text!r} is not a number"))
    return value


def _owner(row: dict[str, str], column: str, default: str | None, where: str,
           problems: list[Problem]) -> str:
    value = row.get(column) or default or ""
    if not value:
        problems.append(Problem(where, f"no {column} (give the column, or one for the file)"))
    return value


def read_needs_csv(path: str | Path, *, council: str | None = None) -> NeedTable:
    """Needs from a CSV file (see the module docstring)."""
    file = str(path)
    required = ["product", "quantity"] + ([] if council else ["council"])
    rows = _rows(path, required, ["council", "tier", "category", "reason"])
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    for line, row in rows:
        where = f"{file}:{line}"
        tier_text = row.get("tier", "")
        tier = _number(tier_text, f"{where} field tier", problems, blank=1.0)
        if np.isfinite(tier) and (tier != int(tier) or tier < 1):
            problems.append(Problem(f"{where} field tier", f"{tier_text!r} is not 1, 2, 3..."))
        records.append({
            "council": _owner(row, "council", council, f"{where} field council", problems),
            "product": row.get("product", ""),
            "quantity": _number(row.get("quantity", ""), f"{where} field quantity", problems),
            "tier": int(tier) if np.isfinite(tier) and tier == int(tier) else 0,
            "category": row.get("category", ""), "reason": row.get("reason", "")})
    if problems:
        raise BundleError(f"{file} has faults", problems)
    return NeedTable.from_rows(records)


def read_techniques_csv(path: str | Path, inputs: str | Path | None = None, *,
                        workplace: str | None = None) -> TechniqueTable:
    """Techniques from a CSV file and their inputs from another (see the module doc)."""
    file = str(path)
    required = ["product", "labour"] + ([] if workplace else ["workplace"])
    rows = _rows(path, required, ["workplace", "capacity"])
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}
    for line, row in rows:
        where = f"{file}:{line}"
        wp = _owner(row, "workplace", workplace, f"{where} field workplace", problems)
        key = (wp, row.get("product", ""))
        if key in index:
            problems.append(Problem(where, f"{wp} makes {key[1]} on line "
                                           f"{records[index[key]]['line']} already"))
        index[key] = len(records)
        records.append({
            "workplace": wp, "product": key[1], "line": line,
            "labour": _number(row.get("labour", ""), f"{where} field labour", problems),
            "capacity": _number(row.get("capacity", ""), f"{where} field capacity", problems,
                                blank=float("inf")),
            "inputs": {}})
    if inputs is not None:
        ifile = str(inputs)
        req = ["product", "input", "quantity"] + ([] if workplace else ["workplace"])
        for line, row in _rows(inputs, req, ["workplace"]):
            where = f"{ifile}:{line}"
            wp = _owner(row, "workplace", workplace, f"{where} field workplace", problems)
            k = index.get((wp, row.get("product", "")))
            if k is None:
                problems.append(Problem(where, f"no technique of {wp} for "
                                               f"{row.get('product', '')!r} in {file}"))
                continue
            name = row.get("input", "")
            if name in records[k]["inputs"]:
                problems.append(Problem(where, f"input {name} of {wp}/{records[k]['product']} "
                                               "is listed twice"))
            records[k]["inputs"][name] = _number(row.get("quantity", ""),
                                                 f"{where} field quantity", problems)
    if problems:
        raise BundleError("the technique files have faults", problems)
    for r in records:
        del r["line"]
        if not np.isfinite(r["capacity"]):
            r["capacity"] = None
    return TechniqueTable.from_rows(records)


def read_reports_csv(path: str | Path) -> list[OutputReport]:
    """Output reports from a CSV file (see the module docstring)."""
    file = str(path)
    problems: list[Problem] = []
    out: list[OutputReport] = []
    for line, row in _rows(path, ["sub_period", "workplace", "product", "output", "hours"]):
        where = f"{file}:{line}"
        out.append(OutputReport(
            row["sub_period"], row["workplace"], row["product"],
            _number(row["output"], f"{where} field output", problems),
            _number(row["hours"], f"{where} field hours", problems)))
    if problems:
        raise BundleError(f"{file} has faults", problems)
    return out
