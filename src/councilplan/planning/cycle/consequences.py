"""A variant's consequences, stated plainly: what a council votes on.

:func:`consequences` reads a :class:`~councilplan.planning.cycle.variant.VariantResult`
and says, in sentences and in figures:

* how far each tier of needs is met (the share ``theta_t`` of every need of tier ``t``);
* the hours of work the plan takes, against the hours available, and the working
  week that means (hours used over the head-count's weeks);
* which capacities bind (workplace and product), and whether labour binds;
* each council's fulfilment: the share of its needs met, weighted by labour values
  (``sum v received / sum v needed``), for each branch of the scope (the councils
  directly below the owner, and the owner's own collective needs) and for the
  councils worst served;
* the labour values (hours per unit) of the products whose needs take most hours;
* needs left out because nobody in the scope makes their product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from councilplan.planning.cycle.federation import Federation
from councilplan.planning.cycle.inputs import PlanInputs
from councilplan.planning.cycle.variant import VariantResult

__all__ = ["Consequences", "consequences", "council_fulfilment", "quantity_text"]

_LISTED = 20


def quantity_text(x: float) -> str:
    """A number for people: ``1,234``, ``12.5``, ``2.31e+11``."""
    if not np.isfinite(x):
        return "unlimited" if x > 0 else str(x)
    a = abs(x)
    if a >= 1e7:
        return f"{x:.3g}"
    if a >= 100 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _pct(share: float) -> str:
    if share >= 1 - 5e-7:
        return "100%"
    return f"{100 * share:.1f}%"


@dataclass(frozen=True, slots=True)
class Consequences:
    """The sentences (``statement``) and the figures (``summary``, JSON-able)."""

    statement: tuple[str, ...]
    summary: dict[str, Any]

    def text(self) -> str:
        return "\n".join(self.statement)


def council_fulfilment(inputs: PlanInputs, result: VariantResult
                       ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``(councils, needed, received)`` in hours of labour value, per registering
    council."""
    nd = inputs.needs
    v = result.labour_values[inputs.need_product] if len(nd) else np.zeros(0)
    names, inv = inputs.need_councils
    needed = np.bincount(inv, weights=v * result.requested, minlength=len(names))
    got = np.bincount(inv, weights=v * result.delivered, minlength=len(names))
    return list(names), needed, got


