"""The pay rule: an official is paid at most the average pay of the people they represent.

For a pay period, the cap of a mandate is the **mean** (or, by choice, the
**median**) of the wage reports of that period from members of the seat's
constituency, computed exactly (``Fraction``). Members listed in ``exclude``
(for example full-time officials, whose pay is what is being capped) do not
count; each member reports at most once a period; members who did not report
do not count; reports from outside the constituency are ignored (and counted
in :attr:`PayCap.ignored`).

:func:`set_pay` refuses an amount above the exact cap with a
:class:`~councilplan.errors.RuleViolation` that states the cap and how it was
computed. :func:`review_pay` compares the current pay with a new period's
cap: a cap below current pay is flagged and the pay is lowered to the cap
from the next period (never retroactively).

Displayed caps are rounded *down* to the money quantum (default 0.01), so a
displayed cap is always payable.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, Inexact, localcontext
from enum import StrEnum
from fractions import Fraction

from councilplan.councils._checks import require_aware, require_decimal, require_id
from councilplan.councils.constituency import Constituency
from councilplan.councils.event import Event, EventKind
from councilplan.councils.mandate import Mandate, MandateStatus
from councilplan.councils.wage import WageReport
from councilplan.errors import InvalidInput, PreconditionFailed, Problem, RuleViolation

__all__ = [
    "PayBasis",
    "PayCap",
    "PayReview",
    "PayRule",
    "PaySetting",
    "pay_cap",
    "review_pay",
    "set_pay",
]


class PayBasis(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"


@dataclass(frozen=True, slots=True)
class PayRule:
    """Which average caps pay (mean by default) and the money quantum for display."""

    basis: PayBasis = PayBasis.MEAN
    quantum: Decimal = Decimal("0.01")

    def __post_init__(self) -> None:
        object.__setattr__(self, "basis", PayBasis(self.basis))
        require_decimal(self.quantum, "quantum")
        if self.quantum <= 0:
            raise InvalidInput("the money quantum must be positive")


def _exact_decimal(value: Fraction) -> Decimal:
    """A Fraction whose denominator divides a power of ten, as an exact Decimal."""
    with localcontext() as ctx:
        ctx.prec = max(28, len(str(value.numerator)) + len(str(value.denominator)) + 2)
        d = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(d) != value:
        raise ValueError(f"{value} has no finite decimal expansion")
    return d


def _exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of Decimals, keeping their scale (``2000.00 + 8000.00 = 10000.00``)."""
    items = list(amounts)
    digits = max((len(a.as_tuple().digits) for a in items), default=1)
    with localcontext() as ctx:
        ctx.prec = digits + len(str(len(items))) + 30
        ctx.traps[Inexact] = True
        return sum(items, Decimal(0))


def _floor_to(value: Fraction, quantum: Decimal) -> Decimal:
    q = Fraction(quantum)
    steps = value // q
    with localcontext() as ctx:
        ctx.prec = max(28, len(str(steps)) + 10)
        return (Decimal(steps) * quantum).quantize(quantum, rounding=ROUND_FLOOR)


@dataclass(frozen=True, slots=True)
class PayCap:
    """The cap of one council's officials for one period, with how it was computed."""

    council_id: str
    period: str
    basis: PayBasis
    reports: int  # counted reports
    total: Decimal  # their exact sum
    exact: Fraction  # the exact mean / median
    cap: Decimal  # ``exact`` rounded down to the quantum
    constituency_size: int
    ignored: int  # reports of the period from outside the constituency
    excluded: int  # reports left out on purpose (``exclude``)
    quantum: Decimal = Decimal("0.01")

    def explanation(self) -> str:
        """How the cap was computed, for people and error messages."""
        if self.basis is PayBasis.MEAN:
            how = f"mean of {self.reports} wage reports: sum {self.total} / {self.reports}"
        else:
            how = f"median of {self.reports} wage reports (sum {self.total})"
        return (
            f"cap {self.cap} for period {self.period} = {how} = {self.exact_text()}, from the "
            f"constituency of council {self.council_id} ({self.constituency_size} members"
            f"; {self.excluded} excluded, {self.ignored} reports from outside ignored)"
        )

    def exact_text(self) -> str:
        """The exact average: as a decimal when it has one, else as a fraction."""
        try:
            d = _exact_decimal(self.exact)
        except ValueError:
            return f"{self.exact} exactly, {self.cap} rounded down"
        if Fraction(d.quantize(self.quantum)) == self.exact:
            d = d.quantize(self.quantum)
        return str(d)


