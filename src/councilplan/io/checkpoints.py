"""Checkpoint files: the audit log's heads as members keep them, outside the database.

``councilplan audit checkpoints --json`` writes, and ``councilplan audit verify
--checkpoints FILE`` reads, a JSON list with one object per checkpoint::

    [{"ballot_id": "b1", "moment": "opened", "size": 12, "head_hash": "9f2c...64 hex"},
     ...]

``size`` (a whole number >= 0) and ``head_hash`` (64 hexadecimal digits) are required;
``ballot_id`` and ``moment`` say where the checkpoint was shown and are optional text.
A checkpoint kept by a member is worth exactly as much as the member's copy: the
database's own ``audit_checkpoints`` table can be rewritten by whoever rewrites the log.
"""

from __future__ import annotations

import re
from pathlib import Path

from councilplan.councils.audit import Checkpoint
from councilplan.errors import InvalidInput, Problem, quoted
from councilplan.io.limits import MAX_JSON_BYTES, check_file_size, load_json

__all__ = ["parse_checkpoints", "read_checkpoints"]

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_MAX_LISTED = 100


def parse_checkpoints(text: str | bytes, source: str = "checkpoints") -> tuple[Checkpoint, ...]:
    """The checkpoints of a checkpoint file's text; :class:`InvalidInput` naming every bad
    entry as ``source[i] field name``."""
    data = load_json(text, source)
    if not isinstance(data, list):
        raise InvalidInput(f"{source} is not a checkpoint file", [Problem(
            source, 'expected a JSON list of {"size": N, "head_hash": "64 hex digits"}')])
    out: list[Checkpoint] = []
    problems: list[Problem] = []

    def bad(where: str, message: str) -> None:
        if len(problems) < _MAX_LISTED:
            problems.append(Problem(where, message))

    for i, item in enumerate(data):
        where = f"{source}[{i}]"
        if not isinstance(item, dict):
            bad(where, "a checkpoint is an object with size and head_hash")
            continue
        size, head = item.get("size"), item.get("head_hash")
        ok = True
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            bad(f"{where} field size", f"{quoted(size)} is not a whole number >= 0")
            size, ok = 0, False
        if not isinstance(head, str) or not _HEX64.fullmatch(head):
            bad(f"{where} field head_hash", "expected 64 hexadecimal digits")
            head, ok = "", False
        for key in ("ballot_id", "moment"):
            if key in item and not isinstance(item[key], str):
                bad(f"{where} field {key}", "must be text")
                ok = False
        if ok:
            out.append(Checkpoint(size, head.lower()))
    if problems:
        raise InvalidInput(f"{source} is not a valid checkpoint file", problems)
    return tuple(out)


def read_checkpoints(path: str | Path) -> tuple[Checkpoint, ...]:
    """Read a checkpoint file (see the module docstring)."""
    p = Path(path)
    try:
        check_file_size(p, MAX_JSON_BYTES, "checkpoint file")
        raw = p.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read the checkpoint file {p}",
                           [Problem(p.name, exc.strerror or str(exc))]) from None
    return parse_checkpoints(raw, p.name)
