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
data, looking every checkpoint's head up by sequence number. Without a checkpoint
beyond it, dropping entries from the *end* of the log cannot be noticed, and a
history rewritten together with every checkpoint stored beside it only disagrees
with checkpoints kept elsewhere -- that is why members keep them.
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
    REORDERED = "reordered"  # an entry is out of sequence order, or moved to another number
    INSERTED = "inserted"  # an entry that was never appended by the log's writer
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


def _span(first: int, last: int) -> str:
    return f"entry {first}" if first == last else f"entries {first}..{last}"


def _origin(e: AuditEntry, guess: int | None, bound: int) -> int | None:
    """The sequence number ``e`` was appended under: the one its stored hash verifies
    for (``guess`` first, then every number up to ``bound``); ``None`` when there is none,
    that is, when its contents or hashes were changed."""
    numbers = range(1, bound + 1) if guess is None else (guess, *range(1, bound + 1))
    for s in numbers:
        if entry_hash(e.prev_hash, e.canonical, s) == e.entry_hash:
            return s
    return None


def _unhashed(e: AuditEntry, position: int, at_hash: dict[str, int], bound: int) -> ChainFault:
    """Entry ``position`` does not hash as entry ``position``: an authentic entry under
    another number, or an altered one."""
    before = 0 if e.prev_hash == GENESIS_HASH else at_hash.get(e.prev_hash)
    origin = _origin(e, None if before is None else before + 1, bound)
    if origin is None:
        return ChainFault(position, FaultKind.ALTERED,
                          "its contents do not hash to its stored hash")
    if origin < position:
        # the entries numbered origin..position-1 chain on from entry origin - 1, but the
        # authentic entry origin (after which the later entries were appended) sits here
        verb = "was" if origin == position - 1 else "were"
        return ChainFault(origin, FaultKind.INSERTED,
                          f"{_span(origin, position - 1)} {verb} inserted: the entry numbered "
                          f"{position} is the one that was appended as entry {origin}")
    if before is not None:  # the entry it was appended after is still in the log
        return ChainFault(position, FaultKind.REORDERED,
                          f"entry {position} holds what was appended as entry {origin}")
    verb = "is" if origin == position + 1 else "are"
    return ChainFault(position, FaultKind.REMOVED,
                      f"{_span(position, origin - 1)} {verb} missing and the later entries "
                      f"renumbered: entry {position} is the one appended as entry {origin}")


def _renumbered(entries: Iterable[AuditEntry], prev: str, expected: int) -> ChainFault | None:
    """Entry ``expected`` is missing from its place: is it in the log under another number
    (it follows the entry with hash ``prev`` and hashes as entry ``expected``)?"""
    for x in entries:
        if (x.sequence != expected and x.prev_hash == prev
                and entry_hash(prev, x.canonical, expected) == x.entry_hash):
            return ChainFault(expected, FaultKind.REORDERED,
                              f"entry {expected} is stored as entry {x.sequence}")
    return None


def _chain_fault(entries: Sequence[AuditEntry]) -> ChainFault | None:
    at_hash: dict[str, int] = {}
    for e in entries:
        at_hash.setdefault(e.entry_hash, e.sequence)
    walk = [e for e in entries if e.sequence >= 1]
    bound = len(entries) + 1
    prev = GENESIS_HASH
    for i, e in enumerate(walk):
        expected = i + 1
        if e.sequence != expected:
            later = any(x.sequence == expected for x in walk[i + 1:])
            if e.sequence > expected and not later:
                moved = _renumbered(entries, prev, expected)
                if moved is not None:
                    return moved
                gone = e.sequence - 1
                verb = "is" if gone == expected else "are"
                return ChainFault(expected, FaultKind.REMOVED,
                                  f"{_span(expected, gone)} {verb} missing")
            return ChainFault(
                expected, FaultKind.REORDERED,
                f"position {expected} holds entry {e.sequence}",
            )
        if entry_hash(e.prev_hash, e.canonical, e.sequence) != e.entry_hash:
            return _unhashed(e, expected, at_hash, bound)
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
    strays = [e for e in entries if e.sequence < 1]
    if strays:
        expected = len(walk) + 1
        return _renumbered(strays, prev, expected) or ChainFault(
            expected, FaultKind.INSERTED,
            f"an entry numbered {strays[0].sequence}: entries are numbered from 1")
    return None


