"""The strike fund: contributions, strike pay per striker and period, and the runway.

Amounts are exact two-place decimals; strike pay goes only to strikers for periods
they were on the roster, never twice for one period, and never beyond what the
fund holds (:mod:`councilplan.councils.strike_fund`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from councilplan.councils.dispute import Dispute
from councilplan.councils.strike_fund import (
    Contribution,
    StrikePayment,
    fund_statement,
    money,
    parse_period,
    pay_strikers,
    record_contribution,
)
from councilplan.errors import NotFound, PreconditionFailed, Problem
from councilplan.services.dispute_views import (
    ContributionView,
    FundView,
    PaymentView,
    PayRunView,
)
from councilplan.services.ids import new_id
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["contribute", "fund_of", "fund_view", "pay_strike_pay", "pay_strike_pay_run",
           "strike_payments"]


def fund_view(uow: UnitOfWork, dispute: Dispute, now: datetime,
              window_weeks: int = 4) -> FundView:
    s = fund_statement(dispute, uow.fund.contributions(dispute.dispute_id),
                       uow.fund.payments(dispute.dispute_id), now, window_weeks=window_weeks)
    return FundView(
        dispute_id=s.dispute_id, currency=s.currency, at=s.at, contributed=s.contributed,
        paid=s.paid, balance=s.balance, window_weeks=s.window_weeks,
        paid_in_window=s.paid_in_window, payments_in_window=s.payments_in_window,
        strikers_paid_in_window=s.strikers_paid_in_window,
        weekly_outflow=str(s.weekly_outflow), weekly_outflow_money=s.weekly_outflow_text,
        runway_weeks=None if s.runway_weeks is None else str(s.runway_weeks),
        runway=s.runway_text, runs_out_at=s.runs_out_at, lines=tuple(s.lines()),
    )


def contribute(uow: UnitOfWork, dispute_id: str, amount: Decimal, source: str, now: datetime,
               *, received_at: datetime | None = None,
               contribution_id: str | None = None) -> ContributionView:
    """Money into the strike fund (a levy, a donation, a transfer from another fund)."""
    cid = contribution_id or new_id("fc")
    c = Contribution(cid, dispute_id, amount, source.strip(), received_at or now)
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        if uow.fund.ids_taken(contribution_id=cid):
            raise PreconditionFailed("contribution not recorded",
                                     [Problem(cid, "a contribution with this id exists")])
        event = record_contribution(dispute, c, now)
        uow.fund.add_contribution(c)
        uow.audit.append([event])
        return ContributionView(c.contribution_id, c.dispute_id, c.amount, c.source,
                                c.received_at)


def pay_strike_pay(uow: UnitOfWork, dispute_id: str, member_id: str, period: str,
                   amount: Decimal, now: datetime, *,
                   payment_id: str | None = None) -> PaymentView:
    """Strike pay to a striker for a period (``2025-W12``, ``2025-03``, ``2025-03-17`` or
    ``2025-03-17..2025-03-21``); refused for non-strikers, twice for one period, or
    beyond the fund's balance."""
    pid = payment_id or new_id("sp")
    p = StrikePayment(pid, dispute_id, member_id, parse_period(period), amount, now)
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)  # one payer at a time per fund
        uow.members.get(member_id)
        if uow.fund.ids_taken(payment_id=pid):
            raise PreconditionFailed("strike pay refused",
                                     [Problem(pid, "a payment with this id exists")])
        events = pay_strikers(dispute, uow.disputes.roster(dispute_id), [p], now,
                              contributions=uow.fund.contributions(dispute_id),
                              payments=uow.fund.payments(dispute_id))
        uow.fund.add_payments([p])
        uow.audit.append(events)
        return PaymentView(p.payment_id, p.dispute_id, p.member_id, p.period.label, p.amount,
                           p.paid_at)


def pay_strike_pay_run(uow: UnitOfWork, dispute_id: str, period: str, amount: Decimal,
                       now: datetime, *,
                       member_ids: Sequence[str] | None = None) -> PayRunView:
    """Strike pay of ``amount`` each for ``period`` to ``member_ids``, or to every striker
    who was on the roster during the period and has not been paid for it yet; all or
    none (the fund must hold the whole run)."""
    label = parse_period(period)
    money(amount)
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        roster = uow.disputes.roster(dispute_id)
        paid = uow.fund.payments(dispute_id)
        skipped: list[str] = []
        if member_ids is None:
            tz = dispute.timezone
            start, end = label.start(tz), label.end(tz)
            already = {q.member_id for q in paid if q.period.overlaps(label)}
            spans = roster.all_intervals()
            out = sorted(m for m, ss in spans.items()
                         if any(s < end and (e is None or start < e) for s, e in ss))
            skipped = [m for m in out if m in already]
            ids = [m for m in out if m not in already]
        else:
            ids = list(member_ids)
            unknown = sorted(set(ids) - uow.members.existing(ids))
            if unknown:
                raise NotFound("strike pay refused: no such member",
                               [Problem(m, f"member {m} does not exist") for m in unknown])
        if not ids:
            raise PreconditionFailed(f"no strike pay to make for {label.label}",
                                     [Problem(dispute_id, "nobody on the roster in the period "
                                              "is still to be paid for it")])
        run = [StrikePayment(new_id("sp"), dispute_id, m, label, amount, now) for m in ids]
        events = pay_strikers(dispute, roster, run, now,
                              contributions=uow.fund.contributions(dispute_id), payments=paid)
        uow.fund.add_payments(run)
        uow.audit.append(events)
        each = run[0].amount
        return PayRunView(dispute_id, label.label, each, tuple(ids),
                          sum((p.amount for p in run), Decimal("0.00")), tuple(skipped))


def fund_of(uow: UnitOfWork, dispute_id: str, now: datetime, *,
            window_weeks: int = 4) -> FundView:
    """The fund at ``now``: contributed, paid, balance, weekly outflow of the last
    ``window_weeks`` weeks and the runway (balance / weekly outflow)."""
    with uow.reading():
        return fund_view(uow, uow.disputes.get(dispute_id), now, window_weeks)


def strike_payments(uow: UnitOfWork, dispute_id: str,
                    member_id: str | None = None) -> tuple[PaymentView, ...]:
    """Strike pay of the dispute (to one striker, when given), in the order paid."""
    with uow.reading():
        uow.disputes.get(dispute_id)
        return tuple(PaymentView(p.payment_id, p.dispute_id, p.member_id, p.period.label,
                                 p.amount, p.paid_at)
                     for p in uow.fund.payments(dispute_id)
                     if member_id is None or p.member_id == member_id)
