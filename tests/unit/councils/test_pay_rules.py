"""The pay rule: an official's pay is at most the mean (or median) pay of the constituents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from councilplan.councils.constituency import Constituency
from councilplan.councils.event import EventKind
from councilplan.councils.mandate import EndReason, Mandate, end_mandate
from councilplan.councils.pay import PayBasis, PayRule, pay_cap, review_pay, set_pay
from councilplan.councils.term import Term
from councilplan.councils.wage import WageReport, wage_reported
from councilplan.errors import InvalidInput, PreconditionFailed, RuleViolation

T0 = datetime(2025, 3, 1, tzinfo=UTC)
MILL = Constituency("mill", frozenset({"a", "b", "c", "d", "off"}))
MANDATE = Mandate("md1", "mill/secretary", "mill", "off", Term(T0, T0 + timedelta(days=365)))


def reports(period: str = "2025-03") -> list[WageReport]:
    return [
        WageReport("a", period, Decimal("2000.00")),
        WageReport("b", period, Decimal("2100.00")),
        WageReport("c", period, Decimal("2500.00")),
        WageReport("d", period, Decimal("3400.00")),
        WageReport("outsider", period, Decimal("9000.00")),
        WageReport("a", "2025-02", Decimal("1.00")),
    ]


def test_cap_is_the_exact_mean_of_the_constituents_reports() -> None:
    cap = pay_cap(PayRule(), reports(), MILL, "2025-03")
    assert cap.reports == 4
    assert cap.ignored == 1
    assert cap.total == Decimal("10000.00")
    assert cap.exact == Fraction(2500)
    assert cap.cap == Decimal("2500.00")
    assert "mean of 4 wage reports: sum 10000.00 / 4" in cap.explanation()


def test_median_is_selectable() -> None:
    cap = pay_cap(PayRule(PayBasis.MEDIAN), reports(), MILL, "2025-03")
    assert cap.exact == Fraction(2300)  # (2100 + 2500) / 2
    odd = pay_cap(PayRule(PayBasis.MEDIAN), reports()[:3], MILL, "2025-03")
    assert odd.exact == Fraction(2100)


def test_a_mean_without_a_finite_decimal_is_kept_exact_and_shown_rounded_down() -> None:
    rs = [WageReport(m, "p", Decimal(v)) for m, v in (("a", "100"), ("b", "100"), ("c", "101"))]
    cap = pay_cap(PayRule(), rs, MILL, "p")
    assert cap.exact == Fraction(301, 3)
    assert cap.cap == Decimal("100.33")
    with pytest.raises(RuleViolation):
        set_pay(MANDATE, Decimal("100.34"), cap, T0)
    setting, _ = set_pay(MANDATE, Decimal("100.33"), cap, T0)
    assert setting.amount == Decimal("100.33")


def test_officials_own_report_can_be_excluded() -> None:
    rs = [*reports(), WageReport("off", "2025-03", Decimal("6000.00"))]
    assert pay_cap(PayRule(), rs, MILL, "2025-03").exact == Fraction(16000, 5)
    cap = pay_cap(PayRule(), rs, MILL, "2025-03", exclude={"off"})
    assert cap.exact == Fraction(2500)
    assert cap.excluded == 1


def test_pay_above_the_cap_is_refused_with_how_the_cap_was_computed() -> None:
    cap = pay_cap(PayRule(), reports(), MILL, "2025-03")
    with pytest.raises(RuleViolation) as info:
        set_pay(MANDATE, Decimal("2500.01"), cap, T0)
    text = str(info.value)
    assert "above the cap" in text
    assert "cap 2500.00" in text
    assert "4 wage reports" in text
    assert "sum 10000.00" in text
    assert "= 2500" in text
    assert type(info.value) is RuleViolation


def test_pay_at_the_cap_is_set_and_recorded() -> None:
    cap = pay_cap(PayRule(), reports(), MILL, "2025-03")
    setting, event = set_pay(MANDATE, Decimal("2500.00"), cap, T0)
    assert setting.period == "2025-03"
    assert setting.cap == Decimal("2500.00")
    assert event.kind == EventKind.PAY_SET
    assert event.payload["amount"] == "2500.00"
    assert event.payload["reports"] == 4
    assert event.payload["basis"] == "mean"


def test_pay_refused_for_an_ended_mandate_or_another_councils_cap() -> None:
    cap = pay_cap(PayRule(), reports(), MILL, "2025-03")
    ended, _ = end_mandate(MANDATE, EndReason.RECALLED, T0 + timedelta(days=1))
    with pytest.raises(PreconditionFailed):
        set_pay(ended, Decimal("1"), cap, T0 + timedelta(days=2))
    other = pay_cap(PayRule(), reports(), Constituency("docks", MILL.members), "2025-03")
    with pytest.raises(PreconditionFailed):
        set_pay(MANDATE, Decimal("1"), other, T0)


def test_a_cap_below_current_pay_is_flagged_and_applies_from_the_next_period() -> None:
    cap = pay_cap(PayRule(), reports(), MILL, "2025-03")
    current, _ = set_pay(MANDATE, Decimal("2500.00"), cap, T0)
    april = [WageReport(r.member_id, "2025-04", r.amount - Decimal("100.00"))
             for r in reports() if r.period == "2025-03"]
    lower = pay_cap(PayRule(), april, MILL, "2025-04")
    review = review_pay(current, lower, "2025-05", T0 + timedelta(days=31))
    assert review.flagged
    assert review.next_setting is not None
    assert review.next_setting.period == "2025-05"
    assert review.next_setting.amount == Decimal("2400.00")
    assert current.amount == Decimal("2500.00")  # the current period is not changed
    (event,) = review.events
    assert event.kind == EventKind.PAY_CAP_BELOW_CURRENT
    assert event.payload["effective_period"] == "2025-05"
    same = review_pay(current, cap, "2025-04", T0)
    assert not same.flagged
    assert same.next_setting is None
    assert same.events == ()


def test_reports_are_validated() -> None:
    with pytest.raises(InvalidInput, match="Decimal"):
        WageReport("a", "p", 2000.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        WageReport("a", "p", Decimal("-1"))
    with pytest.raises(InvalidInput):
        WageReport("a", "p", Decimal("NaN"))
    dup = [WageReport("a", "p", Decimal(1)), WageReport("a", "p", Decimal(2))]
    with pytest.raises(InvalidInput, match="duplicate") as info:
        pay_cap(PayRule(), dup, MILL, "p")
    assert [p.where for p in info.value.problems] == ["a"]
    with pytest.raises(PreconditionFailed, match="no wage reports"):
        pay_cap(PayRule(), reports(), MILL, "2030-01")


def test_wage_report_event_never_carries_the_amount() -> None:
    event = wage_reported(WageReport("a", "2025-03", Decimal("2000.00")), T0)
    assert dict(event.payload) == {"member_id": "a", "period": "2025-03"}
