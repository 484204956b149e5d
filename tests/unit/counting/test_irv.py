"""Instant runoff."""

from __future__ import annotations

from fractions import Fraction

from councilplan.councils.counting import ActionKind, Profile, instant_runoff


def test_majority_at_the_first_stage() -> None:
    p = Profile.from_ballots(list("ABC"), [(("A",), 6), (("B", "A"), 3), (("C",), 2)])
    count = instant_runoff(p)
    assert count.elected == ("A",)
    assert len(count.stages) == 1
    assert "majority" in count.stages[0].notes[0]


def test_exclusions_transfer_whole_papers_and_exhaust() -> None:
    p = Profile.from_ballots(
        list("ABCD"), [(("A",), 5), (("B", "C"), 4), (("C", "B"), 3), (("D", "C"), 2)]
    )
    count = instant_runoff(p)
    assert [s.action.kind for s in count.stages] == [
        ActionKind.FIRST_PREFERENCES, ActionKind.EXCLUSION, ActionKind.EXCLUSION,
    ]  # fmt: skip
    s2 = count.stages[1]
    assert s2.excluded == ("D",)
    assert s2.transfers == {"C": Fraction(2), "D": Fraction(-2)}
    s3 = count.stages[2]
    # after D: A 5, B 4, C 5 -- B is lowest
    assert s3.excluded == ("B",)
    assert count.elected == ("C",)
    assert s3.non_transferable == 0


def test_exhausted_papers_leave_the_majority_base() -> None:
    p = Profile.from_ballots(list("ABC"), [(("A",), 4), (("B",), 3), (("C",), 2)])
    count = instant_runoff(p)
    assert count.elected == ("A",)
    assert count.stages[-1].non_transferable == 2


def test_single_candidate_and_dict() -> None:
    count = instant_runoff(Profile.from_ballots(["A"], [("A",)]))
    assert count.elected == ("A",)
    assert count.to_dict()["stages"][0]["votes"] == {"A": "1"}