def pay_cap(
    rule: PayRule,
    reports: Iterable[WageReport],
    constituency: Constituency,
    period: str,
    *,
    exclude: Collection[str] = frozenset(),
) -> PayCap:
    """The exact cap for ``period`` from the constituency's wage reports.

    Raises :class:`InvalidInput` when a member reported twice for the period
    (one problem per member) and :class:`PreconditionFailed` when no report counts.
    """
    require_id(period, "period")
    counted: dict[str, Decimal] = {}
    duplicates: list[Problem] = []
    ignored = excluded = 0
    for r in reports:
        if r.period != period:
            continue
        if r.member_id not in constituency:
            ignored += 1
            continue
        if r.member_id in exclude:
            excluded += 1
            continue
        if r.member_id in counted:
            duplicates.append(Problem(r.member_id, f"reported more than once for {period}"))
            continue
        counted[r.member_id] = r.amount
    if duplicates:
        raise InvalidInput(f"duplicate wage reports for period {period}", duplicates)
    if not counted:
        raise PreconditionFailed(
            f"no pay cap for council {constituency.council_id} in period {period}: "
            "no wage reports from its constituency",
            [Problem(constituency.council_id, f"0 of {constituency.size} members reported")],
        )
    amounts = sorted(Fraction(a) for a in counted.values())
    total = sum(amounts, Fraction(0))
    n = len(amounts)
    if rule.basis is PayBasis.MEAN:
        exact = total / n
    else:
        mid = n // 2
        exact = amounts[mid] if n % 2 else (amounts[mid - 1] + amounts[mid]) / 2
    return PayCap(
        council_id=constituency.council_id,
        period=period,
        basis=rule.basis,
        reports=n,
        total=_exact_sum(counted.values()),
        exact=exact,
        cap=_floor_to(exact, rule.quantum),
        constituency_size=constituency.size,
        ignored=ignored,
        excluded=excluded,
        quantum=rule.quantum,
    )


@dataclass(frozen=True, slots=True)
class PaySetting:
    """``mandate_id`` is paid ``amount`` for ``period`` under a cap of ``cap``."""

    mandate_id: str
    period: str
    amount: Decimal
    cap: Decimal

    def __post_init__(self) -> None:
        require_decimal(self.amount, "amount")


def set_pay(
    mandate: Mandate, amount: Decimal, cap: PayCap, at: datetime
) -> tuple[PaySetting, Event]:
    """Set the pay of ``mandate`` for ``cap.period``; refused above the cap.

    The :class:`RuleViolation` message states the amount, the cap and how the
    cap was computed (reports, sum, mean or median).
    """
    require_aware(at, "at")
    require_decimal(amount, "amount")
    if mandate.council_id != cap.council_id:
        raise PreconditionFailed(
            f"the cap is that of council {cap.council_id}, the mandate serves "
            f"council {mandate.council_id}"
        )
    if mandate.status_at(at) not in (MandateStatus.ACTIVE, MandateStatus.PENDING):
        raise PreconditionFailed(
            f"mandate {mandate.mandate_id} is {mandate.status_at(at).value}: no pay to set"
        )
    if Fraction(amount) > cap.exact:
        raise RuleViolation(
            f"pay {amount} for mandate {mandate.mandate_id} in period {cap.period} is above "
            f"the cap: {cap.explanation()}",
            [Problem(mandate.mandate_id, f"{amount} > cap {cap.cap} ({cap.basis.value} of "
                     f"{cap.reports} reports, sum {cap.total})")],
        )
    setting = PaySetting(mandate.mandate_id, cap.period, amount, cap.cap)
    event = Event.of(
        EventKind.PAY_SET,
        at,
        mandate_id=mandate.mandate_id,
        council_id=mandate.council_id,
        period=cap.period,
        amount=str(amount),
        cap=str(cap.cap),
        cap_exact=str(cap.exact),
        basis=cap.basis.value,
        reports=cap.reports,
        total=str(cap.total),
    )
    return setting, event


@dataclass(frozen=True, slots=True)
class PayReview:
    """The current pay against a newer cap: flagged when the cap fell below it."""

    flagged: bool
    current: PaySetting
    cap: PayCap
    next_setting: PaySetting | None  # from ``effective_period``, at the cap
    effective_period: str | None
    events: tuple[Event, ...]


def review_pay(
    current: PaySetting, cap: PayCap, next_period: str, at: datetime
) -> PayReview:
    """Check ``current`` pay against ``cap``; a cap below it applies from ``next_period``."""
    require_aware(at, "at")
    require_id(next_period, "next_period")
    if next_period == current.period:
        raise InvalidInput("the next period must differ from the current one")
    if Fraction(current.amount) <= cap.exact:
        return PayReview(False, current, cap, None, None, ())
    lowered = PaySetting(current.mandate_id, next_period, cap.cap, cap.cap)
    event = Event.of(
        EventKind.PAY_CAP_BELOW_CURRENT,
        at,
        mandate_id=current.mandate_id,
        council_id=cap.council_id,
        period=cap.period,
        current=str(current.amount),
        cap=str(cap.cap),
        cap_exact=str(cap.exact),
        basis=cap.basis.value,
        reports=cap.reports,
        effective_period=next_period,
    )
    return PayReview(True, current, cap, lowered, next_period, (event,))
