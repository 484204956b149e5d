"""BallotPiles: the ballot papers of a transferable-vote count, sorted into piles.

Each candidate has a pile: a list of *parcels*, each an array of ballot-group indices
received at one stage. Every group carries its number of papers (``mult``), the value
of each paper in integer units of the count's fixed point (``value``; a whole vote is
``unit``), and how far down its ranking it has been read (``pos``). Moving papers is a
handful of array operations over the moved groups -- there is no Python object per
ballot -- so a count of a million ballots takes seconds.

All arithmetic is on integers: exact. Values stay in ``int64`` while no product can
overflow it; past that the arrays hold Python integers (slower, still exact).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from councilplan.councils.counting.profile import Profile

__all__ = ["BallotPiles", "Dealt"]

_INT64_SAFE = 2**62


@dataclass(frozen=True, slots=True)
class Dealt:
    """The result of dealing papers out: value received per candidate (units) and the
    value that went to no one (non-transferable: no further preference)."""

    received: tuple[int, ...]
    non_transferable: int


class BallotPiles:
    """The mutable state of the papers during one count (internal to the counting
    methods; a method owns one for the length of a count)."""

    def __init__(self, profile: Profile, unit: int) -> None:
        n, width = profile.rankings.shape
        c = profile.n_candidates
        self.n_candidates = c
        self.unit = unit
        # sentinel index c = "no further preference"; one extra column guarantees it
        ranks = np.full((n, width + 1), c, dtype=np.int64)
        if width:
            r = profile.rankings
            ranks[:, :width] = np.where(r < 0, c, r)
        self.ranks = ranks
        total = profile.total_weight
        wide = unit * unit * max(total, 1) >= _INT64_SAFE or unit * max(total, 1) >= _INT64_SAFE
        dtype: type = object if wide else np.int64
        self.mult: NDArray[np.int64] = np.asarray(profile.weights).astype(dtype)
        self.value: NDArray[np.int64] = np.full(n, unit, dtype=np.int64).astype(dtype)
        self.pos: NDArray[np.int64] = np.zeros(n, dtype=np.int64)
        # stop[x]: reading a ranking stops at x (a continuing candidate or the sentinel)
        self.stop: NDArray[np.bool_] = np.ones(c + 1, dtype=bool)
        self.piles: list[list[NDArray[np.int64]]] = [[] for _ in range(c)]

    def deal_first_preferences(self) -> Dealt:
        """Sort every paper to its first preference (stage 1)."""
        groups = np.arange(self.ranks.shape[0], dtype=np.int64)
        dest = self.ranks[:, 0].copy() if self.ranks.shape[0] else groups
        return self._deal(groups, dest)

    def set_continuing(self, candidate: int, continuing: bool) -> None:
        """Mark a candidate as (no longer) continuing: papers skip it from now on."""
        self.stop[candidate] = continuing

    def pile_size(self, candidate: int) -> int:
        return sum(int(p.size) for p in self.piles[candidate])

    def take(self, candidate: int) -> NDArray[np.int64]:
        """Remove and return the candidate's whole pile (group indices)."""
        parcels = self.piles[candidate]
        self.piles[candidate] = []
        if not parcels:
            return np.zeros(0, dtype=np.int64)
        return parcels[0] if len(parcels) == 1 else np.concatenate(parcels)

    def transfer(self, candidate: int, ratio: tuple[int, int] | None = None) -> Dealt:
        """Transfer every paper of ``candidate`` to its next continuing preference.

        With ``ratio = (surplus, total)`` each paper's new value is
        ``floor(value * surplus / total)`` in units (the weighted inclusive Gregory
        transfer value, truncated to the count's places); without, papers keep
        their value (exclusion).
        """
        groups = self.take(candidate)
        if ratio is not None and groups.size:
            s, t = ratio
            self.value[groups] = (self.value[groups] * s) // t
            alive = np.asarray(self.value[groups] != 0, dtype=bool)
            if not bool(np.all(alive)):
                groups = groups[alive]
        return self._deal(groups, self._next(groups))

    def _next(self, groups: NDArray[np.int64]) -> NDArray[np.int64]:
        if groups.size == 0:
            return groups
        p = self.pos[groups] + 1
        dest = self.ranks[groups, p]
        moving = np.flatnonzero(~self.stop[dest])
        while moving.size:
            p[moving] += 1
            dest[moving] = self.ranks[groups[moving], p[moving]]
            moving = moving[~self.stop[dest[moving]]]
        self.pos[groups] = p
        return dest

    def _deal(self, groups: NDArray[np.int64], dest: NDArray[np.int64]) -> Dealt:
        c = self.n_candidates
        received = [0] * c
        if groups.size == 0:
            return Dealt(tuple(received), 0)
        values = self.mult[groups] * self.value[groups]
        order = np.argsort(dest, kind="stable")
        d = dest[order]
        g = groups[order]
        v = values[order]
        bounds = np.searchsorted(d, np.arange(c + 2, dtype=np.int64)).tolist()
        for cand in range(c):
            lo, hi = bounds[cand], bounds[cand + 1]
            if hi > lo:
                self.piles[cand].append(g[lo:hi])
                received[cand] = int(v[lo:hi].sum())
        lo, hi = bounds[c], bounds[c + 1]
        nt = int(v[lo:hi].sum()) if hi > lo else 0
        return Dealt(tuple(received), nt)
