"""Elections to seats: opening one when it is due, and filling the seats from the count.

An election fills one or more seats of one council (several at once with STV);
its electorate is the council's constituency at opening -- for a strike
committee's seats, the dispute's strikers at opening -- and its candidates must
belong to it. At the close the elected take the seats in order of election
(first elected, first seat listed) for the term the election was due for:
the next term after a regular election, the rest of the term after a
by-election, a full term from the close for a vacancy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from councilplan.councils.ballot import Ballot, BallotPurpose
from councilplan.councils.constituency import Constituency
from councilplan.councils.counting import DEFAULT_METHOD, SINGLE_WINNER, Method
from councilplan.councils.election import (
    ElectionCall,
    ElectionReason,
    election_called,
    elections_due,
)
from councilplan.councils.event import Event
from councilplan.councils.mandate import Mandate, start_mandate
from councilplan.councils.seat import Seat
from councilplan.councils.term import Term
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.services.ballots import ballot_view, open_new_ballot
from councilplan.services.constituency import electing_constituency
from councilplan.services.counts import CountOutcome
from councilplan.services.ids import new_id, new_seed
from councilplan.services.views import BallotView, ElectionCallView
from councilplan.store.ballots import BallotSeat
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["apply_election", "call_view", "due_calls", "elections_due_now", "open_election"]


def call_view(call: ElectionCall) -> ElectionCallView:
    return ElectionCallView(
        seat_id=call.seat_id, council_id=call.council_id, reason=call.reason.value,
        due_at=call.due_at,
        term_start=None if call.next_term is None else call.next_term.start,
        term_end=None if call.next_term is None else call.next_term.end,
        previous_mandate_id=call.previous_mandate_id,
    )


def elections_due_now(
    uow: UnitOfWork, now: datetime, council_id: str | None = None
) -> tuple[ElectionCallView, ...]:
    """Every election due at ``now`` (of one council, or all)."""
    with uow.reading():
        return tuple(call_view(c) for c in due_calls(uow, now, council_id))


def due_calls(uow: UnitOfWork, now: datetime, council_id: str | None) -> tuple[ElectionCall, ...]:
    seats = uow.seats.of_council(council_id) if council_id is not None else uow.seats.all()
    mandates = uow.mandates.of_seats(s.seat_id for s in seats)
    return elections_due(seats, mandates, now)


def open_election(
    uow: UnitOfWork,
    seat_ids: Sequence[str],
    candidates: Sequence[str],
    now: datetime,
    closes_at: datetime,
    *,
    method: str = DEFAULT_METHOD.value,
    ballot_id: str | None = None,
    question: str | None = None,
    seed: str | None = None,
) -> BallotView:
    """Open the election for ``seat_ids`` (all of one council, all due) among ``candidates``."""
    if isinstance(seat_ids, str):
        seat_ids = [seat_ids]
    if not seat_ids:
        raise InvalidInput("an election fills at least one seat")
    try:
        m = Method(method)
    except ValueError:
        raise InvalidInput("unknown counting method for an election",
                           [Problem("method", f"{method!r}; one of "
                                    + ", ".join(x.value for x in Method))]) from None
    bid = ballot_id or new_id("el")
    with uow:
        seats = [uow.seats.get(s, lock=True) for s in seat_ids]
        problems: list[Problem] = []
        councils = {s.council_id for s in seats}
        if len(councils) > 1:
            problems.append(Problem(bid, "the seats belong to different councils: "
                                    + ", ".join(sorted(councils))))
        if len(set(seat_ids)) != len(seat_ids):
            problems.append(Problem(bid, "a seat is listed twice"))
        if m in SINGLE_WINNER and len(seats) > 1:
            problems.append(Problem(bid, f"{m.value} fills one seat; use scottish-stv, meek "
                                    "or approval for several"))
        for live in uow.ballots.live_for_seats(seat_ids):
            problems.append(Problem(live, "an election for these seats is already open"))
        council_id = seats[0].council_id
        electors = uow.disputes.disputes_of_seats(seat_ids)
        bodies = {electors.get(s.seat_id) for s in seats}
        if len(bodies) > 1:
            problems.append(Problem(bid, "the seats are elected by different bodies (a "
                                    "council's constituency, a dispute's strikers)"))
        dispute_id = electors.get(seats[0].seat_id)
        if dispute_id is not None and not uow.disputes.get(dispute_id).is_open():
            problems.append(Problem(dispute_id, "the dispute is settled: its committee is "
                                    "not elected any more"))
        mandates = uow.mandates.of_seats(seat_ids)
        calls = {c.seat_id: c for c in elections_due(seats, mandates, now)}
        for s in seats:
            if s.seat_id not in calls:
                problems.append(Problem(s.seat_id, "no election is due for this seat yet"))
        constituency = electing_constituency(uow, seats[0].seat_id, council_id, now)
        for c in candidates:
            if c not in constituency:
                body = (f"of council {council_id}" if dispute_id is None
                        else f"of dispute {dispute_id}: the strikers on its roster")
                problems.append(Problem(c, f"a candidate must be a member of the constituency "
                                        f"{body}"))
        if problems:
            raise PreconditionFailed(f"no election for {', '.join(seat_ids)} now", problems)
        reasons = {calls[s.seat_id].reason for s in seats}
        purpose = (BallotPurpose.BY_ELECTION if reasons == {ElectionReason.BY_ELECTION}
                   else BallotPurpose.ELECTION)
        titles = ", ".join(s.title for s in seats)
        draft = Ballot(
            ballot_id=bid, council_id=council_id,
            question=question or (f"By-election: {titles}" if purpose is BallotPurpose.BY_ELECTION
                                  else f"Election: {titles}"),
            options=tuple(candidates), method=m.value, opens_at=now, closes_at=closes_at,
            seats=len(seats), purpose=purpose, subject_id=seats[0].seat_id,
        )
        rows = [BallotSeat(s.seat_id, i, calls[s.seat_id].reason.value,
                           calls[s.seat_id].previous_mandate_id) for i, s in enumerate(seats)]
        called = [election_called(calls[s.seat_id], now) for s in seats
                  if calls[s.seat_id].reason is not ElectionReason.BY_ELECTION]
        open_new_ballot(uow, draft, constituency.members, now, seed=seed or new_seed(),
                        seats=rows, events_before=called)
        return ballot_view(uow, uow.ballots.get(bid))


def _term_for(seat: Seat, mandates: Sequence[Mandate], now: datetime) -> Term:
    calls = elections_due([seat], mandates, now)
    if calls and calls[0].next_term is not None:
        return calls[0].next_term  # the next term (regular) or the rest of it (by-election)
    return Term.starting(now, seat.term_length)  # a vacancy: a full term from now


def apply_election(
    uow: UnitOfWork, ballot: Ballot, outcome: CountOutcome, now: datetime
) -> list[Event]:
    """Start a mandate for each elected candidate, in order of election, seat by seat."""
    assert ballot.electorate is not None
    # the constituency that elected them: the electorate frozen at opening
    electing = Constituency(ballot.council_id, frozenset(ballot.electorate.member_ids))
    events: list[Event] = []
    for row, winner in zip(uow.ballots.seats_of(ballot.ballot_id), outcome.elected, strict=False):
        seat = uow.seats.get(row.seat_id, lock=True)
        mandates = uow.mandates.of_seat(seat.seat_id)
        term = _term_for(seat, mandates, now)
        mandate, event = start_mandate(seat, new_id("md"), winner, term.start, electing,
                                       mandates, now, term=term)
        uow.mandates.add(mandate, ballot_id=ballot.ballot_id)
        events.append(event)
    return events
