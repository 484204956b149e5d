"""Planning periods: a span of time (a year, say) with sub-periods, owned by one council.

The **owner** is the council that plans: a national planning council by default, or a
regional or industry council planning its own part. Its **scope** is itself and every
council below it: only they register needs and techniques in the period, and only
workplaces in it receive targets.

Sub-periods (quarters, months, or any contiguous split) cover the period exactly,
without gaps or overlaps; each has a **share** of the period, its length over the
period's length. Targets are split over sub-periods by share, reports come per
sub-period, and a re-plan covers the sub-periods not yet begun.

Lifecycle (:class:`PeriodStatus`) of each **revision** (1 for the first plan, then one
more for each re-plan)::

    open  --(variants put to the vote)-->  voting  --(a variant adopted)-->  adopted
      ^                                      |                                  |
      +-------(the vote adopts none)---------+        (re-plan: revision + 1) --+

Registrations of needs, techniques and working time are taken while the period is
``open`` or ``adopted`` (changes after adoption feed the next re-plan), never while a
vote is running (the variants on the ballot were computed from what was registered).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "ElectorateRule",
    "PeriodStatus",
    "PlanningPeriod",
    "SubPeriod",
    "VotingMethod",
    "split_period",
]

_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}\Z")


class PeriodStatus(StrEnum):
    OPEN = "open"
    VOTING = "voting"
    ADOPTED = "adopted"


class ElectorateRule(StrEnum):
    """Who ratifies the plan: the owner's delegates, each weighted by the members they
    represent (an open, recorded vote), or all members of its constituency (secret)."""

    DELEGATES = "delegates"
    MEMBERS = "members"


class VotingMethod(StrEnum):
    SCHULZE = "schulze"
    APPROVAL = "approval"


def _aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{name} must be a timezone-aware datetime, got {value!r}")


@dataclass(frozen=True, slots=True)
class SubPeriod:
    """A part of a period: ``label`` (``Q1``, ``2026-03``), ``[starts_at, ends_at)``."""

    label: str
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        _aware(self.starts_at, "starts_at")
        _aware(self.ends_at, "ends_at")
        if not isinstance(self.label, str) or not _LABEL.match(self.label):
            raise InvalidInput(f"sub-period label {self.label!r} must be 1-32 letters, digits, "
                               "'.', '_' or '-'")

    @property
    def seconds(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds()

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "starts_at": _iso(self.starts_at),
                "ends_at": _iso(self.ends_at)}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class PlanningPeriod:
    """A planning period (see the module docstring)."""

    period_id: str
    council_id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    sub_periods: tuple[SubPeriod, ...]
    electorate: ElectorateRule = ElectorateRule.DELEGATES
    method: VotingMethod = VotingMethod.SCHULZE
    status: PeriodStatus = PeriodStatus.OPEN
    revision: int = 1
    adopted_variant: str | None = None  # of the current revision, once adopted
    in_force: str | None = None  # the variant whose targets are in force (last adopted)
    replan_from: str | None = None  # a re-plan (revision > 1) covers this sub-period on

    def __post_init__(self) -> None:
        object.__setattr__(self, "sub_periods", tuple(self.sub_periods))
        object.__setattr__(self, "electorate", ElectorateRule(self.electorate))
        object.__setattr__(self, "method", VotingMethod(self.method))
        object.__setattr__(self, "status", PeriodStatus(self.status))
        problems = period_problems(self)
        if problems:
            raise InvalidInput(f"planning period {self.period_id!r} is not valid", problems)

    @property
    def seconds(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds()

    @property
    def weeks(self) -> float:
        return self.seconds / (7 * 86400.0)

    def shares(self) -> tuple[float, ...]:
        """Each sub-period's length over the period's (they sum to 1)."""
        total = self.seconds
        return tuple(s.seconds / total for s in self.sub_periods)

    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.sub_periods)

    def sub_period(self, label: str) -> SubPeriod:
        for s in self.sub_periods:
            if s.label == label:
                return s
        raise InvalidInput(f"period {self.period_id} has no sub-period {label!r}",
                           [Problem(label, "sub-periods: " + ", ".join(self.labels()))])

    def position(self, label: str) -> int:
        return self.labels().index(self.sub_period(label).label)

    def covered(self) -> tuple[str, ...]:
        """The sub-periods the current revision plans: all, or from ``replan_from`` on."""
        labels = self.labels()
        if self.replan_from is None:
            return labels
        return labels[labels.index(self.replan_from):]

    def elapsed(self) -> tuple[str, ...]:
        """The sub-periods before the current revision's (re-planned from the actuals)."""
        labels = self.labels()
        if self.replan_from is None:
            return ()
        return labels[:labels.index(self.replan_from)]

    def ensure_registering(self, what: str) -> None:
        """Refuse a registration while the variants are put to the vote."""
        if self.status is PeriodStatus.VOTING:
            raise PreconditionFailed(
                f"{what} refused: period {self.period_id} is voting on its plan variants",
                [Problem(self.period_id, "registrations are taken again once the vote closes")])

    def ensure_status(self, wanted: PeriodStatus, what: str) -> None:
        if self.status is not wanted:
            raise PreconditionFailed(
                f"{what} refused",
                [Problem(self.period_id, f"the period (revision {self.revision}) is "
                                         f"{self.status.value}, not {wanted.value}")])


