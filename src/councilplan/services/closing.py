"""Closing a ballot: seal the box, count, publish, apply the result -- one transaction.

:func:`close_ballot` (at or after the closing time):

1. takes the ballot row exclusively (casts in flight finish first; later casts
   see it closed) and closes it (``ballot.closed``);
2. *seals* the box and the register: both rewritten in key order, so on
   PostgreSQL no row keeps the transaction id or heap position of its cast;
   checks that the box holds exactly one paper per marked member, and logs
   ``ballot.sealed`` with the number of papers and the SHA-256 of the
   anonymised set (:func:`councilplan.store.box.box_sha256`);
3. counts the papers (:mod:`councilplan.services.counts`), stores the result and
   logs ``ballot.counted`` with the seed (whose SHA-256 was published at opening)
   and the SHA-256 of the result;
4. applies the result: an election starts the mandates of the elected, a
   recall ends the mandate and calls a by-election, a motion or amendment is
   carried or lost, a strikers' ballot writes its results notice and grants or
   revokes a mandate, decides an offer or settles the dispute;
5. takes the closing checkpoint of the audit log;

and once that has committed, on PostgreSQL, VACUUMs the two halves so the row
versions the seal replaced are gone from the pages as well.

Anything failing rolls all of it back: the ballot stays open.
"""

from __future__ import annotations

from datetime import datetime

from councilplan.councils.ballot import BallotPurpose, BallotStatus
from councilplan.councils.ballot import close_ballot as core_close
from councilplan.councils.event import Event
from councilplan.errors import PreconditionFailed, Problem, RuleViolation
from councilplan.services.ballots import ballot_view
from councilplan.services.counts import count_papers
from councilplan.services.disputes import apply_dispute
from councilplan.services.elections import apply_election
from councilplan.services.motions import apply_motion
from councilplan.services.recall import apply_recall
from councilplan.services.views import BallotView, CountView
from councilplan.store.box import box_sha256, purge_dead_rows
from councilplan.store.types import canonical_text
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["BALLOT_COUNTED", "BALLOT_SEALED", "close_ballot", "close_due_ballots", "count_ballot"]

BALLOT_SEALED = "ballot.sealed"
BALLOT_COUNTED = "ballot.counted"


def close_ballot(uow: UnitOfWork, ballot_id: str, now: datetime) -> BallotView:
    """Close, seal, count and apply (see the module docstring); the closed ballot's view.

    A plan ballot of delegates is an open, recorded vote with a weighted electorate: it
    is counted from its roll call (:func:`councilplan.services.plan_cycle.close_roll_call`).
    """
    from councilplan.services.plan_cycle.ratify import close_roll_call, is_roll_call

    with uow:
        record = uow.ballots.get(ballot_id, lock="update")
        if record.ballot.purpose is BallotPurpose.PLAN and is_roll_call(uow, ballot_id):
            return close_roll_call(uow, record, now)
        record = uow.ballots.get(ballot_id, with_electorate=True)
        closed, closed_event = core_close(record.ballot, now)
        assert closed.electorate is not None
        marked = uow.register.seal(ballot_id)
        sealed = uow.box.seal(ballot_id)
        if len(sealed) != marked:
            raise RuleViolation(
                f"ballot {ballot_id} cannot close: the box does not match the register",
                [Problem(ballot_id, f"{len(sealed)} papers for {marked} members marked")],
            )
        digest = box_sha256(sealed)
        uow.ballots.save_closed(closed, len(sealed), digest)
        outcome = count_papers(closed, [p for _, p in sealed], entitled=closed.electorate.size,
                               seed=record.seed)
        uow.ballots.save_result(ballot_id, outcome.result)
        events: list[Event] = [
            closed_event,
            Event.of(BALLOT_SEALED, now, ballot_id=ballot_id, papers=len(sealed), marked=marked,
                     box_sha256=digest),
            Event.of(BALLOT_COUNTED, now, ballot_id=ballot_id, method=outcome.method,
                     papers=outcome.papers, seed=record.seed, elected=outcome.elected,
                     passed=outcome.passed, result_sha256=outcome.result_sha256),
        ]
        purpose = closed.purpose
        if purpose in (BallotPurpose.ELECTION, BallotPurpose.BY_ELECTION):
            events += apply_election(uow, closed, outcome, now)
        elif purpose is BallotPurpose.RECALL:
            events += apply_recall(uow, closed, outcome, now)
        elif purpose in (BallotPurpose.MOTION, BallotPurpose.AMENDMENT):
            events += apply_motion(uow, closed, outcome, now)
        elif purpose is BallotPurpose.DISPUTE:
            events += apply_dispute(uow, closed, outcome, now)
        elif purpose is BallotPurpose.PLAN:
            from councilplan.services.plan_cycle.ratify import apply_plan_result

            events += apply_plan_result(uow, closed, outcome.elected, now)
        uow.audit.append(events)
        uow.audit.take_checkpoint(ballot_id, "closed")
        view = ballot_view(uow, uow.ballots.get(ballot_id))
    purge_dead_rows(uow.engine)
    return view


def close_due_ballots(uow: UnitOfWork, now: datetime) -> tuple[BallotView, ...]:
    """Close every open ballot whose closing time has come (each in its own transaction)."""
    with uow.reading():
        due = uow.ballots.due_to_close(now)
    return tuple(close_ballot(uow, b, now) for b in due)


def count_ballot(uow: UnitOfWork, ballot_id: str) -> CountView:
    """Recount a closed ballot from its published papers: the elected and every stage."""
    from councilplan.services.plan_cycle.ratify import is_roll_call, recount_roll_call

    with uow.reading():
        if is_roll_call(uow, ballot_id):
            rec = uow.ballots.get(ballot_id)
            result = recount_roll_call(uow, ballot_id)
            return CountView(
                ballot_id=ballot_id, method=rec.ballot.method, papers=int(result["papers"]),
                elected=tuple(result.get("elected", ())), passed=None,
                stages=tuple(result.get("stages", ())), result=result,
                matches_stored=canonical_text(result) == canonical_text(rec.result))
        record = uow.ballots.get(ballot_id, with_electorate=True)
        if record.ballot.status is not BallotStatus.CLOSED:
            raise PreconditionFailed(
                f"ballot {ballot_id} is {record.ballot.status.value}: it is counted at the close",
                [Problem(ballot_id, "results are hidden until the close")],
            )
        assert record.ballot.electorate is not None
        papers = uow.box.published(ballot_id)
        outcome = count_papers(record.ballot, [p for _, p in papers],
                               entitled=record.ballot.electorate.size, seed=record.seed)
        stages = tuple(outcome.result.get("stages", ()))
        return CountView(
            ballot_id=ballot_id, method=outcome.method, papers=outcome.papers,
            elected=outcome.elected, passed=outcome.passed, stages=stages,
            result=outcome.result,
            matches_stored=canonical_text(outcome.result) == canonical_text(record.result),
        )
