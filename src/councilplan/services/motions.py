"""Motions and amendments, decided by yes/no ballots of the council's constituency.

Amendments are voted before the motion they amend (the core refuses a motion
ballot while an amendment is pending). An amendment ballot's subject is
``"<motion id>#<amendment id>"``.
"""

from __future__ import annotations

from datetime import datetime

from councilplan.councils.ballot import Ballot, BallotPurpose
from councilplan.councils.decision import DecisionRule
from councilplan.councils.event import Event
from councilplan.councils.motion import (
    Amendment,
    Motion,
    MotionStatus,
    propose_amendment,
    resolve_amendment,
    resolve_motion,
    table_motion,
)
from councilplan.errors import NotFound, PreconditionFailed, Problem
from councilplan.services.ballots import ballot_view, open_new_ballot
from councilplan.services.constituency import load_constituency
from councilplan.services.counts import CountOutcome
from councilplan.services.ids import new_id, new_seed
from councilplan.services.papers import YES_NO
from councilplan.services.views import BallotView
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "apply_motion",
    "list_motions",
    "open_motion_ballot",
    "propose_motion_amendment",
    "show_motion",
    "table_new_motion",
]


def table_new_motion(uow: UnitOfWork, council_id: str, proposed_by: str, text: str,
                     now: datetime, *, motion_id: str | None = None) -> Motion:
    """A constituent tables a motion before ``council_id``."""
    mid = motion_id or new_id("mo")
    with uow:
        uow.councils.get(council_id)
        if proposed_by not in load_constituency(uow, council_id):
            raise PreconditionFailed(f"motion {mid} cannot be tabled",
                                     [Problem(proposed_by, "not in the council's constituency")])
        try:
            uow.motions.get(mid)
        except NotFound:
            pass
        else:
            raise PreconditionFailed(f"motion {mid} cannot be tabled",
                                     [Problem(mid, "a motion with this id exists")])
        motion, event = table_motion(mid, council_id, proposed_by, text, now)
        uow.motions.add(motion)
        uow.audit.append([event])
        return motion


def propose_motion_amendment(uow: UnitOfWork, motion_id: str, proposed_by: str,
                             old_text: str | None, new_text: str, now: datetime, *,
                             amendment_id: str | None = None) -> Motion:
    """Propose replacing ``old_text`` (``None``: the whole text) by ``new_text``."""
    aid = amendment_id or new_id("am")
    with uow:
        motion = uow.motions.get(motion_id, lock=True)
        if proposed_by not in load_constituency(uow, motion.council_id):
            raise PreconditionFailed(f"amendment {aid} refused",
                                     [Problem(proposed_by, "not in the council's constituency")])
        amended, event = propose_amendment(motion, Amendment(aid, proposed_by, old_text,
                                                             new_text), now)
        uow.motions.save(amended)
        uow.audit.append([event])
        return amended


def open_motion_ballot(uow: UnitOfWork, motion_id: str, now: datetime, closes_at: datetime,
                       *, amendment_id: str | None = None, rule: DecisionRule | None = None,
                       ballot_id: str | None = None, seed: str | None = None) -> BallotView:
    """Open the yes/no ballot on an amendment, or on the motion once no amendment is pending."""
    bid = ballot_id or new_id("mb")
    with uow:
        motion = uow.motions.get(motion_id, lock=True)
        problems: list[Problem] = []
        if motion.status is not MotionStatus.TABLED:
            problems.append(Problem(motion_id, f"the motion is {motion.status.value}"))
        if amendment_id is None:
            problems += [Problem(a.amendment_id, "amendment not yet decided (amendments are "
                                 "voted first)") for a in motion.pending]
            question, purpose, subject = motion.text, BallotPurpose.MOTION, motion_id
        else:
            amendment = motion.amendment(amendment_id)
            if amendment not in motion.pending:
                problems.append(Problem(amendment_id, f"the amendment is "
                                        f"{amendment.status.value}"))
            question = (f"Amend motion {motion_id}: replace {amendment.old_text!r} by "
                        f"{amendment.new_text!r}?")
            purpose, subject = BallotPurpose.AMENDMENT, f"{motion_id}#{amendment_id}"
        for other in uow.ballots.of_council(motion.council_id):
            if other.ballot.subject_id == subject and other.ballot.status.value != "closed":
                problems.append(Problem(other.ballot.ballot_id, "a ballot on this is open"))
        if problems:
            raise PreconditionFailed(f"no ballot on motion {motion_id} now", problems)
        draft = Ballot(bid, motion.council_id, question, ("yes", "no", "abstain"), YES_NO, now,
                       closes_at, rule=rule or DecisionRule.simple_majority(), purpose=purpose,
                       subject_id=subject)
        electorate = load_constituency(uow, motion.council_id).members
        open_new_ballot(uow, draft, electorate, now, seed=seed or new_seed())
        return ballot_view(uow, uow.ballots.get(bid))


def apply_motion(uow: UnitOfWork, ballot: Ballot, outcome: CountOutcome,
                 now: datetime) -> list[Event]:
    """Carry or lose the amendment or motion the closed ballot decided."""
    assert ballot.subject_id is not None
    assert outcome.decision is not None
    motion_id, _, amendment_id = ballot.subject_id.partition("#")
    motion = uow.motions.get(motion_id, lock=True)
    if ballot.purpose is BallotPurpose.AMENDMENT:
        motion, events = resolve_amendment(motion, amendment_id, outcome.decision, now)
        uow.motions.save(motion)
        return list(events)
    motion, event = resolve_motion(motion, outcome.decision, now)
    uow.motions.save(motion)
    return [event]


def list_motions(uow: UnitOfWork, council_id: str) -> tuple[Motion, ...]:
    with uow.reading():
        return tuple(uow.motions.of_council(council_id))


def show_motion(uow: UnitOfWork, motion_id: str) -> Motion:
    with uow.reading():
        return uow.motions.get(motion_id)
