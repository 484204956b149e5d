"""Column types that keep the core's values exact on SQLite and PostgreSQL alike.

* :class:`UtcDateTime` -- timezone-aware instants, stored in UTC with
  microseconds; read back aware (UTC). Naive datetimes are refused.
* :class:`DecimalText` -- money as its exact decimal text (``"2500.00"`` keeps its
  scale), never through a float (SQLite's NUMERIC would round through one).
* :class:`JsonText` -- JSON as canonical text (sorted keys, no floats).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from sqlalchemy import DateTime, Dialect, Row, String, Text
from sqlalchemy.types import TypeDecorator

from councilplan.errors import InvalidInput

__all__ = ["AnyRow", "DecimalText", "JsonText", "UtcDateTime", "canonical_text"]


class UtcDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC (``timestamptz`` on PostgreSQL, text on SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(f"a naive datetime cannot be stored: {value.isoformat()}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DecimalText(TypeDecorator[Decimal]):
    """An exact Decimal kept as its text."""

    impl = String(48)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise InvalidInput(f"money must be a Decimal, got {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise InvalidInput(f"a stored amount is not a decimal: {value!r}") from exc


def canonical_text(value: Any) -> str:
    """JSON with sorted keys, compact separators, UTF-8 kept, floats refused."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_no_default)


def _no_default(value: object) -> object:
    raise InvalidInput(f"cannot store {type(value).__name__} {value!r} as JSON")


class JsonText(TypeDecorator[Any]):
    """A JSON value kept as canonical text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise InvalidInput("floats are not stored: use exact text")
        return canonical_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"
"""A result row of any width (SQLAlchemy 2.1 rows are variadic generics)."""
