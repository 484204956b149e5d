"""Initial schema: councils, members, seats, mandates, pay, ballots, the marked
register, the ballot box, petitions, motions and the audit log.

The marked register, the ballot box and the frozen electorates and petition
constituencies are ``WITHOUT ROWID`` tables on SQLite (no hidden insertion order).
The audit head row starts at size 0 with the genesis hash.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 11:16:28.052384
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_log",
        sa.Column("sequence", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "councils",
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["councils.council_id"], name=op.f("fk_councils_parent_id_councils")
        ),
        sa.PrimaryKeyConstraint("council_id", name=op.f("pk_councils")),
    )
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_members")),
    )
    op.create_table(
        "ballots",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=True),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("electorate_size", sa.Integer(), nullable=True),
        sa.Column("electorate_hash", sa.String(length=64), nullable=True),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("papers", sa.Integer(), nullable=True),
        sa.Column("box_sha256", sa.String(length=64), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_ballots_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("ballot_id", name=op.f("pk_ballots")),
    )
    op.create_index("ix_ballots_council_id", "ballots", ["council_id"], unique=False)
    op.create_index("ix_ballots_subject_id", "ballots", ["subject_id"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("council_kind", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_memberships_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_memberships_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "council_id", name=op.f("pk_memberships")),
    )
    op.create_index("ix_memberships_council_id", "memberships", ["council_id"], unique=False)

    op.create_table(
        "motions",
        sa.Column("motion_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("original_text", sa.Text(), nullable=False),
        sa.Column("tabled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("amendments", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_motions_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["members.member_id"], name=op.f("fk_motions_proposed_by_members")
        ),
        sa.PrimaryKeyConstraint("motion_id", name=op.f("pk_motions")),
    )
    op.create_index("ix_motions_council_id", "motions", ["council_id"], unique=False)

    op.create_table(
        "seats",
        sa.Column("seat_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("term_seconds", sa.BigInteger(), nullable=False),
        sa.Column("lead_seconds", sa.BigInteger(), nullable=False),
        sa.Column("delegate_to", sa.String(length=64), nullable=True),
        sa.Column("defined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_seats_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["delegate_to"], ["councils.council_id"], name=op.f("fk_seats_delegate_to_councils")
        ),
        sa.PrimaryKeyConstraint("seat_id", name=op.f("pk_seats")),
    )
    op.create_index("ix_seats_council_id", "seats", ["council_id"], unique=False)

    op.create_table(
        "wage_reports",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_wage_reports_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "period", name=op.f("pk_wage_reports")),
    )
    op.create_index("ix_wage_reports_period", "wage_reports", ["period"], unique=False)

    op.create_table(
        "audit_checkpoints",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("moment", sa.String(length=8), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["ballots.ballot_id"],
            name=op.f("fk_audit_checkpoints_ballot_id_ballots"),
        ),
        sa.PrimaryKeyConstraint("ballot_id", "moment", name=op.f("pk_audit_checkpoints")),
    )
    op.create_table(
        "ballot_box",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("receipt_code", sa.String(length=64), nullable=False),
        sa.Column("paper", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_ballot_box_ballot_id_ballots")
        ),
        sa.PrimaryKeyConstraint("ballot_id", "receipt_code", name=op.f("pk_ballot_box")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "ballot_electorate",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["ballots.ballot_id"],
            name=op.f("fk_ballot_electorate_ballot_id_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.member_id"],
            name=op.f("fk_ballot_electorate_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("ballot_id", "member_id", name=op.f("pk_ballot_electorate")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "ballot_seats",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("seat_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("previous_mandate_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_ballot_seats_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"], ["seats.seat_id"], name=op.f("fk_ballot_seats_seat_id_seats")
        ),
        sa.PrimaryKeyConstraint("ballot_id", "seat_id", name=op.f("pk_ballot_seats")),
    )
    op.create_table(
        "mandates",
        sa.Column("mandate_id", sa.String(length=64), nullable=False),
        sa.Column("seat_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("holder_id", sa.String(length=64), nullable=False),
        sa.Column("term_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("term_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.Column("ballot_id", sa.String(length=64), nullable=True),
        sa.Column("expiry_recorded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_mandates_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_mandates_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["members.member_id"], name=op.f("fk_mandates_holder_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"], ["seats.seat_id"], name=op.f("fk_mandates_seat_id_seats")
        ),
        sa.PrimaryKeyConstraint("mandate_id", name=op.f("pk_mandates")),
    )
    op.create_index("ix_mandates_council_id", "mandates", ["council_id"], unique=False)
    op.create_index("ix_mandates_seat_id", "mandates", ["seat_id"], unique=False)

    op.create_table(
        "marked_register",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("revote_check", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_marked_register_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_marked_register_member_id_members")
        ),
        sa.PrimaryKeyConstraint("ballot_id", "member_id", name=op.f("pk_marked_register")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pay_settings",
        sa.Column("mandate_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=48), nullable=False),
        sa.Column("cap", sa.String(length=48), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mandate_id"],
            ["mandates.mandate_id"],
            name=op.f("fk_pay_settings_mandate_id_mandates"),
        ),
        sa.PrimaryKeyConstraint("mandate_id", "period", name=op.f("pk_pay_settings")),
    )
    op.create_table(
        "petitions",
        sa.Column("petition_id", sa.String(length=64), nullable=False),
        sa.Column("mandate_id", sa.String(length=64), nullable=False),
        sa.Column("seat_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("threshold", sa.String(length=32), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("constituency_size", sa.Integer(), nullable=False),
        sa.Column("constituency_hash", sa.String(length=64), nullable=False),
        sa.Column("ballot_rule", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ballot_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_petitions_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_petitions_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandates.mandate_id"], name=op.f("fk_petitions_mandate_id_mandates")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["members.member_id"], name=op.f("fk_petitions_opened_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"], ["seats.seat_id"], name=op.f("fk_petitions_seat_id_seats")
        ),
        sa.PrimaryKeyConstraint("petition_id", name=op.f("pk_petitions")),
    )
    op.create_index("ix_petitions_mandate_id", "petitions", ["mandate_id"], unique=False)

    op.create_table(
        "petition_constituents",
        sa.Column("petition_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.member_id"],
            name=op.f("fk_petition_constituents_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.petition_id"],
            name=op.f("fk_petition_constituents_petition_id_petitions"),
        ),
        sa.PrimaryKeyConstraint("petition_id", "member_id", name=op.f("pk_petition_constituents")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "petition_signatures",
        sa.Column("petition_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.member_id"],
            name=op.f("fk_petition_signatures_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.petition_id"],
            name=op.f("fk_petition_signatures_petition_id_petitions"),
        ),
        sa.PrimaryKeyConstraint("petition_id", "member_id", name=op.f("pk_petition_signatures")),
    )

    audit_head = sa.table(
        "audit_head",
        sa.column("id", sa.Integer()),
        sa.column("size", sa.BigInteger()),
        sa.column("head_hash", sa.String(64)),
    )
    op.bulk_insert(audit_head, [{"id": 1, "size": 0, "head_hash": "0" * 64}])


def downgrade() -> None:
    op.drop_table("petition_signatures")
    op.drop_table("petition_constituents")
    op.drop_index("ix_petitions_mandate_id", table_name="petitions")
    op.drop_table("petitions")
    op.drop_table("pay_settings")
    op.drop_table("marked_register")
    op.drop_index("ix_mandates_seat_id", table_name="mandates")
    op.drop_index("ix_mandates_council_id", table_name="mandates")
    op.drop_table("mandates")
    op.drop_table("ballot_seats")
    op.drop_table("ballot_electorate")
    op.drop_table("ballot_box")
    op.drop_table("audit_checkpoints")
    op.drop_index("ix_wage_reports_period", table_name="wage_reports")
    op.drop_table("wage_reports")
    op.drop_index("ix_seats_council_id", table_name="seats")
    op.drop_table("seats")
    op.drop_index("ix_motions_council_id", table_name="motions")
    op.drop_table("motions")
    op.drop_index("ix_memberships_council_id", table_name="memberships")
    op.drop_table("memberships")
    op.drop_index("ix_ballots_subject_id", table_name="ballots")
    op.drop_index("ix_ballots_council_id", table_name="ballots")
    op.drop_table("ballots")
    op.drop_table("members")
    op.drop_table("councils")
    op.drop_table("audit_log")
    op.drop_table("audit_head")
