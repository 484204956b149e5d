"""The pay rule: an official's pay at most the average pay of those they represent.

The cap for a period is computed by :func:`councilplan.councils.pay.pay_cap` from
the wage reports of the mandate's constituency for that period, leaving out the
holder's own report (their pay is what is being capped).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from councilplan.councils.mandate import Mandate
from councilplan.councils.pay import PayBasis, PayCap, PayRule, pay_cap, review_pay
from councilplan.councils.pay import set_pay as core_set_pay
from councilplan.errors import PreconditionFailed, Problem
from councilplan.services.constituency import electing_constituency
from councilplan.services.views import PayCapView, PayView
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["cap_view", "current_cap", "pay_cap_for", "review_mandate_pay", "set_pay"]


def current_cap(uow: UnitOfWork, mandate: Mandate, period: str,
                basis: PayBasis = PayBasis.MEAN) -> PayCap:
    """The exact cap of ``mandate`` for ``period`` as the wage reports stand."""
    constituency = electing_constituency(uow, mandate.seat_id, mandate.council_id)
    reports = uow.members.wage_reports(period, constituency.members)
    return pay_cap(PayRule(basis), reports, constituency, period, exclude={mandate.holder_id})


def cap_view(cap: PayCap) -> PayCapView:
    return PayCapView(cap.council_id, cap.period, cap.basis.value, cap.reports, cap.total,
                      cap.cap, cap.exact_text(), cap.explanation())


def pay_cap_for(uow: UnitOfWork, mandate_id: str, period: str, *,
                basis: PayBasis = PayBasis.MEAN) -> PayCapView:
    """The cap on the pay of ``mandate_id`` for ``period``, and how it was computed."""
    with uow.reading():
        return cap_view(current_cap(uow, uow.mandates.get(mandate_id), period, basis))


def set_pay(uow: UnitOfWork, mandate_id: str, period: str, amount: Decimal, now: datetime, *,
            basis: PayBasis = PayBasis.MEAN) -> PayView:
    """Set the pay of a mandate for a period; refused above the cap (nothing is written)."""
    with uow:
        mandate = uow.mandates.get(mandate_id, lock=True)
        cap = current_cap(uow, mandate, period, basis)
        setting, event = core_set_pay(mandate, amount, cap, now)
        uow.mandates.set_pay(setting, now)
        uow.audit.append([event])
        return PayView(setting.mandate_id, setting.period, setting.amount, setting.cap)


def review_mandate_pay(uow: UnitOfWork, mandate_id: str, period: str, next_period: str,
                       now: datetime, *, basis: PayBasis = PayBasis.MEAN) -> PayView | None:
    """Check the mandate's latest pay against the cap of ``period``: a cap below it is
    flagged (``pay.cap_below_current``) and the pay lowered to the cap from
    ``next_period``. Returns the new setting, or ``None`` when the pay is within the cap."""
    with uow:
        mandate = uow.mandates.get(mandate_id, lock=True)
        settings = uow.mandates.pay_of(mandate_id)
        if not settings:
            raise PreconditionFailed(f"mandate {mandate_id} has no pay set to review",
                                     [Problem(mandate_id, "set its pay first")])
        review = review_pay(settings[-1], current_cap(uow, mandate, period, basis), next_period,
                            now)
        if not review.flagged or review.next_setting is None:
            return None
        uow.mandates.set_pay(review.next_setting, now)
        uow.audit.append(review.events)
        s = review.next_setting
        return PayView(s.mandate_id, s.period, s.amount, s.cap)
