"""The strike fund: contributions in, strike pay out per striker and period, and its runway.

Money is exact: :class:`~decimal.Decimal` amounts in the currency's minor unit
(two places; ``5`` is read as ``5.00``, ``5.001`` is refused), sums and quotients
as :class:`~fractions.Fraction`; nothing passes through a float.

* :func:`record_contribution` -- money into the fund (levies, donations, transfers);
  the event records the amount and a hash of the source (a donor may be a person).
* :func:`pay_striker` -- strike pay to one striker for one :class:`PayPeriod` (an ISO
  week ``2025-W12``, a month ``2025-03``, a day ``2025-03-17`` or a range
  ``2025-03-17..2025-03-21``, in the dispute's zone). Refused unless the member was on
  the roster at some time in the period, was not paid for an overlapping period
  already, and the fund holds the amount -- what had come in by the payment's date,
  less every payment recorded -- so the fund is never overdrawn, at any moment. Strike pay
  is the strikers' own collective money, so its event records the amount.
* :func:`fund_statement` -- at ``now``: contributed, paid, the balance, the outflow of
  the last ``window`` weeks and the **runway** ``balance / weekly outflow`` in weeks,
  with the date the money would run out at that rate.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import accumulate

from councilplan.councils._checks import iso, require_aware, require_count, require_id
from councilplan.councils.dispute import Dispute, text_sha256
from councilplan.councils.event import Event
from councilplan.councils.roster import Roster
from councilplan.councils.threshold import local_date, start_of_day
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "FUND_CONTRIBUTED",
    "QUANTUM",
    "STRIKE_PAY_PAID",
    "Contribution",
    "FundStatement",
    "PayPeriod",
    "StrikePayment",
    "fund_statement",
    "money",
    "money_text",
    "parse_period",
    "pay_striker",
    "pay_strikers",
    "record_contribution",
]

FUND_CONTRIBUTED = "fund.contributed"
STRIKE_PAY_PAID = "strike_pay.paid"
QUANTUM = Decimal("0.01")


def money(value: Decimal, name: str = "amount") -> Decimal:
    """A positive amount with at most two decimal places, as an exact two-place Decimal."""
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise InvalidInput(f"{name} must be a Decimal (no floats for money), got "
                           f"{type(value).__name__} {value!r}")
    if not value.is_finite() or value <= 0:
        raise InvalidInput(f"{name} must be a positive amount, got {value}")
    with localcontext() as ctx:
        ctx.prec = max(28, len(value.as_tuple().digits) + 4)
        exact = value.quantize(QUANTUM)
    if exact != value:
        raise InvalidInput(f"{name} {value} has fractions of the smallest unit (0.01)")
    return exact


def money_text(value: Fraction) -> str:
    """An exact amount as text with two places (exact when it has them, else rounded
    down with the exact value after it)."""
    cents = value * 100
    floor = math.floor(cents)
    text = _cents(floor)
    return text if floor == cents else f"{text} (exactly {value})"


def _cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _decimal(value: Fraction) -> Decimal:
    """An amount that is a whole number of cents, as a two-place Decimal."""
    cents = value * 100
    assert cents.denominator == 1
    return Decimal(_cents(cents.numerator))


_WEEK = re.compile(r"(\d{4})-W(\d{2})\Z")
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")


@dataclass(frozen=True, slots=True)
class PayPeriod:
    """The days ``first`` .. ``last`` (inclusive) that strike pay covers; ``label`` canonical."""

    label: str
    first: date
    last: date

    def start(self, tz: str) -> datetime:
        return start_of_day(self.first, tz)

    def end(self, tz: str) -> datetime:
        return start_of_day(self.last + timedelta(days=1), tz)

    def overlaps(self, other: PayPeriod) -> bool:
        return self.first <= other.last and other.first <= self.last


def parse_period(label: str) -> PayPeriod:
    """``2025-W12`` (ISO week), ``2025-03`` (month), ``2025-03-17`` (day) or
    ``2025-03-17..2025-03-21`` (days, inclusive)."""
    text = label.strip() if isinstance(label, str) else ""
    try:
        if m := _WEEK.match(text):
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return PayPeriod(f"{m[1]}-W{m[2]}", first, first + timedelta(days=6))
        if m := _MONTH.match(text):
            first = date(int(m[1]), int(m[2]), 1)
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return PayPeriod(text, first, nxt - timedelta(days=1))
        if ".." in text:
            a, b = (date.fromisoformat(x.strip()) for x in text.split("..", 1))
            if b < a:
                raise ValueError("the period ends before it starts")
            return PayPeriod(f"{a}..{b}", a, b)
        day = date.fromisoformat(text)
        return PayPeriod(day.isoformat(), day, day)
    except ValueError as exc:
        raise InvalidInput("not a pay period", [Problem(
            "period", f"{label!r}: {exc}; use 2025-W12, 2025-03, 2025-03-17 or "
                      "2025-03-17..2025-03-21")]) from None


@dataclass(frozen=True, slots=True)
class Contribution:
    """``amount`` into the fund of ``dispute_id`` from ``source``, received ``received_at``."""

    contribution_id: str
    dispute_id: str
    amount: Decimal
    source: str
    received_at: datetime

    def __post_init__(self) -> None:
        require_id(self.contribution_id, "contribution_id")
        object.__setattr__(self, "amount", money(self.amount))
        require_aware(self.received_at, "received_at")


@dataclass(frozen=True, slots=True)
class StrikePayment:
    """Strike pay of ``amount`` to ``member_id`` for ``period``, paid ``paid_at``."""

    payment_id: str
    dispute_id: str
    member_id: str
    period: PayPeriod
    amount: Decimal
    paid_at: datetime

    def __post_init__(self) -> None:
        require_id(self.payment_id, "payment_id")
        require_id(self.member_id, "member_id")
        object.__setattr__(self, "amount", money(self.amount))
        require_aware(self.paid_at, "paid_at")


def record_contribution(dispute: Dispute, contribution: Contribution, at: datetime) -> Event:
    """Money into the fund; its ``fund.contributed`` event (the source only as a hash)."""
    require_aware(at, "at")
    if contribution.dispute_id != dispute.dispute_id:
        raise InvalidInput(f"contribution {contribution.contribution_id} is for dispute "
                           f"{contribution.dispute_id}")
    problems: list[Problem] = []
    if not contribution.source.strip():
        problems.append(Problem(contribution.contribution_id, "say where the money came from"))
    if contribution.received_at < dispute.opened_at:
        problems.append(Problem(contribution.contribution_id,
                                "received before the dispute was opened"))
    if problems:
        raise PreconditionFailed("contribution not recorded", problems)
    return Event.of(FUND_CONTRIBUTED, at, contribution_id=contribution.contribution_id,
                    dispute_id=dispute.dispute_id, amount=str(contribution.amount),
                    currency=dispute.currency, source_sha256=text_sha256(contribution.source),
                    received_at=iso(contribution.received_at))


def pay_striker(
    dispute: Dispute,
    roster: Roster,
    payment: StrikePayment,
    at: datetime,
    *,
    contributions: Iterable[Contribution],
    payments: Iterable[StrikePayment],
) -> Event:
    """Check strike pay to one striker for one period; its ``strike_pay.paid`` event
    (see :func:`pay_strikers`)."""
    return pay_strikers(dispute, roster, [payment], at, contributions=contributions,
                        payments=payments)[0]


def pay_strikers(
    dispute: Dispute,
    roster: Roster,
    new: Iterable[StrikePayment],
    at: datetime,
    *,
    contributions: Iterable[Contribution],
    payments: Iterable[StrikePayment],
) -> tuple[Event, ...]:
    """Check strike pay to strikers, in order, all or none; one ``strike_pay.paid`` event
    each. ``payments`` are those recorded before.

    Refused (every reason listed): a member who was never on the roster during the
    period; one paid already for an overlapping period (before, or earlier in this
    run); a payment the fund does not hold -- what had come in by its date, less every
    payment recorded and every one before it in this run -- so the fund is never
    overdrawn at any moment. Linear in the events, payments and members.
    """
    require_aware(at, "at")
    paid = list(payments)
    todo = list(new)
    tz = dispute.timezone
    spans = roster.all_intervals()
    by_member: dict[str, list[StrikePayment]] = {}
    for other in paid:
        by_member.setdefault(other.member_id, []).append(other)
    ids = {other.payment_id for other in paid}
    ins = sorted((c.received_at, Fraction(c.amount)) for c in contributions)
    times = [when for when, _ in ins]
    came_in = list(accumulate((amount for _, amount in ins), initial=Fraction(0)))
    out = sum((Fraction(o.amount) for o in paid), Fraction(0))
    problems: list[Problem] = []
    events: list[Event] = []
    for payment in todo:
        if payment.dispute_id != dispute.dispute_id:
            raise InvalidInput(f"payment {payment.payment_id} is for dispute "
                               f"{payment.dispute_id}")
        p = payment.period
        start, end = p.start(tz), p.end(tz)
        if not any(s < end and (e is None or start < e)
                   for s, e in spans.get(payment.member_id, ())):
            problems.append(Problem(payment.member_id, f"was not on the roster of dispute "
                                    f"{dispute.dispute_id} during {p.label}: strike pay goes "
                                    "to strikers"))
        if payment.payment_id in ids:
            problems.append(Problem(payment.payment_id, "a payment with this id exists"))
        for other in by_member.get(payment.member_id, ()):
            if other.period.overlaps(p):
                problems.append(Problem(payment.member_id, f"was paid for {other.period.label} "
                                        f"already ({other.payment_id}, {other.amount})"))
        # what had come in by the payment's date, less every payment recorded (whatever
        # its date): the balance then stays non-negative at every later moment too
        balance = came_in[bisect_right(times, payment.paid_at)] - out
        if Fraction(payment.amount) > balance:
            problems.append(Problem(dispute.dispute_id, f"the fund holds {money_text(balance)} "
                                    f"{dispute.currency}: it cannot pay {payment.amount}"))
        if payment.paid_at < dispute.opened_at:
            problems.append(Problem(payment.payment_id, "paid before the dispute was opened"))
        ids.add(payment.payment_id)
        by_member.setdefault(payment.member_id, []).append(payment)
        out += Fraction(payment.amount)
        events.append(Event.of(STRIKE_PAY_PAID, at, payment_id=payment.payment_id,
                               dispute_id=dispute.dispute_id, member_id=payment.member_id,
                               period=p.label, amount=str(payment.amount),
                               currency=dispute.currency, paid_at=iso(payment.paid_at)))
    if problems:
        who = todo[0].member_id if len(todo) == 1 else f"{len(todo)} strikers"
        label = todo[0].period.label if len({q.period.label for q in todo}) == 1 else "periods"
        raise PreconditionFailed(f"strike pay to {who} for {label} refused", problems)
    return tuple(events)


@dataclass(frozen=True, slots=True)
class FundStatement:
    """The fund at ``at``; the runway is ``balance / weekly_outflow`` weeks (``None``
    while nothing was paid out in the window)."""

    dispute_id: str
    currency: str
    timezone: str
    at: datetime
    contributed: Decimal
    paid: Decimal
    balance: Decimal
    window_weeks: int
    paid_in_window: Decimal
    payments_in_window: int
    strikers_paid_in_window: int
    weekly_outflow: Fraction  # exact
    runway_weeks: Fraction | None  # exact
    runs_out_at: datetime | None

    @property
    def weekly_outflow_text(self) -> str:
        return money_text(self.weekly_outflow)

    @property
    def runway_text(self) -> str:
        if self.runway_weeks is None:
            return "no strike pay in the window: the fund is not being drawn"
        tenths = math.floor(self.runway_weeks * 10)
        whole, part = divmod(tenths, 10)
        assert self.runs_out_at is not None
        return (f"{whole}.{part} weeks at the recent rate (to "
                f"{local_date(self.runs_out_at, self.timezone)})")

    def lines(self) -> list[str]:
        c = self.currency
        return [
            f"Strike fund of dispute {self.dispute_id} at {iso(self.at)}",
            f"Contributed: {self.contributed} {c}",
            f"Paid out: {self.paid} {c}",
            f"Balance: {self.balance} {c}",
            f"Paid in the last {_n(self.window_weeks, 'week')}: {self.paid_in_window} {c} "
            f"({_n(self.payments_in_window, 'payment')} to "
            f"{_n(self.strikers_paid_in_window, 'striker')})",
            f"Weekly outflow: {self.weekly_outflow_text} {c}",
            f"Runway: {self.runway_text}",
        ]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def fund_statement(
    dispute: Dispute,
    contributions: Iterable[Contribution],
    payments: Iterable[StrikePayment],
    at: datetime,
    *,
    window_weeks: int = 4,
) -> FundStatement:
    """The fund's figures at ``at`` and its runway over the last ``window_weeks`` weeks."""
    require_aware(at, "at")
    require_count(window_weeks, "window_weeks", minimum=1)
    ins = [c for c in contributions if c.received_at <= at]
    outs = [p for p in payments if p.paid_at <= at]
    contributed = sum((Fraction(c.amount) for c in ins), Fraction(0))
    paid = sum((Fraction(p.amount) for p in outs), Fraction(0))
    balance = contributed - paid
    since = at - timedelta(weeks=window_weeks)
    recent = [p for p in outs if since < p.paid_at]
    in_window = sum((Fraction(p.amount) for p in recent), Fraction(0))
    weekly = in_window / window_weeks
    runway: Fraction | None = None
    runs_out: datetime | None = None
    if weekly > 0:
        runway = max(balance, Fraction(0)) / weekly
        seconds = math.floor(runway * 7 * 24 * 3600)
        runs_out = at + timedelta(seconds=seconds)
    return FundStatement(
        dispute_id=dispute.dispute_id, currency=dispute.currency, timezone=dispute.timezone,
        at=at,
        contributed=_decimal(contributed), paid=_decimal(paid), balance=_decimal(balance),
        window_weeks=window_weeks, paid_in_window=_decimal(in_window),
        payments_in_window=len(recent),
        strikers_paid_in_window=len({p.member_id for p in recent}),
        weekly_outflow=weekly, runway_weeks=runway, runs_out_at=runs_out,
    )

