"""The right of recall: petition, threshold, window, recall ballot, removal, by-election."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from councilplan.councils.ballot import Ballot, BallotPurpose, close_ballot, open_ballot
from councilplan.councils.constituency import Constituency
from councilplan.councils.decision import DecisionRule, Tally, evaluate
from councilplan.councils.election import ElectionReason
from councilplan.councils.event import EventKind
from councilplan.councils.mandate import (
    EndReason,
    Mandate,
    MandateStatus,
    end_mandate,
    start_mandate,
)
from councilplan.councils.recall import (
    PetitionStatus,
    RecallPetition,
    RecallPolicy,
    apply_recall_result,
    expire_petition,
    lapse_petition,
    open_petition,
    recall_ballot,
    required_signatures,
    sign_petition,
)
from councilplan.councils.seat import Seat, SeatKind
from councilplan.councils.term import Term
from councilplan.errors import InvalidInput, PreconditionFailed, RuleViolation

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
YEAR = timedelta(days=365)
SEAT = Seat("area/delegate/1", "mill", "Delegate", SeatKind.DELEGATE, YEAR,
            timedelta(days=28), delegate_to="area")
MEMBERS = frozenset(f"m{i:02d}" for i in range(45))  # 45 members: 10% -> 5 signatures
MILL = Constituency("mill", MEMBERS)
OPENED = T0 + timedelta(days=60)


def mandate() -> Mandate:
    m, _ = start_mandate(SEAT, "md1", "m00", T0, MILL, [], T0)
    return m


def petition() -> RecallPetition:
    p, _ = open_petition("pt1", mandate(), MILL, "m01", OPENED)
    return p


def sign(p: RecallPetition, members: list[str], at: datetime) -> RecallPetition:
    for member in members:
        p, _ = sign_petition(p, member, at)
    return p


def test_required_signatures_is_a_rounded_up_share_at_least_one() -> None:
    assert required_signatures(45, Fraction(1, 10)) == 5  # 4.5 -> 5
    assert required_signatures(40, Fraction(1, 10)) == 4
    assert required_signatures(3, Fraction(1, 10)) == 1
    assert required_signatures(0, Fraction(1, 10)) == 1
    assert required_signatures(300, Fraction(1, 4)) == 75


def test_opening_freezes_the_constituency() -> None:
    p, event = open_petition("pt1", mandate(), MILL, "m01", OPENED)
    assert p.status is PetitionStatus.OPEN
    assert p.constituency.size == 45
    assert p.required == 5
    assert p.count == 0
    assert p.closes_at == OPENED + timedelta(weeks=6)
    assert event.kind == EventKind.PETITION_OPENED
    assert event.payload["threshold"] == "1/10"
    assert event.payload["required"] == 5
    assert event.payload["constituency_hash"] == p.constituency.digest
    # members who join later cannot sign this petition
    with pytest.raises(PreconditionFailed, match="not in the constituency"):
        sign_petition(p, "newcomer", OPENED + timedelta(days=1))


def test_who_may_open() -> None:
    with pytest.raises(PreconditionFailed, match="opener is not in the constituency"):
        open_petition("pt1", mandate(), MILL, "outsider", OPENED)
    with pytest.raises(PreconditionFailed, match="not active"):
        open_petition("pt1", mandate(), MILL, "m01", T0 + YEAR)
    p = petition()
    with pytest.raises(PreconditionFailed, match="pending"):
        open_petition("pt2", mandate(), MILL, "m02", OPENED, existing=[p])


def test_one_signature_each_constituents_only() -> None:
    p = petition()
    p, events = sign_petition(p, "m01", OPENED)
    assert [e.kind for e in events] == [EventKind.PETITION_SIGNED]
    assert events[0].payload == {"petition_id": "pt1", "member_id": "m01", "signatures": 1,
                                 "required": 5}
    with pytest.raises(PreconditionFailed, match="already signed"):
        sign_petition(p, "m01", OPENED)


def test_petition_below_threshold_fails_after_the_window() -> None:
    p = sign(petition(), ["m01", "m02", "m03", "m04"], OPENED + timedelta(days=3))
    assert p.status is PetitionStatus.OPEN
    assert p.count == 4
    end = OPENED + timedelta(weeks=6)
    with pytest.raises(PreconditionFailed, match="window closed"):
        sign_petition(p, "m05", end)  # too late for the fifth
    with pytest.raises(RuleViolation, match="open until"):
        expire_petition(p, end - timedelta(seconds=1))
    assert p.status_at(end) is PetitionStatus.FAILED
    failed, event = expire_petition(p, end + timedelta(days=2))
    assert failed.status is PetitionStatus.FAILED
    assert event.kind == EventKind.PETITION_FAILED
    assert event.at == end
    assert event.payload["signatures"] == 4
    assert event.payload["required"] == 5
    with pytest.raises(PreconditionFailed, match="recall ballot follows"):
        recall_ballot(failed, "b1", end, end + timedelta(days=7))


def test_petition_reaching_threshold_opens_a_recall_ballot() -> None:
    p = sign(petition(), ["m01", "m02", "m03", "m04"], OPENED)
    p, events = sign_petition(p, "m05", OPENED + timedelta(days=10))
    assert p.status is PetitionStatus.SUCCEEDED
    assert [e.kind for e in events] == [EventKind.PETITION_SIGNED, EventKind.PETITION_SUCCEEDED]
    with pytest.raises(PreconditionFailed):
        sign_petition(p, "m06", OPENED + timedelta(days=11))
    opens = OPENED + timedelta(days=11)
    draft = recall_ballot(p, "rb1", opens, opens + timedelta(days=7))
    assert draft.purpose is BallotPurpose.RECALL
    assert draft.subject_id == "pt1"
    assert draft.options == ("yes", "no")
    ballot, event = open_ballot(draft, MILL.members, opens)
    assert event.kind == EventKind.BALLOT_OPENED
    assert ballot.electorate is not None
    assert ballot.electorate.size == 45


def _recall_ballot_closed(p: RecallPetition, rule: DecisionRule | None = None) -> Ballot:
    opens = OPENED + timedelta(days=11)
    policy = RecallPolicy(ballot_rule=rule) if rule else None
    draft = recall_ballot(p, "rb1", opens, opens + timedelta(days=7), policy=policy)
    ballot, _ = open_ballot(draft, MILL.members, opens)
    closed, _ = close_ballot(ballot, opens + timedelta(days=7))
    return closed


def succeeded() -> RecallPetition:
    return sign(petition(), ["m01", "m02", "m03", "m04", "m05"], OPENED)


def test_recall_that_passes_ends_the_mandate_and_opens_a_by_election() -> None:
    p = succeeded()
    ballot = _recall_ballot_closed(p)
    result = evaluate(Tally(yes=30, no=10, abstain=2), 45, ballot.rule)
    assert result.passed
    at = ballot.closes_at + timedelta(hours=1)
    outcome = apply_recall_result(p, mandate(), SEAT, ballot, result, at)
    assert outcome.petition.status is PetitionStatus.RECALLED
    assert outcome.mandate.end_reason is EndReason.RECALLED
    assert outcome.mandate.status_at(at) is MandateStatus.RECALLED
    assert not outcome.mandate.is_active(at)
    call = outcome.by_election
    assert call is not None
    assert call.reason is ElectionReason.BY_ELECTION
    assert call.next_term == Term(at, T0 + YEAR)
    assert [e.kind for e in outcome.events] == [
        EventKind.RECALL_PASSED, EventKind.MANDATE_ENDED, EventKind.ELECTION_CALLED
    ]
    assert outcome.events[0].payload["result"]["passed"] is True  # type: ignore[index]


def test_recall_that_fails_leaves_the_mandate() -> None:
    p = succeeded()
    ballot = _recall_ballot_closed(p)
    result = evaluate(Tally(yes=10, no=10), 45, ballot.rule)  # a tie fails by default
    outcome = apply_recall_result(p, mandate(), SEAT, ballot, result, ballot.closes_at)
    assert not result.passed
    assert result.tie
    assert outcome.petition.status is PetitionStatus.RETAINED
    assert outcome.mandate == mandate()
    assert outcome.by_election is None
    assert [e.kind for e in outcome.events] == [EventKind.RECALL_REJECTED]


def test_recall_ballot_has_its_own_decision_rule() -> None:
    p = succeeded()
    two_thirds = DecisionRule.qualified(Fraction(2, 3), quorum=Fraction(1, 2))
    ballot = _recall_ballot_closed(p, two_thirds)
    assert ballot.rule == two_thirds
    assert not evaluate(Tally(yes=14, no=8), 45, ballot.rule).passed  # turnout 22/45 < 1/2
    assert not evaluate(Tally(yes=15, no=8), 45, ballot.rule).passed  # 15/23 < 2/3
    assert evaluate(Tally(yes=16, no=8), 45, ballot.rule).passed  # 16/24 = 2/3


def test_result_must_belong_to_a_closed_recall_ballot_of_this_petition() -> None:
    p = succeeded()
    opens = OPENED + timedelta(days=11)
    draft = recall_ballot(p, "rb1", opens, opens + timedelta(days=7))
    open_, _ = open_ballot(draft, MILL.members, opens)
    result = evaluate(Tally(yes=30, no=1), 45, draft.rule)
    with pytest.raises(PreconditionFailed, match="open"):
        apply_recall_result(p, mandate(), SEAT, open_, result, opens)
    closed = _recall_ballot_closed(p)
    wrong = evaluate(Tally(yes=30, no=1), 50, draft.rule)
    with pytest.raises(PreconditionFailed, match="entitled"):
        apply_recall_result(p, mandate(), SEAT, closed, wrong, closed.closes_at)


def test_petition_lapses_when_the_mandate_ends_otherwise() -> None:
    p = petition()
    resigned, _ = end_mandate(mandate(), EndReason.RESIGNED, OPENED + timedelta(days=1))
    with pytest.raises(RuleViolation, match="still active"):
        lapse_petition(p, mandate(), OPENED + timedelta(days=1))
    lapsed, event = lapse_petition(p, resigned, OPENED + timedelta(days=1))
    assert lapsed.status is PetitionStatus.LAPSED
    assert event.kind == EventKind.PETITION_LAPSED
    assert event.payload["reason"] == "mandate resigned"


def test_policy_validation() -> None:
    with pytest.raises(InvalidInput):
        RecallPolicy(threshold=Fraction(0))
    with pytest.raises(InvalidInput, match="Fraction"):
        RecallPolicy(threshold=0.1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        RecallPolicy(window=timedelta(0))
    p, _ = open_petition("pt1", mandate(), MILL, "m01", OPENED,
                         policy=RecallPolicy(threshold=Fraction(1, 3), window=timedelta(days=7)))
    assert p.required == 15
    assert p.closes_at == OPENED + timedelta(days=7)
