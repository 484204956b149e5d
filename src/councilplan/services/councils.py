"""Councils, members, wage reports and seats: forming the federation.

Each function is one use case in one transaction, with the time ``now`` passed
in; each governance change is appended to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from councilplan.councils.constituency import constituencies
from councilplan.councils.council import Council, CouncilKind, CouncilTree
from councilplan.councils.council import create_council as core_create
from councilplan.councils.event import Event, EventKind
from councilplan.councils.mandate import active_mandate
from councilplan.councils.member import Member
from councilplan.councils.membership import Membership
from councilplan.councils.membership import admit_member as core_admit
from councilplan.councils.membership import leave_council as core_leave
from councilplan.councils.seat import Seat, SeatKind
from councilplan.councils.seat import define_seat as core_define_seat
from councilplan.councils.wage import WageReport, wage_reported
from councilplan.errors import CouncilplanError, PreconditionFailed, Problem
from councilplan.services.ballots import ballot_view
from councilplan.services.elections import call_view, due_calls
from councilplan.services.mandates import mandate_view
from councilplan.services.recall import petition_view
from councilplan.services.views import CouncilDetail, CouncilView, MemberView, SeatView
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "admit_member",
    "admit_members",
    "create_council",
    "create_councils",
    "define_seat",
    "leave_council",
    "list_councils",
    "list_members",
    "member_names",
    "report_wage",
    "show_council",
]


def create_council(uow: UnitOfWork, council_id: str, name: str, kind: CouncilKind | str,
                   now: datetime, *, parent_id: str | None = None) -> CouncilView:
    """Form a council under ``parent_id`` (a parent ranks above its child)."""
    council = Council(council_id, name, CouncilKind(kind), parent_id)
    with uow:
        _tree, event = core_create(uow.councils.tree(), council, now)
        uow.councils.add(council, now)
        uow.audit.append([event])
        return CouncilView(council_id, name, council.kind.value, parent_id, 0, 0)


def create_councils(uow: UnitOfWork, councils: Sequence[tuple[str, str, CouncilKind | str,
                                                             str | None]],
                    now: datetime) -> int:
    """Form many councils at once, ``(council_id, name, kind, parent_id)`` each (a
    federation's register imported in one go): the whole tree is checked once, every
    fault named, all or nothing; one ``council.created`` event each."""
    new = [Council(cid, name, CouncilKind(kind), parent) for cid, name, kind, parent in councils]
    with uow:
        existing = uow.councils.all()
        taken = {c.council_id for c in existing}
        problems = [Problem(c.council_id, "a council with this id already exists")
                    for c in new if c.council_id in taken]
        try:  # every placement problem at once
            CouncilTree.of([*existing, *(c for c in new if c.council_id not in taken)])
        except PreconditionFailed as exc:
            problems += exc.problems
        if problems:
            raise PreconditionFailed("the councils cannot be created", problems)
        order = sorted(new, key=lambda c: -c.kind.rank)  # parents before children
        uow.councils.add_many(order, now)
        uow.audit.append([Event.of(EventKind.COUNCIL_CREATED, now, council_id=c.council_id,
                                   kind=c.kind.value, parent_id=c.parent_id) for c in order])
        return len(new)


def admit_members(uow: UnitOfWork, admissions: Sequence[tuple[str, str]], now: datetime
                  ) -> int:
    """Admit many members at once, ``(member_id, council_id)`` each, in order (a member's
    workplace council first); all or nothing, one ``member.admitted`` event each."""
    with uow:
        tree = uow.councils.tree()
        ids = [m for m, _ in admissions]
        known = uow.members.existing(ids)
        current = uow.members.memberships_of_many(known)
        problems: list[Problem] = []
        done: list[Membership] = []
        events: list[Event] = []
        for member_id, council_id in admissions:
            try:
                council = tree.get(council_id)
                membership, event = core_admit(member_id, council,
                                               current.get(member_id, []), now)
            except CouncilplanError as exc:
                problems += list(exc.problems) or [Problem(member_id, exc.message)]
                continue
            current.setdefault(member_id, []).append(membership)
            done.append(membership)
            events.append(event)
        if problems:
            raise PreconditionFailed("the members cannot be admitted", problems)
        fresh = sorted(set(ids) - known)
        uow.members.add_many([Member(m, "") for m in fresh])
        uow.members.add_memberships(done)
        uow.audit.append(events)
        return len(done)


def admit_member(uow: UnitOfWork, member_id: str, council_id: str, now: datetime, *,
                 name: str | None = None) -> MemberView:
    """Admit a member (new or known) to a council: their workplace council first."""
    with uow:
        council = uow.councils.get(council_id)
        member = uow.members.find(member_id)
        if member is None:
            member = Member(member_id, name or "")
            uow.members.add(member)
        memberships = uow.members.memberships_of(member_id)
        membership, event = core_admit(member_id, council, memberships, now)
        uow.members.add_membership(membership)
        uow.audit.append([event])
        councils = tuple(sorted([*(m.council_id for m in memberships), council_id]))
        return MemberView(member_id, member.name, councils, now)


def leave_council(uow: UnitOfWork, member_id: str, council_id: str, now: datetime) -> MemberView:
    """The member leaves a council (their workplace council last)."""
    with uow:
        member = uow.members.get(member_id)
        rest, event = core_leave(member_id, council_id, uow.members.memberships_of(member_id), now)
        uow.members.remove_membership(member_id, council_id)
        uow.audit.append([event])
        return MemberView(member_id, member.name, tuple(sorted(m.council_id for m in rest)))


def report_wage(uow: UnitOfWork, member_id: str, period: str, amount: Decimal,
                now: datetime) -> WageReport:
    """A member reports what they were paid in a pay period (once a period).

    The amount is personal: the audit log records only who reported for which period.
    """
    report = WageReport(member_id, period, amount)
    with uow:
        uow.members.get(member_id)
        uow.members.add_wage(report)
        uow.audit.append([wage_reported(report, now)])
        return report


def define_seat(uow: UnitOfWork, seat_id: str, council_id: str, title: str,
                kind: SeatKind | str, now: datetime, *, term_length: timedelta,
                election_lead: timedelta, delegate_to: str | None = None) -> SeatView:
    """Define an office of a council, or a delegate seat to its parent council."""
    seat = Seat(seat_id, council_id, title, SeatKind(kind), term_length, election_lead,
                delegate_to)
    with uow:
        if uow.seats.find(seat_id) is not None:
            raise PreconditionFailed(f"seat {seat_id} cannot be defined",
                                     [Problem(seat_id, "a seat with this id exists")])
        event = core_define_seat(uow.councils.tree(), seat, now)
        uow.seats.add(seat, now)
        uow.audit.append([event])
        return _seat_view(seat, None)


def _seat_view(seat: Seat, holder: str | None) -> SeatView:
    return SeatView(seat.seat_id, seat.council_id, seat.title, seat.kind.value,
                    seat.term_length, seat.election_lead, seat.delegate_to, holder)


def list_councils(uow: UnitOfWork) -> tuple[CouncilView, ...]:
    """Every council with its direct membership and the constituency it represents."""
    with uow.reading():
        return _council_views(uow)


def _council_views(uow: UnitOfWork) -> tuple[CouncilView, ...]:
    tree = uow.councils.tree()
    own = uow.members.own_members(c.council_id for c in tree)
    sizes = constituencies(tree, own)
    return tuple(
        CouncilView(c.council_id, c.name, c.kind.value, c.parent_id,
                    len(own.get(c.council_id, ())), sizes[c.council_id].size)
        for c in sorted(tree, key=lambda c: c.council_id)
    )


def list_members(uow: UnitOfWork, council_id: str) -> tuple[MemberView, ...]:
    """A council's direct members with the councils each belongs to."""
    with uow.reading():
        uow.councils.get(council_id)
        return _member_views(uow, council_id)


def _member_views(uow: UnitOfWork, council_id: str) -> tuple[MemberView, ...]:
    out = []
    for member, membership in uow.members.members_of(council_id):
        councils = tuple(m.council_id for m in uow.members.memberships_of(member.member_id))
        out.append(MemberView(member.member_id, member.name, councils, membership.joined_at))
    return tuple(out)


def show_council(uow: UnitOfWork, council_id: str, now: datetime, *,
                 period: str | None = None) -> CouncilDetail:
    """Everything about one council: members, seats and holders, mandates with pay and
    cap (for ``period``), ballots, petitions and elections due."""
    with uow.reading():
        view = next((c for c in _council_views(uow) if c.council_id == council_id), None)
        tree = uow.councils.tree()
        tree.get(council_id)
        assert view is not None
        seats = uow.seats.of_council(council_id)
        mandates = uow.mandates.of_council(council_id)
        seat_views = []
        for s in seats:
            holder = active_mandate(s.seat_id, mandates, now)
            seat_views.append(_seat_view(s, None if holder is None else holder.holder_id))
        return CouncilDetail(
            council=view,
            children=tuple(c.council_id for c in tree.children(council_id)),
            members=_member_views(uow, council_id),
            seats=tuple(seat_views),
            mandates=tuple(mandate_view(uow, m, now, period) for m in mandates),
            ballots=tuple(ballot_view(uow, r) for r in uow.ballots.of_council(council_id)),
            petitions=tuple(petition_view(p, now) for p in uow.petitions.of_council(council_id)),
            elections_due=tuple(call_view(c) for c in due_calls(uow, now, council_id)),
        )


def member_names(uow: UnitOfWork, member_ids: Iterable[str]) -> dict[str, str]:
    """Display names of the members asked about that exist (ids without a name map to
    themselves)."""
    with uow.reading():
        out = {}
        for mid in member_ids:
            found = uow.members.find(mid)
            if found is not None:
                out[mid] = found.name or mid
        return out
