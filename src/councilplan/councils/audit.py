"""The tamper-evident record: a hash chain of events with published checkpoints.

Scheme (version 1):

* each event is stored as its canonical JSON text
  (:func:`~councilplan.councils.event.canonical_json`: sorted keys, separators
  ``,`` ``:``, UTF-8, no floats, instants in UTC ISO-8601 with microseconds);
* entries are numbered from 1; entry ``k`` stores ``prev_hash`` (the hash of
  entry ``k - 1``; for entry 1 the genesis hash, 64 zeros) and
  ``entry_hash = SHA-256(bytes.fromhex(prev_hash) || canonical.encode("utf-8")
  || k.to_bytes(8, "big"))`` in lower-case hex;
* a :class:`Checkpoint` is ``(size, head_hash)``: the number of entries and the
  hash of the last one (the genesis hash for size 0). Checkpoints are taken at
  each ballot's opening and closing and shown to members, so a rewritten
  history (every hash recomputed) still disagrees with a checkpoint somebody
  kept.

:func:`verify_chain` recomputes everything and returns the first bad entry as
data. Without a checkpoint beyond it, dropping entries from the *end* of the
log cannot be noticed -- that is what checkpoints are for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from councilplan.councils.event import Event, canonical_json, event_from_json
from councilplan.errors import CouncilplanError, InvalidInput

__all__ = [
    "GENESIS_HASH",
    "AuditEntry",
    "ChainFault",
    "ChainReport",
    "Checkpoint",
    "FaultKind",
    "append_event",
    "append_events",
    "checkpoint",
    "entry_hash",
    "verify_chain",
]

GENESIS_HASH = "0" * 64


def entry_hash(prev_hash: str, canonical: str, sequence: int) -> str:
    """``SHA-256(prev_hash bytes || canonical UTF-8 || sequence as 8 bytes big-endian)``."""
    try:
        prev = bytes.fromhex(prev_hash)
    except ValueError:
        prev = prev_hash.encode("utf-8")  # a malformed stored hash still hashes, never matches
    seq = sequence.to_bytes(8, "big", signed=False) if 0 <= sequence < 2**64 else b"\xff" * 9
    return hashlib.sha256(prev + canonical.encode("utf-8") + seq).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One stored row of the log: sequence number, link, canonical event text, hash."""

    sequence: int
    prev_hash: str
    canonical: str
    entry_hash: str

    def event(self) -> Event:
        """The event this entry records."""
        return event_from_json(self.canonical)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A published head: the log had ``size`` entries, the last with ``head_hash``."""

    size: int
    head_hash: str


def append_event(last: AuditEntry | None, event: Event) -> AuditEntry:
    """The entry that records ``event`` after ``last`` (``None``: the first entry)."""
    sequence = 1 if last is None else last.sequence + 1
    prev = GENESIS_HASH if last is None else last.entry_hash
    text = canonical_json(event)
    return AuditEntry(sequence, prev, text, entry_hash(prev, text, sequence))


def append_events(
    entries: Sequence[AuditEntry], events: Iterable[Event]
) -> tuple[AuditEntry, ...]:
    """``entries`` followed by one new entry per event."""
    out = list(entries)
    for event in events:
        out.append(append_event(out[-1] if out else None, event))
    return tuple(out)


def checkpoint(entries: Sequence[AuditEntry]) -> Checkpoint:
    """The checkpoint of the log as it stands."""
    if not entries:
        return Checkpoint(0, GENESIS_HASH)
    return Checkpoint(len(entries), entries[-1].entry_hash)


class FaultKind(StrEnum):
    ALTERED = "altered"  # the entry's hash does not match its contents
    LINK_BROKEN = "link_broken"  # the next entry records another hash for this one
    REMOVED = "removed"  # sequence numbers skip: entries are missing here
    REORDERED = "reordered"  # an entry is out of sequence order
    MALFORMED = "malformed"  # the stored text is not an event's canonical JSON
    TRUNCATED = "truncated"  # the log is shorter than a checkpoint says
    REWRITTEN = "rewritten"  # the chain is consistent but disagrees with a checkpoint


@dataclass(frozen=True, slots=True)
class ChainFault:
    """The first bad entry: its sequence number (1-based), the kind of fault, and why."""

    sequence: int
    kind: FaultKind
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    """Verification result: ``ok``; entries seen; ``verified`` (the good prefix); the fault."""

    ok: bool
    entries: int
    verified: int
    fault: ChainFault | None

    def __str__(self) -> str:
        if self.fault is None:
            return f"audit log OK: {self.entries} entries verified"
        f = self.fault
        return f"audit log BAD at entry {f.sequence} ({f.kind.value}): {f.message}"


def _chain_fault(entries: Sequence[AuditEntry]) -> ChainFault | None:
    prev = GENESIS_HASH
    for i, e in enumerate(entries):
        expected = i + 1
        if e.sequence != expected:
            later = any(x.sequence == expected for x in entries[i + 1:])
            if e.sequence > expected and not later:
                last = e.sequence - 1
                span = f"{expected}" if last == expected else f"{expected}..{last}"
                return ChainFault(expected, FaultKind.REMOVED, f"entries {span} are missing")
            return ChainFault(
                expected, FaultKind.REORDERED,
                f"position {expected} holds entry {e.sequence}",
            )
        if entry_hash(e.prev_hash, e.canonical, e.sequence) != e.entry_hash:
            return ChainFault(expected, FaultKind.ALTERED,
                              "its contents do not hash to its stored hash")
        if e.prev_hash != prev:
            if expected == 1:
                return ChainFault(1, FaultKind.LINK_BROKEN,
                                  "the first entry does not start from the genesis hash")
            return ChainFault(
                expected - 1, FaultKind.LINK_BROKEN,
                f"entry {expected} records another hash for entry {expected - 1}: "
                f"entry {expected - 1} was changed and re-hashed (or entry {expected} was)",
            )
        try:
            if canonical_json(event_from_json(e.canonical)) != e.canonical:
                return ChainFault(expected, FaultKind.MALFORMED, "not in canonical form")
        except CouncilplanError as exc:
            return ChainFault(expected, FaultKind.MALFORMED, exc.message)
        prev = e.entry_hash
    return None


def verify_chain(
    entries: Sequence[AuditEntry], checkpoints: Iterable[Checkpoint] = ()
) -> ChainReport:
    """Recompute the chain and compare it with every checkpoint; the first fault as data.

    Finds an altered entry (contents or hash), a removed, duplicated or
    reordered entry, a log truncated below a checkpoint, and a history
    rewritten (all hashes recomputed) against a checkpoint. For a rewrite the
    reported entry is the first one after the last checkpoint that still
    matches: the earliest entry that may have been rewritten.
    """
    entries = list(entries)
    cps = sorted(checkpoints, key=lambda c: c.size)
    for c in cps:
        if c.size < 0:
            raise InvalidInput(f"a checkpoint cannot have size {c.size}")
    faults: list[ChainFault] = []
    chain = _chain_fault(entries)
    if chain is not None:
        faults.append(chain)
    good_size = 0
    for c in cps:
        if c.size > len(entries):
            faults.append(
                ChainFault(len(entries) + 1, FaultKind.TRUNCATED,
                           f"a checkpoint covers {c.size} entries, the log has {len(entries)}")
            )
            break
        head = GENESIS_HASH if c.size == 0 else entries[c.size - 1].entry_hash
        if head != c.head_hash:
            faults.append(
                ChainFault(good_size + 1, FaultKind.REWRITTEN,
                           f"the log no longer leads to the checkpoint of size {c.size} "
                           f"(head {c.head_hash[:16]}...); it matched up to size {good_size}")
            )
            break
        good_size = c.size
    if not faults:
        return ChainReport(True, len(entries), len(entries), None)
    first = min(faults, key=lambda f: (f.sequence, f.kind is FaultKind.REWRITTEN))
    return ChainReport(False, len(entries), first.sequence - 1, first)
