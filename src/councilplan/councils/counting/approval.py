"""Approval voting and k-of-n (block) voting.

An approval ballot marks any set of candidates. ``approval(profile, seats)`` elects
the ``seats`` candidates with most approvals. With ``max_choices=k`` it is a *k-of-n*
count: a paper marking more than ``k`` candidates is invalid (not counted; the count
says how many), the rest count in full. Candidates with equal approvals across the
last seat are separated by lot from the published seed (a ``"seat"``
:class:`~councilplan.councils.counting.report.TieBreak`); other equalities are
ordered by lot too (``"ranking"``), since they decide nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.report import (
    Action,
    ActionKind,
    CandidateState,
    Count,
    StageReport,
    TieBreak,
)
from councilplan.errors import InvalidInput, Problem

__all__ = ["ApprovalProfile", "approval"]


@dataclass(frozen=True, slots=True)
class ApprovalProfile:
    """Weighted approval ballots: ``approvals[g]`` are the candidate indices marked on
    the ``weights[g]`` papers of group ``g`` (sorted, distinct; may be empty: a blank
    paper)."""

    candidates: tuple[str, ...]
    approvals: tuple[tuple[int, ...], ...]
    weights: tuple[int, ...]

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        n = len(self.candidates)
        if len(set(self.candidates)) != n or not all(self.candidates):
            problems.append(Problem("candidates", "candidate ids must be distinct and non-empty"))
        if len(self.approvals) != len(self.weights):
            problems.append(Problem("weights", "one weight per ballot group is required"))
        for g, (marks, w) in enumerate(zip(self.approvals, self.weights, strict=False), 1):
            if not isinstance(w, int) or w < 1:
                problems.append(Problem(f"ballot group {g}", "weight must be a positive integer"))
            if any(not 0 <= m < n for m in marks) or len(set(marks)) != len(marks):
                problems.append(Problem(f"ballot group {g}", "marks must be distinct candidates"))
        if problems:
            raise InvalidInput("invalid approval ballots", problems)

    @classmethod
    def from_ballots(
        cls,
        candidates: Sequence[str],
        ballots: Iterable[tuple[Collection[str], int] | Collection[str]],
    ) -> ApprovalProfile:
        """From ``(marked ids, weight)`` pairs or bare collections of ids (weight 1);
        identical ballots are grouped."""
        cands = tuple(candidates)
        index = {c: i for i, c in enumerate(cands)}
        groups: dict[tuple[int, ...], int] = {}
        problems: list[Problem] = []
        for k, item in enumerate(ballots, 1):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], int):
                marks, w = item[0], item[1]
            else:
                marks, w = item, 1
            if isinstance(marks, str):
                marks = (marks,)
            unknown = [m for m in marks if m not in index]
            if unknown:
                problems.append(Problem(f"ballot {k}", f"unknown candidate(s) {unknown!r}"))
                continue
            key = tuple(sorted({index[m] for m in marks}))
            groups[key] = groups.get(key, 0) + w
        if problems:
            raise InvalidInput("invalid approval ballots", problems)
        return cls(cands, tuple(groups), tuple(groups.values()))

    @classmethod
    def from_ranked(cls, profile: Profile) -> ApprovalProfile:
        """Every candidate a ranked paper ranks counts as approved on it."""
        return cls.from_ballots(profile.candidates, [(set(r), w) for r, w in profile.ballots()])

    @property
    def total_weight(self) -> int:
        return sum(self.weights)


def approval(
    profile: ApprovalProfile,
    seats: int = 1,
    *,
    max_choices: int | None = None,
    seed: str | int = 0,
) -> Count:
    """Elect the ``seats`` most approved candidates (k-of-n with ``max_choices=k``)."""
    if not isinstance(seats, int) or seats < 1:
        raise InvalidInput("invalid number of seats", [Problem("seats", f"got {seats!r}")])
    if max_choices is not None and max_choices < 1:
        raise InvalidInput("invalid k-of-n count", [Problem("max_choices", "must be >= 1")])
    names = profile.candidates
    c = len(names)
    tally = [0] * c
    valid = invalid = 0
    for marks, w in zip(profile.approvals, profile.weights, strict=True):
        if max_choices is not None and len(marks) > max_choices:
            invalid += w
            continue
        valid += w
        for m in marks:
            tally[m] += w
    lot = Lot(str(seed))
    order: list[int] = []
    ties: list[TieBreak] = []
    for value in sorted(set(tally), reverse=True):
        tied = [i for i in range(c) if tally[i] == value]
        if len(tied) > 1:
            drawn = lot.order([names[i] for i in tied], "approval", 1)
            start = len(order)
            purpose = "seat" if start < seats < start + len(tied) else "ranking"
            ties.append(TieBreak(1, purpose, tuple(names[i] for i in tied), drawn[0], "lot"))
            tied = [names.index(x) for x in drawn]
        order.extend(tied)
    elected = order[:seats]
    notes = []
    if invalid:
        notes.append(f"{invalid} paper(s) marked more than {max_choices} candidates: invalid")
    stage = StageReport(
        number=1,
        action=Action(ActionKind.TALLY),
        votes={names[i]: Fraction(tally[i]) for i in range(c)},
        elected=tuple(names[i] for i in elected),
        status={
            names[i]: CandidateState.ELECTED if i in elected else CandidateState.CONTINUING
            for i in range(c)
        },
        notes=tuple(notes),
    )
    return Count(
        method="approval" if max_choices is None else "k-of-n",
        candidates=names,
        seats=seats,
        elected=tuple(names[i] for i in elected),
        stages=(stage,),
        valid_votes=Fraction(valid),
        decimals=0,
        tie_breaks=tuple(ties),
        seed=str(seed),
        ranking=tuple(names[i] for i in order),
        parameters={} if max_choices is None else {"max_choices": str(max_choices)},
        notes=tuple(notes),
    )
