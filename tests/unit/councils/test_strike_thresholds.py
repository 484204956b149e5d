"""Legal thresholds for strike ballots: the dated rule sets, the statutory examples, mandates.

Facts from ../shared/data/elections/SOURCES.md (UK Trade Union Act 2016): with 100
entitled at least 50 must vote, a simple majority of the votes cast must be yes, and in
important public services yes must also be at least 40 of the entitled. The PCS
national ballot of 2018 (50,726 yes, 8,528 no, turnout 41.6%) failed the turnout rule
despite 85.6% yes. The Act's thresholds apply to ballots opening on or after 1 March
2017; before that a simple majority of votes cast sufficed.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from councilplan.councils.decision import Tally, evaluate, format_share
from councilplan.councils.strike_ballot import date_of_ballot, mandate_expiry
from councilplan.councils.threshold import (
    GB,
    RULE_BOOK,
    UNION_RULES,
    MandateKind,
    Period,
    RuleBook,
    ThresholdRules,
    select_rules,
)
from councilplan.errors import InvalidInput, NotFound

LONDON = "Europe/London"


def _rule(jurisdiction: str, sector: str, on: date) -> ThresholdRules:
    return select_rules(jurisdiction, sector, on)


# -- choosing the rule set in force ----------------------------------------------------------


def test_the_trade_union_act_applies_to_ballots_opening_from_1_march_2017() -> None:
    assert _rule(GB, "manufacturing", date(2017, 3, 1)).key == "gb-tua-2016@v1"
    assert _rule(GB, "manufacturing", date(2025, 6, 30)).key == "gb-tua-2016@v1"
    before = _rule(GB, "manufacturing", date(2017, 2, 28))
    assert before.key == "gb-tulrca-1992@v1"
    assert before.action_rule.quorum == 0  # only a simple majority applied
    assert before.action_rule.yes_of_entitled is None
    # before 1 March 2017 the sector made no difference
    assert _rule(GB, "health", date(2017, 2, 28)).key == "gb-tulrca-1992@v1"


def test_important_public_services_choose_the_forty_percent_set() -> None:
    for sector in ("health", "Education", " fire ", "transport", "border-security",
                   "nuclear-decommissioning"):
        r = _rule(GB, sector, date(2024, 1, 15))
        assert r.key == "gb-tua-2016-ips@v1", sector
        assert r.action_rule.yes_of_entitled == Fraction(2, 5)
        assert r.action_rule.quorum == Fraction(1, 2)
    assert _rule(GB, "retail", date(2024, 1, 15)).action_rule.yes_of_entitled is None


def test_no_rule_set_in_force_is_a_clear_error() -> None:
    with pytest.raises(NotFound, match="no rule set of GB is in force") as info:
        _rule(GB, "manufacturing", date(1999, 12, 31))
    listed = "\n".join(str(p) for p in info.value.problems)
    assert "gb-tulrca-1992@v1" in listed
    assert "2000-09-18" in listed
    assert "gb-tua-2016@v1" in listed
    with pytest.raises(NotFound, match="no rule set for jurisdiction 'FR'") as info:
        _rule("FR", "manufacturing", date(2025, 1, 1))
    assert "union-rules" in str(info.value)


def test_union_rules_apply_whatever_the_sector_and_date() -> None:
    for on in (date(1990, 1, 1), date(2017, 3, 1), date(2040, 1, 1)):
        r = _rule(UNION_RULES, "health", on)
        assert r.key == "union-rules@v1"
        assert r.action_rule.quorum == 0
        assert r.action_rule.yes_of_entitled is None
        assert r.notice is None
        assert r.mandate == Period(months=6)
    own = _rule(UNION_RULES, "any", date(2025, 1, 1)).with_union_mandate(3)
    assert own.mandate == Period(months=3)
    with pytest.raises(InvalidInput, match="fixed by law"):
        _rule(GB, "retail", date(2025, 1, 1)).with_union_mandate(12)


def test_a_rule_book_refuses_overlapping_sets() -> None:
    tua = RULE_BOOK.get("gb-tua-2016@v1")
    clash = replace(tua, rules_id="gb-other", applies_from=date(2020, 1, 1),
                    excluded_sectors=frozenset())
    with pytest.raises(InvalidInput, match="contradict") as info:
        RuleBook.of([*RULE_BOOK.sets, clash])
    assert any("overlaps" in p.message for p in info.value.problems)
    # a new version that takes over from a date is fine once the old one stops
    ended = replace(tua, applies_until=date(2030, 1, 1))
    successor = replace(tua, version=2, applies_from=date(2030, 1, 1))
    book = RuleBook.of([ended, successor])
    assert book.select(GB, "retail", date(2029, 12, 31)).key == "gb-tua-2016@v1"
    assert book.select(GB, "retail", date(2030, 1, 1)).key == "gb-tua-2016@v2"


def test_a_rule_set_round_trips_as_data() -> None:
    for r in RULE_BOOK.sets:
        assert ThresholdRules.from_payload(r.to_payload()) == r


# -- the statutory examples --------------------------------------------------------------------

TUA = RULE_BOOK.get("gb-tua-2016@v1").action_rule
IPS = RULE_BOOK.get("gb-tua-2016-ips@v1").action_rule
OLD = RULE_BOOK.get("gb-tulrca-1992@v1").action_rule
UNION = RULE_BOOK.get("union-rules@v1").action_rule


def test_hundred_entitled_fifty_must_vote() -> None:
    short = evaluate(Tally(yes=49, no=0), 100, TUA)
    assert not short.passed
    assert (short.check("turnout").required_count, short.check("turnout").met) == (50, False)
    assert [c.name for c in short.missed] == ["turnout"]
    enough = evaluate(Tally(yes=26, no=24), 100, TUA)
    assert enough.passed
    assert enough.check("majority").required_count == 26  # a simple majority of the 50
    tie = evaluate(Tally(yes=25, no=25), 100, TUA)
    assert not tie.passed  # a tie is not a majority
    everyone = evaluate(Tally(yes=50, no=50), 100, TUA)
    assert everyone.check("majority").required_count == 51
    assert not everyone.passed


def test_important_public_services_need_forty_of_the_hundred_to_vote_yes() -> None:
    r = evaluate(Tally(yes=39, no=21), 100, IPS)
    assert r.check("turnout").met
    assert r.check("majority").met
    assert (r.check("support").required_count, r.check("support").met) == (40, False)
    assert not r.passed
    assert evaluate(Tally(yes=40, no=10), 100, IPS).passed  # 50 voted, 40 yes
    assert not evaluate(Tally(yes=26, no=24), 100, IPS).passed  # carried elsewhere
    assert evaluate(Tally(yes=26, no=24), 100, TUA).passed


def test_spoilt_papers_count_towards_the_turnout_but_are_neither_yes_nor_no() -> None:
    r = evaluate(Tally(yes=26, no=20, spoilt=4), 100, TUA)
    assert r.voted == 50
    assert r.check("turnout").met
    assert r.check("majority").base == 46
    assert r.passed


PCS_YES, PCS_NO = 50_726, 8_528


def test_pcs_2018_fails_on_turnout_despite_85_6_percent_yes() -> None:
    cast = PCS_YES + PCS_NO
    assert cast == 59_254
    # The published turnout was 41.6%: 59,254 / 0.416 = 142,437.5, so we take 142,438
    # entitled (round half to even). Every size from 142,267 to 142,608 rounds to 41.6%,
    # and every one of them fails the 50% turnout rule.
    entitled = round(Fraction(cast) / Fraction(416, 1000))
    assert entitled == 142_438
    assert format_share(Fraction(cast, entitled)) == "41.6%"
    sizes = [n for n in range(140_000, 145_000) if format_share(Fraction(cast, n)) == "41.6%"]
    assert (sizes[0], sizes[-1]) == (142_267, 142_608)
    rules = _rule(GB, "civil-service", date(2018, 7, 9))
    assert rules.key == "gb-tua-2016@v1"
    for n in (sizes[0], entitled, sizes[-1]):
        r = evaluate(Tally(yes=PCS_YES, no=PCS_NO), n, rules.action_rule)
        assert not r.passed
        assert [c.name for c in r.missed] == ["turnout"]
        assert r.check("majority").met
    r = evaluate(Tally(yes=PCS_YES, no=PCS_NO), entitled, rules.action_rule)
    assert format_share(r.yes_share) == "85.6%"
    assert format_share(r.turnout) == "41.6%"
    needed = r.check("turnout").required_count
    assert needed == math.ceil(entitled / 2) == 71_219
    assert needed - cast == 11_965  # about 12,000 more papers were needed, yes or no
    # under the law before 1 March 2017 the same result carried
    assert evaluate(Tally(yes=PCS_YES, no=PCS_NO), entitled, OLD).passed
    assert evaluate(Tally(yes=PCS_YES, no=PCS_NO), entitled, UNION).passed


# -- mandates ------------------------------------------------------------------------------------


def test_the_date_of_the_ballot_is_its_last_voting_day_in_london() -> None:
    assert date_of_ballot(datetime(2025, 3, 18, 9, tzinfo=UTC), LONDON) == date(2025, 3, 18)
    # a ballot closing at midnight London time was last open the day before
    assert date_of_ballot(datetime(2025, 3, 19, 0, tzinfo=UTC), LONDON) == date(2025, 3, 18)
    # in summer London is an hour ahead: 23:30 UTC is already the next day there
    assert date_of_ballot(datetime(2025, 7, 1, 23, 30, tzinfo=UTC), LONDON) == date(2025, 7, 2)


def test_six_months_beginning_with_the_date_of_the_ballot() -> None:
    tua = RULE_BOOK.get("gb-tua-2016@v1")
    expiry = mandate_expiry(tua, date(2025, 3, 15), LONDON)
    # the period ends with 14 September; the mandate expires at the start of 15
    # September in London (BST: 23:00 UTC on the 14th)
    assert expiry == datetime(2025, 9, 14, 23, 0, tzinfo=UTC)
    assert tua.mandate.last_day(date(2025, 3, 15)) == date(2025, 9, 14)
    assert mandate_expiry(tua, date(2025, 3, 15), LONDON, extended=True) == datetime(
        2025, 12, 15, 0, 0, tzinfo=UTC)  # nine months by agreement; GMT in December
    # no 31 February: the period beginning with 31 August ends with the last of February
    assert tua.mandate.last_day(date(2025, 8, 31)) == date(2026, 2, 28)
    assert tua.mandate.last_day(date(2023, 8, 31)) == date(2024, 2, 29)
    assert tua.mandate.describe() == "6 months"
    assert tua.mandate_kind is MandateKind.ACTION_WITHIN


def test_before_2017_action_had_to_begin_within_four_weeks() -> None:
    old = RULE_BOOK.get("gb-tulrca-1992@v1")
    assert old.mandate_kind is MandateKind.ACTION_BEGINS_WITHIN
    assert old.mandate.last_day(date(2016, 6, 1)) == date(2016, 6, 28)
    assert old.mandate_by_agreement is not None
    assert old.mandate_by_agreement.last_day(date(2016, 6, 1)) == date(2016, 7, 26)
    assert "begin within 4 weeks" in old.mandate_text()


def test_notice_periods() -> None:
    tua = RULE_BOOK.get("gb-tua-2016@v1")
    assert tua.notice == Period(days=14)
    assert tua.notice_by_agreement == Period(days=7)
    assert "14 days' notice" in tua.notice_text()
    assert RULE_BOOK.get("gb-tulrca-1992@v1").notice == Period(days=7)


def test_periods_are_checked() -> None:
    with pytest.raises(InvalidInput, match="at least a day"):
        Period()
    assert Period(weeks=1, days=2).end_after(date(2025, 1, 1)) == date(2025, 1, 10)
    assert Period(months=13).end_after(date(2025, 1, 31)) == date(2026, 2, 28) + timedelta(1)
