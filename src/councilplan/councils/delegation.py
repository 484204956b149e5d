"""Delegation upward: how many delegates a council elects to its parent.

The rule is *one delegate per N members of the constituency, at least one*
(:class:`DelegationRule`): ``max(minimum, floor(size / N))`` by default, or with
``rounding=UP`` every started block of N members earns a delegate
(``ceil(size / N)``); an optional ``maximum`` caps the number. A council with
an empty constituency elects nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from councilplan.councils._checks import require_count
from councilplan.councils.council import CouncilTree
from councilplan.errors import InvalidInput, RuleViolation

__all__ = ["DelegationRule", "Rounding", "delegates_to_parent"]


class Rounding(StrEnum):
    """How a part block of ``per_members`` counts: ``down`` (floor) or ``up`` (ceil)."""

    DOWN = "down"
    UP = "up"


@dataclass(frozen=True, slots=True)
class DelegationRule:
    """One delegate per ``per_members`` members, at least ``minimum``, at most ``maximum``."""

    per_members: int
    minimum: int = 1
    maximum: int | None = None
    rounding: Rounding = Rounding.DOWN

    def __post_init__(self) -> None:
        require_count(self.per_members, "per_members", minimum=1)
        require_count(self.minimum, "minimum", minimum=1)
        if self.maximum is not None:
            require_count(self.maximum, "maximum", minimum=1)
            if self.maximum < self.minimum:
                raise InvalidInput(
                    f"delegation maximum {self.maximum} is below the minimum {self.minimum}"
                )

    def delegates(self, constituency_size: int) -> int:
        """Delegates for a constituency of this size (0 only for an empty constituency)."""
        require_count(constituency_size, "constituency_size")
        if constituency_size == 0:
            return 0
        q, r = divmod(constituency_size, self.per_members)
        n = q + (1 if r and self.rounding is Rounding.UP else 0)
        n = max(self.minimum, n)
        return n if self.maximum is None else min(self.maximum, n)

    def describe(self) -> str:
        text = f"one delegate per {self.per_members} members ({self.rounding.value}), "
        text += f"at least {self.minimum}"
        return text + (f", at most {self.maximum}" if self.maximum is not None else "")


def delegates_to_parent(
    tree: CouncilTree, council_id: str, constituency_size: int, rule: DelegationRule
) -> int:
    """Delegates ``council_id`` sends to its parent; refused at a top of the tree."""
    council = tree.get(council_id)
    if council.parent_id is None:
        raise RuleViolation(f"council {council_id} has no parent council to delegate to")
    return rule.delegates(constituency_size)
