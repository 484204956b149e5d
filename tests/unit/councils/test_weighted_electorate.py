"""Delegates weighted by the members they represent: exact weights, frozen and hashed."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest

from councilplan.councils.counting import Profile, schulze
from councilplan.councils.weighted import Delegation, WeightedElectorate, delegate_weights
from councilplan.errors import InvalidInput


def test_each_delegate_carries_their_share_of_the_councils_members() -> None:
    delegations = [Delegation("ann", "north", "north/d1"), Delegation("bob", "north",
                                                                      "north/d2"),
                   Delegation("cat", "south", "south/d1"), Delegation("cat", "east", "east/d1")]
    weights, shares = delegate_weights(delegations, {"north": 101, "south": 40, "east": 7})
    assert dict(weights.weights) == {"ann": Fraction(101, 2), "bob": Fraction(101, 2),
                                     "cat": Fraction(47)}
    assert weights.total == 148  # every member represented once
    assert shares == {"north": 101, "south": 40, "east": 7}
    ints, scale = weights.scaled()
    assert scale == 2
    assert ints == {"ann": 101, "bob": 101, "cat": 94}


def test_councils_without_members_send_no_weight() -> None:
    weights, _ = delegate_weights([Delegation("ann", "north", "s"),
                                   Delegation("dan", "empty", "t")], {"north": 3})
    assert weights.weights == (("ann", Fraction(3)),)
    with pytest.raises(InvalidInput, match="no delegate represents any member"):
        delegate_weights([Delegation("dan", "empty", "t")], {})


def test_the_weighted_electorate_hash_follows_its_scheme_and_refuses_tampering() -> None:
    w = WeightedElectorate.of({"bob": Fraction(3, 2), "ann": Fraction(2)})
    expected = hashlib.sha256(
        b"councilplan-weighted-electorate-v1\nann\t2\nbob\t3/2\n").hexdigest()
    assert w.digest == expected
    assert w.electorate().member_ids == ("ann", "bob")
    with pytest.raises(InvalidInput, match="digest does not match"):
        WeightedElectorate((("ann", Fraction(2)), ("bob", Fraction(5, 2))), w.digest)
    with pytest.raises(InvalidInput, match="positive weights"):
        WeightedElectorate.of({"ann": Fraction(0)})


def test_scaling_the_weights_changes_no_schulze_result() -> None:
    """101/2 + 101/2 against 94: counted exactly as 101 + 101 against 94 papers."""
    ints, _ = WeightedElectorate.of({"ann": Fraction(101, 2), "bob": Fraction(101, 2),
                                     "cat": Fraction(47)}).scaled()
    papers = [(("a", "b"), ints["ann"]), (("b", "a"), ints["bob"]), (("b", "a"), ints["cat"])]
    count = schulze(Profile.from_ballots(("a", "b"), papers))
    assert count.elected == ("b",)
