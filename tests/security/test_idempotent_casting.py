"""Idempotent submission and "did my vote count?", on SQLite and PostgreSQL.

The voter's device draws the receipt token before it submits. When the answer is lost
(connection dropped, server killed after the commit) the device still holds the
receipt: ``verify_receipt`` finds the vote, and sending the same submission again --
as often as it likes, from as many threads as it likes -- returns the same receipt and
leaves exactly one paper and one mark.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

import pytest
from security_helpers import DAY, T0, form_works

from councilplan import services
from councilplan.councils.receipt import Receipt, receipt_code
from councilplan.errors import InvalidInput, PreconditionFailed
from councilplan.store import UnitOfWork

CLOSE = T0 + 7 * DAY
CANDIDATES = ["m000", "m001", "m002"]


@pytest.fixture
def ballot(uow: UnitOfWork) -> UnitOfWork:
    form_works(uow, 60)
    services.open_election(uow, ["works/sec"], CANDIDATES, T0, CLOSE, ballot_id="e1",
                           method="irv")
    return uow


def _counts(uow: UnitOfWork) -> tuple[int, int]:
    with uow.reading():
        return uow.box.count("e1"), uow.register.count("e1")


def _threads(n: int, work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def run(k: int) -> None:
        try:
            start.wait()
            work(k)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)

    pool = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


def test_a_vote_whose_answer_was_lost_is_found_and_not_doubled(ballot: UnitOfWork) -> None:
    token = secrets.token_bytes(32)  # drawn and kept by the device before it submits
    services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + DAY, token=token)  # answer lost
    check = services.verify_receipt(ballot, "e1", token)
    assert (check.found, check.counted, check.code) == (True, False, receipt_code("e1", token))
    again = services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + DAY, token=token.hex())
    assert again == services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + 2 * DAY,
                                       token=token)
    assert again.token_hex == token.hex()
    assert _counts(ballot) == (1, 1)
    services.close_ballot(ballot, "e1", CLOSE)
    assert services.verify_receipt(ballot, "e1", again).paper == ["m001"]


def test_the_same_token_with_another_paper_is_refused(ballot: UnitOfWork) -> None:
    token = secrets.token_bytes(32)
    services.cast_vote(ballot, "e1", "m010", ["m001", "m002"], T0 + DAY, token=token)
    for other in (["m002"], ["m002", "m001"], ["m001"]):
        with pytest.raises(InvalidInput, match="another paper") as exc:
            services.cast_vote(ballot, "e1", "m010", other, T0 + DAY, token=token)
        assert exc.value.problems[0].where == "token"
    # a paper the same once canonical is the same paper
    services.cast_vote(ballot, "e1", "m010", ("m001", "m002"), T0 + DAY, token=token)
    assert _counts(ballot) == (1, 1)
    services.close_ballot(ballot, "e1", CLOSE)
    assert services.verify_receipt(ballot, "e1", token).paper == ["m001", "m002"]


def test_a_revote_sent_again_replaces_once_and_stale_tokens_stay_refused(
    ballot: UnitOfWork,
) -> None:
    t1, t2, t3 = (secrets.token_bytes(32) for _ in range(3))
    first = services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + DAY, token=t1)
    second = services.cast_vote(ballot, "e1", "m010", ["m002"], T0 + DAY, previous=first,
                                token=t2)
    assert services.cast_vote(ballot, "e1", "m010", ["m002"], T0 + DAY, previous=first,
                              token=t2) == second
    # sent again without its previous receipt: still the same vote
    assert services.cast_vote(ballot, "e1", "m010", ["m002"], T0 + DAY, token=t2) == second
    with pytest.raises(InvalidInput, match="another paper"):
        services.cast_vote(ballot, "e1", "m010", ["m000"], T0 + DAY, previous=first, token=t2)
    # the first vote replayed: refused, whatever it carries
    with pytest.raises(PreconditionFailed, match="already"):
        services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + DAY, token=t1)
    with pytest.raises(PreconditionFailed, match="not the member's last vote"):
        services.cast_vote(ballot, "e1", "m010", ["m000"], T0 + DAY, previous=first, token=t3)
    with pytest.raises(InvalidInput, match="fresh receipt token"):
        services.cast_vote(ballot, "e1", "m010", ["m000"], T0 + DAY, previous=t2, token=t2)
    assert _counts(ballot) == (1, 1)
    assert not services.verify_receipt(ballot, "e1", t1).found
    assert services.verify_receipt(ballot, "e1", t2).found
    assert not services.verify_receipt(ballot, "e1", t3).found


def test_a_token_is_one_voters_only(ballot: UnitOfWork) -> None:
    token = secrets.token_bytes(32)
    services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + DAY, token=token)
    # somebody who learnt the token (the voter showed their receipt) cannot vote with it,
    # re-vote with it, or have it confirm anything about their own vote
    with pytest.raises(InvalidInput, match="used before"):
        services.cast_vote(ballot, "e1", "m011", ["m001"], T0 + DAY, token=token)
    services.cast_vote(ballot, "e1", "m011", ["m002"], T0 + DAY)
    with pytest.raises(PreconditionFailed, match="already"):
        services.cast_vote(ballot, "e1", "m011", ["m001"], T0 + DAY, token=token)
    with pytest.raises(PreconditionFailed, match="not the member's last vote"):
        services.cast_vote(ballot, "e1", "m011", ["m000"], T0 + DAY, previous=token)
    assert _counts(ballot) == (2, 2)


@pytest.mark.parametrize(
    ("token", "message"),
    [(b"short", "too short"), ("zz" * 16, "hexadecimal"), ("ab" * 8 + "a", "hexadecimal"),
     (12345, "not int"), (["ab" * 16], "not list")],
)
def test_a_malformed_token_is_refused_naming_the_field(
    ballot: UnitOfWork, token: object, message: str
) -> None:
    for field, kwargs in (("token", {"token": token}), ("previous", {"previous": token})):
        with pytest.raises(InvalidInput) as exc:
            services.cast_vote(ballot, "e1", "m010", ["m001"], T0 + DAY, **kwargs)  # type: ignore[arg-type]
        assert exc.value.problems[0].where == field
        assert message in exc.value.problems[0].message
    assert _counts(ballot) == (0, 0)


def test_after_the_close_a_resubmission_is_refused_and_the_receipt_answers(
    ballot: UnitOfWork,
) -> None:
    token = secrets.token_bytes(32)
    services.cast_vote(ballot, "e1", "m010", ["m002"], T0 + DAY, token=token)
    services.close_ballot(ballot, "e1", CLOSE)
    with pytest.raises(PreconditionFailed, match="closed"):
        services.cast_vote(ballot, "e1", "m010", ["m002"], CLOSE - DAY, token=token)
    check = services.verify_receipt(ballot, "e1", token)
    assert (check.found, check.counted, check.paper) == (True, True, ["m002"])


def test_copies_of_one_submission_racing_on_8_threads_leave_one_paper_one_mark(
    ballot: UnitOfWork,
) -> None:
    token = secrets.token_bytes(32)
    got: list[Receipt] = []

    def work(k: int) -> None:
        got.append(services.cast_vote(UnitOfWork(ballot.engine), "e1", "m010", ["m001"],
                                      T0 + DAY, token=token))

    assert _threads(8, work) == []
    assert len(got) == 8
    assert len(set(got)) == 1
    assert _counts(ballot) == (1, 1)


def test_50_voters_each_sending_everything_four_times_leave_50_papers(ballot: UnitOfWork) -> None:
    """Every first vote and every re-vote is sent four times, the copies on different
    threads at the same moment: 50 papers, 50 marks, each the voter's last choice."""
    voters = [f"m{i:03d}" for i in range(10, 60)]
    tokens = {m: [secrets.token_bytes(32) for _ in range(3)] for m in voters}
    papers = [["m000"], ["m001", "m000"], ["m002"]]
    lock = threading.Lock()
    receipts: dict[tuple[str, int], set[Receipt]] = {}

    stale: list[str] = []

    def work(k: int) -> None:
        mine = UnitOfWork(ballot.engine)
        for rnd in range(3):
            for n, member in enumerate(voters):
                if (n + k) % 2:
                    continue  # four of the eight threads send each voter's submissions
                prev = None if rnd == 0 else tokens[member][rnd - 1]
                try:
                    r = services.cast_vote(mine, "e1", member, papers[rnd], T0 + DAY,
                                           previous=prev, token=tokens[member][rnd])
                except PreconditionFailed as exc:
                    with lock:
                        stale.append(str(exc))
                    continue
                with lock:
                    receipts.setdefault((member, rnd), set()).add(r)

    assert _threads(8, work) == []
    # a copy of round r arriving after round r + 1 committed is refused as stale; every
    # copy that went in answered the same receipt, and every voter's last round went in
    assert all("already" in why or "not the member's last vote" in why for why in stale)
    assert all(len(rs) == 1 for rs in receipts.values())
    assert all((m, 2) in receipts for m in voters)
    assert _counts(ballot) == (50, 50)
    services.close_ballot(ballot, "e1", CLOSE)
    for member in voters:
        last = services.verify_receipt(ballot, "e1", tokens[member][2])
        assert last.paper == ["m002"], member


def test_one_token_racing_with_two_papers_keeps_exactly_one(ballot: UnitOfWork) -> None:
    token = secrets.token_bytes(32)
    won: list[list[str]] = []
    refused: list[str] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        paper = [CANDIDATES[k % 2]]
        try:
            services.cast_vote(UnitOfWork(ballot.engine), "e1", "m010", paper, T0 + DAY,
                               token=token)
        except InvalidInput as exc:
            with lock:
                refused.append(exc.message)
            return
        with lock:
            won.append(paper)

    assert _threads(8, work) == []
    assert len({tuple(p) for p in won}) == 1
    assert len(won) == 4
    assert len(refused) == 4
    assert all("another paper" in m for m in refused)
    assert _counts(ballot) == (1, 1)
    services.close_ballot(ballot, "e1", CLOSE)
    assert services.verify_receipt(ballot, "e1", token).paper == won[0]
