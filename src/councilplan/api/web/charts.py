"""What the result pages draw: the STV stage table and bar charts, as plain data.

Templates turn these into an HTML table and inline SVG (no script, no inline style, so
the Content-Security-Policy holds); every chart has a text alternative beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["Bar", "StageTable", "bars", "decision_bars", "stage_table"]


def _number(text: Any) -> Fraction:
    if text in (None, ""):
        return Fraction(0)
    return Fraction(str(text))


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # as counted (exact text)
    share: float  # of the largest bar, 0..1 (for drawing only)
    percent: str  # of the axis maximum, as text for the width attribute
    highlight: bool = False


def bars(items: list[tuple[str, Any]], *, highlight: frozenset[str] = frozenset(),
         axis_max: Fraction | None = None) -> list[Bar]:
    values = [(label, _number(v), v) for label, v in items]
    top = axis_max or max((v for _, v, _ in values), default=Fraction(0))
    out = []
    for label, v, text in values:
        share = float(v / top) if top > 0 else 0.0
        out.append(Bar(label, str(text), share, f"{100 * share:.1f}%", label in highlight))
    return out


@dataclass(frozen=True)
class StageTable:
    candidates: list[str]
    stages: list[dict[str, Any]]  # number, description
    rows: list[dict[str, Any]]  # candidate, cells [{votes, change, mark}]
    non_transferable: list[str]
    quota: str | None


def stage_table(result: dict[str, Any]) -> StageTable | None:
    """Rows per candidate, a column per stage: votes at the end of the stage, the change
    during it, and who was elected or excluded there."""
    stages = result.get("stages") or []
    if not stages or "votes" not in stages[0]:
        return None
    candidates = list(result.get("candidates") or stages[0]["votes"].keys())
    heads = [{"number": s["number"], "description": s["action"]["description"]}
             for s in stages]
    rows = []
    for c in candidates:
        cells = []
        for s in stages:
            mark = "elected" if c in s.get("elected", ()) else (
                "excluded" if c in s.get("excluded", ()) else "")
            change = s.get("transfers", {}).get(c)
            cells.append({"votes": s.get("votes", {}).get(c, ""),
                          "change": None if change in (None, "0") else change, "mark": mark})
        rows.append({"candidate": c, "cells": cells,
                     "elected": c in result.get("elected", ())})
    return StageTable(candidates, heads, rows,
                      [s.get("non_transferable", "") for s in stages], result.get("quota"))


def first_and_final(result: dict[str, Any]) -> tuple[list[Bar], list[Bar]]:
    stages = result.get("stages") or []
    if not stages or "votes" not in stages[0]:
        return [], []
    elected = frozenset(result.get("elected", ()))
    quota = result.get("quota")
    first = list(stages[0]["votes"].items())
    final = list(stages[-1]["votes"].items())
    top = max([_number(v) for _, v in first + final] + [_number(quota)])
    return (bars(first, highlight=elected, axis_max=top),
            bars(final, highlight=elected, axis_max=top))


def decision_bars(result: dict[str, Any]) -> list[Bar]:
    majority = result.get("majority") or {}
    items = [(k, majority.get(k, "0")) for k in ("yes", "no", "abstain")]
    return bars(items, highlight=frozenset({"yes"} if result.get("passed") else {"no"}))


def tally_bars(tally: dict[str, Any], passed: bool | None) -> list[Bar]:
    """A strikers' ballot's papers: yes, no and spoilt (the winning side highlighted)."""
    items = [(k, tally.get(k, 0)) for k in ("yes", "no", "spoilt")]
    won = frozenset() if passed is None else frozenset({"yes"} if passed else {"no"})
    return bars(items, highlight=won)
