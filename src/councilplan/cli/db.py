"""``councilplan db ...``: the database -- migrations; and the ``--db`` / ``--at`` options
the council and audit commands share, with the helpers for their arguments and output.

``--db`` takes a SQLAlchemy URL (``postgresql+psycopg://user@host/db``) or a SQLite
file path; without it ``$COUNCILPLAN_DATABASE_URL``, else ``councilplan.db`` here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from councilplan.cli.errors import handle_errors
from councilplan.errors import InvalidInput, Problem
from councilplan.store import (
    UnitOfWork,
    current_revision,
    database_url,
    ensure_current,
    head_revision,
    make_engine,
    upgrade,
)

__all__ = [
    "AtOpt", "DbOpt", "JsonOpt", "app", "emit", "moment", "money", "open_uow", "share",
]

app = typer.Typer(help="The database: create or migrate its schema.", no_args_is_help=True)

DbOpt = Annotated[str | None, typer.Option(
    "--db", help="database URL or SQLite file (default: $COUNCILPLAN_DATABASE_URL, "
                 "else councilplan.db)")]
AtOpt = Annotated[str | None, typer.Option(
    "--at", help="the time of the action, ISO-8601 (default: now; naive times are UTC)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON for machines")]


def moment(at: str | None) -> datetime:
    """``--at`` as an aware instant; the clock is read here, at the edge, and nowhere else."""
    if at is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(at)
    except ValueError:
        raise InvalidInput("not a time", [Problem("--at", f"{at!r} is not ISO-8601")]) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def emit(data: Any, as_json: bool, text: str) -> None:
    """Print ``data`` as JSON under ``--json``, else the human ``text``."""
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(text)


def money(text: str, where: str) -> Decimal:
    """An amount given on the command line (option ``where``), exact."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput("not an amount", [Problem(where, f"{text!r}")]) from None
    if not value.is_finite():
        raise InvalidInput("not an amount", [Problem(where, f"{text!r}")])
    return value


def share(text: str) -> Fraction:
    """``--threshold`` as an exact share (``1/10``, ``0.25``)."""
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InvalidInput("not a share",
                           [Problem("--threshold", f"{text!r}: e.g. 1/10")]) from None


_ENGINES: dict[str, Engine] = {}
_KEEP = 4  # engines kept open at once (a process rarely uses more databases)


def open_uow(db: str | None) -> UnitOfWork:
    """A unit of work on the chosen database, refusing one that is not migrated (one
    engine per database for the life of the process)."""
    url = database_url(db)
    key = url.render_as_string(hide_password=False)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = make_engine(url)
        try:
            ensure_current(engine)
        except BaseException:
            engine.dispose()
            raise
        while len(_ENGINES) >= _KEEP:
            _ENGINES.pop(next(iter(_ENGINES))).dispose()
        _ENGINES[key] = engine
    return UnitOfWork(engine)


@app.command("upgrade")
@handle_errors
def upgrade_command(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Create the schema in an empty database, or migrate it to the newest revision."""
    url = database_url(db)
    revision = upgrade(url)
    shown = url.render_as_string(hide_password=True)
    if as_json:
        typer.echo(json.dumps({"database": shown, "revision": revision}))
    else:
        typer.echo(f"{shown}: schema at revision {revision} (head)")


@app.command("current")
@handle_errors
def current_command(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Show the database's schema revision and the newest one."""
    url = database_url(db)
    engine = make_engine(url)
    try:
        found = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    shown = url.render_as_string(hide_password=True)
    if as_json:
        typer.echo(json.dumps({"database": shown, "revision": found, "head": head}))
    else:
        state = "empty" if found is None else f"revision {found}"
        note = "" if found == head else f" (head is {head}: run councilplan db upgrade)"
        typer.echo(f"{shown}: {state}{note}")
