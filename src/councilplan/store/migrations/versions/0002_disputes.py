"""Disputes: a strike run by the strikers.

Disputes and their councils, the roster as its events, the strike committee's seats
(seats whose constituency is the roster), offers and to whom they were published,
strike ballots (the dispute's side of a ballot: kind, form, offer, the rule set it was
opened under, the results notice), the mandates they grant, calls to action,
settlements, and the strike fund (contributions and strike pay). Only new tables:
nothing of revision 0001 changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 13:58:24.574831
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disputes",
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("demands", sa.Text(), nullable=False),
        sa.Column("jurisdiction", sa.String(length=32), nullable=False),
        sa.Column("sector", sa.String(length=64), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("union_mandate_months", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("dispute_id", name=op.f("pk_disputes")),
    )
    op.create_table(
        "dispute_councils",
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.council_id"],
            name=op.f("fk_dispute_councils_council_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_dispute_councils_dispute_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("dispute_id", "council_id", name=op.f("pk_dispute_councils")),
    )
    op.create_index(
        "ix_dispute_councils_council_id", "dispute_councils", ["council_id"], unique=False
    )

    op.create_table(
        "fund_contributions",
        sa.Column("contribution_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.String(length=48), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_fund_contributions_dispute_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("contribution_id", name=op.f("pk_fund_contributions")),
    )
    op.create_index(
        "ix_fund_contributions_dispute_id", "fund_contributions", ["dispute_id"], unique=False
    )

    op.create_table(
        "roster_events",
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_roster_events_dispute_id_disputes"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_roster_events_member_id_members")
        ),
        sa.PrimaryKeyConstraint("dispute_id", "sequence", name=op.f("pk_roster_events")),
    )
    op.create_index("ix_roster_events_member_id", "roster_events", ["member_id"], unique=False)

    op.create_table(
        "strike_payments",
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=48), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_strike_payments_dispute_id_disputes"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_strike_payments_member_id_members")
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_strike_payments")),
    )
    op.create_index(
        "ix_strike_payments_dispute_id", "strike_payments", ["dispute_id"], unique=False
    )

    op.create_table(
        "committee_seats",
        sa.Column("seat_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_committee_seats_dispute_id_disputes"),
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"], ["seats.seat_id"], name=op.f("fk_committee_seats_seat_id_seats")
        ),
        sa.PrimaryKeyConstraint("seat_id", name=op.f("pk_committee_seats")),
    )
    op.create_index(
        "ix_committee_seats_dispute_id", "committee_seats", ["dispute_id"], unique=False
    )

    op.create_table(
        "offers",
        sa.Column("offer_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ballot_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_offers_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"], ["disputes.dispute_id"], name=op.f("fk_offers_dispute_id_disputes")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["members.member_id"], name=op.f("fk_offers_recorded_by_members")
        ),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_offers")),
    )
    op.create_index("ix_offers_dispute_id", "offers", ["dispute_id"], unique=False)

    op.create_table(
        "offer_recipients",
        sa.Column("offer_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_offer_recipients_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.offer_id"], name=op.f("fk_offer_recipients_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("offer_id", "member_id", name=op.f("pk_offer_recipients")),
    )
    op.create_table(
        "settlements",
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("offer_id", sa.String(length=64), nullable=False),
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terms_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_settlements_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"], ["disputes.dispute_id"], name=op.f("fk_settlements_dispute_id_disputes")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.offer_id"], name=op.f("fk_settlements_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("dispute_id", name=op.f("pk_settlements")),
    )
    op.create_table(
        "strike_ballots",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("form", sa.String(length=16), nullable=True),
        sa.Column("offer_id", sa.String(length=64), nullable=True),
        sa.Column("rules_key", sa.String(length=64), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("notice", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_strike_ballots_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_strike_ballots_dispute_id_disputes"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.offer_id"], name=op.f("fk_strike_ballots_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("ballot_id", name=op.f("pk_strike_ballots")),
    )
    op.create_index("ix_strike_ballots_dispute_id", "strike_ballots", ["dispute_id"], unique=False)

    op.create_table(
        "action_mandates",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("form", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("rules_key", sa.String(length=64), nullable=False),
        sa.Column("date_of_ballot", sa.String(length=10), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extendable_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expiry_recorded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["strike_ballots.ballot_id"],
            name=op.f("fk_action_mandates_ballot_id_strike_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_action_mandates_dispute_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("ballot_id", name=op.f("pk_action_mandates")),
    )
    op.create_index(
        "ix_action_mandates_dispute_id", "action_mandates", ["dispute_id"], unique=False
    )

    op.create_table(
        "action_calls",
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_id", sa.String(length=64), nullable=False),
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("form", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_agreed", sa.Boolean(), nullable=False),
        sa.Column("called_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["action_mandates.ballot_id"],
            name=op.f("fk_action_calls_ballot_id_action_mandates"),
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.dispute_id"],
            name=op.f("fk_action_calls_dispute_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_action_calls")),
    )
    op.create_index("ix_action_calls_dispute_id", "action_calls", ["dispute_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_action_calls_dispute_id", table_name="action_calls")
    op.drop_table("action_calls")
    op.drop_index("ix_action_mandates_dispute_id", table_name="action_mandates")
    op.drop_table("action_mandates")
    op.drop_index("ix_strike_ballots_dispute_id", table_name="strike_ballots")
    op.drop_table("strike_ballots")
    op.drop_table("settlements")
    op.drop_table("offer_recipients")
    op.drop_index("ix_offers_dispute_id", table_name="offers")
    op.drop_table("offers")
    op.drop_index("ix_committee_seats_dispute_id", table_name="committee_seats")
    op.drop_table("committee_seats")
    op.drop_index("ix_strike_payments_dispute_id", table_name="strike_payments")
    op.drop_table("strike_payments")
    op.drop_index("ix_roster_events_member_id", table_name="roster_events")
    op.drop_table("roster_events")
    op.drop_index("ix_fund_contributions_dispute_id", table_name="fund_contributions")
    op.drop_table("fund_contributions")
    op.drop_index("ix_dispute_councils_council_id", table_name="dispute_councils")
    op.drop_table("dispute_councils")
    op.drop_table("disputes")
