"""The council-democracy tables: councils, members, seats, mandates, pay, ballots, petitions,
motions and the audit log.

Secrecy by design (the two halves of a ballot):

* ``marked_register`` -- *who voted*: one row per ballot and member, primary key
  ``(ballot_id, member_id)`` (so a member is marked once, ever), no timestamp, no
  sequence. ``revote_check`` lets only the holder of the latest receipt replace
  their vote; it is a keyed hash of the token that no paper carries.
* ``ballot_box`` -- *what was voted*: primary key ``(ballot_id, receipt_code)``
  where the code is a SHA-256 of a random token (uniformly random order), the
  paper, and nothing else: no autoincrement, no created_at, no member.

On SQLite both are ``WITHOUT ROWID`` tables: rows live in primary-key order and
carry no hidden insertion-ordered rowid. On PostgreSQL a heap row carries system
columns (``xmin``, ``ctid``) that would tie a mark to a paper written in the same
transaction; closing a ballot *seals* it (see
:meth:`councilplan.store.box.BallotBox.seal`): both halves are rewritten in key
order in the closing transaction. Results are read in key order, never
insertion order.

Weighted ballots are not secret: a plan ballot of delegates, each weighted by the
members they represent, is an open, recorded vote (a distinct weight on a paper would
identify its delegate anyway, and delegates answer to their members for their votes).
Its weighted electorate and roll call live in :mod:`.plans` (``plan_ballot_weights``,
``plan_roll_call``) and its ``ballot_electorate`` stays empty, so no secret paper can be
cast in it; ballots of all members stay secret and unweighted.

The audit log (``audit_log``) is an append-only hash chain; ``audit_head`` is its
one-row head (size, head hash), locked by every governance write so the chain
stays linear; ``audit_checkpoints`` are the heads taken at each ballot's opening
and closing.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from councilplan.store.tables._meta import HASH, ID, metadata
from councilplan.store.types import DecimalText, JsonText, UtcDateTime

__all__ = [
    "audit_checkpoints",
    "audit_head",
    "audit_log",
    "ballot_box",
    "ballot_electorate",
    "ballot_seats",
    "ballots",
    "councils",
    "mandates",
    "marked_register",
    "members",
    "memberships",
    "motions",
    "pay_settings",
    "petition_constituents",
    "petition_signatures",
    "petitions",
    "seats",
    "wage_reports",
]

councils = Table(
    "councils", metadata,
    Column("council_id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent_id", String(ID), ForeignKey("councils.council_id"), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

members = Table(
    "members", metadata,
    Column("member_id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False),
)

memberships = Table(
    "memberships", metadata,
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), primary_key=True),
    Column("council_kind", String(16), nullable=False),
    Column("joined_at", UtcDateTime(), nullable=False),
    Index("ix_memberships_council_id", "council_id"),
)

wage_reports = Table(
    "wage_reports", metadata,
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("amount", DecimalText(), nullable=False),
    Index("ix_wage_reports_period", "period"),
)

seats = Table(
    "seats", metadata,
    Column("seat_id", String(ID), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("term_seconds", BigInteger(), nullable=False),
    Column("lead_seconds", BigInteger(), nullable=False),
    Column("delegate_to", String(ID), ForeignKey("councils.council_id"), nullable=True),
    Column("defined_at", UtcDateTime(), nullable=False),
    Index("ix_seats_council_id", "council_id"),
)

ballots = Table(
    "ballots", metadata,
    Column("ballot_id", String(ID), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("question", Text(), nullable=False),
    Column("options", JsonText(), nullable=False),
    Column("method", String(32), nullable=False),
    Column("seats", Integer(), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("subject_id", String(ID), nullable=True),
    Column("rule", JsonText(), nullable=False),
    Column("status", String(8), nullable=False),
    Column("opens_at", UtcDateTime(), nullable=False),
    Column("closes_at", UtcDateTime(), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("electorate_size", Integer(), nullable=True),
    Column("electorate_hash", String(HASH), nullable=True),
    Column("seed", String(64), nullable=False),
    Column("papers", Integer(), nullable=True),  # set when sealed at close
    Column("box_sha256", String(HASH), nullable=True),  # digest of the published set
    Column("result", JsonText(), nullable=True),  # the count, after close only
    Index("ix_ballots_council_id", "council_id"),
    Index("ix_ballots_subject_id", "subject_id"),
)

ballot_seats = Table(
    "ballot_seats", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("seat_id", String(ID), ForeignKey("seats.seat_id"), primary_key=True),
    Column("position", Integer(), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("previous_mandate_id", String(ID), nullable=True),
)

ballot_electorate = Table(
    "ballot_electorate", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    sqlite_with_rowid=False,
)

marked_register = Table(
    "marked_register", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("revote_check", String(HASH), nullable=False),
    sqlite_with_rowid=False,
)

ballot_box = Table(
    "ballot_box", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("receipt_code", String(HASH), primary_key=True),
    Column("paper", Text(), nullable=False),
    sqlite_with_rowid=False,
)

mandates = Table(
    "mandates", metadata,
    Column("mandate_id", String(ID), primary_key=True),
    Column("seat_id", String(ID), ForeignKey("seats.seat_id"), nullable=False),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("holder_id", String(ID), ForeignKey("members.member_id"), nullable=False),
    Column("term_start", UtcDateTime(), nullable=False),
    Column("term_end", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("end_reason", String(16), nullable=True),
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), nullable=True),
    Column("expiry_recorded", Boolean(), nullable=False),
    Index("ix_mandates_seat_id", "seat_id"),
    Index("ix_mandates_council_id", "council_id"),
)

pay_settings = Table(
    "pay_settings", metadata,
    Column("mandate_id", String(ID), ForeignKey("mandates.mandate_id"), primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("amount", DecimalText(), nullable=False),
    Column("cap", DecimalText(), nullable=False),
    Column("set_at", UtcDateTime(), nullable=False),
)

petitions = Table(
    "petitions", metadata,
    Column("petition_id", String(ID), primary_key=True),
    Column("mandate_id", String(ID), ForeignKey("mandates.mandate_id"), nullable=False),
    Column("seat_id", String(ID), ForeignKey("seats.seat_id"), nullable=False),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("opened_by", String(ID), ForeignKey("members.member_id"), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("closes_at", UtcDateTime(), nullable=False),
    Column("threshold", String(32), nullable=False),
    Column("required", Integer(), nullable=False),
    Column("constituency_size", Integer(), nullable=False),
    Column("constituency_hash", String(HASH), nullable=False),
    Column("ballot_rule", JsonText(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), nullable=True),
    Index("ix_petitions_mandate_id", "mandate_id"),
)

petition_constituents = Table(
    "petition_constituents", metadata,
    Column("petition_id", String(ID), ForeignKey("petitions.petition_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    sqlite_with_rowid=False,
)

petition_signatures = Table(
    "petition_signatures", metadata,
    Column("petition_id", String(ID), ForeignKey("petitions.petition_id"), primary_key=True),
    Column("member_id", String(ID), ForeignKey("members.member_id"), primary_key=True),
    Column("signed_at", UtcDateTime(), nullable=False),
)

motions = Table(
    "motions", metadata,
    Column("motion_id", String(ID), primary_key=True),
    Column("council_id", String(ID), ForeignKey("councils.council_id"), nullable=False),
    Column("proposed_by", String(ID), ForeignKey("members.member_id"), nullable=False),
    Column("text", Text(), nullable=False),
    Column("original_text", Text(), nullable=False),
    Column("tabled_at", UtcDateTime(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("amendments", JsonText(), nullable=False),
    Index("ix_motions_council_id", "council_id"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("sequence", BigInteger(), primary_key=True, autoincrement=False),
    Column("prev_hash", String(HASH), nullable=False),
    Column("canonical", Text(), nullable=False),
    Column("entry_hash", String(HASH), nullable=False),
)

audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer(), primary_key=True, autoincrement=False),
    Column("size", BigInteger(), nullable=False),
    Column("head_hash", String(HASH), nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)

audit_checkpoints = Table(
    "audit_checkpoints", metadata,
    Column("ballot_id", String(ID), ForeignKey("ballots.ballot_id"), primary_key=True),
    Column("moment", String(8), primary_key=True),  # "opened" / "closed"
    Column("size", BigInteger(), nullable=False),
    Column("head_hash", String(HASH), nullable=False),
)
