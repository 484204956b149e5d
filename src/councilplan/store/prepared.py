"""Hot statements compiled once per dialect (the casting path).

SQLAlchemy spends most of a small statement's client time building its cache key
on every execution. A :class:`Prepared` statement is written once as Core (so it
stays portable and checked), compiled once per dialect, and run through
``exec_driver_sql``. Only for statements whose parameters are plain text (no type
processing) and whose result is read as a rowcount.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, CursorResult
from sqlalchemy.sql import ClauseElement

__all__ = ["Prepared"]


class Prepared:
    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def _for(self, conn: Connection) -> tuple[str, tuple[str, ...] | None]:
        key = f"{conn.dialect.name}+{conn.dialect.driver}"
        found = self._compiled.get(key)
        if found is None:
            compiled: Any = self.statement.compile(dialect=conn.dialect)
            positional = conn.dialect.positional
            order = tuple(compiled.positiontup or ()) if positional else None
            found = self._compiled[key] = (compiled.string, order)
        return found

    def execute(self, conn: Connection, params: Mapping[str, str]) -> CursorResult[Any]:
        sql, order = self._for(conn)
        if order is not None:
            return conn.exec_driver_sql(sql, tuple(params[name] for name in order))
        return conn.exec_driver_sql(sql, dict(params))
