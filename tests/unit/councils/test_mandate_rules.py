"""Seats and mandates: fixed terms that expire on their own; elections due before expiry."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from councilplan.councils.constituency import Constituency
from councilplan.councils.council import Council, CouncilKind, CouncilTree
from councilplan.councils.election import (
    ElectionReason,
    by_election,
    election_called,
    elections_due,
)
from councilplan.councils.event import EventKind
from councilplan.councils.mandate import (
    EndReason,
    Mandate,
    MandateStatus,
    active_mandate,
    end_mandate,
    expiry_events,
    start_mandate,
)
from councilplan.councils.seat import Seat, SeatKind, define_seat
from councilplan.councils.term import Term
from councilplan.errors import InvalidInput, PreconditionFailed, RuleViolation

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
YEAR = timedelta(days=365)
LEAD = timedelta(days=28)

SEAT = Seat("mill/delegate/1", "mill", "Delegate to the area council", SeatKind.DELEGATE,
            YEAR, LEAD, delegate_to="area")
SECRETARY = Seat("mill/secretary", "mill", "Secretary", SeatKind.OFFICE, YEAR, LEAD)
MILL_PEOPLE = Constituency("mill", frozenset({"ann", "bob", "cat"}))


def first_mandate() -> Mandate:
    m, _ = start_mandate(SEAT, "md1", "ann", T0, MILL_PEOPLE, [], T0)
    return m


def test_a_term_expires_on_its_own() -> None:
    m = first_mandate()
    assert m.term == Term(T0, T0 + YEAR)
    assert m.status_at(T0 - timedelta(seconds=1)) is MandateStatus.PENDING
    assert m.is_active(T0)
    assert m.is_active(T0 + YEAR - timedelta(microseconds=1))
    assert not m.is_active(T0 + YEAR)  # nobody holds a seat past its term
    assert m.status_at(T0 + YEAR) is MandateStatus.EXPIRED
    assert active_mandate(SEAT.seat_id, [m], T0 + YEAR) is None


def test_mandate_started_event_and_term() -> None:
    m, event = start_mandate(SEAT, "md1", "ann", T0, MILL_PEOPLE, [], T0)
    assert event.kind == EventKind.MANDATE_STARTED
    assert event.payload["term_end"] == (T0 + YEAR).isoformat(timespec="microseconds")
    assert event.payload["holder_id"] == "ann"
    assert m.council_id == "mill"


def test_no_overlapping_mandates_and_holder_from_the_constituency() -> None:
    m = first_mandate()
    with pytest.raises(PreconditionFailed) as info:
        start_mandate(SEAT, "md2", "bob", T0 + timedelta(days=100), MILL_PEOPLE, [m], T0)
    assert "held by this mandate" in str(info.value)
    with pytest.raises(PreconditionFailed, match="not in the constituency"):
        start_mandate(SEAT, "md2", "zed", T0 + YEAR, MILL_PEOPLE, [m], T0)
    # the successor's term begins exactly when the first one ends
    nxt, _ = start_mandate(SEAT, "md2", "bob", T0 + YEAR, MILL_PEOPLE, [m], T0)
    assert nxt.term.start == m.term.end
    with pytest.raises(PreconditionFailed, match="longer than"):
        start_mandate(SEAT, "md3", "bob", T0, MILL_PEOPLE, [], T0,
                      term=Term(T0, T0 + 2 * YEAR))


def test_end_mandate_by_resignation_and_not_twice() -> None:
    m = first_mandate()
    at = T0 + timedelta(days=30)
    ended, event = end_mandate(m, EndReason.RESIGNED, at)
    assert ended.status_at(at) is MandateStatus.RESIGNED
    assert ended.is_active(at - timedelta(seconds=1))
    assert event.kind == EventKind.MANDATE_ENDED
    assert event.payload["reason"] == "resigned"
    with pytest.raises(RuleViolation):
        end_mandate(ended, EndReason.RECALLED, at + timedelta(days=1))
    with pytest.raises(RuleViolation):
        end_mandate(m, EndReason.RESIGNED, T0 + YEAR)  # expired already


def test_expiry_events_for_a_period() -> None:
    m = first_mandate()
    early = replace(first_mandate(), mandate_id="md0", seat_id="other",
                    ended_at=T0 + timedelta(days=3), end_reason=EndReason.RECALLED)
    assert expiry_events([m, early], T0, T0 + YEAR - timedelta(days=1)) == ()
    (event,) = expiry_events([m, early], T0, T0 + YEAR)
    assert event.kind == EventKind.MANDATE_EXPIRED
    assert event.at == T0 + YEAR


def test_seat_validation_and_definition() -> None:
    t = CouncilTree.of([Council("area", "Area", CouncilKind.AREA),
                        Council("mill", "Mill", CouncilKind.WORKPLACE, "area")])
    assert define_seat(t, SEAT, T0).payload["term_seconds"] == 365 * 24 * 3600
    with pytest.raises(PreconditionFailed):
        define_seat(t, replace(SEAT, delegate_to="elsewhere"), T0)
    with pytest.raises(PreconditionFailed):
        define_seat(t, replace(SEAT, council_id="area"), T0)  # the area council has no parent
    with pytest.raises(InvalidInput):
        Seat("s", "mill", "x", SeatKind.OFFICE, YEAR, YEAR)  # lead as long as the term
    with pytest.raises(InvalidInput):
        Seat("s", "mill", "x", SeatKind.DELEGATE, YEAR, LEAD)  # delegate to nobody


def test_next_election_is_due_a_set_time_before_expiry() -> None:
    m = first_mandate()
    due_at = T0 + YEAR - LEAD
    assert elections_due([SEAT], [m], due_at - timedelta(seconds=1)) == ()
    (call,) = elections_due([SEAT], [m], due_at)
    assert call.reason is ElectionReason.REGULAR
    assert call.due_at == due_at
    assert call.next_term == Term(T0 + YEAR, T0 + 2 * YEAR)
    assert call.previous_mandate_id == "md1"
    # once the successor is elected, nothing is due
    nxt, _ = start_mandate(SEAT, "md2", "bob", T0 + YEAR, MILL_PEOPLE, [m], due_at)
    assert elections_due([SEAT], [m, nxt], due_at + timedelta(days=1)) == ()
    event = election_called(call, due_at)
    assert event.kind == EventKind.ELECTION_CALLED
    assert event.payload["reason"] == "regular"


def test_vacant_and_lapsed_seats_are_due() -> None:
    (never,) = elections_due([SECRETARY], [], T0)
    assert never.reason is ElectionReason.VACANCY
    assert never.due_at == T0
    assert never.next_term is None
    m = first_mandate()
    (lapsed,) = elections_due([SEAT], [m], T0 + YEAR + timedelta(days=2))
    assert lapsed.reason is ElectionReason.VACANCY
    assert lapsed.due_at == T0 + YEAR


def test_by_election_fills_the_rest_of_the_term() -> None:
    m = first_mandate()
    at = T0 + timedelta(days=100)
    ended, _ = end_mandate(m, EndReason.RECALLED, at)
    call = by_election(SEAT, ended, at)
    assert call.reason is ElectionReason.BY_ELECTION
    assert call.next_term == Term(at, T0 + YEAR)
    later = at + timedelta(days=5)
    (due,) = elections_due([SEAT], [ended], later)
    assert due.reason is ElectionReason.BY_ELECTION
    assert due.due_at == at
    assert due.next_term == Term(later, T0 + YEAR)
    winner, _ = start_mandate(SEAT, "md2", "bob", later, MILL_PEOPLE, [ended], later,
                              term=due.next_term)
    assert winner.term.end == m.term.end  # the by-election does not extend the term
    assert elections_due([SEAT], [ended, winner], later) == ()


def test_naive_times_are_refused() -> None:
    with pytest.raises(InvalidInput, match="timezone-aware"):
        first_mandate().status_at(datetime(2025, 1, 1))
