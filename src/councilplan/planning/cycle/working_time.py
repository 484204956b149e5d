"""Labour available: from the councils' decisions on working time.

A council decides, for a period, the **working week** (hours per week) and the
**weeks** worked in the period; a workplace council may also state how many people
work there (``members``; by default its registered members). A workplace works by the
nearest decision up the tree: its own, else its parent's, ... (a national council's
decision holds wherever no council below decided otherwise).

The hours available to the plan are::

    L = sum over workplaces w of  members_w * hours_per_week_w * weeks_w

A plan variant may put another working week (or number of weeks) in place of the
decisions, for every workplace at once: so the working week itself can be put to the
vote ("every need met on a 35-hour week" against "a 30-hour week, the lower tiers
partly met").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from councilplan.errors import InvalidInput, Problem
from councilplan.planning.cycle.federation import Federation
from councilplan.planning.economy import FloatArray

__all__ = ["Workforce", "WorkingTime", "resolve_workforce", "working_time_problems"]

MAX_HOURS_PER_WEEK = 168.0


@dataclass(frozen=True, slots=True)
class WorkingTime:
    """A council's decision: ``hours_per_week`` for ``weeks`` in the period, and for a
    workplace optionally its head-count ``members``."""

    council_id: str
    hours_per_week: float
    weeks: float
    members: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"council_id": self.council_id, "hours_per_week": self.hours_per_week,
                "weeks": self.weeks, "members": self.members}


def working_time_problems(decision: WorkingTime, federation: Federation,
                          period_weeks: float) -> list[Problem]:
    """Why a decision cannot stand (empty: it can)."""
    where = decision.council_id
    problems: list[Problem] = []
    bad = federation.scope_problem(decision.council_id, where)
    if bad is not None:
        problems.append(bad)
    h, w = decision.hours_per_week, decision.weeks
    if not (np.isfinite(h) and 0 < h <= MAX_HOURS_PER_WEEK):
        problems.append(Problem(where, f"{h!r} hours per week: a working week is more than 0 "
                                       f"and at most {MAX_HOURS_PER_WEEK:g} hours"))
    if not (np.isfinite(w) and 0 < w <= period_weeks * (1 + 1e-9)):
        problems.append(Problem(where, f"{w!r} weeks: more than 0 and at most the "
                                       f"{period_weeks:.4g} weeks of the period"))
    if decision.members is not None:
        if isinstance(decision.members, bool) or not isinstance(decision.members, int) \
                or decision.members < 0:
            problems.append(Problem(where, f"members {decision.members!r} is not a whole "
                                           "number >= 0"))
        elif bad is None and not federation.is_workplace(decision.council_id):
            problems.append(Problem(where, "only a workplace council states how many people "
                                           "work there"))
    return problems


@dataclass(frozen=True, eq=False)
class Workforce:
    """The workplaces of a scope with their head-counts, working weeks and weeks."""

    workplaces: tuple[str, ...]
    members: FloatArray
    hours_per_week: FloatArray
    weeks: FloatArray
    decided_by: tuple[str, ...]  # the council whose decision each workplace works by

    def hours(self, hours_per_week: float | None = None,
              weeks: float | None = None) -> FloatArray:
        """Hours available per workplace, the working week and weeks optionally replaced."""
        h = self.hours_per_week if hours_per_week is None else np.full(len(self.workplaces),
                                                                       hours_per_week)
        w = self.weeks if weeks is None else np.full(len(self.workplaces), weeks)
        out: FloatArray = self.members * h * w
        return out

    @property
    def people(self) -> float:
        return float(self.members.sum())

    def undecided(self) -> tuple[str, ...]:
        """Workplaces no decision covers."""
        return tuple(w for w, d in zip(self.workplaces, self.decided_by, strict=True) if not d)


def resolve_workforce(federation: Federation, decisions: Sequence[WorkingTime],
                      member_counts: Mapping[str, int],
                      workplaces: Sequence[str] | None = None, *,
                      strict: bool = True) -> Workforce:
    """Each workplace's head-count (its own decision's ``members``, else its registered
    members) and the working week and weeks of the nearest decision up the tree.

    Raises :class:`InvalidInput` naming every workplace no decision covers (unless not
    ``strict``: then their week and weeks are NaN, for a variant that sets both)."""
    by_council = {d.council_id: d for d in decisions}
    wps = tuple(federation.workplaces() if workplaces is None else workplaces)
    members = np.zeros(len(wps))
    hours = np.zeros(len(wps))
    weeks = np.zeros(len(wps))
    decided: list[str] = []
    problems: list[Problem] = []
    nearest: dict[str, WorkingTime | None] = {}

    def lookup(council: str) -> WorkingTime | None:
        if council in nearest:
            return nearest[council]
        found = by_council.get(council)
        if found is None:
            parent = federation.parents.get(council)
            found = None if parent is None else lookup(parent)
        nearest[council] = found
        return found

    for k, w in enumerate(wps):
        own = by_council.get(w)
        members[k] = (own.members if own is not None and own.members is not None
                      else member_counts.get(w, 0))
        d = lookup(w)
        if d is None:
            problems.append(Problem(w, "no council above or at this workplace has decided the "
                                       "working week and weeks for the period"))
            decided.append("")
            hours[k] = weeks[k] = np.nan
            continue
        hours[k], weeks[k] = d.hours_per_week, d.weeks
        decided.append(d.council_id)
    if problems and strict:
        raise InvalidInput("labour available cannot be known: working time is not decided",
                           problems)
    return Workforce(wps, members, hours, weeks, tuple(decided))
