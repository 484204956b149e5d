"""Weighted electorates: a council's delegates, each weighted by the members they represent.

When a council above the base decides through its delegates (ratifying a plan, say),
each delegate votes with the weight of the members who sent them: a council ``C``
whose constituency has ``s`` members and which has ``k`` delegates holding seats to
the deciding council gives each of them the weight ``s / k`` (an exact fraction), and
a member holding delegate seats from two councils carries both weights. The weights
are frozen, with the list of delegates, when the ballot opens.

**Secrecy.** A weight on a paper identifies its delegate wherever the weights differ,
so a weighted ballot cannot be secret. Delegate votes are therefore **open, recorded
votes**: each delegate's paper is kept with their id and weight and published with
the count, because a delegate casts the votes of the members who elected them and
answers to them for it (they can recall a delegate who votes against their mandate).
Ballots of all members remain secret and unweighted.

Hash scheme (version 1) of a weighted electorate, reproducible by anyone::

    lines  = member_id + "\\t" + weight (Fraction text, e.g. "101/2") + "\\n", sorted by id
    digest = sha256(("councilplan-weighted-electorate-v1\\n" + "".join(lines)).encode())

Counting methods take whole-number weights (ballot papers): :meth:`scaled` multiplies
every weight by the least common multiple of their denominators, which changes no
result of a method that depends only on ratios of support (Schulze margins, approval
totals) and keeps the count exact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from councilplan.councils._checks import require_id
from councilplan.councils.electorate import Electorate
from councilplan.errors import InvalidInput, Problem

__all__ = ["WEIGHTED_HASH_PREFIX", "Delegation", "WeightedElectorate", "delegate_weights"]

WEIGHTED_HASH_PREFIX = "councilplan-weighted-electorate-v1\n"


@dataclass(frozen=True, slots=True)
class Delegation:
    """``holder`` holds a delegate seat of council ``from_council`` to the deciding council."""

    holder: str
    from_council: str
    seat_id: str


@dataclass(frozen=True, slots=True)
class WeightedElectorate:
    """``weights``: (member id, weight) sorted by id, every weight positive."""

    weights: tuple[tuple[str, Fraction], ...]
    digest: str

    @classmethod
    def of(cls, weights: Mapping[str, Fraction]) -> WeightedElectorate:
        items = tuple(sorted((require_id(m, "member_id"), Fraction(w))
                             for m, w in weights.items()))
        bad = [Problem(m, f"weight {w} is not positive") for m, w in items if w <= 0]
        if bad:
            raise InvalidInput("a weighted electorate holds positive weights only", bad)
        return cls(items, weighted_hash(items))

    def __post_init__(self) -> None:
        if weighted_hash(self.weights) != self.digest:
            raise InvalidInput("weighted electorate digest does not match its weights")

    @property
    def size(self) -> int:
        return len(self.weights)

    @property
    def total(self) -> Fraction:
        return sum((w for _, w in self.weights), Fraction(0))

    def weight_of(self, member_id: str) -> Fraction:
        for m, w in self.weights:
            if m == member_id:
                return w
        raise InvalidInput(f"{member_id} is not in this electorate")

    def electorate(self) -> Electorate:
        """The plain electorate of the same members (its digest is the v1 list hash)."""
        return Electorate.freeze(m for m, _ in self.weights)

    def scaled(self) -> tuple[dict[str, int], int]:
        """Whole-number weights and the factor they were multiplied by (see module doc)."""
        scale = lcm(*(w.denominator for _, w in self.weights)) if self.weights else 1
        return {m: int(w * scale) for m, w in self.weights}, scale

    def to_payload(self) -> dict[str, object]:
        return {"size": self.size, "sha256": self.digest, "total_weight": str(self.total)}


def weighted_hash(weights: Iterable[tuple[str, Fraction]]) -> str:
    h = hashlib.sha256(WEIGHTED_HASH_PREFIX.encode("utf-8"))
    for member_id, weight in weights:
        h.update(f"{member_id}\t{weight}\n".encode())
    return h.hexdigest()


def delegate_weights(delegations: Iterable[Delegation],
                     constituency_sizes: Mapping[str, int]) -> tuple[WeightedElectorate,
                                                                      dict[str, Fraction]]:
    """The weighted electorate of the delegates, and each sending council's share of it.

    Every council sending delegates gives each of its ``k`` delegates ``size / k``; a
    council with an empty constituency adds nothing. Raises :class:`InvalidInput`
    when no delegate represents anybody.
    """
    by_council: dict[str, list[str]] = {}
    for d in delegations:
        by_council.setdefault(d.from_council, []).append(d.holder)
    weights: dict[str, Fraction] = {}
    shares: dict[str, Fraction] = {}
    for council, holders in sorted(by_council.items()):
        size = constituency_sizes.get(council, 0)
        if size <= 0:
            continue
        each = Fraction(size, len(holders))
        for h in holders:
            weights[h] = weights.get(h, Fraction(0)) + each
        shares[council] = Fraction(size)
    if not weights:
        raise InvalidInput("no delegate represents any member",
                           [Problem("delegates", "no council below has a delegate with a "
                                                 "constituency to represent")])
    return WeightedElectorate.of(weights), shares
