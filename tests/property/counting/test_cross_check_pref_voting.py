"""Cross-checks against pref_voting on thousands of small seeded random elections.

pref_voting (Holliday & Pacuit) is an independent implementation; where the two are
defined to agree they must, and every place they may differ is explained here:

- **Ties.** pref_voting breaks ties by its own rules (IRV removes *all* tied-lowest
  candidates at once; its Scottish STV draws lots with ``random``); we look back to
  earlier stages, then draw from a published seed. So IRV and STV are compared on the
  elections whose count broke no tie (``count.tie_breaks == ()``), which are most.
- **Schulze**: pref_voting's ``beat_path`` returns every potential winner; we return
  one winner (by lot among several) and report the potential winners: the *sets* are
  compared, on every election, for margins and for winning votes.
- **Ranked pairs**: pref_voting's ``ranked_pairs`` enumerates every tie-breaking order
  (exponential when margins repeat); ``ranked_pairs_tb`` takes one tie-breaking
  ranking of the candidates, locks pairs of equal margin in its order and pairs with
  no majority last. Given our TBRC (drawn by lot) it must give our winner, always.
- **Scottish STV**: pref_voting counts in floating point with a tolerance and uses a
  ballot's *current* value for a surplus (documented in its module); with each
  surplus transferred once, as here, the values coincide, and on tie-free elections
  the winners must be the same.
- **Meek**: pref_voting's quota is exactly ``(valid - excess) / (seats + 1)`` in
  floating point and elects at ``>=``; ours (Algorithm 123) adds one unit of the last
  place (10^-9) and rounds keep factors up. A candidate who reaches the exact quota
  only to within 10^-9, or candidates equal lowest but for rounding, can then go
  differently. A difference is accepted only if our count shows such a near-tie.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from pref_voting.iterative_methods import instant_runoff as pv_irv
from pref_voting.margin_based_methods import beat_path, ranked_pairs_tb
from pref_voting.profiles import Profile as PVProfile
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_meek as pv_meek
from pref_voting.proportional_methods import stv_scottish as pv_stv

from councilplan.councils.counting import (
    CandidateState,
    Count,
    Lot,
    PairwiseStrength,
    Profile,
    instant_runoff,
    meek_stv,
    ranked_pairs,
    schulze,
    scottish_stv,
)

Ranks = list[list[int]]


def _random_elections(seed: int, n: int, voters: tuple[int, int]) -> list[tuple[int, Ranks]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        nc = rng.randint(3, 6)
        nv = rng.randint(*voters)
        out.append((nc, [rng.sample(range(nc), nc) for _ in range(nv)]))
    return out


def _ours(nc: int, ranks: Ranks) -> Profile:
    return Profile.from_indices([str(i) for i in range(nc)], ranks)


def _potential_winners(count: Count) -> list[int]:
    p = count.stages[1].matrix
    assert p is not None
    names = count.candidates
    return sorted(int(a) for a in names if all(p[a][b] >= p[b][a] for b in names if b != a))


@pytest.mark.parametrize("strength", list(PairwiseStrength))
def test_schulze_potential_winners_equal_beat_path(strength: PairwiseStrength) -> None:
    for nc, ranks in _random_elections(1, 1000, (2, 40)):
        pv = PVProfile(ranks)
        ours = schulze(_ours(nc, ranks), strength=strength)
        if strength is PairwiseStrength.MARGINS:
            theirs = beat_path(pv)
        else:
            theirs = beat_path(pv, strength_function=pv.support)
        assert _potential_winners(ours) == sorted(theirs), ranks
        assert int(ours.winner) in theirs


def test_schulze_on_truncated_ballots_equals_beat_path() -> None:
    rng = random.Random(2)
    for _ in range(300):
        nc = rng.randint(3, 5)
        ranks = [rng.sample(range(nc), rng.randint(1, nc)) for _ in range(rng.randint(2, 30))]
        pv = ProfileWithTies([{c: k + 1 for k, c in enumerate(r)} for r in ranks],
                             candidates=list(range(nc)))  # fmt: skip
        pv.use_extended_strict_preference()  # ranked above unranked, as ours
        for strength in PairwiseStrength:
            ours = schulze(_ours(nc, ranks), strength=strength)
            if strength is PairwiseStrength.MARGINS:
                theirs = beat_path(pv)
            else:
                theirs = beat_path(pv, strength_function=pv.support)
            assert _potential_winners(ours) == sorted(theirs), (strength, ranks)


def test_ranked_pairs_equals_ranked_pairs_tb_given_our_tie_breaking_ranking() -> None:
    for k, (nc, ranks) in enumerate(_random_elections(3, 1500, (2, 40))):
        seed = str(k)
        ours = ranked_pairs(_ours(nc, ranks), seed=seed)
        tbrc = [int(x) for x in Lot(seed).order(ours.candidates, "ranked-pairs", 0)]
        assert ranked_pairs_tb(PVProfile(ranks), tie_breaker=tbrc) == [int(ours.winner)], ranks


def test_irv_equals_pref_voting_when_no_tie_was_broken() -> None:
    compared = 0
    for nc, ranks in _random_elections(4, 500, (5, 60)):
        ours = instant_runoff(_ours(nc, ranks))
        theirs = pv_irv(PVProfile(ranks))
        if ours.tie_breaks:
            assert int(ours.winner) in range(nc)
            continue
        compared += 1
        assert theirs == [int(ours.winner)], ranks
    assert compared > 200


def test_scottish_stv_equals_pref_voting_when_no_tie_was_broken() -> None:
    rng = random.Random(5)
    compared = 0
    for nc, ranks in _random_elections(5, 700, (5, 60)):
        seats = rng.randint(1, nc - 1)
        # a third of the elections with truncated ballots
        if rng.random() < 1 / 3:
            ranks = [r[: rng.randint(1, nc)] for r in ranks]
        ours = scottish_stv(_ours(nc, ranks), seats)
        if ours.tie_breaks:
            continue
        pv = ProfileWithTies([{c: k + 1 for k, c in enumerate(r)} for r in ranks],
                             candidates=list(range(nc)))  # fmt: skip
        theirs = pv_stv(pv, num_seats=seats, rng=random.Random(0))
        compared += 1
        assert sorted(int(c) for c in ours.elected) == sorted(theirs), (seats, ranks)
    assert compared > 300


def _near_tie(count: Count, within: Fraction = Fraction(1, 10**6)) -> bool:
    """Some stage where a continuing candidate is within ``within`` of the quota, or
    two continuing candidates are within ``within`` of each other."""
    for s in count.stages:
        assert s.quota is not None
        cont = sorted(v for c, v in s.votes.items() if s.status[c] is not CandidateState.EXCLUDED)
        if any(abs(v - s.quota) <= within for v in cont):
            return True
        if any(b - a <= within for a, b in itertools.pairwise(cont)):
            return True
    return False


def test_meek_equals_pref_voting_but_for_near_ties() -> None:
    rng = random.Random(6)
    compared = differ = 0
    for nc, ranks in _random_elections(6, 250, (5, 60)):
        seats = rng.randint(1, nc - 1)
        ours = meek_stv(_ours(nc, ranks), seats)
        if ours.tie_breaks:
            continue
        compared += 1
        theirs = pv_meek(PVProfile(ranks), num_seats=seats)
        if sorted(int(c) for c in ours.elected) != sorted(theirs):
            differ += 1
            assert _near_tie(ours), (seats, ranks, ours.elected, theirs)
    assert compared > 150
    assert differ <= compared // 50
