"""Approval, k-of-n, yes/no/abstain, the method dispatcher and report rendering."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from councilplan.councils.counting import (
    DEFAULT_METHOD,
    ApprovalProfile,
    Choice,
    Method,
    Outcome,
    Profile,
    approval,
    count_majority,
    format_value,
    run_count,
)
from councilplan.errors import InvalidInput


def test_approval_elects_the_most_approved() -> None:
    ap = ApprovalProfile.from_ballots(
        list("ABCD"), [({"A", "B"}, 3), ({"B"}, 2), ({"C", "D"}, 1), ({"A", "B", "C"}, 1)]
    )
    count = approval(ap, 2)
    assert count.elected == ("B", "A")
    assert count.stages[0].votes == {"A": 4, "B": 6, "C": 2, "D": 1}
    assert count.ranking == ("B", "A", "C", "D")


def test_k_of_n_invalidates_over_marked_papers_and_breaks_seat_ties_by_lot() -> None:
    ap = ApprovalProfile.from_ballots(
        list("ABC"), [({"A", "B", "C"}, 5), ({"A"}, 2), ({"B"}, 1), ({"C"}, 1)]
    )
    count = approval(ap, 2, max_choices=2, seed="s")
    assert count.method == "k-of-n"
    assert count.valid_votes == 4
    assert "invalid" in count.notes[0]
    assert count.elected[0] == "A"
    (tie,) = count.tie_breaks
    assert tie.purpose == "seat"
    assert set(tie.tied) == {"B", "C"}
    assert count.elected[1] == tie.chosen
    with pytest.raises(InvalidInput):
        approval(ap, 0)
    with pytest.raises(InvalidInput):
        ApprovalProfile.from_ballots(list("AB"), [{"Z"}])


def test_majority() -> None:
    m = count_majority([Choice.YES, "yes", "no", "abstain", "abstain"])
    assert (m.yes, m.no, m.abstain, m.cast, m.total) == (2, 1, 2, 3, 5)
    assert m.yes_share == Fraction(2, 3)
    assert m.outcome is Outcome.CARRIED
    assert count_majority({"yes": 3, "no": 3}).outcome is Outcome.TIED
    assert count_majority({"no": 1}).outcome is Outcome.DEFEATED
    assert count_majority({}).yes_share == 0
    assert json.loads(json.dumps(m.to_dict()))["yes_share"] == "2/3"
    with pytest.raises(InvalidInput) as info:
        count_majority(["yes", "maybe", "nah"])
    assert len(info.value.problems) == 2


P = Profile.from_ballots(
    list("ABCD"), [(tuple("ABCD"), 5), (tuple("BCDA"), 4), (tuple("CDAB"), 3), (tuple("DB"), 2)]
)


@pytest.mark.parametrize("method", list(Method))
def test_run_count_dispatches_every_method(method: Method) -> None:
    seats = 1
    count = run_count(P, method=method, seats=seats, seed=1)
    assert len(count.elected) == 1
    d = count.to_dict()
    assert json.loads(json.dumps(d))["elected"] == list(count.elected)
    assert set(d) >= {"elected", "stages"}


def test_run_count_defaults_and_errors() -> None:
    assert DEFAULT_METHOD is Method.SCOTTISH_STV
    assert run_count(P, seats=2).method == "scottish-stv"
    assert len(run_count(P, method="approval", seats=2).elected) == 2
    with pytest.raises(InvalidInput):
        run_count(P, method="borda")
    with pytest.raises(InvalidInput):
        run_count(P, method=Method.SCHULZE, seats=2)


def test_format_value() -> None:
    assert format_value(Fraction(1381), 5) == "1381.00000"
    assert format_value(Fraction(-1, 100000), 5) == "-0.00001"
    assert format_value(Fraction(7), 0) == "7"
    assert format_value(Fraction(1, 3), 5) == "1/3"
    assert format_value(Fraction(5, 2)) == "5/2"