def period_problems(p: PlanningPeriod) -> list[Problem]:
    """Every fault of a period's dates and sub-periods."""
    where = p.period_id or "period"
    problems: list[Problem] = []
    for name in ("period_id", "council_id"):
        value = getattr(p, name)
        if not isinstance(value, str) or not value or value != value.strip():
            problems.append(Problem(where, f"{name} must be a non-empty id"))
    if not p.name.strip():
        problems.append(Problem(where, "a period needs a name"))
    try:
        _aware(p.starts_at, "starts_at")
        _aware(p.ends_at, "ends_at")
    except InvalidInput as exc:
        return [*problems, Problem(where, exc.message)]
    if p.ends_at <= p.starts_at:
        return [*problems, Problem(where, "the period ends before it starts")]
    if not p.sub_periods:
        problems.append(Problem(where, "a period needs at least one sub-period"))
        return problems
    labels = [s.label for s in p.sub_periods]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        problems.append(Problem(where, f"sub-period {label} is listed twice"))
    if p.sub_periods[0].starts_at != p.starts_at:
        problems.append(Problem(p.sub_periods[0].label, "the first sub-period must start "
                                                        "when the period starts"))
    if p.sub_periods[-1].ends_at != p.ends_at:
        problems.append(Problem(p.sub_periods[-1].label, "the last sub-period must end "
                                                         "when the period ends"))
    for a, b in zip(p.sub_periods, p.sub_periods[1:], strict=False):
        if b.starts_at != a.ends_at:
            problems.append(Problem(b.label, f"must start when {a.label} ends (no gaps, no "
                                             "overlaps)"))
    for s in p.sub_periods:
        if s.ends_at <= s.starts_at:
            problems.append(Problem(s.label, "ends before it starts"))
    if p.revision < 1:
        problems.append(Problem(where, "revisions count from 1"))
    if p.replan_from is not None and p.replan_from not in labels:
        problems.append(Problem(where, f"re-plan from unknown sub-period {p.replan_from!r}"))
    return problems


def _add_months(value: datetime, months: int) -> datetime:
    total = value.month - 1 + months
    year, month = value.year + total // 12, total % 12 + 1
    return value.replace(year=year, month=month)


def split_period(starts_at: datetime, ends_at: datetime,
                 parts: str | int | Sequence[tuple[str, datetime]] = "quarters"
                 ) -> tuple[SubPeriod, ...]:
    """Sub-periods covering ``[starts_at, ends_at)``.

    ``parts``: ``"quarters"`` (Q1..Q4 of three calendar months from the start; the last
    runs to the end), ``"months"`` (M01..), ``"whole"`` (one sub-period), a number
    ``k`` of equal parts (P1..Pk), or explicit ``(label, starts_at)`` pairs in order.
    """
    _aware(starts_at, "starts_at")
    _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise InvalidInput("the period ends before it starts")
    bounds: list[tuple[str, datetime]]
    if parts == "whole":
        bounds = [("P1", starts_at)]
    elif parts in ("quarters", "months"):
        step, prefix = (3, "Q") if parts == "quarters" else (1, "M")
        bounds = []
        k = 0
        while True:
            start = _add_months(starts_at, step * k)
            if start >= ends_at:
                break
            bounds.append((f"{prefix}{k + 1:02d}" if prefix == "M" else f"{prefix}{k + 1}",
                           start))
            k += 1
    elif isinstance(parts, int) and not isinstance(parts, bool):
        if parts < 1:
            raise InvalidInput("a period splits into at least one part")
        span = ends_at - starts_at
        bounds = [(f"P{k + 1}", starts_at + span * k / parts) for k in range(parts)]
    elif isinstance(parts, str | bool):
        raise InvalidInput(f"unknown split {parts!r}: quarters, months, whole, or a number")
    else:
        bounds = [(str(label), start) for label, start in parts]
    ends = [b for _, b in bounds[1:]] + [ends_at]
    return tuple(SubPeriod(label, start, end)
                 for (label, start), end in zip(bounds, ends, strict=True))
