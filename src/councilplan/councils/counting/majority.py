"""Yes / no / abstain: the count of a motion.

:func:`count_majority` tallies the choices and gives every number a decision rule
needs, exactly: yes, no, abstain, votes cast (yes + no), total (with abstentions),
and the yes share of votes cast as a :class:`~fractions.Fraction`. ``outcome`` is the
*simple* majority of votes cast (yes more than no: carried; fewer: defeated; equal:
tied). Quorums, other majority bases and qualified majorities are the ballot's
decision rule, applied to these numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from councilplan.councils.counting.report import JSONValue
from councilplan.errors import InvalidInput, Problem

__all__ = ["Choice", "MajorityCount", "Outcome", "count_majority"]


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    CARRIED = "carried"
    DEFEATED = "defeated"
    TIED = "tied"


@dataclass(frozen=True, slots=True)
class MajorityCount:
    """The tally of a yes/no/abstain vote."""

    yes: int
    no: int
    abstain: int

    @property
    def cast(self) -> int:
        """Votes cast for or against."""
        return self.yes + self.no

    @property
    def total(self) -> int:
        """All papers, abstentions included."""
        return self.yes + self.no + self.abstain

    @property
    def yes_share(self) -> Fraction:
        """Yes as a share of votes cast (0 when none were)."""
        return Fraction(self.yes, self.cast) if self.cast else Fraction(0)

    @property
    def outcome(self) -> Outcome:
        if self.yes > self.no:
            return Outcome.CARRIED
        if self.yes < self.no:
            return Outcome.DEFEATED
        return Outcome.TIED

    def to_dict(self) -> dict[str, JSONValue]:
        share = self.yes_share
        return {
            "method": "majority",
            "yes": str(self.yes),
            "no": str(self.no),
            "abstain": str(self.abstain),
            "cast": str(self.cast),
            "total": str(self.total),
            "yes_share": str(share.numerator) if share.denominator == 1 else str(share),
            "outcome": self.outcome.value,
        }


def count_majority(votes: Iterable[Choice | str] | Mapping[Choice | str, int]) -> MajorityCount:
    """Tally ``votes``: one choice per paper, or a mapping choice -> number of papers."""
    counts = {Choice.YES: 0, Choice.NO: 0, Choice.ABSTAIN: 0}
    problems: list[Problem] = []
    items: Iterable[tuple[Choice | str, int]]
    items = votes.items() if isinstance(votes, Mapping) else ((v, 1) for v in votes)
    for k, (choice, n) in enumerate(items, 1):
        try:
            ch = Choice(choice)
        except ValueError:
            problems.append(Problem(f"vote {k}", f"not yes/no/abstain: {choice!r}"))
            continue
        if not isinstance(n, int) or n < 0:
            problems.append(Problem(f"vote {k}", f"not a number of papers: {n!r}"))
            continue
        counts[ch] += n
    if problems:
        raise InvalidInput("invalid yes/no/abstain votes", problems)
    return MajorityCount(counts[Choice.YES], counts[Choice.NO], counts[Choice.ABSTAIN])
