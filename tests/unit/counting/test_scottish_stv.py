"""Scottish STV on hand-worked examples (SSI 2011/399 Sch. 1 rules 45-52)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from councilplan.councils.counting import (
    ActionKind,
    CandidateState,
    Profile,
    scottish_quota,
    scottish_stv,
)
from councilplan.councils.counting import piles as piles_module
from councilplan.councils.counting.piles import BallotPiles
from councilplan.errors import InvalidInput


def test_quota_rule_46() -> None:
    assert scottish_quota(6900, 4) == 1381
    assert scottish_quota(15, 2) == 6
    assert scottish_quota(10, 2) == 4
    assert scottish_quota(0, 1) == 1


def test_transfer_value_truncated_to_five_places_and_loss_by_fraction() -> None:
    # A: 7 of 10 papers, 2 seats, quota 4: surplus 3 of 7, each paper worth
    # floor5(3/7) = 0.42857; 4 papers to B, 3 to C.
    p = Profile.from_ballots(
        list("ABCD"), [(("A", "B"), 4), (("A", "C"), 3), (("D",), 2), (("C",), 1)]
    )
    count = scottish_stv(p, 2)
    s1, s2 = count.stages[:2]
    assert s1.action.kind is ActionKind.FIRST_PREFERENCES
    assert s1.elected == ("A",)
    assert s2.action.kind is ActionKind.SURPLUS_TRANSFER
    assert s2.action.candidates == ("A",)
    assert s2.action.amount == 3
    assert s2.transfer_ratio == Fraction(3, 7)
    assert s2.votes == {
        "A": Fraction(4),
        "B": Fraction(171428, 100000),
        "C": 1 + Fraction(128571, 100000),
        "D": Fraction(2),
    }
    assert s2.transfers == {
        "A": Fraction(-3),
        "B": Fraction(171428, 100000),
        "C": Fraction(128571, 100000),
    }
    assert s2.loss_by_fraction == Fraction(1, 100000)
    assert s2.loss_by_fraction_change == Fraction(1, 100000)
    d = count.to_dict()
    assert d["quota"] == "4.00000"
    assert d["stages"][1]["votes"]["B"] == "1.71428"
    assert d["stages"][1]["loss_by_fraction"] == "0.00001"
    json.dumps(d)


def test_value_when_received_is_used_for_a_second_surplus() -> None:
    # A's surplus passes papers to B at 0.5; B's surplus then multiplies that value.
    p = Profile.from_ballots(
        list("ABCD"),
        [(("A", "B", "C"), 12), (("B", "D"), 5), (("C",), 3), (("D",), 4)],
    )
    count = scottish_stv(p, 3)  # 24 papers, quota 7
    # A: 12, surplus 5 -> 12 papers at floor5(5/12) = 0.41666 -> B = 5 + 4.99992
    b_votes = count.stages[1].votes["B"]
    assert b_votes == 5 + 12 * Fraction(41666, 100000)
    # B's surplus: 9.99992 - 7 = 2.99992; first-preference papers at
    # floor5(2.99992/9.99992), A's at floor5(0.41666 * 2.99992 / 9.99992)
    s3 = count.stages[2]
    assert s3.action.candidates == ("B",)
    surplus, total = b_votes - 7, b_votes
    v1 = Fraction(int(surplus / total * 100000), 100000)
    v2 = Fraction(int(Fraction(41666, 100000) * surplus / total * 100000), 100000)
    assert s3.transfers["D"] == 5 * v1
    assert s3.transfers["C"] == 12 * v2


def test_exact_quota_makes_no_surplus_stage() -> None:
    p = Profile.from_ballots(list("ABC"), [(("A", "B"), 4), (("B",), 3), (("C",), 2)])
    count = scottish_stv(p, 2)  # 9 papers, quota 4: A has exactly the quota
    assert count.stages[0].elected == ("A",)
    assert all(s.action.kind is not ActionKind.SURPLUS_TRANSFER for s in count.stages)
    assert count.elected[0] == "A"


def test_largest_surplus_first_one_per_stage() -> None:
    p = Profile.from_ballots(
        list("ABCDE"),
        [(("A", "C"), 9), (("B", "D"), 12), (("C",), 2), (("D",), 1), (("E",), 6)],
    )
    count = scottish_stv(p, 3)  # 30 papers, quota 8
    assert count.stages[0].elected == ("B", "A")
    kinds = [(s.action.kind, s.action.candidates) for s in count.stages[1:3]]
    assert kinds == [
        (ActionKind.SURPLUS_TRANSFER, ("B",)),
        (ActionKind.SURPLUS_TRANSFER, ("A",)),
    ]


def test_rule_52_last_vacancies_and_status() -> None:
    p = Profile.from_ballots(list("ABCD"), [(("A",), 5), (("B",), 4), (("C",), 3), (("D",), 1)])
    count = scottish_stv(p, 2)  # quota 5: A elected; then D, then C out; B last
    last = count.stages[-1]
    assert count.elected == ("A", "B")
    assert last.elected == ("B",)
    assert any("rule 52" in n for n in last.notes)
    assert last.status == {
        "A": CandidateState.ELECTED,
        "B": CandidateState.ELECTED,
        "C": CandidateState.EXCLUDED,
        "D": CandidateState.EXCLUDED,
    }
    assert [s.excluded for s in count.stages[1:]] == [("D",), ("C",)]


def test_fewer_candidates_than_seats_and_no_ballots() -> None:
    p = Profile.from_ballots(["A", "B"], [("A",)])
    count = scottish_stv(p, 3)
    assert count.elected == ("A", "B")
    assert count.notes
    empty = scottish_stv(Profile.from_indices(["A", "B", "C"], []), 1, seed="s")
    assert len(empty.elected) == 1
    assert all(t.resolved_by == "lot" for t in empty.tie_breaks)


def test_lot_is_reproducible_and_published() -> None:
    p = Profile.from_ballots(list("ABC"), [(("A",), 2), (("B",), 1), (("C",), 1)])
    a = scottish_stv(p, 1, seed="published-seed")
    b = scottish_stv(p, 1, seed="published-seed")
    assert a == b
    assert a.seed == "published-seed"
    (tie,) = a.tie_breaks
    assert tie.resolved_by == "lot"
    assert set(tie.tied) == {"B", "C"}
    assert a.to_dict()["tie_breaks"][0]["chosen"] == tie.chosen
    chosen = {scottish_stv(p, 1, seed=s).tie_breaks[0].chosen for s in range(20)}
    assert chosen == {"B", "C"}


@pytest.mark.parametrize("seats", [0, -1, 1.5, True])
def test_bad_seats(seats: object) -> None:
    p = Profile.from_ballots(["A"], [("A",)])
    with pytest.raises(InvalidInput):
        scottish_stv(p, seats)  # type: ignore[arg-type]


def test_python_integer_fallback_is_the_same_count(monkeypatch: pytest.MonkeyPatch) -> None:
    p = Profile.from_ballots(
        list("ABCDE"),
        [(("A", "B", "C"), 40), (("B", "C", "D"), 7), (("C", "E"), 11), (("D", "A"), 9),
         (("E", "D"), 13), (("A", "E"), 3)],
    )  # fmt: skip
    fast = scottish_stv(p, 3)
    monkeypatch.setattr(piles_module, "_INT64_SAFE", 1)
    assert BallotPiles(p, 100000).value.dtype == object
    slow = scottish_stv(p, 3)
    assert slow == fast


def test_grouped_and_ungrouped_profiles_count_the_same() -> None:
    rows = [[0, 1], [1, 2, 0], [0, 1], [2], [1], [0, 2, 1], [2, 1], [0, 1]]
    names = ["x", "y", "z"]
    a = scottish_stv(Profile.from_indices(names, rows, group=False), 2)
    b = scottish_stv(Profile.from_indices(names, rows), 2)
    assert a == b
