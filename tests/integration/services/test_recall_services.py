"""The right of recall through the services: threshold, window, ballot, removal, by-election."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from councilplan import services
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
START = T0 + 7 * DAY  # the delegate takes office
END = START + 365 * DAY


@pytest.fixture
def delegate(mill: UnitOfWork) -> str:
    """w03 holds the Mill's delegate seat from START to END."""
    services.open_election(mill, ["mill/delegate"], ["w03", "w04"], T0, START, ballot_id="e1")
    for i in range(20):
        services.cast_vote(mill, "e1", f"w{i:02d}", ["w03"] if i < 14 else ["w04"], T0 + DAY)
    services.close_ballot(mill, "e1", START)
    (m,) = services.list_mandates(mill, "mill", START)
    return m.mandate_id


def test_a_petition_below_its_threshold_fails(mill: UnitOfWork, delegate: str) -> None:
    p = services.open_recall_petition(mill, delegate, "w05", START + 30 * DAY,
                                      petition_id="pt1", threshold=Fraction(3, 20))
    assert (p.required, p.constituency_size, p.status) == (3, 20, "open")
    services.sign_recall_petition(mill, "pt1", "w05", START + 31 * DAY)
    p = services.sign_recall_petition(mill, "pt1", "w06", START + 31 * DAY)
    assert (p.signatures, p.status, p.ballot_id) == (2, "open", None)
    with pytest.raises(PreconditionFailed, match="already signed"):
        services.sign_recall_petition(mill, "pt1", "w06", START + 32 * DAY)
    with pytest.raises(PreconditionFailed, match="not in the constituency"):
        services.sign_recall_petition(mill, "pt1", "stranger", START + 32 * DAY)
    closes = START + 30 * DAY + timedelta(weeks=6)
    with pytest.raises(PreconditionFailed, match="window closed"):
        services.sign_recall_petition(mill, "pt1", "w07", closes)
    report = services.tick(mill, closes)
    assert report.failed_petitions == ("pt1",)
    (p,) = services.list_petitions(mill, "mill", closes)
    assert (p.status, p.ballot_id) == ("failed", None)
    assert services.list_mandates(mill, "mill", closes)[0].status == "active"
    assert [b.purpose for b in services.list_ballots(mill, "mill")] == ["election"]


def test_a_petition_reaching_its_threshold_opens_the_recall_ballot(
    mill: UnitOfWork, delegate: str
) -> None:
    opened = START + 30 * DAY
    services.open_recall_petition(mill, delegate, "w05", opened, petition_id="pt1")
    with pytest.raises(PreconditionFailed, match="pending"):
        services.open_recall_petition(mill, delegate, "w06", opened)
    services.sign_recall_petition(mill, "pt1", "w05", opened + DAY)
    p = services.sign_recall_petition(mill, "pt1", "w06", opened + DAY, ballot_id="rc1")
    assert (p.signatures, p.required, p.status, p.ballot_id) == (2, 2, "succeeded", "rc1")
    ballot = services.show_ballot(mill, "rc1")
    assert (ballot.purpose, ballot.method, ballot.status, ballot.subject_id) == (
        "recall", "yes-no", "open", "pt1")
    assert ballot.electorate_size == 20


def _recall(mill: UnitOfWork, delegate: str, yes: int) -> datetime:
    opened = START + 30 * DAY
    services.open_recall_petition(mill, delegate, "w05", opened, petition_id="pt1")
    for signer in ("w05", "w06"):
        services.sign_recall_petition(mill, "pt1", signer, opened + DAY, ballot_id="rc1")
    for i in range(20):
        services.cast_vote(mill, "rc1", f"w{i:02d}", "yes" if i < yes else "no", opened + 2 * DAY)
    closed = opened + 8 * DAY
    view = services.close_ballot(mill, "rc1", closed)
    assert view.passed is (yes > 20 - yes)
    return closed


def test_a_recall_that_passes_ends_the_mandate_and_calls_a_by_election(
    mill: UnitOfWork, delegate: str
) -> None:
    closed = _recall(mill, delegate, yes=13)
    (m,) = services.list_mandates(mill, "mill", closed)
    assert (m.status, m.end_reason, m.ended_at) == ("recalled", "recalled", closed)
    (p,) = services.list_petitions(mill, "mill", closed)
    assert p.status == "recalled"
    (call,) = services.elections_due_now(mill, closed + DAY)
    assert (call.reason, call.term_end, call.previous_mandate_id) == (
        "by_election", END, delegate)
    # the by-election fills the rest of the term
    by = services.open_election(mill, ["mill/delegate"], ["w07", "w08"], closed + DAY,
                                closed + 8 * DAY, ballot_id="by1")
    assert by.purpose == "by_election"
    for i in range(20):
        services.cast_vote(mill, "by1", f"w{i:02d}", ["w07"] if i < 11 else ["w08"],
                           closed + 2 * DAY)
    assert services.close_ballot(mill, "by1", closed + 8 * DAY).elected == ("w07",)
    new = [x for x in services.list_mandates(mill, "mill", closed + 9 * DAY)
           if x.holder_id == "w07"]
    assert [(x.status, x.term_start, x.term_end) for x in new] == [
        ("active", closed + 8 * DAY, END)]
    assert services.elections_due_now(mill, closed + 9 * DAY) == ()
    kinds = [c for _, _, c in services.audit_entries(mill)]
    assert sum('"kind":"recall.passed"' in c for c in kinds) == 1
    assert sum('"kind":"election.called"' in c and "by_election" in c for c in kinds) == 1


def test_a_recall_that_fails_leaves_the_mandate(mill: UnitOfWork, delegate: str) -> None:
    closed = _recall(mill, delegate, yes=10)  # a tie fails: the status quo stands
    (m,) = services.list_mandates(mill, "mill", closed)
    assert m.status == "active"
    (p,) = services.list_petitions(mill, "mill", closed)
    assert p.status == "retained"
    assert services.elections_due_now(mill, closed) == ()