def consequences(inputs: PlanInputs, result: VariantResult,
                 federation: Federation | None = None) -> Consequences:
    """The consequences of ``result`` (see the module docstring)."""
    spec = result.spec
    wf = inputs.workforce
    lines: list[str] = []
    if not result.optimal:
        lines.append(f"The plan could not be computed ({result.status}: {result.message}); "
                     "it cannot be put to the vote.")
    # tiers
    nd = inputs.needs
    tier_rows = []
    for t, th in zip(result.tiers, result.thetas, strict=True):
        mask = nd.tiers == t
        tier_rows.append({"tier": t, "share_met": th, "needs": int(mask.sum())})
    if tier_rows and all(r["share_met"] >= 1 - 5e-7 for r in tier_rows):
        lines.append(f"Every need is met in full ({len(nd)} needs in "
                     f"{len(tier_rows)} tier(s)).")
    elif tier_rows:
        parts = []
        for r in tier_rows:
            share = r["share_met"]
            parts.append(f"tier {r['tier']} needs " + ("in full" if share >= 1 - 5e-7 else
                                                       f"at {_pct(share)}"
                                                       + (" (not met)" if share <= 0 else "")))
        lines.append("Needs met: " + "; ".join(parts) + ".")
    else:
        lines.append("No needs are registered: the plan produces nothing.")
    # hours
    weeks = (np.full(len(wf.workplaces), spec.weeks) if spec.weeks is not None
             else np.nan_to_num(wf.weeks)) * inputs.share
    person_weeks = float((wf.members * weeks).sum())
    week_needed = result.labour_used / person_weeks if person_weeks > 0 else float("nan")
    if spec.hours_per_week is not None:
        stated = f"a {quantity_text(spec.hours_per_week)}-hour week"
    else:
        avg = (float((wf.members * np.nan_to_num(wf.hours_per_week) * weeks).sum())
               / person_weeks) if person_weeks > 0 else float("nan")
        stated = f"the working weeks the councils decided (on average {avg:.1f} hours)"
    used_share = result.labour_used / result.labour_available if result.labour_available > 0 \
        else float("nan")
    lines.append(
        f"It takes {quantity_text(result.labour_used)} hours of work, "
        f"{_pct(used_share) if np.isfinite(used_share) else 'all'} of the "
        f"{quantity_text(result.labour_available)} hours available from "
        f"{quantity_text(wf.people)} people on {stated} for "
        f"{quantity_text(float(np.mean(weeks)) if weeks.size else 0.0)} weeks"
        + (f": an average working week of {week_needed:.1f} hours."
           if np.isfinite(week_needed) else "."))
    if result.labour_binds:
        if spec.labour_rule.value == "workplace":
            lines.append(f"The hours of {result.binding_workplaces.size} workplace(s) bind: "
                         "more hours there would meet more needs.")
        else:
            lines.append("Labour binds: more hours of work would meet more needs.")
    # capacities
    bind = result.binding
    shown = []
    if bind.size:
        order = bind[np.argsort(-result.shadow_capacity[bind], kind="stable")]
        for j in order[:_LISTED].tolist():
            shown.append({"workplace": inputs.tech_workplaces[j],
                          "product": inputs.products[int(inputs.makes[j])],
                          "capacity": float(inputs.capacity[j]),
                          "output": float(result.activity[j]),
                          "shadow": float(result.shadow_capacity[j])})
        names = ", ".join(f"{s['workplace']} ({s['product']})" for s in shown[:5])
        more = f" and {bind.size - 5} more" if bind.size > 5 else ""
        lines.append(f"{bind.size} capacit{'y binds' if bind.size == 1 else 'ies bind'}: "
                     f"{names}{more}.")
    else:
        lines.append("No capacity binds.")
    # councils
    councils, needed, got = council_fulfilment(inputs, result)
    met = np.where(needed > 0, got / np.where(needed > 0, needed, 1.0), 1.0)
    branches: list[dict[str, Any]] = []
    if federation is not None and councils:
        acc: dict[str, list[float]] = {}
        for c, a, b in zip(councils, needed.tolist(), got.tolist(), strict=True):
            key = federation.branch(c) if federation.in_scope(c) else c
            s = acc.setdefault(key, [0.0, 0.0])
            s[0] += a
            s[1] += b
        for key, (a, b) in sorted(acc.items()):
            branches.append({"council": key, "own_needs": key == federation.owner,
                             "needed_hours": a, "received_hours": b,
                             "share_met": b / a if a > 0 else 1.0})
        text = ", ".join(f"{b['council']}{' (own collective needs)' if b['own_needs'] else ''}"
                         f" {_pct(b['share_met'])}" for b in branches[:12])
        lines.append("Needs met by council, weighted by labour values: " + text
                     + (f" ... ({len(branches)} in all)" if len(branches) > 12 else "") + ".")
    worst = np.argsort(met, kind="stable")[:_LISTED]
    worst_rows = [{"council": councils[k], "share_met": float(met[k])}
                  for k in worst.tolist() if met[k] < 1 - 5e-7]
    # labour values of the products whose needs take most hours
    v = result.labour_values
    if len(nd):
        hours_of = np.bincount(inputs.need_product, weights=result.requested * v[
            inputs.need_product], minlength=inputs.n)
        top = np.argsort(-hours_of, kind="stable")[:10]
        values = [{"product": inputs.products[i], "unit": inputs.units[i],
                   "hours_per_unit": float(v[i])} for i in top.tolist() if hours_of[i] > 0]
    else:
        values = []
    if values:
        lines.append("Labour values (hours per unit): " + ", ".join(
            f"{r['product']} {r['hours_per_unit']:.4g} per {r['unit']}" for r in values[:5])
            + (" ..." if inputs.n > 5 else "") + ".")
    if inputs.unmade:
        lines.append(f"{len(inputs.unmade)} need(s) are left out: nobody in the scope makes "
                     "their products.")
    summary: dict[str, Any] = {
        "status": result.status, "method": result.method,
        "tiers": tier_rows,
        "hours": {"used": result.labour_used, "available": result.labour_available,
                  "people": wf.people, "working_week_needed": week_needed,
                  "hours_per_week": spec.hours_per_week, "weeks": spec.weeks,
                  "labour_binds": result.labour_binds,
                  "shadow_labour": result.shadow_labour},
        "binding_capacities": {"count": int(bind.size), "first": shown},
        "fulfilment": {"branches": branches, "worst_councils": worst_rows},
        "labour_values": values,
        "unmade_needs": len(inputs.unmade),
        "products": inputs.n, "techniques": inputs.m, "needs": len(nd),
    }
    return Consequences(tuple(lines), _finite(summary))


def _finite(value: Any) -> Any:
    """NaN and infinities become None (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
