"""Ballots: opening preconditions as data, frozen electorate, cast eligibility, receipts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from councilplan.councils.ballot import (
    Ballot,
    BallotStatus,
    cast_problems,
    close_ballot,
    ensure_can_cast,
    open_ballot,
    opening_problems,
)
from councilplan.councils.electorate import Electorate, electorate_hash
from councilplan.councils.event import EventKind
from councilplan.councils.receipt import (
    Receipt,
    find_receipt,
    issue_receipt,
    published_ballot_set,
    receipt_code,
)
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

OPENS = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=7)
MEMBERS = ["m3", "m1", "m2", "m1"]


def draft(**changes: object) -> Ballot:
    b = Ballot("b1", "mill", "Adopt plan variant A?", ("yes", "no"), "yes-no", OPENS, CLOSES)
    return replace(b, **changes)  # type: ignore[arg-type]


def messages(problems: Iterable[Problem]) -> str:
    return " | ".join(str(p) for p in problems)


def test_a_well_formed_ballot_has_no_opening_problems() -> None:
    assert opening_problems(draft(), MEMBERS, OPENS) == []


def test_every_reason_a_ballot_cannot_open_is_returned_as_data() -> None:
    bad = draft(question=" ", options=(), method="", closes_at=OPENS - timedelta(hours=1))
    problems = opening_problems(bad, [], OPENS - timedelta(days=1))
    text = messages(problems)
    for expected in ("no question", "no options", "no counting method", "electorate is empty",
                     "before it opens", "not yet"):
        assert expected in text
    assert len(problems) == 6
    with pytest.raises(PreconditionFailed) as info:
        open_ballot(bad, [], OPENS - timedelta(days=1))
    assert info.value.problems == tuple(problems)


def test_more_opening_problems() -> None:
    text = messages(opening_problems(draft(options=("A", "A", "B"), seats=4), MEMBERS,
                                     CLOSES))
    assert "listed twice" in text
    assert "4 seats but only 3" in text
    assert "has passed" in text
    unknown = opening_problems(draft(method="borda"), MEMBERS, OPENS,
                               known_methods={"yes-no", "scottish-stv"})
    assert "unknown counting method 'borda'" in messages(unknown)
    assert "malformed" in messages(opening_problems(draft(), ["ok", "bad\nid"], OPENS))
    opened, _ = open_ballot(draft(), MEMBERS, OPENS)
    assert "already open" in messages(opening_problems(opened, MEMBERS, OPENS))


def test_opening_freezes_and_publishes_the_electorate() -> None:
    opened, event = open_ballot(draft(), MEMBERS, OPENS + timedelta(minutes=5))
    assert opened.status is BallotStatus.OPEN
    assert opened.electorate is not None
    assert opened.electorate.member_ids == ("m1", "m2", "m3")
    assert opened.electorate.size == 3
    expected = hashlib.sha256(b"councilplan-electorate-v1\nm1\nm2\nm3\n").hexdigest()
    assert opened.electorate.digest == expected == electorate_hash(["m1", "m2", "m3"])
    assert event.kind == EventKind.BALLOT_OPENED
    assert event.payload["electorate_size"] == 3
    assert event.payload["electorate_hash"] == expected
    assert event.payload["rule"]["majority"] == "1/2"  # type: ignore[index]
    assert opened.electorate.published() == {"size": 3, "sha256": expected}


def test_electorate_is_checked_when_rebuilt_from_storage() -> None:
    e = Electorate.freeze(["b", "a"])
    assert "a" in e
    assert "c" not in e
    assert 5 not in e
    assert Electorate(e.member_ids, e.digest, e.size) == e
    with pytest.raises(InvalidInput, match="digest"):
        Electorate(("a", "b", "c"), e.digest, 3)
    with pytest.raises(InvalidInput, match="sorted"):
        Electorate(("b", "a"), e.digest, 2)
    with pytest.raises(InvalidInput):
        Electorate.freeze(["a\nb"])


def test_cast_eligibility_as_data() -> None:
    assert "not been opened" in messages(cast_problems(draft(), "m1", OPENS))
    opened, _ = open_ballot(draft(), MEMBERS, OPENS)
    assert cast_problems(opened, "m1", OPENS) == []
    assert cast_problems(opened, "m1", CLOSES - timedelta(microseconds=1)) == []
    assert "not in this ballot's electorate" in messages(cast_problems(opened, "stranger", OPENS))
    assert "voting opens" in messages(cast_problems(opened, "m1", OPENS - timedelta(seconds=1)))
    assert "voting closed" in messages(cast_problems(opened, "m1", CLOSES))
    assert opened.accepting_votes(OPENS)
    assert not opened.accepting_votes(CLOSES)
    with pytest.raises(PreconditionFailed):
        ensure_can_cast(opened, "stranger", OPENS)
    ensure_can_cast(opened, "m2", OPENS)
    closed, event = close_ballot(opened, CLOSES)
    assert event.kind == EventKind.BALLOT_CLOSED
    problems = messages(cast_problems(closed, "m1", CLOSES + timedelta(days=1)))
    assert "the ballot is closed" in problems
    assert "voting closed" in problems


def test_close_not_before_the_closing_time() -> None:
    opened, _ = open_ballot(draft(), MEMBERS, OPENS)
    with pytest.raises(PreconditionFailed, match="cannot close"):
        close_ballot(opened, CLOSES - timedelta(seconds=1))
    with pytest.raises(PreconditionFailed):
        close_ballot(draft(), CLOSES)


# -- receipts -----------------------------------------------------------------------------


def test_receipt_code_follows_the_documented_scheme() -> None:
    token = bytes(range(32))
    expected = hashlib.sha256(b"councilplan-receipt-v1\x00b1\x00" + token).hexdigest()
    assert receipt_code("b1", token) == expected
    receipt = issue_receipt("b1", token)
    assert receipt == Receipt("b1", token.hex(), expected)
    assert receipt.verify()
    assert receipt_code("b2", token) != expected  # bound to the ballot
    with pytest.raises(InvalidInput, match="16"):
        receipt_code("b1", b"short")


def test_voter_finds_their_paper_in_the_published_set_which_names_nobody() -> None:
    tokens = [bytes([i]) * 32 for i in range(1, 6)]
    papers = ["yes", "no", "yes", "abstain", "yes"]
    box = [(receipt_code("b1", t), p) for t, p in zip(tokens, papers, strict=True)]
    published = published_ballot_set(reversed(box))
    assert [c for c, _ in published] == sorted(c for c, _ in box)
    assert all(len(code) == 64 for code, _ in published)
    for token, paper in zip(tokens, papers, strict=True):
        assert find_receipt(published, issue_receipt("b1", token)) == paper
    assert find_receipt(published, issue_receipt("b1", b"\x09" * 32)) is None
    forged = Receipt("b1", (b"\x01" * 32).hex(), published[0][0][::-1])
    with pytest.raises(InvalidInput):
        find_receipt(published, forged)
    with pytest.raises(InvalidInput, match="twice"):
        published_ballot_set([box[0], box[0]])
