"""What the plan pages draw: plan variants side by side as plain data (bars, rows).

Each chart compares the variants on one measure -- the share of each tier of needs met,
the hours of work against the hours available, the average working week the plan
takes, the capacities that bind -- and comes with the same figures as a table, so the
page reads the same without the picture (see ``plan_macros.html``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from councilplan.services.plan_cycle.views import VariantView

__all__ = ["Chart", "ChartBar", "compare_variants"]


@dataclass(frozen=True)
class ChartBar:
    label: str  # the variant's key and name
    value: str  # as shown
    percent: str  # of the axis maximum, for the bar's width
    highlight: bool = False
    extent: str = ""  # a lighter bar behind it (what is available), of the axis maximum


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    unit: str  # what the value column holds
    bars: list[ChartBar]
    note: str = ""


def _num(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return 0.0
    return out if math.isfinite(out) else 0.0


def _bars(items: Sequence[tuple[str, float, str]], axis: float,
          best: float | None = None) -> list[ChartBar]:
    return [ChartBar(label, text, f"{100 * min(1.0, max(0.0, v / axis)) if axis > 0 else 0:.1f}%",
                     best is not None and abs(v - best) < 1e-9)
            for label, v, text in items]


def _label(v: VariantView) -> str:
    return f"{v.key}: {v.name}"


def _hours(value: float) -> str:
    return f"{value:,.0f} h"


def compare_variants(variants: Sequence[VariantView]) -> list[Chart]:
    """The charts comparing ``variants`` (empty for none)."""
    if not variants:
        return []
    charts: list[Chart] = []
    tiers = sorted({int(t["tier"]) for v in variants for t in v.summary.get("tiers", [])})
    for tier in tiers:
        items = []
        for v in variants:
            row = next((t for t in v.summary.get("tiers", []) if int(t["tier"]) == tier), None)
            share = _num(row["share_met"]) if row else 0.0
            items.append((_label(v), share, f"{100 * share:.1f}%"))
        charts.append(Chart(f"tier-{tier}", f"Tier {tier} needs met", "share met",
                            _bars(items, 1.0, max(s for _, s, _ in items))))
    used = [(v, _num(v.summary.get("hours", {}).get("used")),
             _num(v.summary.get("hours", {}).get("available"))) for v in variants]
    axis = max(max(a for _, _, a in used), max(u for _, u, _ in used))
    bars = [replace(b, extent=f"{100 * a / axis if axis > 0 else 0:.1f}%") for b, (_, _, a)
            in zip(_bars([(_label(v), u, f"{_hours(u)} of {_hours(a)}") for v, u, a in used],
                         axis), used, strict=True)]
    charts.append(Chart("hours", "Hours of work", "hours used of those available", bars,
                        note="Dark: the hours the plan takes; light: the hours available."))
    weeks = [(v, _num(v.summary.get("hours", {}).get("working_week_needed")),
              v.summary.get("hours", {}).get("hours_per_week")) for v in variants]
    axis = max([w for _, w, _ in weeks] + [_num(h) for _, _, h in weeks])
    charts.append(Chart("week", "Average working week the plan takes", "hours a week", _bars(
        [(_label(v), w, f"{w:.1f} h" + (f" (of {_num(h):g} h)" if h else ""))
         for v, w, h in weeks], axis)))
    counts = [(v, int(_num(v.summary.get("binding_capacities", {}).get("count"))))
              for v in variants]
    top = max(1, max(c for _, c in counts))
    charts.append(Chart("binding", "Capacities that bind", "capacities at their limit", _bars(
        [(_label(v), float(c), str(c)) for v, c in counts], float(top))))
    return charts


def binding_rows(variant: VariantView) -> list[dict[str, Any]]:
    """The binding capacities the variant's summary lists (the first few)."""
    return list(variant.summary.get("binding_capacities", {}).get("first", []))
