"""Storage: SQLAlchemy Core tables, repositories, a unit of work, Alembic migrations.

SQLite file by default (WAL, ``synchronous=FULL``, foreign keys, writes in
``BEGIN IMMEDIATE``); PostgreSQL (psycopg 3) when ``COUNCILPLAN_DATABASE_URL`` or
``--db`` names one.

=================================  ===========================================
:func:`database_url`               ``--db``, else the environment, else the file
:func:`make_engine`                an engine configured for SQLite / PostgreSQL
:func:`upgrade`                    Alembic migrations to the head, from empty
:func:`ensure_current`             refuse a database that is not migrated
:class:`UnitOfWork`                one transaction and its repositories
:mod:`~councilplan.store.tables`   the schema (:data:`metadata`)
=================================  ===========================================

Secrecy by design: the marked register (who voted) and the ballot box (what was
voted) share no key, order, sequence or timestamp; see
:mod:`councilplan.store.tables`.
"""

from councilplan.store.accounts import Account, AccountRepository
from councilplan.store.audit_log import AuditLog, StoredCheckpoint
from councilplan.store.ballots import BallotRecord, BallotRepository, BallotSeat, CastingView
from councilplan.store.box import BallotBox, box_sha256
from councilplan.store.councils import CouncilRepository
from councilplan.store.disputes import DisputeRepository
from councilplan.store.engine import (
    DEFAULT_URL,
    ENV_VAR,
    database_url,
    is_postgresql,
    is_sqlite,
    make_engine,
    normalise_url,
)
from councilplan.store.mandates import MandateRepository
from councilplan.store.members import MemberRepository
from councilplan.store.migrate import current_revision, ensure_current, head_revision, upgrade
from councilplan.store.motions import MotionRepository
from councilplan.store.offers import OfferRepository
from councilplan.store.petitions import PetitionRepository
from councilplan.store.register import MarkedRegister
from councilplan.store.seats import SeatRepository
from councilplan.store.strike_fund import StrikeFundRepository
from councilplan.store.tables import metadata
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "Account",
    "AccountRepository",
    "AuditLog",
    "BallotBox",
    "BallotRecord",
    "BallotRepository",
    "BallotSeat",
    "CastingView",
    "CouncilRepository",
    "DisputeRepository",
    "MandateRepository",
    "MarkedRegister",
    "MemberRepository",
    "MotionRepository",
    "OfferRepository",
    "PetitionRepository",
    "SeatRepository",
    "StoredCheckpoint",
    "StrikeFundRepository",
    "UnitOfWork",
    "box_sha256",
    "current_revision",
    "database_url",
    "ensure_current",
    "head_revision",
    "is_postgresql",
    "is_sqlite",
    "make_engine",
    "metadata",
    "normalise_url",
    "upgrade",
]
