"""The unit of work: commit on success, roll back on any error, nothing half-done."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import DBAPIError

from councilplan.councils.council import Council, CouncilKind
from councilplan.councils.event import Event, EventKind
from councilplan.councils.member import Member
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def test_a_block_that_ends_normally_commits(uow: UnitOfWork) -> None:
    with uow:
        uow.councils.add(Council("mill", "Mill", CouncilKind.WORKPLACE), T0)
        uow.audit.append([Event.of(EventKind.COUNCIL_CREATED, T0, council_id="mill",
                                   kind="workplace", parent_id=None)])
    with uow.reading():
        assert [c.council_id for c in uow.councils.all()] == ["mill"]
        assert uow.audit.head().size == 1


def _write_then_fail(uow: UnitOfWork) -> None:
    with uow:
        uow.councils.add(Council("mill", "Mill", CouncilKind.WORKPLACE), T0)
        uow.members.add(Member("w1", "Ada"))
        uow.audit.append([Event.of(EventKind.COUNCIL_CREATED, T0, council_id="mill",
                                   kind="workplace", parent_id=None)])
        raise Boom


def test_any_error_rolls_everything_back(uow: UnitOfWork) -> None:
    with pytest.raises(Boom):
        _write_then_fail(uow)
    with uow.reading():
        assert uow.councils.all() == []
        assert uow.members.find("w1") is None
        assert uow.audit.head().size == 0
        assert list(uow.audit.entries()) == []


def _write_while_reading(uow: UnitOfWork) -> None:
    with uow.reading():
        uow.members.add(Member("w1", "Ada"))


def test_reading_never_writes(uow: UnitOfWork) -> None:
    if uow.engine.dialect.name == "postgresql":  # a read-only transaction refuses it
        with pytest.raises(DBAPIError, match="read-only"):
            _write_while_reading(uow)
    else:  # rolled back at the end
        _write_while_reading(uow)
    with uow.reading():
        assert uow.members.find("w1") is None


def test_a_unit_of_work_is_one_transaction_at_a_time(uow: UnitOfWork) -> None:
    with uow, pytest.raises(RuntimeError, match="already in a transaction"), uow:
        pass  # pragma: no cover
    with uow:  # usable again afterwards
        uow.members.add(Member("w2"))
    with uow.reading():
        assert uow.members.get("w2").member_id == "w2"
