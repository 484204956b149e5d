"""The pay rule through the services: above the cap is refused and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from councilplan import services
from councilplan.errors import PreconditionFailed, RuleViolation
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
START = T0 + 7 * DAY


@pytest.fixture
def delegate(mill: UnitOfWork) -> str:
    services.open_election(mill, ["mill/delegate"], ["w00"], T0, START, ballot_id="e1")
    services.cast_vote(mill, "e1", "w01", ["w00"], T0 + DAY)
    services.close_ballot(mill, "e1", START)
    for i in range(20):  # w00's own report does not count towards her cap
        services.report_wage(mill, f"w{i:02d}", "2025-01", Decimal(2000 + 50 * i), START)
    return services.list_mandates(mill, "mill", START)[0].mandate_id


def _state(uow: UnitOfWork, mandate_id: str) -> tuple[int, int]:
    with uow.reading():
        return len(uow.mandates.pay_of(mandate_id)), uow.audit.head().size


def test_pay_above_the_cap_is_refused_and_nothing_is_written(
    mill: UnitOfWork, delegate: str
) -> None:
    cap = services.pay_cap_for(mill, delegate, "2025-01")
    assert (cap.cap, cap.reports, cap.total) == (Decimal("2500.00"), 19, Decimal("47500"))
    before = _state(mill, delegate)
    with pytest.raises(RuleViolation, match="above the cap") as info:
        services.set_pay(mill, delegate, "2025-01", Decimal("2500.01"), START + DAY)
    assert "mean of 19 wage reports" in str(info.value)
    assert _state(mill, delegate) == before
    pay = services.set_pay(mill, delegate, "2025-01", Decimal("2500.00"), START + DAY)
    assert (pay.amount, pay.cap) == (Decimal("2500.00"), Decimal("2500.00"))
    assert _state(mill, delegate) == (before[0] + 1, before[1] + 1)
    (m,) = services.list_mandates(mill, "mill", START + DAY, period="2025-01")
    assert m.pay[0].amount == Decimal("2500.00")
    assert m.cap is not None
    assert m.cap.cap == Decimal("2500.00")


def test_no_cap_without_reports_and_a_falling_cap_is_flagged(
    mill: UnitOfWork, delegate: str
) -> None:
    with pytest.raises(PreconditionFailed, match="no wage reports"):
        services.set_pay(mill, delegate, "2025-02", Decimal("1.00"), START + DAY)
    services.set_pay(mill, delegate, "2025-01", Decimal("2500.00"), START + DAY)
    for i in range(20):
        services.report_wage(mill, f"w{i:02d}", "2025-02", Decimal(1900), START + 30 * DAY)
    lowered = services.review_mandate_pay(mill, delegate, "2025-02", "2025-03",
                                          START + 30 * DAY)
    assert lowered is not None
    assert (lowered.period, lowered.amount) == ("2025-03", Decimal("1900.00"))
    kinds = [c for _, _, c in services.audit_entries(mill)]
    assert '"kind":"pay.cap_below_current"' in kinds[-1]
