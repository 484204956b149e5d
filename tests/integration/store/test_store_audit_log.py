"""The stored hash chain: appended with each event, linear under concurrent writers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from councilplan import services
from councilplan.councils.audit import GENESIS_HASH, verify_chain
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def test_each_governance_event_is_chained_in_its_transaction(uow: UnitOfWork) -> None:
    services.create_council(uow, "mill", "Mill", "workplace", T0)
    services.admit_member(uow, "w1", "mill", T0)
    with uow.reading():
        entries = list(uow.audit.entries())
        head = uow.audit.head()
    assert [e.sequence for e in entries] == [1, 2]
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert (head.size, head.head_hash) == (2, entries[1].entry_hash)
    assert [e.event().kind for e in entries] == ["council.created", "member.admitted"]
    assert "Ada" not in "".join(e.canonical for e in entries)  # no personal data


def test_the_chain_stays_linear_under_concurrent_writers(engine: Engine) -> None:
    services.create_council(UnitOfWork(engine), "mill", "Mill", "workplace", T0)
    errors: list[BaseException] = []

    def admit(start: int) -> None:
        uow = UnitOfWork(engine)
        try:
            for i in range(start, start + 15):
                services.admit_member(uow, f"w{i:03d}", "mill", T0 + timedelta(seconds=i),
                                      name="Ada")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=admit, args=(k * 100,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    uow = UnitOfWork(engine)
    with uow.reading():
        entries = list(uow.audit.entries())
        head = uow.audit.head()
    assert len(entries) == 1 + 8 * 15
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    assert verify_chain(entries, [head]).ok
    assert services.verify_audit(uow).ok


def test_verifying_while_others_append_reads_one_snapshot(engine: Engine) -> None:
    services.create_council(UnitOfWork(engine), "mill", "Mill", "workplace", T0)
    reports: list[bool] = []

    def write() -> None:
        uow = UnitOfWork(engine)
        for i in range(120):
            services.admit_member(uow, f"m{i:03d}", "mill", T0)

    def verify() -> None:
        uow = UnitOfWork(engine)
        for _ in range(40):
            reports.append(services.verify_audit(uow).ok)

    threads = [threading.Thread(target=write), threading.Thread(target=verify)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert reports
    assert all(reports)  # never a false alarm from a head read after the entries
