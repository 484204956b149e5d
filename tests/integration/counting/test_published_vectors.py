"""Published Condorcet test vectors (../shared/data/elections/SOURCES.md).

- Schulze (2011), 45 voters: 5 ACBED, 5 ADECB, 8 BEDAC, 3 CABED, 7 CAEBD, 2 CBADE,
  7 DCEBA, 8 EBADC -- the Schulze winner is E (margins and winning votes alike, the
  ballots being complete).
- Tennessee capital: Memphis 42 M>N>C>K, Nashville 26 N>C>K>M, Chattanooga 15
  C>K>N>M, Knoxville 17 K>C>N>M -- Nashville is the Condorcet and the ranked-pairs
  winner (and, the classic contrast, Knoxville the IRV winner).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from councilplan.councils.counting import (
    PairwiseStrength,
    Profile,
    instant_runoff,
    pairwise_counts,
    ranked_pairs,
    schulze,
    scottish_stv,
)

SCHULZE_2011 = Profile.from_ballots(
    list("ABCDE"),
    [(tuple(r), w) for w, r in [(5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"),
                                (7, "CAEBD"), (2, "CBADE"), (7, "DCEBA"), (8, "EBADC")]],
)  # fmt: skip

TENNESSEE = Profile.from_ballots(
    ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
    [
        (("Memphis", "Nashville", "Chattanooga", "Knoxville"), 42),
        (("Nashville", "Chattanooga", "Knoxville", "Memphis"), 26),
        (("Chattanooga", "Knoxville", "Nashville", "Memphis"), 15),
        (("Knoxville", "Chattanooga", "Nashville", "Memphis"), 17),
    ],
)


@pytest.mark.parametrize("strength", list(PairwiseStrength))
def test_schulze_2011_winner_is_e(strength: PairwiseStrength) -> None:
    count = schulze(SCHULZE_2011, strength=strength)
    assert count.elected == ("E",)
    assert count.tie_breaks == ()
    assert count.valid_votes == 45
    # the paper's strongest paths (its table): d[A][B] = 20, p[E][A] = 25, p[A][E] = 24
    n = pairwise_counts(SCHULZE_2011)
    assert (n[0][1], n[1][0]) == (20, 25)
    p = count.stages[1].matrix
    assert p is not None
    if strength is PairwiseStrength.WINNING_VOTES:
        assert (p["E"]["A"], p["A"]["E"]) == (Fraction(25), Fraction(24))
    assert count.ranking == ("E", "A", "C", "B", "D")


def test_tennessee() -> None:
    assert ranked_pairs(TENNESSEE).elected == ("Nashville",)
    assert schulze(TENNESSEE).elected == ("Nashville",)
    assert ranked_pairs(TENNESSEE).ranking == ("Nashville", "Chattanooga", "Knoxville", "Memphis")
    assert instant_runoff(TENNESSEE).elected == ("Knoxville",)
    assert scottish_stv(TENNESSEE, 1).elected == ("Knoxville",)
