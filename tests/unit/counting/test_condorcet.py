"""Schulze and ranked pairs on hand examples (published vectors: tests/integration)."""

from __future__ import annotations

from councilplan.councils.counting import (
    ActionKind,
    PairwiseStrength,
    Profile,
    pairwise_counts,
    ranked_pairs,
    schulze,
)

CYCLE = Profile.from_ballots(list("RPS"), [(tuple("RPS"), 1), (tuple("PSR"), 1), (tuple("SRP"), 1)])


def test_pairwise_counts_treat_unranked_as_below() -> None:
    p = Profile.from_ballots(list("ABC"), [(("A",), 2), (("B", "A"), 1)])
    n = pairwise_counts(p)
    assert n == [[0, 2, 3], [1, 0, 1], [0, 0, 0]]


def test_condorcet_winner_wins_both() -> None:
    p = Profile.from_ballots(list("ABC"), [(tuple("ABC"), 4), (tuple("BCA"), 3), (tuple("CAB"), 2)])
    assert schulze(p).elected == ("A",)
    assert ranked_pairs(p).elected == ("A",)
    assert schulze(p).ranking == ("A", "B", "C")


def test_perfect_cycle_is_a_lot() -> None:
    s = schulze(CYCLE, seed="x")
    assert s.tie_breaks[0].purpose == "winner"
    assert s.tie_breaks[0].resolved_by == "lot"
    assert s.elected == (s.tie_breaks[0].chosen,)
    r = ranked_pairs(CYCLE, seed="x")
    assert r.tie_breaks[0].purpose == "pair-order"
    kinds = [st.action.kind for st in r.stages[1:]]
    assert kinds.count(ActionKind.SKIP) == 1
    assert kinds.count(ActionKind.LOCK) == 2


def test_stage_reports() -> None:
    p = Profile.from_ballots(list("ABC"), [(tuple("ABC"), 3), (tuple("BCA"), 2), (tuple("CAB"), 2)])
    s = schulze(p, strength=PairwiseStrength.WINNING_VOTES)
    assert s.method == "schulze-wv"
    assert [st.action.kind for st in s.stages] == [ActionKind.PAIRWISE, ActionKind.STRONGEST_PATHS]
    m = s.stages[0].matrix
    assert m is not None
    assert m["A"]["B"] == 5
    d = s.to_dict()
    assert d["stages"][0]["matrix"]["A"]["B"] == "5"
    r = ranked_pairs(p)
    assert r.stages[1].action.kind is ActionKind.LOCK
    assert r.stages[-1].elected == r.elected


def test_no_majority_pairs_are_directed_by_the_tie_breaking_ranking() -> None:
    p = Profile.from_ballots(list("AB"), [(("A", "B"), 1), (("B", "A"), 1)])
    r = ranked_pairs(p, seed="s")
    (tie,) = r.tie_breaks
    assert tie.purpose == "no-majority"
    assert r.ranking[0] == r.elected[0]
    assert set(r.ranking) == {"A", "B"}
