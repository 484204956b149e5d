"""The dispute tables: disputes, their councils and roster, the strike committee's seats,
offers and to whom they were published, strike ballots and their mandates, calls to
action, settlements, and the strike fund.

The roster is kept as its events (``roster_events``), never as a list that is edited:
who is on strike at any moment follows from them. A strike ballot is a row of
``ballots`` (purpose ``dispute``) with its electorate, register and box as for any
ballot; ``strike_ballots`` adds the dispute's side (kind, form, offer, the copy of the
rule set it was opened under, the results notice), ``action_mandates`` what a carried
action ballot authorises.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from councilplan.store.tables._meta import HASH, ID, metadata
from councilplan.store.types import DecimalText, JsonText, UtcDateTime

__all__ = [
    "action_calls",
    "action_mandates",
    "committee_seats",
    "dispute_councils",
    "disputes",
    "fund_contributions",
    "offer_recipients",
    "offers",
    "roster_events",
    "settlements",
    "strike_ballots",
    "strike_payments",
]

disputes = Table(
    "disputes", metadata,
    Column("dispute_id", String(ID), primary_key=True),
    Column("employer", Text(), nullable=False),
    Column("demands", JsonText(), nullable=False),
    Column("jurisdiction", String(32), nullable=False),
    Column("sector", String(64), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("union_mandate_months", Integer(), nullable=True),
    Column("currency", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("settled_at", UtcDateTime(), nullable=True),
)

dispute_councils = Table(
    "dispute_councils", metadata,
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), primary_key=True),
    Column("position", Integer(), nullable=False),
    Index("ix_dispute_councils_council_id", "council_id"),
)

roster_events = Table(
    "roster_events", metadata,
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), primary_key=True),
    Column("sequence", Integer(), primary_key=True, autoincrement=False),
    Column("member_id", String(ID), ForeignKey("members.member_id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Index("ix_roster_events_member_id", "member_id"),
)

committee_seats = Table(
    "committee_seats", metadata,
    Column("seat_id", String(ID), ForeignKey("seats.seat_id"), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Index("ix_committee_seats_dispute_id", "dispute_id"),
)

offers = Table(
    "offers", metadata,
    Column("offer_id", String(ID), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("recorded_by", String(ID), ForeignKey("members.member_id"), nullable=True),
    Column("text", Text(), nullable=False),
    Column("summary", Text(), nullable=False),
    Column("text_sha256", String(HASH), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), nullable=True),
    Index("ix_offers_dispute_id", "dispute_id"),
)

offer_recipients = Table(
    "offer_recipients", metadata,
    Column("offer_id", String(ID), ForeignKey("offers.offer_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("published_at", UtcDateTime(), nullable=False),
)

strike_ballots = Table(
    "strike_ballots", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("form", String(16), nullable=True),
    Column("offer_id", String(ID), ForeignKey("offers.offer_id"), nullable=True),
    Column("rules_key", String(64), nullable=False),
    Column("rules", JsonText(), nullable=False),  # the rule set it was opened under
    Column("status", String(8), nullable=False),  # open / closed (result applied)
    Column("passed", Boolean(), nullable=True),
    Column("notice", JsonText(), nullable=True),  # the results notice, after close
    Index("ix_strike_ballots_dispute_id", "dispute_id"),
)

action_mandates = Table(
    "action_mandates", metadata,
    Column("ballot_id", String(ID), ForeignKey("strike_ballots.ballot_id"), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Column("form", String(16), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("rules_key", String(64), nullable=False),
    Column("date_of_ballot", String(10), nullable=False),  # ISO date, the dispute's zone
    Column("granted_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("extendable_to", UtcDateTime(), nullable=True),
    Column("extended_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Column("expiry_recorded", Boolean(), nullable=False),
    Index("ix_action_mandates_dispute_id", "dispute_id"),
)

action_calls = Table(
    "action_calls", metadata,
    Column("call_id", String(ID), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Column("ballot_id", String(ID), ForeignKey("action_mandates.ballot_id"), nullable=False),
    Column("form", String(16), nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("ends_at", UtcDateTime(), nullable=False),
    Column("called_at", UtcDateTime(), nullable=False),
    Column("notice_agreed", Boolean(), nullable=False),
    Column("called_off_at", UtcDateTime(), nullable=True),
    Index("ix_action_calls_dispute_id", "dispute_id"),
)

settlements = Table(
    "settlements", metadata,
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), primary_key=True),
    Column("offer_id", String(ID), ForeignKey("offers.offer_id"), nullable=False),
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), nullable=False),
    Column("settled_at", UtcDateTime(), nullable=False),
    Column("terms_sha256", String(HASH), nullable=False),
)

fund_contributions = Table(
    "fund_contributions", metadata,
    Column("contribution_id", String(ID), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Column("amount", DecimalText(), nullable=False),
    Column("source", Text(), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Index("ix_fund_contributions_dispute_id", "dispute_id"),
)

strike_payments = Table(
    "strike_payments", metadata,
    Column("payment_id", String(ID), primary_key=True),
    Column("dispute_id", String(ID), ForeignKey("disputes.dispute_id"), nullable=False),
    Column("member_id", String(ID), ForeignKey("members.member_id"), nullable=False),
    Column("period", String(32), nullable=False),
    Column("amount", DecimalText(), nullable=False),
    Column("paid_at", UtcDateTime(), nullable=False),
    Index("ix_strike_payments_dispute_id", "dispute_id"),
)
