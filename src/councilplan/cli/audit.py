"""``councilplan audit ...``: verify the tamper-evident record, list its checkpoints.

``audit verify`` recomputes every entry's hash and link in sequence order and holds
the log against the checkpoints taken at each ballot's opening and closing, the
ones members kept outside the database (``--checkpoints FILE``, as ``audit
checkpoints --json`` wrote it) and any ``--checkpoint SIZE:HASH``. It exits 0 when
all is well and 1, naming the first bad entry, when any entry was altered, removed,
inserted or reordered, or the log was cut short or rewritten since a checkpoint.
Someone with write access to the database can rewrite the log together with the
checkpoints stored in it: only checkpoints kept elsewhere show that.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from councilplan import services
from councilplan.cli.db import DbOpt, JsonOpt, open_uow
from councilplan.cli.errors import err_console, handle_errors
from councilplan.councils.audit import Checkpoint
from councilplan.errors import InvalidInput, Problem
from councilplan.io.checkpoints import read_checkpoints

__all__ = ["app"]

app = typer.Typer(help="The tamper-evident record: verify the audit log.", no_args_is_help=True)
console = Console()


def _checkpoint(text: str) -> Checkpoint:
    size, sep, head = text.partition(":")
    if not sep or not size.strip().isdigit() or len(head.strip()) != 64:
        raise InvalidInput("not a checkpoint",
                           [Problem("--checkpoint", f"{text!r}: expected SIZE:HEAD_HASH")])
    return Checkpoint(int(size), head.strip().lower())


@app.command("verify")
@handle_errors
def verify(
    db: DbOpt = None,
    checkpoint: Annotated[list[str] | None, typer.Option(
        "--checkpoint", help="a published checkpoint SIZE:HEAD_HASH to hold the log "
                             "against (repeatable)")] = None,
    checkpoints_file: Annotated[list[Path] | None, typer.Option(
        "--checkpoints", help="a checkpoint file kept outside the database, as "
                              "'audit checkpoints --json' wrote it (repeatable)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Recompute the hash chain; exit 1 naming the first bad entry."""
    extra = [_checkpoint(c) for c in checkpoint or ()]
    for path in checkpoints_file or ():
        extra.extend(read_checkpoints(path))
    report = services.verify_audit(open_uow(db), extra)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    elif report.ok:
        typer.echo(f"{report.message}; head {report.head_hash} "
                   f"(held against {report.checkpoints} checkpoints)")
    else:
        err_console.print(f"[bold red]{report.message}[/]", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command("checkpoints")
@handle_errors
def checkpoints(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """The checkpoints taken at each ballot's opening and closing: publish them, and keep
    a copy (``--json``) to verify against later with ``audit verify --checkpoints``."""
    found = services.audit_checkpoints(open_uow(db))
    if as_json:
        typer.echo(json.dumps([c.to_dict() for c in found], indent=2))
        return
    table = Table("size", "head hash", "ballot", "moment")
    for c in found:
        table.add_row(str(c.checkpoint.size), c.checkpoint.head_hash, c.ballot_id, c.moment)
    console.print(table)


@app.command("log")
@handle_errors
def log(
    db: DbOpt = None,
    tail: Annotated[int, typer.Option("--tail", help="only the last N entries (0: all)")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """The entries of the log: sequence, hash and event."""
    entries = services.audit_entries(open_uow(db))
    shown = entries[-tail:] if tail else entries
    if as_json:
        typer.echo(json.dumps([{"sequence": s, "entry_hash": h, "event": json.loads(c)}
                               for s, h, c in shown], indent=2))
        return
    for sequence, entry_hash, canonical in shown:
        event = json.loads(canonical)
        typer.echo(f"{sequence:6d}  {entry_hash[:16]}  {event['at']}  {event['kind']}")
