"""Decision rules in exact arithmetic, on statutory-like examples.

Facts from ../shared/data/elections/SOURCES.md (UK Trade Union Act 2016): with 100
entitled at least 50 must vote, a simple majority of the votes cast must be yes, and in
important public services yes must also be at least 40 of the entitled. The PCS national
ballot of 2018 (50,726 yes, 8,528 no, turnout 41.6%) failed the turnout rule despite
85.6% yes.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest

from councilplan.councils.decision import (
    DecisionRule,
    MajorityBasis,
    Tally,
    TieRule,
    evaluate,
    format_share,
    lot_favours_yes,
)
from councilplan.errors import InvalidInput, PreconditionFailed

TUA_2016 = DecisionRule(quorum=Fraction(1, 2), name="UK Trade Union Act 2016")
TUA_2016_IPS = DecisionRule(quorum=Fraction(1, 2), yes_of_entitled=Fraction(2, 5),
                            name="UK Trade Union Act 2016, important public services")


def test_hundred_entitled_fifty_must_vote() -> None:
    short = evaluate(Tally(yes=49, no=0), 100, TUA_2016)
    turnout = short.check("turnout")
    assert not short.passed
    assert not turnout.met
    assert turnout.required_count == 50
    assert turnout.count == 49
    assert turnout.base == 100
    assert short.missed == (turnout,)
    enough = evaluate(Tally(yes=26, no=24), 100, TUA_2016)
    assert enough.passed
    assert enough.turnout == Fraction(1, 2)
    assert enough.check("majority").required_count == 26  # more than half of 50 cast


def test_abstentions_and_spoilt_papers_count_towards_turnout() -> None:
    r = evaluate(Tally(yes=20, no=10, abstain=15, spoilt=5), 100, TUA_2016)
    assert r.voted == 50
    assert r.check("turnout").met
    assert r.passed
    no_spoilt = DecisionRule(quorum=Fraction(1, 2), spoilt_in_turnout=False)
    assert not evaluate(Tally(yes=20, no=10, abstain=15, spoilt=5), 100, no_spoilt).passed


def test_important_public_services_need_forty_percent_of_entitled_yes() -> None:
    r = evaluate(Tally(yes=39, no=21), 100, TUA_2016_IPS)
    assert r.check("turnout").met
    assert r.check("majority").met
    support = r.check("support")
    assert not support.met
    assert support.required_count == 40
    assert not r.passed
    assert evaluate(Tally(yes=40, no=10), 100, TUA_2016_IPS).passed
    assert not evaluate(Tally(yes=26, no=24), 100, TUA_2016_IPS).passed


def test_pcs_2018_fails_turnout_despite_85_6_percent_yes() -> None:
    tally = Tally(yes=50_726, no=8_528)
    cast = tally.cast
    assert cast == 59_254
    # The entitled number follows from the published turnout: every electorate size
    # whose turnout rounds to 41.6% (and the central estimate 59,254 / 0.416).
    central = round(Fraction(cast) / Fraction(416, 1000))
    sizes = [n for n in range(140_000, 145_000) if format_share(Fraction(cast, n)) == "41.6%"]
    assert central in sizes
    assert len(sizes) > 300
    for entitled in sizes:
        r = evaluate(tally, entitled, TUA_2016)
        assert not r.passed
        assert not r.check("turnout").met
        assert r.check("majority").met
    r = evaluate(tally, central, TUA_2016)
    assert format_share(r.turnout) == "41.6%"
    assert format_share(r.yes_share) == "85.6%"
    assert r.check("turnout").required_count == (central + 1) // 2
    notice = r.statement()
    assert "turnout: 59254 of" in notice
    assert "missed" in notice
    assert "NOT CARRIED" in notice


def test_qualified_majority_at_least_two_thirds() -> None:
    rule = DecisionRule.qualified(Fraction(2, 3))
    exactly = evaluate(Tally(yes=20, no=10), 40, rule)
    assert exactly.passed
    assert not exactly.tie
    assert not evaluate(Tally(yes=19, no=10), 40, rule).passed
    strict = DecisionRule(majority=Fraction(2, 3), strict=True)
    boundary = evaluate(Tally(yes=20, no=10), 40, strict)
    assert boundary.tie
    assert not boundary.passed


@pytest.mark.parametrize(
    ("basis", "passed"),
    [(MajorityBasis.CAST, True), (MajorityBasis.CAST_WITH_ABSTENTIONS, False),
     (MajorityBasis.ENTITLED, False)],
)
def test_majority_basis(basis: MajorityBasis, passed: bool) -> None:
    r = evaluate(Tally(yes=10, no=8, abstain=3), 25, DecisionRule(basis=basis))
    assert r.passed is passed
    assert r.check("majority").base == {MajorityBasis.CAST: 18,
                                         MajorityBasis.CAST_WITH_ABSTENTIONS: 21,
                                         MajorityBasis.ENTITLED: 25}[basis]


def test_strict_or_not_at_half() -> None:
    assert not evaluate(Tally(yes=5, no=5), 10, DecisionRule()).passed
    assert evaluate(Tally(yes=5, no=5), 10, DecisionRule(strict=False)).passed


def test_tie_rules() -> None:
    tie = Tally(yes=7, no=7, abstain=1)
    fails = evaluate(tie, 20, DecisionRule(tie=TieRule.FAILS))
    assert fails.tie
    assert not fails.passed
    assert fails.tie_resolution == "fails"
    quo = DecisionRule(tie=TieRule.STATUS_QUO)
    assert not evaluate(tie, 20, quo).passed
    assert evaluate(tie, 20, quo, status_quo_is_yes=True).passed
    lot = DecisionRule(tie=TieRule.LOT)
    with pytest.raises(PreconditionFailed, match="seed"):
        evaluate(tie, 20, lot)
    for seed in ("published-seed-1", "published-seed-2", "x", "y"):
        expected = hashlib.sha256(f"councilplan-lot-v1:{seed}".encode()).digest()[0] % 2 == 0
        assert lot_favours_yes(seed) is expected
        assert evaluate(tie, 20, lot, lot_seed=seed).passed is expected
    # a lot never rescues a ballot that missed its quorum
    quorate_lot = DecisionRule(quorum=Fraction(9, 10), tie=TieRule.LOT)
    yes_seed = next(s for s in (f"s{i}" for i in range(100)) if lot_favours_yes(s))
    assert not evaluate(tie, 20, quorate_lot, lot_seed=yes_seed).passed
    assert not evaluate(Tally(yes=7, no=6), 20, DecisionRule()).tie


def test_result_payload_is_exact_text() -> None:
    r = evaluate(Tally(yes=2, no=1), 3, DecisionRule(quorum=Fraction(1, 3)))
    payload = r.to_payload()
    assert payload["turnout"] == "1"
    assert payload["checks"][0]["required"] == "1/3"  # type: ignore[index]
    assert "turnout at least 50.0% of those entitled" in TUA_2016.describe()
    assert "yes at least 40.0% of those entitled" in TUA_2016_IPS.describe()
    assert DecisionRule().describe().startswith("yes more than 50.0%")


def test_inputs_are_validated() -> None:
    with pytest.raises(InvalidInput, match="Fraction"):
        DecisionRule(quorum=0.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        DecisionRule(majority=Fraction(3, 2))
    with pytest.raises(InvalidInput):
        DecisionRule(majority=Fraction(1), strict=True)
    with pytest.raises(InvalidInput):
        Tally(yes=-1, no=0)
    with pytest.raises(InvalidInput, match="entitled"):
        evaluate(Tally(yes=5, no=6), 10, DecisionRule())
    with pytest.raises(InvalidInput):
        evaluate(Tally(yes=0, no=0), 0, DecisionRule())


def test_format_share_rounds_half_even_exactly() -> None:
    assert format_share(Fraction(1, 8)) == "12.5%"
    assert format_share(Fraction(1, 16), 2) == "6.25%"
    assert format_share(Fraction(1, 16), 1) == "6.2%"  # 6.25 -> half to even
    assert format_share(Fraction(3, 16), 1) == "18.8%"  # 18.75 -> half to even
    assert format_share(Fraction(2, 3), 0) == "67%"
    assert format_share(Fraction(0)) == "0.0%"
