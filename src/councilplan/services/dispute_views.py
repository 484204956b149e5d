"""Read models of disputes: what the CLI and the API show, frozen values with ``to_dict()``.

Like :mod:`councilplan.services.views`: instants as UTC ISO-8601, money and exact
shares as text. A strike ballot's result (and its notice) appears only once it is
closed; no view joins a striker to a paper.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from councilplan.services.views import BallotView, _View

__all__ = [
    "ActionCallView",
    "ActionMandateView",
    "CommitteeSeatView",
    "ContributionView",
    "DisputeDetail",
    "DisputeView",
    "FundView",
    "OfferView",
    "PayRunView",
    "PaymentView",
    "ResultsNoticeView",
    "RosterEventView",
    "RosterView",
    "RuleSetView",
    "SettlementView",
    "StrikeBallotView",
    "StrikerView",
]


@dataclasses.dataclass(frozen=True, slots=True)
class DisputeView(_View):
    dispute_id: str
    employer: str
    demands: tuple[str, ...]
    council_ids: tuple[str, ...]
    jurisdiction: str
    sector: str
    timezone: str
    currency: str
    status: str
    opened_at: datetime
    settled_at: datetime | None
    rules: str  # the rule set a ballot opening now would be held under
    rules_title: str
    strikers: int  # on the roster now


@dataclasses.dataclass(frozen=True, slots=True)
class RosterEventView(_View):
    sequence: int
    member_id: str
    kind: str
    at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class StrikerView(_View):
    member_id: str
    name: str
    status: str  # on_strike, returned, dismissed
    since: datetime  # their last roster event


@dataclasses.dataclass(frozen=True, slots=True)
class RosterView(_View):
    """The roster at ``at``: who is on strike, its size and hash (as a ballot would freeze
    it), everybody ever on it with where they stand, and every event."""

    dispute_id: str
    at: datetime
    strikers: tuple[str, ...]
    size: int
    sha256: str
    members: tuple[StrikerView, ...]
    events: tuple[RosterEventView, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class CommitteeSeatView(_View):
    seat_id: str
    title: str
    term_length: timedelta
    election_lead: timedelta
    holder_id: str | None  # who holds it now (None: vacant)
    mandate_id: str | None
    term_end: datetime | None
    holder_on_roster: bool | None  # is the holder still a striker?


@dataclasses.dataclass(frozen=True, slots=True)
class OfferView(_View):
    offer_id: str
    dispute_id: str
    received_at: datetime
    summary: str
    text: str
    text_sha256: str
    status: str
    decided_at: datetime | None
    ballot_id: str | None
    published_to: int  # strikers it was published to
    recorded_by: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class StrikeBallotView(_View):
    ballot_id: str
    dispute_id: str
    kind: str
    form: str | None
    offer_id: str | None
    rules: str
    rules_title: str
    status: str
    passed: bool | None
    ballot: BallotView


@dataclasses.dataclass(frozen=True, slots=True)
class ResultsNoticeView(_View):
    """The results notice of a closed strike ballot (``notice``: every figure as data)."""

    ballot_id: str
    dispute_id: str
    notice: dict[str, Any]
    statement: str


@dataclasses.dataclass(frozen=True, slots=True)
class ActionMandateView(_View):
    ballot_id: str
    dispute_id: str
    form: str
    kind: str
    rules: str
    date_of_ballot: date
    granted_at: datetime
    expires_at: datetime
    last_day: date  # the last day of action it covers, in the dispute's zone
    extendable_to: datetime | None
    extended_at: datetime | None
    revoked_at: datetime | None
    status: str  # in_force, expired, revoked


@dataclasses.dataclass(frozen=True, slots=True)
class ActionCallView(_View):
    call_id: str
    dispute_id: str
    ballot_id: str
    form: str
    starts_at: datetime
    ends_at: datetime
    called_at: datetime
    notice_agreed: bool
    called_off_at: datetime | None
    status: str


@dataclasses.dataclass(frozen=True, slots=True)
class SettlementView(_View):
    dispute_id: str
    offer_id: str
    ballot_id: str
    settled_at: datetime
    terms_sha256: str


@dataclasses.dataclass(frozen=True, slots=True)
class ContributionView(_View):
    contribution_id: str
    dispute_id: str
    amount: Decimal
    source: str
    received_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentView(_View):
    payment_id: str
    dispute_id: str
    member_id: str
    period: str
    amount: Decimal
    paid_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class PayRunView(_View):
    """Strike pay for one period to many strikers at once (all or none)."""

    dispute_id: str
    period: str
    amount: Decimal  # to each
    paid: tuple[str, ...]  # member ids, in order
    total: Decimal
    skipped: tuple[str, ...]  # strikers of the period paid for it already


@dataclasses.dataclass(frozen=True, slots=True)
class FundView(_View):
    """The strike fund at ``at``: the runway is ``balance / weekly_outflow`` weeks."""

    dispute_id: str
    currency: str
    at: datetime
    contributed: Decimal
    paid: Decimal
    balance: Decimal
    window_weeks: int
    paid_in_window: Decimal
    payments_in_window: int
    strikers_paid_in_window: int
    weekly_outflow: str  # exact (a fraction when it has no two-place value)
    weekly_outflow_money: str  # two places, rounded down
    runway_weeks: str | None  # exact
    runway: str  # for people: "8.2 weeks at the recent rate (to 2025-06-01)"
    runs_out_at: datetime | None
    lines: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class RuleSetView(_View):
    key: str
    title: str
    jurisdiction: str
    sectors: str
    dates: str
    applies_from: date
    applies_until: date | None
    action_rule: str
    internal_rule: str
    mandate: str
    notice: str
    timezone: str | None
    source: str
    notes: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class DisputeDetail(_View):
    dispute: DisputeView
    roster: RosterView
    committee: tuple[CommitteeSeatView, ...]
    offers: tuple[OfferView, ...]
    ballots: tuple[StrikeBallotView, ...]
    mandates: tuple[ActionMandateView, ...]
    calls: tuple[ActionCallView, ...]
    fund: FundView
    settlement: SettlementView | None
