"""Count and StageReport: what every counting method returns.

A :class:`Count` is the result of one count: the candidates elected, in order of
election, and the full stage-by-stage report (:class:`StageReport`), with every tie
that was broken and how (:class:`TieBreak`). All numbers are exact
(:class:`fractions.Fraction`); :meth:`Count.to_dict` renders them as strings -- with
``decimals`` places when the method counts in fixed point (``"1381.00000"`` for
Scottish STV), as whole numbers when they are whole, else as ``"p/q"`` -- so the
report is JSON-serialisable without losing a digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

__all__ = [
    "Action",
    "ActionKind",
    "CandidateState",
    "Count",
    "JSONValue",
    "StageReport",
    "TieBreak",
    "format_value",
]

JSONValue = Any
"""What :meth:`Count.to_dict` returns: dicts, lists and strings (and ints for numbering)."""


class ActionKind(StrEnum):
    """What a stage did."""

    FIRST_PREFERENCES = "first-preferences"
    """Sort the ballot papers by first preference (STV stage 1, IRV round 1)."""
    SURPLUS_TRANSFER = "surplus-transfer"
    """Transfer the surplus of an elected candidate."""
    EXCLUSION = "exclusion"
    """Exclude the lowest continuing candidate and transfer their papers."""
    ITERATION = "iteration"
    """Meek: recompute keep factors until the surpluses converge."""
    TALLY = "tally"
    """Approval / majority: count the marks."""
    PAIRWISE = "pairwise"
    """Condorcet methods: count every pairwise preference."""
    STRONGEST_PATHS = "strongest-paths"
    """Schulze: strengths of the strongest paths."""
    LOCK = "lock"
    """Ranked pairs: lock in a majority (``candidates`` = winner, loser)."""
    SKIP = "skip"
    """Ranked pairs: skip a majority that would make a cycle."""


class CandidateState(StrEnum):
    CONTINUING = "continuing"
    ELECTED = "elected"
    EXCLUDED = "excluded"


@dataclass(frozen=True, slots=True)
class Action:
    """The action of a stage: its kind, whom it concerns (the candidate whose surplus is
    transferred, the candidate excluded, the pair locked...), and an amount (the
    surplus, the votes of the excluded candidate, the margin...)."""

    kind: ActionKind
    candidates: tuple[str, ...] = ()
    amount: Fraction | None = None

    def describe(self) -> str:
        who = ", ".join(self.candidates)
        if self.kind is ActionKind.SURPLUS_TRANSFER:
            return f"surplus transfer of {who}"
        if self.kind is ActionKind.EXCLUSION:
            return f"exclusion of {who}"
        if self.kind is ActionKind.LOCK:
            return f"lock {' > '.join(self.candidates)}"
        if self.kind is ActionKind.SKIP:
            return f"skip {' > '.join(self.candidates)} (cycle)"
        return str(self.kind.value).replace("-", " ")


@dataclass(frozen=True, slots=True)
class TieBreak:
    """A tie the count had to break.

    ``purpose`` is ``"exclusion"``, ``"surplus"``, ``"winner"``, ``"seat"`` or
    ``"ordering"``; ``resolved_by`` is ``"earlier-stage"`` (with ``by_stage``: the stage
    looked back to) or ``"lot"`` (the published seed decided).
    """

    stage: int
    purpose: str
    tied: tuple[str, ...]
    chosen: str
    resolved_by: str
    by_stage: int | None = None

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "stage": self.stage,
            "purpose": self.purpose,
            "tied": list(self.tied),
            "chosen": self.chosen,
            "resolved_by": self.resolved_by,
            "by_stage": self.by_stage,
        }


@dataclass(frozen=True, slots=True)
class StageReport:
    """One stage of a count.

    ``votes``: every candidate's votes at the end of the stage (elected candidates keep
    the quota once their surplus has gone; excluded candidates have none).
    ``transfers``: the change in each candidate's votes during the stage (the giving
    candidate negative). ``non_transferable`` and ``loss_by_fraction`` are running
    totals at the end of the stage; ``*_change`` their change during it.
    ``elected`` / ``excluded``: who was deemed elected / excluded at this stage, in
    order. ``status``: every candidate's state at the end of the stage.
    ``transfer_ratio``: for a surplus transfer, surplus / total (each paper moves at
    its value times this, truncated as the method says). ``quota`` and
    ``keep_factors`` are set by methods whose quota moves (Meek). ``matrix`` is set by
    pairwise stages (pairwise counts or path strengths, ``matrix[a][b]``).
    """

    number: int
    action: Action
    votes: Mapping[str, Fraction] = field(default_factory=dict)
    transfers: Mapping[str, Fraction] = field(default_factory=dict)
    non_transferable: Fraction = Fraction(0)
    non_transferable_change: Fraction = Fraction(0)
    loss_by_fraction: Fraction = Fraction(0)
    loss_by_fraction_change: Fraction = Fraction(0)
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    status: Mapping[str, CandidateState] = field(default_factory=dict)
    transfer_ratio: Fraction | None = None
    quota: Fraction | None = None
    keep_factors: Mapping[str, Fraction] = field(default_factory=dict)
    matrix: Mapping[str, Mapping[str, Fraction]] | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self, decimals: int | None = None) -> dict[str, JSONValue]:
        def f(x: Fraction) -> str:
            return format_value(x, decimals)

        out: dict[str, JSONValue] = {
            "number": self.number,
            "action": {
                "kind": self.action.kind.value,
                "candidates": list(self.action.candidates),
                "amount": None if self.action.amount is None else f(self.action.amount),
                "description": self.action.describe(),
            },
            "votes": {c: f(v) for c, v in self.votes.items()},
            "transfers": {c: f(v) for c, v in self.transfers.items()},
            "non_transferable": f(self.non_transferable),
            "non_transferable_change": f(self.non_transferable_change),
            "loss_by_fraction": f(self.loss_by_fraction),
            "loss_by_fraction_change": f(self.loss_by_fraction_change),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "status": {c: s.value for c, s in self.status.items()},
            "notes": list(self.notes),
        }
        if self.transfer_ratio is not None:
            out["transfer_ratio"] = _exact(self.transfer_ratio)
        if self.quota is not None:
            out["quota"] = f(self.quota)
        if self.keep_factors:
            out["keep_factors"] = {c: f(v) for c, v in self.keep_factors.items()}
        if self.matrix is not None:
            out["matrix"] = {a: {b: f(v) for b, v in row.items()} for a, row in self.matrix.items()}
        return out


@dataclass(frozen=True, slots=True)
class Count:
    """The result of a count.

    ``elected``: in order of election. ``ranking``: a full order of the candidates
    where the method defines one (Condorcet methods, approval), else empty.
    ``valid_votes``: the ballot papers counted (their total weight). ``quota``: the
    quota where the method has a fixed one. ``decimals``: places of the fixed-point
    arithmetic the method counts in (``None``: exact fractions / whole numbers).
    ``seed``: the published seed that decided any tie by lot.
    """

    method: str
    candidates: tuple[str, ...]
    seats: int
    elected: tuple[str, ...]
    stages: tuple[StageReport, ...]
    valid_votes: Fraction
    quota: Fraction | None = None
    decimals: int | None = None
    tie_breaks: tuple[TieBreak, ...] = ()
    seed: str = "0"
    ranking: tuple[str, ...] = ()
    parameters: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def winner(self) -> str:
        """The first elected candidate (single-winner methods)."""
        return self.elected[0]

    def to_dict(self) -> dict[str, JSONValue]:
        d = self.decimals
        return {
            "method": self.method,
            "candidates": list(self.candidates),
            "seats": self.seats,
            "valid_votes": format_value(self.valid_votes, d),
            "quota": None if self.quota is None else format_value(self.quota, d),
            "decimals": d,
            "seed": self.seed,
            "parameters": dict(self.parameters),
            "elected": list(self.elected),
            "ranking": list(self.ranking),
            "stages": [s.to_dict(d) for s in self.stages],
            "tie_breaks": [t.to_dict() for t in self.tie_breaks],
            "notes": list(self.notes),
        }


def _exact(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def format_value(x: Fraction, decimals: int | None = None) -> str:
    """An exact value as a string: ``decimals`` places when it has at most that many
    (``"1381.00000"``), else ``"123"`` when whole, else ``"p/q"``."""
    if decimals is not None:
        scaled = x * 10**decimals
        if scaled.denominator == 1:
            n = scaled.numerator
            sign = "-" if n < 0 else ""
            whole, frac = divmod(abs(n), 10**decimals)
            return f"{sign}{whole}.{frac:0{decimals}d}" if decimals else f"{sign}{whole}"
    return _exact(x)
