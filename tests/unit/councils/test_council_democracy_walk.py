"""One walk through the pure rules, as a service layer would string them together.

A workplace council forms under an area council, elects a delegate, her pay is capped,
members petition and recall her, a by-election fills the seat for the rest of the term;
every event goes into the audit chain, which verifies -- and a tampered copy does not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from councilplan.councils.audit import append_events, checkpoint, verify_chain
from councilplan.councils.ballot import Ballot, BallotPurpose, close_ballot, open_ballot
from councilplan.councils.constituency import constituency_of
from councilplan.councils.council import Council, CouncilKind, CouncilTree, create_council
from councilplan.councils.decision import Tally, evaluate
from councilplan.councils.delegation import DelegationRule
from councilplan.councils.election import ElectionReason, elections_due
from councilplan.councils.event import Event, EventKind
from councilplan.councils.mandate import start_mandate
from councilplan.councils.membership import Membership, admit_member
from councilplan.councils.pay import PayRule, pay_cap, set_pay
from councilplan.councils.recall import (
    apply_recall_result,
    open_petition,
    recall_ballot,
    sign_petition,
)
from councilplan.councils.seat import Seat, SeatKind, define_seat
from councilplan.councils.wage import WageReport
from councilplan.errors import RuleViolation

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_walk() -> None:
    log: list[Event] = []
    tree, e = create_council(CouncilTree(), Council("area", "Riverside", CouncilKind.AREA), T0)
    log.append(e)
    tree, e = create_council(tree, Council("mill", "Mill", CouncilKind.WORKPLACE, "area"), T0)
    log.append(e)

    memberships: list[Membership] = []
    for i in range(20):
        m, e = admit_member(f"w{i:02d}", tree.get("mill"), [], T0)
        memberships.append(m)
        log.append(e)
    own = {"mill": {m.member_id for m in memberships}}
    mill = constituency_of(tree, own, "mill")
    assert DelegationRule(per_members=25).delegates(mill.size) == 1  # at least one

    seat = Seat("mill/delegate/1", "mill", "Delegate to Riverside", SeatKind.DELEGATE,
                timedelta(days=365), timedelta(days=28), delegate_to="area")
    log.append(define_seat(tree, seat, T0))
    (due,) = elections_due([seat], [], T0)
    assert due.reason is ElectionReason.VACANCY

    # the election: w00 elected
    election = Ballot("b-el", "mill", "Delegate to Riverside", ("w00", "w01"), "irv",
                      T0, T0 + 7 * DAY, purpose=BallotPurpose.ELECTION, subject_id=seat.seat_id)
    election, e = open_ballot(election, mill.members, T0)
    log.append(e)
    head_at_open = checkpoint(append_events((), log))
    election, e = close_ballot(election, T0 + 7 * DAY)
    log.append(e)
    start = T0 + 7 * DAY
    mandate, e = start_mandate(seat, "md1", "w00", start, mill, [], start)
    log.append(e)

    # pay capped at the mean of the members' reports
    reports = [WageReport(f"w{i:02d}", "2025-01", Decimal(2000 + 50 * i)) for i in range(20)]
    cap = pay_cap(PayRule(), reports, mill, "2025-01", exclude={"w00"})
    with pytest.raises(RuleViolation, match="above the cap"):
        set_pay(mandate, cap.cap + Decimal("0.01"), cap, start)
    _, e = set_pay(mandate, cap.cap, cap, start)
    log.append(e)

    # petition: 10% of 20 = 2 signatures
    opened = start + 30 * DAY
    petition, e = open_petition("pt1", mandate, mill, "w05", opened)
    log.append(e)
    for signer in ("w05", "w06"):
        petition, evs = sign_petition(petition, signer, opened + DAY)
        log.extend(evs)
    assert log[-1].kind == EventKind.PETITION_SUCCEEDED

    rb = recall_ballot(petition, "b-recall", opened + 2 * DAY, opened + 9 * DAY)
    rb, e = open_ballot(rb, mill.members, opened + 2 * DAY)
    log.append(e)
    rb, e = close_ballot(rb, opened + 9 * DAY)
    log.append(e)
    assert rb.electorate is not None
    result = evaluate(Tally(yes=14, no=4, abstain=1), rb.electorate.size, rb.rule)
    outcome = apply_recall_result(petition, mandate, seat, rb, result, opened + 9 * DAY)
    log.extend(outcome.events)
    assert not outcome.mandate.is_active(opened + 9 * DAY)
    assert outcome.by_election is not None
    assert outcome.by_election.next_term is not None

    # the by-election fills the rest of the term
    winner, e = start_mandate(seat, "md2", "w07", opened + 16 * DAY, mill, [outcome.mandate],
                              opened + 16 * DAY, term=replace(outcome.by_election.next_term,
                                                              start=opened + 16 * DAY))
    log.append(e)
    assert winner.term.end == mandate.term.end
    assert elections_due([seat], [outcome.mandate, winner], opened + 17 * DAY) == ()

    chain = list(append_events((), log))
    cps = [head_at_open, checkpoint(chain)]
    assert verify_chain(chain, cps).ok
    kinds = [ev.kind for ev in log]
    assert kinds.count(EventKind.MEMBER_ADMITTED) == 20
    assert EventKind.MANDATE_ENDED in kinds
    assert EventKind.ELECTION_CALLED in kinds

    tampered = list(chain)
    k = kinds.index(EventKind.RECALL_PASSED)
    tampered[k] = replace(tampered[k], canonical=tampered[k].canonical.replace(
        '"passed":true', '"passed":false'))
    report = verify_chain(tampered, cps)
    assert not report.ok
    assert report.fault is not None
    assert report.fault.sequence == k + 1
