"""The audit chain names the first bad entry exactly, whatever was done to a random log,
and never raises an alarm on an untouched one.

Logs are read back in sequence order with unique sequence numbers (as the store reads
them: ``ORDER BY sequence``, the sequence the primary key), so every tamper below is
something a person with write access to the ``audit_log`` table can do. ``cps`` are the
checkpoints taken along the way and ``head`` the head row the log records.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

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

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
RUNS = settings(max_examples=300, deadline=None, derandomize=True)


def _event(i: int, who: str = "m") -> Event:
    return Event.of(EventKind.PETITION_SIGNED, T0 + timedelta(minutes=i), petition_id="p1",
                    member_id=f"{who}{i}", signatures=i + 1, required=50)


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[AuditEntry], list[Checkpoint], Checkpoint]:
    n = draw(st.integers(1, 14))
    who = draw(st.sampled_from(["m", "w", "ada-"]))
    entries = list(append_events((), [_event(i, who) for i in range(n)]))
    sizes = draw(st.sets(st.integers(0, n), max_size=5))
    return entries, [checkpoint(entries[:k]) for k in sorted(sizes)], checkpoint(entries)


def _ordered(entries: list[AuditEntry]) -> list[AuditEntry]:
    seqs = [e.sequence for e in entries]
    assert len(set(seqs)) == len(seqs)  # the primary key
    return sorted(entries, key=lambda e: e.sequence)


def _edit(e: AuditEntry) -> AuditEntry:
    obj = json.loads(e.canonical)
    obj["payload"]["member_id"] = "someone-else"
    return replace(e, canonical=json.dumps(obj, sort_keys=True, separators=(",", ":")))


def _rehash(entries: list[AuditEntry], start: int) -> list[AuditEntry]:
    """Recompute every link and hash from position ``start``: a consistent forgery."""
    out = entries[:start]
    for e in entries[start:]:
        prev = out[-1].entry_hash if out else GENESIS_HASH
        seq = len(out) + 1
        out.append(AuditEntry(seq, prev, e.canonical, entry_hash(prev, e.canonical, seq)))
    return out


def _last_below(cps: list[Checkpoint], k: int) -> int:
    return max((c.size for c in cps if c.size < k), default=0)


@RUNS
@given(logs())
def test_an_untouched_log_raises_no_alarm(log: tuple[list[AuditEntry], list[Checkpoint],
                                                     Checkpoint]) -> None:
    entries, cps, head = log
    report = verify_chain(entries, cps, head=head)
    assert report.ok, report
    assert (report.entries, report.verified, report.fault) == (len(entries), len(entries), None)
    # the same with checkpoints given twice, in any order, and with the head among them
    assert verify_chain(entries, [*cps[::-1], *cps, head], head=head).ok


@RUNS
@given(logs(), st.data())
def test_every_tamper_is_found_at_the_first_entry_it_touched(
    log: tuple[list[AuditEntry], list[Checkpoint], Checkpoint], data: st.DataObject
) -> None:
    entries, cps, head = log
    n = len(entries)
    i = data.draw(st.integers(0, n - 1), label="index")
    k = i + 1
    op = data.draw(st.sampled_from([
        "edit canonical", "edit prev_hash", "edit entry_hash", "renumber", "delete",
        "truncate", "swap", "insert", "insert unhashed", "delete and renumber",
        "edit and rehash one", "rewrite from", "rewrite without",
    ]), label="tamper")
    t = list(entries)
    expected: tuple[int, FaultKind] | tuple[int, FaultKind, str]
    if op == "edit canonical":
        t[i] = _edit(t[i])
        expected = (k, FaultKind.ALTERED)
    elif op == "edit prev_hash":
        t[i] = replace(t[i], prev_hash="ab" * 32)
        expected = (k, FaultKind.ALTERED)
    elif op == "edit entry_hash":
        t[i] = replace(t[i], entry_hash="cd" * 32)
        expected = (k, FaultKind.ALTERED)
    elif op == "renumber":
        number = data.draw(st.sampled_from([0, -1, n + 1, n + 7, 10**9]), label="number")
        t[i] = replace(t[i], sequence=number)
        expected = (k, FaultKind.REORDERED, f"stored as entry {number}")
    elif op == "delete":
        del t[i]
        expected = (k, FaultKind.REMOVED if k < n else FaultKind.TRUNCATED)
    elif op == "truncate":
        t = t[:i]
        expected = (k, FaultKind.TRUNCATED)
    elif op == "swap":
        j = data.draw(st.integers(0, n - 1), label="other")
        if j == i:
            return
        a, b = sorted((i, j))
        t[a], t[b] = replace(t[b], sequence=a + 1), replace(t[a], sequence=b + 1)
        expected = (a + 1, FaultKind.REORDERED)
    elif op in ("insert", "insert unhashed"):
        prev = t[i - 1].entry_hash if i else GENESIS_HASH
        text = canonical_json(_event(99, "forged-"))
        forged = AuditEntry(k, prev, text, entry_hash(prev, text, k) if op == "insert"
                            else "ef" * 32)
        t = [*t[:i], forged, *(replace(e, sequence=e.sequence + 1) for e in t[i:])]
        expected = (k, FaultKind.INSERTED if op == "insert" else FaultKind.ALTERED)
    elif op == "delete and renumber":
        if k == n:
            return  # that is "delete" of the last entry
        t = [*t[:i], *(replace(e, sequence=e.sequence - 1) for e in t[i + 1:])]
        expected = (k, FaultKind.REMOVED)
    elif op == "edit and rehash one":
        bad = _edit(t[i])
        t[i] = replace(bad, entry_hash=entry_hash(bad.prev_hash, bad.canonical, k))
        expected = ((k, FaultKind.LINK_BROKEN) if k < n
                    else (_last_below(cps, k) + 1, FaultKind.REWRITTEN))
    elif op == "rewrite from":
        t[i] = _edit(t[i])
        t = _rehash(t, i)
        expected = (_last_below(cps, k) + 1, FaultKind.REWRITTEN)
        # the checkpoints stored beside the log rewritten too: they match the forgery, the
        # ones members kept do not, and the fault is placed as without the forged ones
        cps = [*cps, *(checkpoint(t[:c.size]) for c in cps)]
    else:  # rewrite without entry k, every later one renumbered and re-hashed
        t = _rehash([*t[:i], *t[i + 1:]], i)
        covering = [c.size for c in [*cps, head] if k <= c.size < n]
        expected = ((_last_below(cps, k) + 1, FaultKind.REWRITTEN) if covering
                    else (n, FaultKind.TRUNCATED))
    report = verify_chain(_ordered(t), cps, head=head)
    assert not report.ok
    fault = report.fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == expected[:2], (op, str(report))
    assert report.verified == fault.sequence - 1
    if len(expected) == 3:
        assert expected[2] in fault.message
    assert f"entry {fault.sequence}" in str(report)


@RUNS
@given(logs())
def test_entries_appended_beyond_the_recorded_head_are_found(
    log: tuple[list[AuditEntry], list[Checkpoint], Checkpoint]
) -> None:
    """An entry chained on properly but never counted in the head row (written past the
    log's writer) is found; checkpoints alone cannot tell it from a later append."""
    entries, cps, head = log
    extra = append_event(entries[-1], _event(99, "forged-"))
    assert verify_chain([*entries, extra], cps).ok
    fault = verify_chain([*entries, extra], cps, head=head).fault
    assert fault is not None
    assert (fault.sequence, fault.kind) == (len(entries) + 1, FaultKind.INSERTED)
