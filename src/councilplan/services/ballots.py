"""Ballots: opening one (electorate frozen, checkpoint taken), reading them, the published set.

Closing and counting are in :mod:`councilplan.services.closing`; casting and
receipts in :mod:`councilplan.services.voting`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from councilplan.councils.ballot import Ballot, BallotStatus, open_ballot
from councilplan.councils.event import Event
from councilplan.errors import PreconditionFailed, Problem
from councilplan.services.counts import seed_commitment
from councilplan.services.papers import KNOWN_METHODS, read_paper
from councilplan.services.views import BallotView, PublishedBallots
from councilplan.store.ballots import BallotRecord, BallotSeat
from councilplan.store.box import box_sha256
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["ballot_view", "list_ballots", "open_new_ballot", "published_ballots", "show_ballot"]

SEED_COMMITTED = "ballot.seed_committed"


def open_new_ballot(
    uow: UnitOfWork,
    draft: Ballot,
    electorate: Iterable[str],
    now: datetime,
    *,
    seed: str,
    seats: Sequence[BallotSeat] = (),
    events_before: Sequence[Event] = (),
    events_after: Sequence[Event] = (),
    store_electorate: bool = True,
) -> Ballot:
    """Store and open ``draft`` inside the caller's transaction: freeze the electorate,
    log ``events_before``, ``ballot.opened``, the seed commitment and ``events_after``,
    take the opening checkpoint (``store_electorate``: see
    :meth:`~councilplan.store.ballots.BallotRepository.save_opened`)."""
    if uow.ballots.find(draft.ballot_id) is not None:
        raise PreconditionFailed(f"ballot {draft.ballot_id} cannot open",
                                 [Problem(draft.ballot_id, "a ballot with this id exists")])
    opened, event = open_ballot(draft, electorate, now, known_methods=KNOWN_METHODS)
    uow.ballots.add(draft, seed, seats)
    uow.ballots.save_opened(opened, store_electorate=store_electorate)
    committed = Event.of(SEED_COMMITTED, now, ballot_id=draft.ballot_id,
                         seed_sha256=seed_commitment(seed))
    uow.audit.append([*events_before, event, committed, *events_after])
    uow.audit.take_checkpoint(draft.ballot_id, "opened")
    return opened


def ballot_view(uow: UnitOfWork, record: BallotRecord) -> BallotView:
    """The members' view of a stored ballot (result, seed, box digest after close only)."""
    b = record.ballot
    closed = b.status is BallotStatus.CLOSED
    result = record.result if closed else None
    elected: tuple[str, ...] = ()
    passed = None
    if result is not None:
        elected = tuple(result.get("elected", ()))
        passed = result.get("passed")
    cps = tuple(c.to_dict() for c in uow.audit.checkpoints(b.ballot_id))
    return BallotView(
        ballot_id=b.ballot_id, council_id=b.council_id, question=b.question, options=b.options,
        method=b.method, seats=b.seats, purpose=b.purpose.value, subject_id=b.subject_id,
        status=b.status.value, opens_at=b.opens_at, closes_at=b.closes_at,
        rule=b.rule.describe(), electorate_size=record.electorate_size,
        electorate_hash=record.electorate_hash, seed_sha256=seed_commitment(record.seed),
        checkpoints=cps, seed=record.seed if closed else None,
        papers=record.papers if closed else None,
        box_sha256=record.box_sha256 if closed else None,
        elected=elected, passed=passed, result=result,
    )


def show_ballot(uow: UnitOfWork, ballot_id: str) -> BallotView:
    with uow.reading():
        return ballot_view(uow, uow.ballots.get(ballot_id))


def list_ballots(uow: UnitOfWork, council_id: str | None = None) -> tuple[BallotView, ...]:
    """Ballots (of one council, or all), by opening time: status, and results after close."""
    with uow.reading():
        if council_id is not None:
            uow.councils.get(council_id)
        return tuple(ballot_view(uow, r) for r in uow.ballots.of_council(council_id))


def published_ballots(uow: UnitOfWork, ballot_id: str) -> PublishedBallots:
    """The anonymised ballot set of a closed ballot, so anyone can recount it."""
    with uow.reading():
        record = uow.ballots.get(ballot_id)
        papers = uow.box.published(ballot_id)
        digest = box_sha256(papers)
        decoded: tuple[tuple[str, Any], ...] = tuple((c, read_paper(p)) for c, p in papers)
        return PublishedBallots(
            ballot_id=ballot_id, method=record.ballot.method, options=record.ballot.options,
            papers=decoded, box_sha256=digest, matches_sealed=digest == record.box_sha256,
        )
