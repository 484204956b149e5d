"""Wage reports: what each member was paid in a pay period (the basis of the pay rule).

A :class:`WageReport` is personal data: its amount never appears in an event
(:func:`wage_reported` records only who reported for which period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from councilplan.councils._checks import require_decimal, require_id
from councilplan.councils.event import Event, EventKind

__all__ = ["WageReport", "wage_reported"]


@dataclass(frozen=True, slots=True)
class WageReport:
    """``member_id`` was paid ``amount`` (exact Decimal, >= 0) in pay period ``period``.

    ``period`` is an opaque label chosen by the service (e.g. ``"2025-03"`` or
    ``"2025-W12"``); only equality of labels matters to the core.
    """

    member_id: str
    period: str
    amount: Decimal

    def __post_init__(self) -> None:
        require_id(self.member_id, "member_id")
        require_id(self.period, "period")
        require_decimal(self.amount, "amount")


def wage_reported(report: WageReport, at: datetime) -> Event:
    """The ``wage.reported`` event: member and period only, never the amount."""
    return Event.of(
        EventKind.WAGE_REPORTED, at, member_id=report.member_id, period=report.period
    )
