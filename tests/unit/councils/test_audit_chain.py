"""The audit chain detects edits, deletions, reordering, truncation and rewrites; no false
alarms on an honest log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from councilplan.councils.audit import (
    GENESIS_HASH,
    AuditEntry,
    Checkpoint,
    FaultKind,
    append_event,
    append_events,
    checkpoint,
    entry_hash,
    verify_chain,
)
from councilplan.councils.event import Event, EventKind, canonical_json
from councilplan.errors import InvalidInput

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def events(n: int) -> list[Event]:
    return [
        Event.of(EventKind.PETITION_SIGNED, T0 + timedelta(minutes=i), petition_id="p1",
                 member_id=f"m{i}", signatures=i + 1, required=5)
        for i in range(n)
    ]


def log(n: int = 10) -> tuple[AuditEntry, ...]:
    return append_events((), events(n))


def rehash_from(entries: list[AuditEntry], start: int) -> list[AuditEntry]:
    """Recompute every hash from position ``start`` on: a consistent forgery."""
    out = entries[:start]
    for e in entries[start:]:
        prev = out[-1].entry_hash if out else GENESIS_HASH
        seq = len(out) + 1
        out.append(AuditEntry(seq, prev, e.canonical, entry_hash(prev, e.canonical, seq)))
    return out


def tamper(entry: AuditEntry) -> AuditEntry:
    obj = json.loads(entry.canonical)
    obj["payload"]["member_id"] = "someone-else"
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return replace(entry, canonical=text)


def test_entry_hash_follows_the_documented_scheme() -> None:
    e = events(1)[0]
    first = append_event(None, e)
    text = canonical_json(e)
    expected = hashlib.sha256(bytes(32) + text.encode() + (1).to_bytes(8, "big")).hexdigest()
    assert first.sequence == 1
    assert first.prev_hash == GENESIS_HASH
    assert first.entry_hash == expected
    assert first.event() == e
    second = append_event(first, e)
    assert second.prev_hash == first.entry_hash
    assert second.entry_hash != first.entry_hash  # the sequence number is hashed too


def test_honest_logs_verify_with_their_checkpoints() -> None:
    entries = log()
    cps = [checkpoint(entries[:k]) for k in (0, 1, 4, 10)]
    assert cps[0] == Checkpoint(0, GENESIS_HASH)
    report = verify_chain(entries, cps)
    assert report.ok
    assert report.verified == 10
    assert report.fault is None
    assert "OK" in str(report)
    assert verify_chain((), [Checkpoint(0, GENESIS_HASH)]).ok


def test_an_edited_entry_is_found() -> None:
    entries = list(log())
    entries[4] = tamper(entries[4])
    report = verify_chain(entries)
    assert not report.ok
    assert report.fault is not None
    assert report.fault.sequence == 5
    assert report.fault.kind is FaultKind.ALTERED
    assert report.verified == 4


def test_an_edited_and_rehashed_entry_is_found() -> None:
    entries = list(log())
    bad = tamper(entries[4])
    entries[4] = replace(bad, entry_hash=entry_hash(bad.prev_hash, bad.canonical, 5))
    report = verify_chain(entries)
    assert report.fault is not None
    assert report.fault.sequence == 5
    assert report.fault.kind is FaultKind.LINK_BROKEN


def test_an_edited_hash_field_is_found() -> None:
    entries = list(log())
    entries[2] = replace(entries[2], entry_hash="f" * 64)
    fault = verify_chain(entries).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (3, FaultKind.ALTERED)


def test_a_deleted_entry_is_found() -> None:
    entries = list(log())
    del entries[6]
    fault = verify_chain(entries).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (7, FaultKind.REMOVED)
    # deleted and renumbered without rehashing: the renumbered entry no longer hashes as
    # entry 7, but still as the entry 8 it was appended as
    renumbered = entries[:6] + [replace(e, sequence=e.sequence - 1) for e in entries[6:]]
    fault = verify_chain(renumbered).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (7, FaultKind.REMOVED)
    assert "appended as entry 8" in fault.message


def test_reordered_entries_are_found() -> None:
    entries = list(log())
    entries[3], entries[5] = entries[5], entries[3]
    fault = verify_chain(entries).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (4, FaultKind.REORDERED)
    duplicated = [*log()[:5], log()[4], *log()[5:]]
    fault = verify_chain(duplicated).fault
    assert fault is not None
    assert fault.sequence == 6


def test_truncation_below_a_checkpoint_is_found() -> None:
    entries = log()
    cp = checkpoint(entries)
    fault = verify_chain(entries[:7], [cp]).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (8, FaultKind.TRUNCATED)
    # without a checkpoint beyond it, a dropped tail cannot be noticed (documented)
    assert verify_chain(entries[:7], [checkpoint(entries[:7])]).ok


def test_a_rewritten_history_is_found_against_a_checkpoint() -> None:
    entries = list(log())
    cps = [checkpoint(entries[:3]), checkpoint(entries[:6]), checkpoint(entries)]
    forged = list(entries)
    forged[4] = tamper(forged[4])
    forged = rehash_from(forged, 4)
    assert verify_chain(forged).ok  # internally consistent: only a checkpoint shows it
    report = verify_chain(forged, cps)
    assert report.fault is not None
    assert report.fault.kind is FaultKind.REWRITTEN
    assert report.fault.sequence == 4  # the first entry after the last matching checkpoint
    assert "size 6" in report.fault.message
    # a rewrite that removes an entry and rehashes everything is caught the same way
    shorter = rehash_from(entries[:2] + entries[3:], 2)
    report = verify_chain(shorter, cps)
    assert report.fault is not None
    assert report.fault.kind is FaultKind.REWRITTEN
    assert report.fault.sequence == 1


def test_non_canonical_text_with_a_valid_hash_is_malformed() -> None:
    entries = list(log(3))
    text = entries[1].canonical.replace(",", ", ", 1)
    forged = rehash_from([*entries[:1], replace(entries[1], canonical=text), entries[2]], 1)
    fault = verify_chain(forged).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (2, FaultKind.MALFORMED)


def test_checkpoints_are_validated() -> None:
    with pytest.raises(InvalidInput):
        verify_chain(log(), [Checkpoint(-1, GENESIS_HASH)])
    fault = verify_chain(log(), [Checkpoint(0, "1" * 64)]).fault
    assert fault is not None
    assert fault.kind is FaultKind.REWRITTEN
