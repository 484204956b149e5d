"""Pairwise counts: how many ballot papers prefer each candidate to each other.

``n[a][b]`` is the weight of the papers that rank ``a`` above ``b``; a candidate a
paper ranks is above every candidate it leaves unranked, and two unranked candidates
are equal on it (no preference either way). Strengths of a majority ``a`` over ``b``
(``n[a][b] > n[b][a]``) are either the *margin* ``n[a][b] - n[b][a]`` or the
*winning votes* ``n[a][b]``; there is no link when neither is preferred by more.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

import numpy as np

from councilplan.councils.counting.profile import Profile

__all__ = ["PairwiseStrength", "link_strengths", "matrix_of", "pairwise_counts"]


class PairwiseStrength(StrEnum):
    """How strong a pairwise majority is."""

    MARGINS = "margins"
    WINNING_VOTES = "winning-votes"


def pairwise_counts(profile: Profile) -> list[list[int]]:
    """``n[a][b]``: the papers ranking ``a`` above ``b`` (indices of ``profile``)."""
    c = profile.n_candidates
    n_groups, width = profile.rankings.shape
    if n_groups == 0 or c == 0:
        return [[0] * c for _ in range(c)]
    # position of every candidate on every paper; unranked = width (below all ranked)
    pos = np.full((n_groups, c + 1), width, dtype=np.int64)
    rows = np.repeat(np.arange(n_groups), width)
    cols = np.where(profile.rankings < 0, c, profile.rankings).reshape(-1)
    pos[rows, cols] = np.tile(np.arange(width, dtype=np.int64), n_groups)
    pos = pos[:, :c]
    weights = profile.weights.astype(np.int64)
    out: list[list[int]] = []
    for a in range(c):
        above = pos[:, [a]] < pos  # a ranked above b
        out.append([int(x) for x in weights @ above.astype(np.int64)])
        out[a][a] = 0
    return out


def link_strengths(n: list[list[int]], strength: PairwiseStrength) -> list[list[int]]:
    """``d[a][b]``: the strength of ``a``'s majority over ``b`` (0: no majority)."""
    c = len(n)
    d = [[0] * c for _ in range(c)]
    for a in range(c):
        for b in range(c):
            if a != b and n[a][b] > n[b][a]:
                d[a][b] = n[a][b] - n[b][a] if strength is PairwiseStrength.MARGINS else n[a][b]
    return d


def matrix_of(names: tuple[str, ...], m: list[list[int]]) -> dict[str, dict[str, Fraction]]:
    """A square matrix keyed by candidate ids (diagonal left out)."""
    return {
        a: {b: Fraction(m[i][j]) for j, b in enumerate(names) if i != j}
        for i, a in enumerate(names)
    }
