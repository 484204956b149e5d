"""The strike fund: exact money, strike pay per striker and period, the runway."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from councilplan.councils.dispute import Dispute
from councilplan.councils.roster import Roster, record_roster_event
from councilplan.councils.strike_fund import (
    Contribution,
    StrikePayment,
    fund_statement,
    money,
    money_text,
    parse_period,
    pay_striker,
    record_contribution,
)
from councilplan.errors import InvalidInput, PreconditionFailed

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)
D = Dispute("d1", ("mill",), "Acme Ltd", ("5%",), "GB", "manufacturing", "Europe/London", T0)


def _roster() -> Roster:
    """a and b strike from T0; b returns to work on 12 March."""
    roster = Roster("d1")
    for member, kind, at in (("a", "joined", T0), ("b", "joined", T0),
                             ("b", "returned", T0 + 9 * DAY)):
        event, _ = record_roster_event(roster, member, kind, at)
        roster = Roster("d1", (*roster.events, event))
    return roster


def test_money_is_exact_to_the_penny() -> None:
    assert money(Decimal("5")) == Decimal("5.00")
    assert str(money(Decimal("12.5"))) == "12.50"
    assert money(Decimal("1.230")) == Decimal("1.23")
    with pytest.raises(InvalidInput, match="fractions of the smallest unit"):
        money(Decimal("1.005"))
    with pytest.raises(InvalidInput, match="no floats"):
        money(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="positive"):
        money(Decimal("0"))
    assert money_text(Fraction(100, 3)) == "33.33 (exactly 100/3)"
    assert money_text(Fraction(25, 2)) == "12.50"


def test_pay_periods() -> None:
    week = parse_period("2025-W11")
    assert (week.first, week.last) == (date(2025, 3, 10), date(2025, 3, 16))
    assert parse_period("2025-02").last == date(2025, 2, 28)
    assert parse_period(" 2025-03-12 ").label == "2025-03-12"
    assert parse_period("2025-03-10..2025-03-12").overlaps(week)
    assert not parse_period("2025-03-17").overlaps(week)
    for bad in ("2025-W60", "2025-13", "last week", "2025-03-12..2025-03-10"):
        with pytest.raises(InvalidInput, match="not a pay period"):
            parse_period(bad)


def _pay(member: str, period: str, amount: str, at: datetime, pid: str = "p") -> StrikePayment:
    return StrikePayment(pid, "d1", member, parse_period(period), Decimal(amount), at)


def test_strike_pay_goes_to_strikers_once_a_period_within_the_fund() -> None:
    roster = _roster()
    fund = [Contribution("c1", "d1", Decimal("100.00"), "branch levy", T0)]
    assert record_contribution(D, fund[0], T0).payload["amount"] == "100.00"
    first = _pay("a", "2025-W10", "60.00", T0 + 5 * DAY, "p1")
    event = pay_striker(D, roster, first, T0 + 5 * DAY, contributions=fund, payments=[])
    assert (event.kind, event.payload["amount"], event.payload["period"]) == (
        "strike_pay.paid", "60.00", "2025-W10")
    with pytest.raises(PreconditionFailed, match="paid for 2025-W10 already"):
        pay_striker(D, roster, _pay("a", "2025-03-05", "10.00", T0 + 6 * DAY, "p2"),
                    T0 + 6 * DAY, contributions=fund, payments=[first])
    with pytest.raises(PreconditionFailed, match=r"holds 40\.00 GBP: it cannot pay 50\.00"):
        pay_striker(D, roster, _pay("b", "2025-W10", "50.00", T0 + 6 * DAY, "p3"),
                    T0 + 6 * DAY, contributions=fund, payments=[first])
    with pytest.raises(PreconditionFailed, match="was not on the roster"):
        pay_striker(D, roster, _pay("b", "2025-W12", "10.00", T0 + 20 * DAY, "p4"),
                    T0 + 20 * DAY, contributions=fund, payments=[first])
    with pytest.raises(PreconditionFailed, match="was not on the roster"):
        pay_striker(D, roster, _pay("boss", "2025-W10", "10.00", T0 + 6 * DAY, "p5"),
                    T0 + 6 * DAY, contributions=fund, payments=[first])
    # b struck in the first days of week 11 (returned on the 12th): paid for it
    pay_striker(D, roster, _pay("b", "2025-W11", "40.00", T0 + 10 * DAY, "p6"), T0 + 10 * DAY,
                contributions=fund, payments=[first])


def test_the_runway_is_the_balance_over_the_recent_weekly_outflow() -> None:
    contributions = [Contribution("c1", "d1", Decimal("1000.00"), "levy", T0),
                     Contribution("c2", "d1", Decimal("250.00"), "donation", T0 + 20 * DAY)]
    payments = [_pay("a", f"2025-W{10 + w}", "100.00", T0 + (7 * w + 6) * DAY, f"p{w}")
                for w in range(4)]  # 100 a week for four weeks
    now = T0 + 27 * DAY
    s = fund_statement(D, contributions, payments, now)
    assert (s.contributed, s.paid, s.balance) == (Decimal("1250.00"), Decimal("400.00"),
                                                  Decimal("850.00"))
    assert s.paid_in_window == Decimal("400.00")
    assert s.weekly_outflow == 100
    assert s.runway_weeks == Fraction(17, 2)
    assert s.runs_out_at == now + timedelta(weeks=8.5)
    runs_out = (now + timedelta(weeks=8.5)).date()
    assert s.runway_text == f"8.5 weeks at the recent rate (to {runs_out})"
    assert "Weekly outflow: 100.00 GBP" in s.lines()
    # over a longer window the rate is lower and the runway longer, exactly
    s8 = fund_statement(D, contributions, payments, now, window_weeks=8)
    assert s8.weekly_outflow == 50
    assert s8.runway_weeks == 17
    # a fund nobody draws on has no runway to state
    idle = fund_statement(D, contributions, [], now)
    assert idle.runway_weeks is None
    assert "not being drawn" in idle.runway_text
    # nothing dated after now counts
    early = fund_statement(D, contributions, payments, T0 + 10 * DAY)
    assert early.paid == Decimal("100.00")
    assert early.contributed == Decimal("1000.00")


def test_a_third_of_a_penny_stays_exact() -> None:
    contributions = [Contribution("c1", "d1", Decimal("100.00"), "levy", T0)]
    payments = [_pay("a", "2025-W10", "10.00", T0 + DAY, "p1")]
    s = fund_statement(D, contributions, payments, T0 + 2 * DAY, window_weeks=3)
    assert s.weekly_outflow == Fraction(10, 3)
    assert s.runway_weeks == 27  # 90 / (10/3)
    assert money_text(s.weekly_outflow) == "3.33 (exactly 10/3)"
