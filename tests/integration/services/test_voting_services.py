"""Casting: a second vote replaces, never adds; only the electorate votes, only while open;
results stay hidden until the close; every voter can check their vote counted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from councilplan import services
from councilplan.errors import InvalidInput, NotFound, PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
CLOSE = T0 + 7 * DAY


@pytest.fixture
def election(mill: UnitOfWork) -> UnitOfWork:
    services.open_election(mill, ["mill/delegate"], ["w01", "w02", "w03"], T0, CLOSE,
                           ballot_id="e1")
    return mill


def _counts(uow: UnitOfWork) -> tuple[int, int]:
    with uow.reading():
        return uow.box.count("e1"), uow.register.count("e1")


def test_a_second_vote_replaces_the_first_never_adds(election: UnitOfWork) -> None:
    first = services.cast_vote(election, "e1", "w05", ["w01"], T0 + DAY)
    assert _counts(election) == (1, 1)
    with pytest.raises(PreconditionFailed, match="voted in ballot e1 already"):
        services.cast_vote(election, "e1", "w05", ["w02"], T0 + DAY)
    second = services.cast_vote(election, "e1", "w05", ["w02", "w01"], T0 + 2 * DAY,
                                previous=first)
    assert _counts(election) == (1, 1)
    third = services.cast_vote(election, "e1", "w05", ["w03"], T0 + 3 * DAY,
                               previous=second.token_hex)
    assert _counts(election) == (1, 1)
    with pytest.raises(PreconditionFailed, match="not the member's last vote"):
        services.cast_vote(election, "e1", "w05", ["w01"], T0 + 3 * DAY, previous=first)
    assert services.verify_receipt(election, "e1", first).found is False
    assert services.verify_receipt(election, "e1", third).found is True
    view = services.close_ballot(election, "e1", CLOSE)
    assert view.papers == 1
    assert services.verify_receipt(election, "e1", third).paper == ["w03"]


def test_a_receipt_replaces_only_its_owners_vote(election: UnitOfWork) -> None:
    ada = services.cast_vote(election, "e1", "w05", ["w01"], T0 + DAY)
    services.cast_vote(election, "e1", "w06", ["w02"], T0 + DAY)
    # w06 has seen Ada's receipt: it must not let w06 delete Ada's paper
    with pytest.raises(PreconditionFailed, match="not the member's last vote"):
        services.cast_vote(election, "e1", "w06", ["w03"], T0 + DAY, previous=ada)
    assert services.verify_receipt(election, "e1", ada).found
    assert _counts(election) == (2, 2)


def test_a_non_member_cannot_vote(election: UnitOfWork) -> None:
    services.create_council(election, "dock", "Dock", "workplace", T0, parent_id="area")
    services.admit_member(election, "d01", "dock", T0)
    for who in ("d01", "stranger"):
        with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
            services.cast_vote(election, "e1", who, ["w01"], T0 + DAY)
    # joining after the opening does not add to the frozen electorate
    services.admit_member(election, "late", "mill", T0 + DAY)
    with pytest.raises(PreconditionFailed, match="electorate"):
        services.cast_vote(election, "e1", "late", ["w01"], T0 + DAY)
    assert _counts(election) == (0, 0)


def test_no_vote_before_the_opening_or_after_the_close(election: UnitOfWork) -> None:
    with pytest.raises(PreconditionFailed, match="voting opens"):
        services.cast_vote(election, "e1", "w05", ["w01"], T0 - DAY)
    with pytest.raises(PreconditionFailed, match="voting closed"):
        services.cast_vote(election, "e1", "w05", ["w01"], CLOSE)
    receipt = services.cast_vote(election, "e1", "w05", ["w01"], CLOSE - timedelta(seconds=1))
    with pytest.raises(PreconditionFailed, match="cannot close"):
        services.close_ballot(election, "e1", CLOSE - timedelta(seconds=1))
    services.close_ballot(election, "e1", CLOSE)
    for kwargs in ({}, {"previous": receipt}):
        with pytest.raises(PreconditionFailed, match="closed"):
            services.cast_vote(election, "e1", "w06", ["w02"], CLOSE - DAY, **kwargs)
    with pytest.raises(PreconditionFailed, match="closed"):
        services.cast_vote(election, "e1", "w05", ["w02"], CLOSE - DAY, previous=receipt)
    assert _counts(election) == (1, 1)


def test_results_are_hidden_until_the_close(election: UnitOfWork) -> None:
    receipt = services.cast_vote(election, "e1", "w05", ["w02"], T0 + DAY)
    view = services.show_ballot(election, "e1")
    assert (view.result, view.elected, view.seed, view.papers, view.box_sha256) == (
        None, (), None, None, None)
    assert len(view.seed_sha256) == 64
    assert view.electorate_size == 20
    check = services.verify_receipt(election, "e1", receipt)
    assert (check.found, check.counted, check.paper) == (True, False, None)
    for reader in (services.count_ballot, services.published_ballots):
        with pytest.raises(PreconditionFailed, match="hidden until the close"):
            reader(election, "e1")
    closed = services.close_ballot(election, "e1", CLOSE)
    assert closed.elected == ("w02",)
    assert closed.seed is not None
    check = services.verify_receipt(election, "e1", receipt)
    assert (check.found, check.counted, check.paper) == (True, True, ["w02"])


def test_invalid_papers_are_refused(election: UnitOfWork) -> None:
    for bad in ([], ["w01", "w01"], ["w09"], "yes"):
        with pytest.raises(InvalidInput, match="not a valid paper"):
            services.cast_vote(election, "e1", "w05", bad, T0 + DAY)
    with pytest.raises(NotFound):
        services.cast_vote(election, "nope", "w05", ["w01"], T0 + DAY)
    with pytest.raises(InvalidInput, match="receipt"):
        services.verify_receipt(election, "e1", "not hex")
    assert _counts(election) == (0, 0)


def test_the_audit_log_takes_checkpoints_at_opening_and_close(election: UnitOfWork) -> None:
    opened = services.show_ballot(election, "e1").checkpoints
    assert [c["moment"] for c in opened] == ["opened"]
    services.cast_vote(election, "e1", "w05", ["w01"], T0 + DAY)
    closed = services.close_ballot(election, "e1", CLOSE).checkpoints
    assert [c["moment"] for c in closed] == ["opened", "closed"]
    kinds = [json.loads(c)["kind"] for _, _, c in services.audit_entries(election)]
    assert kinds[opened[0]["size"] - 2:opened[0]["size"]] == [
        "ballot.opened", "ballot.seed_committed"]
    assert kinds[-4:] == ["ballot.closed", "ballot.sealed", "ballot.counted", "mandate.started"]
    assert closed[-1]["size"] == len(kinds)
    assert services.verify_audit(election).ok
