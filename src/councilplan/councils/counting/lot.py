"""Lot: deciding a tie by lot, reproducibly, from a published seed.

The statute (SSI 2011/399 Sch. 1 rules 49(3), 51(2)(b)) leaves a tie that no earlier
stage breaks "by lot". A count here draws lots from a *seed* published before the
count (for example fixed when the ballot opens), so that anyone can redo the draw:

    key(candidate) = SHA-256("councilplan-lot-v1" US seed US purpose US stage US candidate)

(US is the unit separator, U+001F; the text is UTF-8; the digest is read as hex.)
The tied candidates are ordered by key, lowest first, and the first is *drawn*: it is
the one excluded, whose surplus goes first, who wins. Different purposes and stages
give independent draws. The rule uses no clock and no hidden state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Lot"]

_US = "\x1f"


@dataclass(frozen=True, slots=True)
class Lot:
    """Seeded lots. ``Lot(seed).draw(tied, purpose, stage)`` picks one of ``tied``."""

    seed: str = "0"

    def key(self, candidate: str, purpose: str, stage: int) -> str:
        text = _US.join(("councilplan-lot-v1", self.seed, purpose, str(stage), candidate))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def order(self, candidates: Sequence[str], purpose: str, stage: int) -> tuple[str, ...]:
        """The candidates in the order of the draw (first drawn first)."""
        return tuple(sorted(candidates, key=lambda c: (self.key(c, purpose, stage), c)))

    def draw(self, candidates: Sequence[str], purpose: str, stage: int) -> str:
        """The candidate drawn from ``candidates``."""
        if not candidates:
            raise ValueError("cannot draw from no candidates")
        return self.order(candidates, purpose, stage)[0]
