"""The plan-cycle tables: catalogue, periods, needs, techniques, working time, snapshots,
variants, plan ballots, targets and output reports.

Quantities are physical measurements, stored as IEEE doubles (``REAL`` on SQLite,
``double precision`` on PostgreSQL: both round-trip a Python float exactly). A
technique's inputs are one row's two columns (the input codes, line-separated, and
their quantities as little-endian doubles), so a national registration of 10^5
techniques is 10^5 rows, not 10^6. A plan snapshot and a variant keep their arrays
as one binary blob each (numpy ``.npz``): they are written once and never change;
their digests are in their canonical documents, and the adopted variant's hash is
in the audit log.

Rows are never updated in place where history matters: a technique registered again
is a new version (the old one stays, ``current`` false), a withdrawn need keeps its
row (``withdrawn_at``), variants and snapshots are immutable apart from their status.

Plan ballots of delegates are **open, recorded votes** (see
:mod:`councilplan.councils.weighted`): ``plan_ballot_weights`` is the frozen weighted
electorate and ``plan_roll_call`` the delegates' papers with their names. Such a
ballot's ``ballot_electorate`` stays empty, so the secret casting path refuses
everybody in it.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from councilplan.store.tables._meta import HASH, ID, metadata
from councilplan.store.types import JsonText, UtcDateTime

__all__ = [
    "plan_ballot_weights",
    "plan_ballots",
    "plan_needs",
    "plan_periods",
    "plan_products",
    "plan_reports",
    "plan_roll_call",
    "plan_snapshots",
    "plan_targets",
    "plan_techniques",
    "plan_variants",
    "plan_working_time",
]

CODE = 64

plan_products = Table(
    "plan_products", metadata,
    Column("code", String(CODE), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("description", Text(), nullable=False),
    Column("classifications", JsonText(), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
)

plan_periods = Table(
    "plan_periods", metadata,
    Column("period_id", String(ID), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("ends_at", UtcDateTime(), nullable=False),
    Column("sub_periods", JsonText(), nullable=False),
    Column("electorate", String(16), nullable=False),
    Column("method", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("adopted_variant", String(ID), nullable=True),
    Column("in_force", String(ID), nullable=True),
    Column("replan_from", String(32), nullable=True),  # first sub-period of a re-plan
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_plan_periods_council_id", "council_id"),
)

plan_needs = Table(
    "plan_needs", metadata,
    Column("need_id", String(ID), primary_key=True),
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), nullable=False),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("product_code", String(CODE), ForeignKey("plan_products.code"), nullable=False),
    Column("quantity", Float(), nullable=False),
    Column("tier", Integer(), nullable=False),
    Column("category", String(16), nullable=False),
    Column("reason", Text(), nullable=False),
    Column("batch_id", String(ID), nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("withdrawn_at", UtcDateTime(), nullable=True),
    Index("ix_plan_needs_period_id", "period_id"),
    Index("ix_plan_needs_council_id", "council_id"),
)

plan_techniques = Table(
    "plan_techniques", metadata,
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), primary_key=True),
    Column("workplace_id", String(ID), ForeignKey("councils.council_id"), primary_key=True),
    Column("product_code", String(CODE), ForeignKey("plan_products.code"), primary_key=True),
    Column("version", Integer(), primary_key=True, autoincrement=False),
    Column("labour", Float(), nullable=False),
    Column("capacity", Float(), nullable=True),  # NULL: unlimited
    Column("input_codes", Text(), nullable=False),  # line-separated product codes
    Column("input_quantities", LargeBinary(), nullable=False),  # little-endian doubles
    Column("current", Boolean(), nullable=False),
    Column("batch_id", String(ID), nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Index("ix_plan_techniques_current", "period_id", "current"),
)

plan_working_time = Table(
    "plan_working_time", metadata,
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), primary_key=True),
    Column("hours_per_week", Float(), nullable=False),
    Column("weeks", Float(), nullable=False),
    Column("members", Integer(), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=False),
)

plan_snapshots = Table(
    "plan_snapshots", metadata,
    Column("snapshot_id", String(ID), primary_key=True),
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("inputs_sha256", String(HASH), nullable=False),
    Column("document", JsonText(), nullable=False),
    Column("arrays", LargeBinary(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_plan_snapshots_period_id", "period_id"),
)

plan_variants = Table(
    "plan_variants", metadata,
    Column("variant_id", String(ID), primary_key=True),
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("key", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("snapshot_id", String(ID), ForeignKey("plan_snapshots.snapshot_id"),
           nullable=False),
    Column("status", String(16), nullable=False),
    Column("variant_sha256", String(HASH), nullable=False),
    Column("document", JsonText(), nullable=False),
    Column("consequences", Text(), nullable=False),  # JSON: statement and figures
    Column("arrays", LargeBinary(), nullable=False),
    Column("computed_at", UtcDateTime(), nullable=False),
    Column("ballot_id", String(ID), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=True),
    UniqueConstraint("period_id", "revision", "key", name="uq_plan_variants_key"),
    Index("ix_plan_variants_period_id", "period_id"),
)

plan_ballots = Table(
    "plan_ballots", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("electorate", String(16), nullable=False),
    Column("weights_sha256", String(HASH), nullable=True),
    Column("total_weight", String(64), nullable=True),
    Column("unrepresented", JsonText(), nullable=False),
    Index("ix_plan_ballots_period_id", "period_id"),
)

plan_ballot_weights = Table(
    "plan_ballot_weights", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("weight", String(64), nullable=False),  # exact Fraction text
)

plan_roll_call = Table(
    "plan_roll_call", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("paper", Text(), nullable=False),
    Column("cast_at", UtcDateTime(), nullable=False),
)

plan_targets = Table(
    "plan_targets", metadata,
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), primary_key=True),
    Column("revision", Integer(), primary_key=True, autoincrement=False),
    Column("workplace_id", String(ID), ForeignKey("councils.council_id"), primary_key=True),
    Column("product_code", String(CODE), ForeignKey("plan_products.code"), primary_key=True),
    Column("variant_id", String(ID), ForeignKey("plan_variants.variant_id"), nullable=False),
    Column("technique_version", Integer(), nullable=False),
    Column("output", Float(), nullable=False),
    Column("labour", Float(), nullable=False),
    Column("net_share", Float(), nullable=False),
    Column("surplus_share", Float(), nullable=False),
    Column("inputs", Text(), nullable=False),  # JSON [[product, supplier, quantity], ...]
    Column("needs", Text(), nullable=False),  # JSON [[need id, council, tier, quantity], ...]
    Column("published_at", UtcDateTime(), nullable=False),
    Index("ix_plan_targets_workplace", "period_id", "workplace_id"),
)

plan_reports = Table(
    "plan_reports", metadata,
    Column("period_id", String(ID), ForeignKey("plan_periods.period_id"), primary_key=True),
    Column("sub_period", String(32), primary_key=True),
    Column("workplace_id", String(ID), ForeignKey("councils.council_id"), primary_key=True),
    Column("product_code", String(CODE), ForeignKey("plan_products.code"), primary_key=True),
    Column("output", Float(), nullable=False),
    Column("hours", Float(), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("reported_at", UtcDateTime(), nullable=False),
)
