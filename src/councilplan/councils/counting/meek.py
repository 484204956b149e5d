"""Meek STV (Hill, Wichmann & Woodall, "Algorithm 123", Computer Journal 1987), in
exact fixed-point arithmetic.

Every value is an integer number of ``10**-precision`` votes (default 9 places, as
Algorithm 123 and the New Zealand Meek rule). Each candidate has a *keep factor*:
1 while hopeful, 0 once excluded, and for an elected candidate the share of each
paper reaching them that they keep. A paper of value 1 goes down its ranking: each
candidate keeps ``ceil(remaining x keep factor)`` (rounded *up* to the last place),
the rest passes on; what is left after the last preference is *excess*
(non-transferable). So votes + excess = valid papers exactly, at every stage.

- Quota: ``floor((valid - excess) / (seats + 1))`` to the last place, plus one unit
  of the last place -- so it falls as papers exhaust.
- A hopeful candidate with votes >= quota is elected.
- Iteration: every elected candidate's keep factor becomes ``ceil(kf x quota /
  votes)``; the papers are dealt again. It stops when the total surplus (the sum of
  ``votes - quota`` over the elected, where positive) is at most ``tolerance``
  (default 1/10**6 vote), when it no longer falls (the fixed point of the rounding),
  or when a hopeful candidate reaches the quota. ``max_iterations`` bounds one stage
  (:class:`~councilplan.errors.ConvergenceError` past it).
- When the surpluses have converged and no one is newly elected, the hopeful with
  fewest votes is excluded (keep factor 0; ties as in Scottish STV: the most recent
  earlier stage at which they differed, then lot from the published seed).
- When the hopeful and the elected together are no more than the seats, every
  hopeful is elected.

A stage is the first count, or one iteration to convergence (after an election or an
exclusion); each stage reports votes, keep factors, quota and excess.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilplan.councils.counting.ledger import Ledger
from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.report import Action, ActionKind, CandidateState, Count
from councilplan.councils.counting.scottish_stv import check_seats
from councilplan.errors import ConvergenceError, InvalidInput, Problem

__all__ = ["meek_stv"]

_INT64_SAFE = 2**62


class _Dealer:
    """Deals every paper down its ranking under given keep factors (vectorised)."""

    def __init__(self, profile: Profile, unit: int) -> None:
        c = profile.n_candidates
        self.c = c
        self.unit = unit
        r = profile.rankings
        self.ranks = np.where(r < 0, c, r).astype(np.int64)
        total = profile.total_weight
        wide = unit * unit >= _INT64_SAFE or unit * max(total, 1) >= _INT64_SAFE
        self.dtype: type = object if wide else np.int64
        self.mult: NDArray[np.int64] = np.asarray(profile.weights).astype(self.dtype)

    def deal(self, kf: list[int]) -> tuple[list[int], int]:
        """Votes of every candidate and the excess, in units."""
        u = self.unit
        # the padding index c keeps nothing
        k: NDArray[Any] = np.array([*kf, 0], dtype=np.int64).astype(self.dtype)
        n = self.ranks.shape[0]
        remaining: NDArray[Any] = np.full(n, u, dtype=np.int64).astype(self.dtype)
        votes: NDArray[Any] = np.zeros(self.c + 1, dtype=np.int64).astype(self.dtype)
        for j in range(self.ranks.shape[1]):
            cand = self.ranks[:, j]
            keep = -((-remaining * k[cand]) // u)  # ceil
            remaining = remaining - keep
            np.add.at(votes, cand, self.mult * keep)
        excess = int((self.mult * remaining).sum()) if n else 0
        return [int(v) for v in votes[: self.c]], excess


def meek_stv(
    profile: Profile,
    seats: int,
    *,
    precision: int = 9,
    tolerance: Fraction = Fraction(1, 10**6),
    max_iterations: int = 10_000,
    seed: str | int = 0,
) -> Count:
    """Count ``profile`` for ``seats`` by Meek's method (see the module doc)."""
    check_seats(seats)
    if not isinstance(precision, int) or not 1 <= precision <= 30:
        raise InvalidInput("invalid Meek parameters", [Problem("precision", "must be 1..30")])
    if tolerance < 0:
        raise InvalidInput("invalid Meek parameters", [Problem("tolerance", "must be >= 0")])
    unit = 10**precision
    omega = tolerance * unit  # in units (may be fractional: compared exactly)
    names = profile.candidates
    c = len(names)
    valid = profile.total_weight
    ledger = Ledger(names, unit, valid * unit, Lot(str(seed)))
    dealer = _Dealer(profile, unit)
    kf = [unit] * c

    def quota_of(excess: int) -> int:
        return int((valid * unit - excess) // (seats + 1) + 1)

    def keep_factors() -> dict[str, Fraction]:
        return {names[i]: Fraction(kf[i], unit) for i in range(c)}

    def record(action: Action, votes: list[int], excess: int, quota: int, note: str) -> None:
        delta = [v - old for v, old in zip(votes, ledger.votes, strict=True)]
        ledger.open_stage(
            action,
            delta,
            excess - ledger.non_transferable,
            quota=Fraction(quota, unit),
            keep_factors=keep_factors(),
        )
        if note:
            ledger.note(note)

    def surplus(votes: list[int], quota: int) -> int:
        return sum(
            max(0, votes[i] - quota) for i in range(c) if ledger.state[i] is CandidateState.ELECTED
        )

    def converge(votes: list[int], excess: int) -> tuple[list[int], int, int, int]:
        quota = quota_of(excess)
        last = surplus(votes, quota)
        iterations = 0
        while last > omega:
            hopeful_over = any(
                votes[i] >= quota for i in range(c) if ledger.state[i] is CandidateState.CONTINUING
            )
            if hopeful_over:
                break
            for i in range(c):
                if ledger.state[i] is CandidateState.ELECTED and votes[i] > 0:
                    kf[i] = -((-kf[i] * quota) // votes[i])
            votes, excess = dealer.deal(kf)
            quota = quota_of(excess)
            iterations += 1
            now = surplus(votes, quota)
            if now >= last:
                break
            last = now
            if iterations >= max_iterations:
                raise ConvergenceError(
                    f"Meek count did not converge in {max_iterations} iterations",
                    iterations,
                    float(Fraction(now, unit)),
                )
        return votes, excess, quota, iterations

    votes, excess = dealer.deal(kf)
    quota = quota_of(excess)
    record(Action(ActionKind.FIRST_PREFERENCES), votes, excess, quota, "")
    settled = False
    while True:
        hopeful = ledger.continuing()
        reached = [i for i in hopeful if votes[i] >= quota]
        for i in ledger.by_votes(reached):
            ledger.elect(i)
        elected = len(ledger.elected_order)
        hopeful = ledger.continuing()
        if elected >= seats:
            ledger.close_stage()
            break
        if elected + len(hopeful) <= seats:
            order = ledger.by_votes(hopeful)
            for i in order:
                ledger.elect(i)
            ledger.note(
                "hopeful candidates no more than the seats left; elected: "
                + ", ".join(names[i] for i in order)
            )
            ledger.close_stage()
            break
        ledger.close_stage()
        if reached or (not settled and surplus(votes, quota) > omega):
            votes, excess, quota, its = converge(votes, excess)
            settled = True
            if its:
                record(Action(ActionKind.ITERATION), votes, excess, quota, f"{its} iteration(s)")
                continue
            # nothing to iterate (surpluses within the tolerance): exclude next
        low = min(votes[i] for i in hopeful)
        x = ledger.choose([i for i in hopeful if votes[i] == low], lowest=True, purpose="exclusion")
        kf[x] = 0
        amount = votes[x]
        votes, excess = dealer.deal(kf)
        votes, excess, quota, its = converge(votes, excess)
        record(
            Action(ActionKind.EXCLUSION, (names[x],), Fraction(amount, unit)),
            votes,
            excess,
            quota,
            f"{its} iteration(s) after the exclusion" if its else "",
        )
        ledger.exclude(x)
        settled = True

    return Count(
        method="meek",
        candidates=names,
        seats=seats,
        elected=tuple(names[i] for i in ledger.elected_order),
        stages=tuple(ledger.stages),
        valid_votes=Fraction(valid),
        quota=None,
        decimals=precision,
        tie_breaks=tuple(ledger.tie_breaks),
        seed=str(seed),
        parameters={
            "precision": str(precision),
            "tolerance": str(tolerance),
            "max_iterations": str(max_iterations),
        },
    )
