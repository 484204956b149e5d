"""Bulk inserts for the plan tables: one statement compiled once, rows sent by the driver.

SQLAlchemy's ``executemany`` builds and type-processes a parameter dict per row, which
at 10^5-10^6 rows costs more than the database's own work. :func:`bulk_insert` compiles
the ``INSERT`` once, applies each column type's bind processor to the row tuples itself,
and hands them to the driver in the caller's transaction:

* SQLite: ``cursor.executemany`` (one prepared statement);
* PostgreSQL: ``COPY ... FROM STDIN`` (psycopg 3), the server's bulk path.

Rows are tuples in the order of ``columns``. Values go through the same bind
processors as any other write (aware datetimes stored as UTC, JSON as canonical text),
so what is read back is what the ordinary path would have stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table

__all__ = ["bulk_insert"]

_BATCH = 50_000


def _processed(values: list[Any], proc: Callable[[Any], Any]) -> list[Any]:
    """``proc`` over a column, once per distinct hashable value (a column of one
    timestamp is processed once)."""
    cache: dict[Any, Any] = {}
    out = []
    for v in values:
        try:
            got = cache[v]
        except KeyError:
            got = cache[v] = proc(v)
        except TypeError:  # unhashable (a JSON mapping)
            got = proc(v)
        out.append(got)
    return out


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return
    dialect = conn.dialect
    procs: list[Callable[[Any], Any] | None] = [
        table.c[name].type._cached_bind_processor(dialect) for name in columns]
    if any(p is not None for p in procs):
        values = [list(c) for c in zip(*rows, strict=True)]
        for k, proc in enumerate(procs):
            if proc is not None:
                values[k] = _processed(values[k], proc)
        rows = list(zip(*values, strict=True))
    if dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
                f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for r in rows:
                copy.write_row(r)
        return
    # names from the schema (table.c[name] above refuses any other); values are bound
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'  # nosec B608 schema names
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for k in range(0, len(rows), _BATCH):
            cursor.executemany(sql, rows[k:k + _BATCH])
    finally:
        cursor.close()