def _checkpoint_fault(
    by_sequence: dict[int, AuditEntry], last: int, cps: Sequence[Checkpoint]
) -> ChainFault | None:
    """The first checkpoint the log no longer leads to; heads are looked up by sequence
    number, so a fault elsewhere in the log does not shift them."""
    for c in cps:
        if c.size > last:
            return ChainFault(last + 1, FaultKind.TRUNCATED,
                              f"a checkpoint covers {c.size} entries, the log has {last}")
        if c.size == 0:
            head: str | None = GENESIS_HASH
        else:
            entry = by_sequence.get(c.size)
            head = None if entry is None else entry.entry_hash
        if head != c.head_hash:  # every smaller checkpoint matched; one of this size may too
            good = max((x.size for x in cps if x.size < c.size), default=0)
            return ChainFault(
                good + 1, FaultKind.REWRITTEN,
                f"the log no longer leads to the checkpoint of size {c.size} "
                f"(head {c.head_hash[:16]}...): the first entry that differs from what it "
                f"covered is among {_span(good + 1, c.size)}; it matches up to size {good}",
            )
    return None


def verify_chain(
    entries: Sequence[AuditEntry],
    checkpoints: Iterable[Checkpoint] = (),
    *,
    head: Checkpoint | None = None,
) -> ChainReport:
    """Recompute the chain and compare it with every checkpoint; the first fault as data.

    ``entries`` are the log in the order it is read (by sequence number);
    ``checkpoints`` heads published earlier (stored with the log, or kept by members
    outside it, in any order); ``head`` the head the log records for itself: a
    checkpoint that also says where the log ends.

    Finds an altered entry (any field), a removed, duplicated, inserted, moved or
    reordered entry, a log truncated below a checkpoint, entries beyond the recorded
    head, and a history rewritten (all hashes recomputed) against a checkpoint.
    Checkpoint heads are looked up by sequence number, and only the checkpoints before
    the first break in the chain itself are held against the log (the break explains
    any later disagreement). For a rewrite the reported entry is the first one after the
    last checkpoint that still matches: the earliest entry that may have been rewritten,
    which is exact when a checkpoint was taken just before it.
    """
    entries = list(entries)
    cps = sorted({*checkpoints, *(() if head is None else (head,))},
                 key=lambda c: (c.size, c.head_hash))
    for c in cps:
        if c.size < 0:
            raise InvalidInput(f"a checkpoint cannot have size {c.size}")
    chain = _chain_fault(entries)
    by_sequence: dict[int, AuditEntry] = {}
    for e in entries:
        by_sequence.setdefault(e.sequence, e)
    last = max((s for s in by_sequence if s >= 1), default=0)
    if chain is not None:
        cps = [c for c in cps if c.size < chain.sequence]
    faults = [f for f in (chain, _checkpoint_fault(by_sequence, last, cps)) if f is not None]
    if head is not None and chain is None and last > head.size:
        faults.append(ChainFault(
            head.size + 1, FaultKind.INSERTED,
            f"{_span(head.size + 1, last)} lie beyond the head the log records (size "
            f"{head.size}): they were not appended by the log's writer",
        ))
    if not faults:
        return ChainReport(True, len(entries), len(entries), None)
    first = min(faults, key=lambda f: (f.sequence, f.kind is FaultKind.REWRITTEN))
    return ChainReport(False, len(entries), first.sequence - 1, first)
