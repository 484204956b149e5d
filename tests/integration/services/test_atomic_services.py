"""A failure in the middle of a use case leaves nothing half-done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from councilplan import services
from councilplan.councils.receipt import receipt_code
from councilplan.errors import InvalidInput
from councilplan.store import UnitOfWork
from councilplan.store.audit_log import AuditLog

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


class Crash(Exception):
    """A failure injected after the use case has written part of its work."""


def _state(uow: UnitOfWork, ballot_id: str | None = None) -> dict[str, Any]:
    with uow.reading():
        state: dict[str, Any] = {
            "audit": uow.audit.head(),
            "checkpoints": len(uow.audit.checkpoints()),
            "members": sorted(m.member_id for m, _ in uow.members.members_of("mill")),
            "mandates": len(uow.mandates.of_council("mill")),
        }
        if ballot_id is not None:
            record = uow.ballots.get(ballot_id)
            state |= {"status": record.ballot.status, "result": record.result,
                      "papers": uow.box.count(ballot_id), "marks": uow.register.count(ballot_id),
                      "sealed": uow.register.voters(ballot_id)}
    return state


def test_admitting_a_member_fails_at_the_audit_append(
    mill: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(mill)

    def crash(self: AuditLog, events: Any) -> Any:
        raise Crash

    monkeypatch.setattr(AuditLog, "append", crash)
    with pytest.raises(Crash):
        services.admit_member(mill, "newcomer", "mill", T0, name="New")
    monkeypatch.undo()
    assert _state(mill) == before
    with mill.reading():
        assert mill.members.find("newcomer") is None


def test_closing_a_ballot_fails_while_applying_the_result(
    mill: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.open_election(mill, ["mill/delegate"], ["w01", "w02"], T0, T0 + 7 * DAY,
                           ballot_id="e1")
    receipts = [services.cast_vote(mill, "e1", f"w{i:02d}", ["w01"], T0 + DAY) for i in range(5)]
    before = _state(mill, "e1")

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise Crash

    monkeypatch.setattr("councilplan.services.closing.apply_election", crash)
    with pytest.raises(Crash):
        services.close_ballot(mill, "e1", T0 + 7 * DAY)
    monkeypatch.undo()
    assert _state(mill, "e1") == before  # still open, unsealed, uncounted, nobody elected
    # the receipts still work, and a second try closes it properly
    services.cast_vote(mill, "e1", "w00", ["w02"], T0 + 2 * DAY, previous=receipts[0])
    assert services.close_ballot(mill, "e1", T0 + 7 * DAY).elected == ("w01",)


def test_the_signature_that_would_open_the_recall_ballot_fails(
    mill: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.open_election(mill, ["mill/delegate"], ["w01"], T0, T0 + 7 * DAY, ballot_id="e1")
    services.cast_vote(mill, "e1", "w02", ["w01"], T0 + DAY)
    services.close_ballot(mill, "e1", T0 + 7 * DAY)
    (mandate,) = services.list_mandates(mill, "mill", T0 + 8 * DAY)
    services.open_recall_petition(mill, mandate.mandate_id, "w05", T0 + 8 * DAY,
                                  petition_id="pt1")
    services.sign_recall_petition(mill, "pt1", "w05", T0 + 9 * DAY)
    before = _state(mill)

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise Crash

    monkeypatch.setattr("councilplan.services.recall.open_new_ballot", crash)
    with pytest.raises(Crash):
        services.sign_recall_petition(mill, "pt1", "w06", T0 + 9 * DAY)
    monkeypatch.undo()
    assert _state(mill) == before
    (p,) = services.list_petitions(mill, "mill", T0 + 9 * DAY)
    assert (p.signatures, p.status, p.ballot_id) == (1, "open", None)


def test_a_cast_whose_paper_cannot_be_stored_marks_nobody(mill: UnitOfWork) -> None:
    services.open_election(mill, ["mill/delegate"], ["w01"], T0, T0 + 7 * DAY, ballot_id="e1")
    token = bytes(range(32))
    services.cast_vote(mill, "e1", "w05", ["w01"], T0 + DAY, token=token)
    assert receipt_code("e1", token)
    # the same token gives the same receipt code: the box refuses the paper, and the
    # member's mark, written with it, is undone with it
    with pytest.raises(InvalidInput, match="token was used before"):
        services.cast_vote(mill, "e1", "w06", ["w01"], T0 + DAY, token=token)
    with mill.reading():
        assert mill.register.voters("e1") == ["w05"]
        assert mill.box.count("e1") == 1
    services.cast_vote(mill, "e1", "w06", ["w01"], T0 + DAY)  # w06 can still vote
