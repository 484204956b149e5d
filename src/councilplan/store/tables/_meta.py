"""The one :data:`metadata` every table module of the store registers with, and its naming
convention (so Alembic names constraints the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import MetaData

__all__ = ["HASH", "ID", "NAMING", "metadata"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

ID = 64  # opaque ids: council, member, seat, mandate, ballot, petition
HASH = 64  # SHA-256 hex
