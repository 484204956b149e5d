"""Concurrent casting neither loses nor doubles a vote."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from councilplan import services
from councilplan.councils.receipt import Receipt
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
CANDIDATES = ["c1", "c2", "c3", "c4"]


def _form(uow: UnitOfWork, members: int) -> None:
    services.create_council(uow, "works", "Works", "workplace", T0)
    for i in range(members):
        services.admit_member(uow, f"m{i:03d}", "works", T0)
    for c in CANDIDATES:
        services.admit_member(uow, c, "works", T0)
    services.define_seat(uow, "works/sec", "works", "Secretary", "office", T0,
                         term_length=365 * DAY, election_lead=28 * DAY)
    services.open_election(uow, ["works/sec"], CANDIDATES, T0, T0 + 7 * DAY, ballot_id="b1")


def _run(threads: int, work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(k: int) -> None:
        try:
            work(k)
        except BaseException as exc:  # pragma: no cover - reported by the caller
            errors.append(exc)

    pool = [threading.Thread(target=guarded, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


def test_200_members_revoting_on_8_threads_leave_exactly_200_papers(uow: UnitOfWork) -> None:
    _form(uow, 200)
    voters = [f"m{i:03d}" for i in range(200)]
    last: dict[str, Receipt] = {}
    earlier: list[Receipt] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        mine = UnitOfWork(uow.engine)
        for rnd in range(4):  # a first vote and three re-votes each
            for n, member in enumerate(voters[k::8]):
                ranking = [CANDIDATES[(n + rnd) % 4], CANDIDATES[(n + rnd + 1) % 4]]
                receipt = services.cast_vote(mine, "b1", member, ranking, T0 + DAY,
                                             previous=last.get(member))
                with lock:
                    if member in last:
                        earlier.append(last[member])
                    last[member] = receipt

    assert _run(8, work) == []
    with uow.reading():
        assert uow.box.count("b1") == 200
        assert uow.register.count("b1") == 200
    closed = services.close_ballot(uow, "b1", T0 + 7 * DAY)
    assert closed.papers == 200
    published = {code for code, _ in services.published_ballots(uow, "b1").papers}
    assert published == {r.code for r in last.values()}
    assert len(earlier) == 600
    assert not published & {r.code for r in earlier}
    assert services.verify_audit(uow).ok


def test_one_member_casting_from_8_threads_at_once_is_counted_once(uow: UnitOfWork) -> None:
    _form(uow, 5)
    won: list[Receipt] = []
    refused: list[PreconditionFailed] = []

    def work(k: int) -> None:
        try:
            won.append(services.cast_vote(UnitOfWork(uow.engine), "b1", "m000", ["c1"],
                                          T0 + DAY))
        except PreconditionFailed as exc:
            refused.append(exc)

    assert _run(8, work) == []
    assert (len(won), len(refused)) == (1, 7)
    assert all("already" in str(e) for e in refused)
    with uow.reading():
        assert (uow.box.count("b1"), uow.register.count("b1")) == (1, 1)


def test_casts_racing_the_close_are_either_counted_or_refused(uow: UnitOfWork) -> None:
    _form(uow, 160)
    accepted: list[Receipt] = []
    refused: list[str] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        if k == 7:
            services.close_ballot(UnitOfWork(uow.engine), "b1", T0 + 7 * DAY)
            return
        mine = UnitOfWork(uow.engine)
        for member in [f"m{i:03d}" for i in range(160)][k::7]:
            try:
                receipt = services.cast_vote(mine, "b1", member, ["c2"], T0 + DAY)
            except PreconditionFailed as exc:
                with lock:
                    refused.append(str(exc))
                continue
            with lock:
                accepted.append(receipt)

    assert _run(8, work) == []
    assert all("closed" in why for why in refused)
    assert len(accepted) + len(refused) == 160
    published = {code for code, _ in services.published_ballots(uow, "b1").papers}
    assert published == {r.code for r in accepted}  # no accepted vote lost, none extra
    assert services.show_ballot(uow, "b1").papers == len(accepted)
