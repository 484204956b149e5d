"""Verifying the audit log: recompute the chain and hold it against every checkpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from councilplan.councils.audit import Checkpoint, verify_chain
from councilplan.services.views import AuditReport
from councilplan.store.audit_log import StoredCheckpoint
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["audit_checkpoints", "audit_entries", "audit_page", "verify_audit"]


def verify_audit(
    uow: UnitOfWork, checkpoints: Iterable[Checkpoint | StoredCheckpoint] = (), *,
    progress: Callable[[int, int, str], None] | None = None,
) -> AuditReport:
    """Recompute every entry's hash and link, in sequence order, and check the log
    against the stored checkpoints (taken at each ballot's opening and closing), the
    head row, and any ``checkpoints`` kept elsewhere (published, printed, copied by
    members).

    Finds altered, removed, inserted and reordered entries, and a log cut short or
    rewritten since a checkpoint; the report names the first bad entry. Someone who
    can write to the database can rewrite the log *and* the checkpoints stored beside
    it: only ``checkpoints`` kept outside the database show that.

    ``progress(done, total, stage)`` is told how far reading the log has got.
    """
    extra = [c.checkpoint if isinstance(c, StoredCheckpoint) else c for c in checkpoints]
    with uow.reading():
        head = uow.audit.head()
        entries = []
        for entry in uow.audit.entries():
            entries.append(entry)
            if progress is not None and len(entries) % 1000 == 0:
                progress(len(entries), head.size, "reading the log")
        stored = [c.checkpoint for c in uow.audit.checkpoints()]
    if progress is not None:
        progress(len(entries), head.size, "recomputing the hash chain")
    cps = {*stored, *extra}
    report = verify_chain(entries, cps, head=head)
    fault = report.fault
    return AuditReport(
        ok=report.ok, entries=report.entries, verified=report.verified,
        head_size=head.size, head_hash=head.head_hash, checkpoints=len(cps | {head}),
        fault_sequence=None if fault is None else fault.sequence,
        fault_kind=None if fault is None else fault.kind.value,
        fault_message=None if fault is None else fault.message, message=str(report),
    )


def audit_checkpoints(uow: UnitOfWork) -> tuple[StoredCheckpoint, ...]:
    """The checkpoints taken at ballots' openings and closings, oldest first (publish them)."""
    with uow.reading():
        return tuple(uow.audit.checkpoints())


def audit_entries(uow: UnitOfWork) -> tuple[tuple[int, str, str], ...]:
    """``(sequence, entry_hash, canonical event)`` of every entry."""
    with uow.reading():
        return tuple((e.sequence, e.entry_hash, e.canonical) for e in uow.audit.entries())


def audit_page(uow: UnitOfWork, *, after: int = 0, limit: int = 100
               ) -> tuple[int, tuple[tuple[int, str, str], ...]]:
    """The log's size and ``(sequence, entry_hash, canonical event)`` of up to ``limit``
    entries after sequence ``after`` (a page of the log, oldest first)."""
    with uow.reading():
        size = uow.audit.head().size
        page = tuple((e.sequence, e.entry_hash, e.canonical)
                     for e in uow.audit.entries(after=after, limit=limit))
        return size, page
