"""Profile: grouping, validation (every bad group at once), withdrawal, equality."""

from __future__ import annotations

import numpy as np
import pytest

from councilplan.councils.counting import Profile
from councilplan.errors import InvalidInput


def test_from_ballots_groups_identical_rankings() -> None:
    p = Profile.from_ballots(
        ["A", "B", "C"], [(("A", "B"), 3), ("B",), (("A", "B"), 2), ("C", "A", "B")]
    )
    assert p.n_groups == 3
    assert p.total_weight == 7
    assert sorted(p.ballots()) == [(("A", "B"), 5), (("B",), 1), (("C", "A", "B"), 1)]
    assert p.first_preferences() == {"A": 5, "B": 1, "C": 1}


def test_from_indices_array_and_lists_agree() -> None:
    arr = np.array([[0, 1, -1], [2, -1, -1], [0, 1, -1]])
    a = Profile.from_indices(["x", "y", "z"], arr)
    b = Profile.from_indices(["x", "y", "z"], [[2], [0, 1]], [1, 2])
    assert a == b
    assert hash(a) == hash(b)
    assert Profile.from_indices(["x", "y", "z"], arr, group=False).n_groups == 3
    assert Profile.from_indices(["x", "y", "z"], arr, group=False) == a


def test_arrays_are_read_only() -> None:
    p = Profile.from_indices(["a", "b"], [[0, 1]])
    with pytest.raises(ValueError, match="read-only"):
        p.rankings[0, 0] = 1
    with pytest.raises(ValueError, match="read-only"):
        p.weights[0] = 9


def test_every_bad_group_is_reported() -> None:
    with pytest.raises(InvalidInput) as info:
        Profile.from_indices(
            ["a", "b", "c"],
            [[0, 0], [5], [], [1, -1, 2], [0, 1], [2]],
            [1, 1, 1, 1, 0, 1],
            group=False,
        )
    wheres = [p.where for p in info.value.problems]
    assert wheres == [f"ballot group {g}" for g in (1, 2, 3, 4, 5)]
    messages = " ".join(p.message for p in info.value.problems)
    for text in ("more than once", "out of range", "empty ranking", "gap", "positive"):
        assert text in messages


def test_unknown_and_duplicate_candidates() -> None:
    with pytest.raises(InvalidInput) as info:
        Profile.from_ballots(["a", "b"], [("a", "z"), ("q",)])
    assert [p.where for p in info.value.problems] == ["ballot 1", "ballot 2"]
    with pytest.raises(InvalidInput, match="duplicate"):
        Profile.from_indices(["a", "a"], [[0]])
    with pytest.raises(InvalidInput):
        Profile.from_indices(["a", "b"], [[0]], [1.5])  # type: ignore[list-item]


def test_without_skips_withdrawn_marks_and_drops_empty_ballots() -> None:
    p = Profile.from_ballots(["A", "B", "C"], [(("B", "A", "C"), 2), (("B",), 4), (("C", "B"), 1)])
    q = p.without(["B"])
    assert q.candidates == ("A", "C")
    assert sorted(q.ballots()) == [(("A", "C"), 2), (("C",), 1)]
    assert q.total_weight == 3
    assert p.without([]) is p


def test_empty_profile() -> None:
    p = Profile.from_indices(["a", "b"], [])
    assert p.total_weight == 0
    assert p.first_preferences() == {"a": 0, "b": 0}
    assert list(p.ballots()) == []
