"""The plan cycle: product catalogue, planning periods, needs, techniques (versioned),
working time, plan snapshots and variants, plan ballots (the weighted electorate and
the delegates' roll call), targets and output reports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 14:01:19.326966
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_products",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("classifications", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_plan_products")),
    )
    op.create_table(
        "plan_periods",
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sub_periods", sa.Text(), nullable=False),
        sa.Column("electorate", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("adopted_variant", sa.String(length=64), nullable=True),
        sa.Column("in_force", sa.String(length=64), nullable=True),
        sa.Column("replan_from", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.council_id"],
            name=op.f("fk_plan_periods_council_id_councils"),
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_plan_periods")),
    )
    op.create_index("ix_plan_periods_council_id", "plan_periods", ["council_id"], unique=False)

    op.create_table(
        "plan_ballot_weights",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["ballots.ballot_id"],
            name=op.f("fk_plan_ballot_weights_ballot_id_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.member_id"],
            name=op.f("fk_plan_ballot_weights_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("ballot_id", "member_id", name=op.f("pk_plan_ballot_weights")),
    )
    op.create_table(
        "plan_ballots",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.String(length=16), nullable=False),
        sa.Column("weights_sha256", sa.String(length=64), nullable=True),
        sa.Column("total_weight", sa.String(length=64), nullable=True),
        sa.Column("unrepresented", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_plan_ballots_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_ballots_period_id_plan_periods"),
        ),
        sa.PrimaryKeyConstraint("ballot_id", name=op.f("pk_plan_ballots")),
    )
    op.create_index("ix_plan_ballots_period_id", "plan_ballots", ["period_id"], unique=False)

    op.create_table(
        "plan_needs",
        sa.Column("need_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.council_id"], name=op.f("fk_plan_needs_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_needs_period_id_plan_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["plan_products.code"],
            name=op.f("fk_plan_needs_product_code_plan_products"),
        ),
        sa.PrimaryKeyConstraint("need_id", name=op.f("pk_plan_needs")),
    )
    op.create_index("ix_plan_needs_council_id", "plan_needs", ["council_id"], unique=False)
    op.create_index("ix_plan_needs_period_id", "plan_needs", ["period_id"], unique=False)

    op.create_table(
        "plan_reports",
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("sub_period", sa.String(length=32), nullable=False),
        sa.Column("workplace_id", sa.String(length=64), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("output", sa.Float(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_reports_period_id_plan_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["plan_products.code"],
            name=op.f("fk_plan_reports_product_code_plan_products"),
        ),
        sa.ForeignKeyConstraint(
            ["workplace_id"],
            ["councils.council_id"],
            name=op.f("fk_plan_reports_workplace_id_councils"),
        ),
        sa.PrimaryKeyConstraint(
            "period_id", "sub_period", "workplace_id", "product_code", name=op.f("pk_plan_reports")
        ),
    )
    op.create_table(
        "plan_roll_call",
        sa.Column("ballot_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("paper", sa.Text(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballots.ballot_id"], name=op.f("fk_plan_roll_call_ballot_id_ballots")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name=op.f("fk_plan_roll_call_member_id_members")
        ),
        sa.PrimaryKeyConstraint("ballot_id", "member_id", name=op.f("pk_plan_roll_call")),
    )
    op.create_table(
        "plan_snapshots",
        sa.Column("snapshot_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("arrays", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_snapshots_period_id_plan_periods"),
        ),
        sa.PrimaryKeyConstraint("snapshot_id", name=op.f("pk_plan_snapshots")),
    )
    op.create_index("ix_plan_snapshots_period_id", "plan_snapshots", ["period_id"], unique=False)

    op.create_table(
        "plan_techniques",
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("workplace_id", sa.String(length=64), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("labour", sa.Float(), nullable=False),
        sa.Column("capacity", sa.Float(), nullable=True),
        sa.Column("input_codes", sa.Text(), nullable=False),
        sa.Column("input_quantities", sa.LargeBinary(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_techniques_period_id_plan_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["plan_products.code"],
            name=op.f("fk_plan_techniques_product_code_plan_products"),
        ),
        sa.ForeignKeyConstraint(
            ["workplace_id"],
            ["councils.council_id"],
            name=op.f("fk_plan_techniques_workplace_id_councils"),
        ),
        sa.PrimaryKeyConstraint(
            "period_id", "workplace_id", "product_code", "version", name=op.f("pk_plan_techniques")
        ),
    )
    op.create_index(
        "ix_plan_techniques_current", "plan_techniques", ["period_id", "current"], unique=False
    )

    op.create_table(
        "plan_working_time",
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.Column("weeks", sa.Float(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.council_id"],
            name=op.f("fk_plan_working_time_council_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_working_time_period_id_plan_periods"),
        ),
        sa.PrimaryKeyConstraint("period_id", "council_id", name=op.f("pk_plan_working_time")),
    )
    op.create_table(
        "plan_variants",
        sa.Column("variant_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("snapshot_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("variant_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("consequences", sa.Text(), nullable=False),
        sa.Column("arrays", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ballot_id", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_variants_period_id_plan_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["plan_snapshots.snapshot_id"],
            name=op.f("fk_plan_variants_snapshot_id_plan_snapshots"),
        ),
        sa.PrimaryKeyConstraint("variant_id", name=op.f("pk_plan_variants")),
        sa.UniqueConstraint("period_id", "revision", "key", name="uq_plan_variants_key"),
    )
    op.create_index("ix_plan_variants_period_id", "plan_variants", ["period_id"], unique=False)

    op.create_table(
        "plan_targets",
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("workplace_id", sa.String(length=64), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("variant_id", sa.String(length=64), nullable=False),
        sa.Column("technique_version", sa.Integer(), nullable=False),
        sa.Column("output", sa.Float(), nullable=False),
        sa.Column("labour", sa.Float(), nullable=False),
        sa.Column("net_share", sa.Float(), nullable=False),
        sa.Column("surplus_share", sa.Float(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["plan_periods.period_id"],
            name=op.f("fk_plan_targets_period_id_plan_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["plan_products.code"],
            name=op.f("fk_plan_targets_product_code_plan_products"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["plan_variants.variant_id"],
            name=op.f("fk_plan_targets_variant_id_plan_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["workplace_id"],
            ["councils.council_id"],
            name=op.f("fk_plan_targets_workplace_id_councils"),
        ),
        sa.PrimaryKeyConstraint(
            "period_id", "revision", "workplace_id", "product_code", name=op.f("pk_plan_targets")
        ),
    )
    op.create_index(
        "ix_plan_targets_workplace", "plan_targets", ["period_id", "workplace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_plan_targets_workplace", table_name="plan_targets")

    op.drop_table("plan_targets")
    op.drop_index("ix_plan_variants_period_id", table_name="plan_variants")

    op.drop_table("plan_variants")
    op.drop_table("plan_working_time")
    op.drop_index("ix_plan_techniques_current", table_name="plan_techniques")

    op.drop_table("plan_techniques")
    op.drop_index("ix_plan_snapshots_period_id", table_name="plan_snapshots")

    op.drop_table("plan_snapshots")
    op.drop_table("plan_roll_call")
    op.drop_table("plan_reports")
    op.drop_index("ix_plan_needs_period_id", table_name="plan_needs")
    op.drop_index("ix_plan_needs_council_id", table_name="plan_needs")

    op.drop_table("plan_needs")
    op.drop_index("ix_plan_ballots_period_id", table_name="plan_ballots")

    op.drop_table("plan_ballots")
    op.drop_table("plan_ballot_weights")
    op.drop_index("ix_plan_periods_council_id", table_name="plan_periods")

    op.drop_table("plan_periods")
    op.drop_table("plan_products")
