"""Profile: the weighted ranked ballots of one count, shared by every ranked method.

A profile holds candidate ids (``candidates``; a candidate's *index* is its position)
and ballot *groups*: identical rankings are stored once with a weight (the number of
ballot papers that carry that ranking). The rankings live in one integer array, one
row per group, candidate indices in order of preference, padded with ``-1`` -- so a
profile of a million ballots is two arrays, not a million Python objects.

Rules a profile enforces (every fault is reported at once, as
:class:`~councilplan.errors.InvalidInput` with one :class:`~councilplan.errors.Problem`
per bad group):

- candidate ids are distinct, non-empty strings;
- every ranking names at least one candidate, names each candidate at most once and
  has no gap (``-1`` only as trailing padding);
- every weight is a positive integer (ballot papers are counted whole).

Equal rankings are not part of a profile: a ranked ballot paper states a strict order.
(``councilplan.io.blt`` decides how a file's ``=`` rankings are read.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilplan.errors import InvalidInput, Problem

__all__ = ["IntArray", "Profile"]

IntArray = NDArray[np.int64]
"""The integer array type of rankings and weights."""

_MAX_PROBLEMS = 200


def _readonly(a: IntArray) -> IntArray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False, slots=True)
class Profile:
    """Weighted ranked ballots over candidate ids.

    ``rankings[g]`` is the ranking of group ``g`` (candidate indices, best first,
    ``-1`` padded); ``weights[g]`` is how many ballot papers carry it. Build one with
    :meth:`from_ballots` (ids) or :meth:`from_indices` (indices or arrays); both group
    identical rankings unless told not to.
    """

    candidates: tuple[str, ...]
    rankings: IntArray
    weights: IntArray

    def __post_init__(self) -> None:
        problems = _check(self.candidates, self.rankings, self.weights)
        if problems:
            raise InvalidInput("invalid ballot profile", problems)
        r = np.array(self.rankings, dtype=np.int64, copy=True)
        if r.ndim == 1:
            r = r.reshape(0, 0) if r.size == 0 else r.reshape(-1, 1)
        w = np.array(self.weights, dtype=np.int64, copy=True).reshape(-1)
        object.__setattr__(self, "rankings", _readonly(r))
        object.__setattr__(self, "weights", _readonly(w))
        object.__setattr__(self, "candidates", tuple(self.candidates))

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_ballots(
        cls,
        candidates: Sequence[str],
        ballots: Iterable[tuple[Sequence[str], int] | Sequence[str]],
        *,
        group: bool = True,
    ) -> Profile:
        """A profile from ``(ranking of ids, weight)`` pairs or bare rankings (weight 1).

        Unknown ids are reported (every one) as :class:`InvalidInput`.
        """
        cands = tuple(candidates)
        index = {c: i for i, c in enumerate(cands)}
        rows: list[list[int]] = []
        weights: list[int] = []
        problems: list[Problem] = []
        for n, item in enumerate(ballots, start=1):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], int):
                ranking, weight = item[0], item[1]
            else:
                ranking, weight = item, 1
            if isinstance(ranking, str):
                ranking = (ranking,)
            row: list[int] = []
            for c in ranking:
                i = index.get(c)
                if i is None:
                    if len(problems) < _MAX_PROBLEMS:
                        problems.append(Problem(f"ballot {n}", f"unknown candidate {c!r}"))
                    i = -2
                row.append(i)
            rows.append(row)
            weights.append(weight)
        if problems:
            raise InvalidInput("invalid ballot profile", problems)
        return cls.from_indices(cands, rows, weights, group=group)

    @classmethod
    def from_indices(
        cls,
        candidates: Sequence[str],
        rankings: Sequence[Sequence[int]] | NDArray[Any],
        weights: Sequence[int] | NDArray[Any] | None = None,
        *,
        group: bool = True,
    ) -> Profile:
        """A profile from rankings of candidate indices (a list of lists, or a 2-D
        array padded with ``-1``) and optional weights (default 1 each)."""
        cands = tuple(candidates)
        if isinstance(rankings, np.ndarray):
            r = np.asarray(rankings, dtype=np.int64)
            if r.ndim != 2:
                raise InvalidInput(
                    "invalid ballot profile",
                    [Problem("rankings", f"expected a 2-D array, got {r.ndim}-D")],
                )
        else:
            rows = [list(x) for x in rankings]
            width = max((len(x) for x in rows), default=0)
            r = np.full((len(rows), width), -1, dtype=np.int64)
            for g, x in enumerate(rows):
                r[g, : len(x)] = x
        if weights is None:
            w = np.ones(r.shape[0], dtype=np.int64)
        else:
            if not isinstance(weights, np.ndarray):
                if not all(isinstance(x, int | np.integer) for x in weights):
                    raise InvalidInput(
                        "invalid ballot profile",
                        [Problem("weights", "weights must be integers (whole ballot papers)")],
                    )
                weights = np.array(list(weights), dtype=np.int64)
            w = np.asarray(weights)
            if w.dtype.kind not in "iu":
                raise InvalidInput(
                    "invalid ballot profile",
                    [Problem("weights", "weights must be integers (whole ballot papers)")],
                )
            w = w.astype(np.int64)
        profile = cls(cands, r, w)
        return profile.grouped() if group else profile

    # -- views ----------------------------------------------------------------------

    @property
    def total_weight(self) -> int:
        """The number of ballot papers (sum of the weights)."""
        return int(self.weights.sum())

    @property
    def n_groups(self) -> int:
        """The number of stored ballot groups."""
        return int(self.rankings.shape[0])

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    def index(self, candidate: str) -> int:
        """The index of a candidate id."""
        try:
            return self.candidates.index(candidate)
        except ValueError:
            raise InvalidInput(f"unknown candidate {candidate!r}") from None

    def ballots(self) -> Iterator[tuple[tuple[str, ...], int]]:
        """Each group as ``(ranking of ids, weight)``."""
        cands = self.candidates
        for row, weight in zip(self.rankings.tolist(), self.weights.tolist(), strict=True):
            yield tuple(cands[i] for i in row if i >= 0), int(weight)

    def first_preferences(self) -> dict[str, int]:
        """Ballot papers per first preference, every candidate listed."""
        counts = np.zeros(len(self.candidates), dtype=np.int64)
        if self.n_groups and self.rankings.shape[1]:
            np.add.at(counts, self.rankings[:, 0], self.weights)
        return {c: int(n) for c, n in zip(self.candidates, counts.tolist(), strict=True)}

    # -- transformations ------------------------------------------------------------

    def grouped(self) -> Profile:
        """The same ballots with identical rankings merged (rows in a canonical order:
        lexicographic in candidate index, a shorter ranking before its extensions)."""
        if self.n_groups == 0:
            return self
        r = _trim(self.rankings)
        n, width = r.shape
        if width == 0:
            return Profile(self.candidates, r[:1], self.weights.sum(keepdims=True))
        # pack each row into a few int64 keys: digits (index + 1) in base (c + 1)
        base = len(self.candidates) + 1
        per_key = max(1, int(62 // math.log2(base)))
        keys: list[IntArray] = []
        for start in range(0, width, per_key):
            key = np.zeros(n, dtype=np.int64)
            for j in range(start, min(width, start + per_key)):
                key = key * base + (r[:, j] + 1)
            keys.append(key)
        order = np.lexsort(keys[::-1])
        changed = np.zeros(n, dtype=bool)
        changed[0] = True
        for key in keys:
            k = key[order]
            changed[1:] |= k[1:] != k[:-1]
        starts = np.flatnonzero(changed)
        weights = np.add.reduceat(self.weights[order], starts)
        return Profile._trusted(self.candidates, r[order[starts]], weights)

    @classmethod
    def _trusted(
        cls, candidates: tuple[str, ...], rankings: IntArray, weights: IntArray
    ) -> Profile:
        """A profile from arrays derived from a checked profile (no second check)."""
        p = object.__new__(cls)
        object.__setattr__(p, "candidates", candidates)
        object.__setattr__(p, "rankings", _readonly(np.ascontiguousarray(rankings, np.int64)))
        object.__setattr__(p, "weights", _readonly(np.ascontiguousarray(weights, np.int64)))
        return p

    def without(self, removed: Iterable[str]) -> Profile:
        """The profile with some candidates taken out (withdrawn): their marks are
        skipped, later preferences move up, and rankings left empty are dropped."""
        gone = {self.index(c) for c in removed}
        if not gone:
            return self
        keep = [i for i in range(len(self.candidates)) if i not in gone]
        remap = np.full(len(self.candidates) + 1, -1, dtype=np.int64)
        remap[np.array(keep, dtype=np.int64)] = np.arange(len(keep), dtype=np.int64)
        mapped = remap[self.rankings]  # padding (-1) indexes the last slot, which is -1
        width = mapped.shape[1]
        # stable left-pack of the kept entries of each row
        order = np.argsort(mapped < 0, axis=1, kind="stable")
        out = np.take_along_axis(mapped, order, axis=1)
        nonempty = out[:, 0] >= 0 if width else np.zeros(out.shape[0], dtype=bool)
        cands = tuple(self.candidates[i] for i in keep)
        return Profile(cands, out[nonempty], self.weights[nonempty]).grouped()

    # -- equality ---------------------------------------------------------------------

    def _key(self) -> tuple[tuple[str, ...], bytes, bytes]:
        g = self.grouped()
        r = _trim(g.rankings)
        return g.candidates, r.shape[1].to_bytes(4, "little") + r.tobytes(), g.weights.tobytes()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Profile({len(self.candidates)} candidates, {self.n_groups} groups, "
            f"{self.total_weight} ballots)"
        )


def _trim(r: IntArray) -> IntArray:
    """Drop all-padding columns on the right."""
    if r.shape[1] == 0:
        return r
    used = np.flatnonzero((r >= 0).any(axis=0))
    width = int(used[-1]) + 1 if used.size else 0
    return r[:, :width]


def _check(candidates: Sequence[str], rankings: Any, weights: Any) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, c in enumerate(candidates):
        if not isinstance(c, str) or not c:
            problems.append(
                Problem(f"candidate {i + 1}", "a candidate id must be a non-empty string")
            )
        elif c in seen:
            problems.append(Problem(f"candidate {i + 1}", f"duplicate candidate id {c!r}"))
        if isinstance(c, str):
            seen.add(c)
    r = np.asarray(rankings)
    w = np.asarray(weights)
    if r.dtype.kind not in "iu" and r.size:
        return [*problems, Problem("rankings", "rankings must be integer candidate indices")]
    if r.ndim == 1 and r.size == 0:
        r = r.reshape(0, 0)
    if r.ndim != 2:
        return [*problems, Problem("rankings", f"expected a 2-D array, got {r.ndim}-D")]
    if w.ndim != 1 or w.shape[0] != r.shape[0]:
        return [*problems, Problem("weights", "one weight per ranking is required")]
    if w.dtype.kind not in "iu" and w.size:
        return [*problems, Problem("weights", "weights must be integers (whole ballot papers)")]
    if r.shape[0] == 0:
        return problems
    n = len(candidates)
    r = r.astype(np.int64)
    bad = np.zeros(r.shape[0], dtype=bool)
    messages: dict[int, str] = {}

    def flag(mask: Any, message: str) -> None:
        m = np.asarray(mask, dtype=bool)
        for g in np.flatnonzero(m & ~bad).tolist():
            messages[g] = message
        bad[m] = True

    flag(w <= 0, "weight must be a positive integer")
    flag(((r < -1) | (r >= n)).any(axis=1), f"candidate index out of range 0..{n - 1}")
    width = r.shape[1]
    if width == 0:
        flag(np.ones(r.shape[0], dtype=bool), "empty ranking")
    else:
        flag(r[:, 0] < 0, "empty ranking")
        if width > 1:
            gap = (r[:, :-1] < 0) & (r[:, 1:] >= 0)
            flag(gap.any(axis=1), "gap in ranking (-1 before a later preference)")
            ok = (r >= -1) & (r < n)
            if n <= 62:
                bits = np.where(ok & (r >= 0), np.left_shift(1, np.where(ok, r, 0)), 0)
                masks = np.bitwise_or.reduce(bits, axis=1)
                dup = np.bitwise_count(masks) < (ok & (r >= 0)).sum(axis=1)
            else:
                s = np.sort(r, axis=1)
                dup = ((s[:, 1:] == s[:, :-1]) & (s[:, 1:] >= 0)).any(axis=1)
            flag(dup, "a candidate is ranked more than once")
    for g in sorted(messages)[:_MAX_PROBLEMS]:
        problems.append(Problem(f"ballot group {g + 1}", messages[g]))
    extra = len(messages) - _MAX_PROBLEMS
    if extra > 0:
        problems.append(Problem("", f"... and {extra} more bad ballot groups"))
    return problems
