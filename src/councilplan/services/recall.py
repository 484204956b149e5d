"""The right of recall: petition, signatures, the recall ballot, removal and by-election.

A petition that reaches its threshold opens the recall ballot at once (on the
council's constituency as it stands -- for a strike committee's seat, on the
dispute's strikers), unless ``open_ballot_for`` is ``None``;
then :func:`open_recall_ballot` opens it later. Its result is applied when it
closes (:mod:`councilplan.services.closing`): a passed recall ends the mandate
and calls a by-election for the rest of the term.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction

from councilplan.councils.ballot import Ballot
from councilplan.councils.decision import DecisionRule
from councilplan.councils.event import Event
from councilplan.councils.mandate import MandateStatus
from councilplan.councils.recall import (
    PetitionStatus,
    RecallPetition,
    RecallPolicy,
    apply_recall_result,
    lapse_petition,
    open_petition,
    recall_ballot,
    sign_petition,
)
from councilplan.errors import NotFound, PreconditionFailed, Problem
from councilplan.services.ballots import open_new_ballot
from councilplan.services.constituency import electing_constituency
from councilplan.services.counts import CountOutcome
from councilplan.services.ids import new_id, new_seed
from councilplan.services.views import PetitionView
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "DEFAULT_RECALL_BALLOT",
    "apply_recall",
    "list_petitions",
    "open_recall_ballot",
    "open_recall_petition",
    "petition_view",
    "show_petition",
    "sign_recall_petition",
]

DEFAULT_RECALL_BALLOT = timedelta(days=7)


def petition_view(p: RecallPetition, now: datetime | None = None) -> PetitionView:
    status = p.status if now is None else p.status_at(now)
    return PetitionView(
        petition_id=p.petition_id, mandate_id=p.mandate_id, seat_id=p.seat_id,
        council_id=p.council_id, opened_at=p.opened_at, closes_at=p.closes_at,
        threshold=str(p.threshold), required=p.required, signatures=p.count,
        constituency_size=p.constituency.size, status=status.value, ballot_id=p.ballot_id,
    )


def open_recall_petition(
    uow: UnitOfWork,
    mandate_id: str,
    opened_by: str,
    now: datetime,
    *,
    petition_id: str | None = None,
    threshold: Fraction = Fraction(1, 10),
    window: timedelta = timedelta(weeks=6),
    ballot_rule: DecisionRule | None = None,
) -> PetitionView:
    """Any constituent opens a petition to recall an active mandate."""
    pid = petition_id or new_id("pt")
    policy = (RecallPolicy(threshold, window) if ballot_rule is None
              else RecallPolicy(threshold, window, ballot_rule))
    with uow:
        mandate = uow.mandates.get(mandate_id, lock=True)
        constituency = electing_constituency(uow, mandate.seat_id, mandate.council_id, now)
        existing = uow.petitions.of_mandate(mandate_id)
        if any(p.petition_id == pid for p in existing) or _exists(uow, pid):
            raise PreconditionFailed(f"no recall petition against mandate {mandate_id}",
                                     [Problem(pid, "a petition with this id already exists")])
        petition, event = open_petition(pid, mandate, constituency, opened_by, now,
                                        policy=policy, existing=existing)
        uow.petitions.add(petition, policy.ballot_rule)
        uow.audit.append([event])
        return petition_view(petition, now)


def _exists(uow: UnitOfWork, petition_id: str) -> bool:
    try:
        uow.petitions.get(petition_id)
    except NotFound:
        return False
    return True


def _open_ballot(uow: UnitOfWork, petition: RecallPetition, rule: DecisionRule, now: datetime,
                 closes_at: datetime, ballot_id: str | None, seed: str | None) -> RecallPetition:
    window = petition.closes_at - petition.opened_at
    policy = RecallPolicy(petition.threshold, window, rule)
    draft: Ballot = recall_ballot(petition, ballot_id or new_id("rc"), now, closes_at,
                                  policy=policy)
    electorate = electing_constituency(uow, petition.seat_id, petition.council_id, now).members
    open_new_ballot(uow, draft, electorate, now, seed=seed or new_seed())
    with_ballot = replace(petition, ballot_id=draft.ballot_id)
    uow.petitions.save(with_ballot)
    return with_ballot


def sign_recall_petition(
    uow: UnitOfWork,
    petition_id: str,
    member_id: str,
    now: datetime,
    *,
    open_ballot_for: timedelta | None = DEFAULT_RECALL_BALLOT,
    ballot_id: str | None = None,
    seed: str | None = None,
) -> PetitionView:
    """Sign; the signature that reaches the threshold opens the recall ballot (closing
    ``open_ballot_for`` later) in the same transaction."""
    with uow:
        petition, rule = uow.petitions.get(petition_id, lock=True)
        signed, events = sign_petition(petition, member_id, now)
        uow.petitions.add_signature(petition_id, member_id, now)
        uow.petitions.save(signed)
        uow.audit.append(events)
        if signed.status is PetitionStatus.SUCCEEDED and open_ballot_for is not None:
            signed = _open_ballot(uow, signed, rule, now, now + open_ballot_for, ballot_id, seed)
        return petition_view(signed, now)


def open_recall_ballot(
    uow: UnitOfWork,
    petition_id: str,
    now: datetime,
    closes_at: datetime,
    *,
    ballot_id: str | None = None,
    seed: str | None = None,
) -> PetitionView:
    """Open the recall ballot of a petition that reached its threshold."""
    with uow:
        petition, rule = uow.petitions.get(petition_id, lock=True)
        if petition.ballot_id is not None:
            raise PreconditionFailed(
                f"petition {petition_id} has its recall ballot already",
                [Problem(petition.ballot_id, "the recall ballot of this petition")],
            )
        petition = _open_ballot(uow, petition, rule, now, closes_at, ballot_id, seed)
        return petition_view(petition, now)


def show_petition(uow: UnitOfWork, petition_id: str, now: datetime) -> PetitionView:
    with uow.reading():
        petition, _rule = uow.petitions.get(petition_id)
        return petition_view(petition, now)


def list_petitions(uow: UnitOfWork, council_id: str, now: datetime) -> tuple[PetitionView, ...]:
    with uow.reading():
        uow.councils.get(council_id)
        return tuple(petition_view(p, now) for p in uow.petitions.of_council(council_id))


def apply_recall(
    uow: UnitOfWork, ballot: Ballot, outcome: CountOutcome, now: datetime
) -> list[Event]:
    """Apply a closed recall ballot: passed -> mandate ended, by-election called."""
    assert ballot.subject_id is not None
    assert outcome.decision is not None
    petition, _rule = uow.petitions.get(ballot.subject_id, lock=True)
    mandate = uow.mandates.get(petition.mandate_id, lock=True)
    if mandate.status_at(now) not in (MandateStatus.ACTIVE, MandateStatus.PENDING):
        lapsed, event = lapse_petition(petition, mandate, now)
        uow.petitions.save(lapsed)
        return [event]
    seat = uow.seats.get(mandate.seat_id)
    out = apply_recall_result(petition, mandate, seat, ballot, outcome.decision, now)
    uow.petitions.save(out.petition)
    if out.mandate != mandate:
        uow.mandates.save_end(out.mandate)
    return list(out.events)
