"""Meek STV in fixed point."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from councilplan.councils.counting import ActionKind, Profile, meek_stv, scottish_stv
from councilplan.errors import ConvergenceError, InvalidInput

P = Profile.from_ballots(
    list("ABCDE"),
    [(("A", "B", "C"), 40), (("B", "C", "D"), 7), (("C", "E"), 11), (("D", "A", "B"), 9),
     (("E", "D"), 13), (("A", "E"), 3), (("B",), 6)],
)  # fmt: skip


def test_votes_and_excess_account_for_every_paper() -> None:
    count = meek_stv(P, 3)
    assert count.decimals == 9
    for s in count.stages:
        assert sum(s.votes.values()) + s.non_transferable == 89
        assert s.loss_by_fraction == 0
        assert s.quota is not None
        for v in s.keep_factors.values():
            assert 0 <= v <= 1
        for c, v in s.votes.items():
            assert (v * 10**9).denominator == 1, c


def test_quota_falls_as_papers_exhaust_and_surplus_converges() -> None:
    count = meek_stv(P, 3, tolerance=Fraction(1, 10**7))
    quotas = [s.quota for s in count.stages]
    assert all(b is not None and a is not None and b <= a for a, b in itertools.pairwise(quotas))
    assert count.stages[0].quota == Fraction(89 * 10**9 // 4 + 1, 10**9)
    assert any(s.action.kind is ActionKind.ITERATION for s in count.stages)
    assert len(count.elected) == 3
    assert count.parameters["tolerance"] == "1/10000000"


def test_same_winners_as_scottish_stv_on_an_easy_profile() -> None:
    assert set(meek_stv(P, 3).elected) == set(scottish_stv(P, 3).elected)


def test_precision_parameter_and_errors() -> None:
    coarse = meek_stv(P, 2, precision=4)
    assert coarse.decimals == 4
    assert coarse.to_dict()["stages"][0]["quota"].count(".") == 1
    wide = meek_stv(P, 2, precision=15)  # Python-integer arithmetic
    assert set(wide.elected) == set(meek_stv(P, 2).elected)
    with pytest.raises(InvalidInput):
        meek_stv(P, 2, precision=0)
    with pytest.raises(InvalidInput):
        meek_stv(P, 2, tolerance=Fraction(-1))
    with pytest.raises(ConvergenceError):
        meek_stv(P, 3, tolerance=Fraction(0), max_iterations=1)
