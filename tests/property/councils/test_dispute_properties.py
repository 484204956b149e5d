"""Hypothesis properties of disputes: the roster, the statutory thresholds, mandate
periods and the strike fund."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from councilplan.councils.decision import Tally, evaluate
from councilplan.councils.dispute import Dispute
from councilplan.councils.roster import Roster, RosterEventKind, StrikerStatus, record_roster_event
from councilplan.councils.strike_fund import (
    Contribution,
    StrikePayment,
    fund_statement,
    parse_period,
    pay_striker,
)
from councilplan.councils.threshold import RULE_BOOK, Period
from councilplan.errors import PreconditionFailed

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MEMBERS = ["a", "b", "c", "d"]
NEXT = {  # the model: where each event takes a member, from where it is allowed
    (None, "joined"): "on_strike", ("returned", "joined"): "on_strike",
    ("on_strike", "returned"): "returned", ("on_strike", "dismissed"): "dismissed",
    ("dismissed", "reinstated"): "on_strike",
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MEMBERS), st.sampled_from(list(RosterEventKind)),
                          st.integers(0, 3)), max_size=40))
def test_the_roster_follows_its_events_and_refuses_the_rest(
    steps: list[tuple[str, RosterEventKind, int]],
) -> None:
    roster = Roster("d1")
    model: dict[str, str] = {}
    history: list[tuple[datetime, set[str]]] = []
    now = T0
    for member, kind, gap in steps:
        now += timedelta(hours=gap)
        allowed = (model.get(member), kind.value) in NEXT
        try:
            event, audit = record_roster_event(roster, member, kind, now)
        except PreconditionFailed:
            assert not allowed
            continue
        assert allowed
        model[member] = NEXT[(model.get(member), kind.value)]
        roster = Roster("d1", (*roster.events, event))
        assert audit.payload["roster_size"] == sum(s == "on_strike" for s in model.values())
        history.append((now, {m for m, s in model.items() if s == "on_strike"}))
    assert {m: s.value for m, s in roster.statuses().items()} == model
    for when, _ in history:  # at each instant, the last state recorded then
        later = [h for h in history if h[0] == when]
        assert roster.strikers(when) == later[-1][1]
        for m in MEMBERS:
            on = any(s <= when and (e is None or when < e) for s, e in roster.intervals(m))
            assert on == (m in roster.strikers(when)) == (
                roster.status_of(m, when) is StrikerStatus.ON_STRIKE)


TUA = RULE_BOOK.get("gb-tua-2016@v1").action_rule
IPS = RULE_BOOK.get("gb-tua-2016-ips@v1").action_rule


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 400), st.data())
def test_the_2016_thresholds_are_exactly_the_statutory_ones(entitled: int,
                                                            data: st.DataObject) -> None:
    yes = data.draw(st.integers(0, entitled))
    no = data.draw(st.integers(0, entitled - yes))
    spoilt = data.draw(st.integers(0, entitled - yes - no))
    voted = yes + no + spoilt
    tally = Tally(yes=yes, no=no, spoilt=spoilt)
    general = evaluate(tally, entitled, TUA)
    ips = evaluate(tally, entitled, IPS)
    # at least 50% of those entitled voted, and more yes than no (integers only)
    assert general.passed == (2 * voted >= entitled and yes > no)
    # and in important public services, yes from at least 40% of those entitled
    assert ips.passed == (general.passed and 5 * yes >= 2 * entitled)
    assert general.check("turnout").required_count == -(-entitled // 2)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(1, 24))
def test_months_beginning_with_a_date(first: date, months: int) -> None:
    period = Period(months=months)
    end = period.end_after(first)
    y, m = divmod(first.month - 1 + months, 12)
    year, month = first.year + y, m + 1
    last_of_month = calendar.monthrange(year, month)[1]
    # the period ends the day before the corresponding date, or with the target month's
    # last day when it has no such date
    expected_last = (date(year, month, first.day) - timedelta(days=1)
                     if first.day <= last_of_month else date(year, month, last_of_month))
    assert period.last_day(first) == expected_last
    assert end - timedelta(days=1) == expected_last
    assert Period(months=months + 1).end_after(first) > end


D = Dispute("d1", ("mill",), "Acme Ltd", ("5%",), "GB", "manufacturing", "Europe/London", T0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5000), st.integers(0, 8)), min_size=1, max_size=5),
       st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 8),
                          st.integers(1, 3000)), max_size=25))
def test_the_fund_is_never_overdrawn_and_its_figures_are_exact(
    ins: list[tuple[int, int]], outs: list[tuple[str, int, int]],
) -> None:
    roster = Roster("d1")
    for m in ("a", "b", "c"):
        event, _ = record_roster_event(roster, m, "joined", T0)
        roster = Roster("d1", (*roster.events, event))
    contributions = [Contribution(f"c{i}", "d1", Decimal(cents) / 100, "levy",
                                  T0 + timedelta(weeks=week))
                     for i, (cents, week) in enumerate(ins)]
    paid: list[StrikePayment] = []
    for i, (member, week, cents) in enumerate(outs):
        p = StrikePayment(f"p{i}", "d1", member, parse_period(f"2025-W{10 + week:02d}"),
                          Decimal(cents) / 100, T0 + timedelta(days=7 * week + 1))
        try:
            pay_striker(D, roster, p, p.paid_at, contributions=contributions, payments=paid)
        except PreconditionFailed:
            continue
        paid.append(p)
    for week in range(11):  # never overdrawn, at any moment
        assert fund_statement(D, contributions, paid, T0 + timedelta(weeks=week)).balance >= 0
    now = T0 + timedelta(weeks=10)
    s = fund_statement(D, contributions, paid, now)
    assert s.contributed == sum(Decimal(c) for c, _ in ins) / 100
    assert s.balance == s.contributed - s.paid
    assert len({(p.member_id, p.period.label) for p in paid}) == len(paid)
    if s.runway_weeks is not None:
        assert s.runway_weeks * s.weekly_outflow == Fraction(s.balance)
