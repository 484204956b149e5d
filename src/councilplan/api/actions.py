"""Every use case the web application offers, authorised: check, then call the service.

The JSON API (:mod:`.routers`) and the pages (:mod:`.web.pages`) both go through these
functions, so a rule of :mod:`.authz` is checked in one place for both. Each takes the
signed-in member's :class:`~.authz.Principal` (or account), a unit of work and ``now``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from councilplan import services
from councilplan.api.authz import (
    Forbidden,
    Principal,
    council_has_officer,
    council_of_ballot,
    council_of_mandate,
    council_of_petition,
    councils_of_seats,
    may_cast,
    refuse,
    require_committee,
)
from councilplan.councils.motion import Motion
from councilplan.councils.receipt import Receipt
from councilplan.councils.wage import WageReport
from councilplan.services import views
from councilplan.store import UnitOfWork

__all__ = [
    "admit",
    "amend_motion",
    "cast",
    "check_receipt",
    "close_ballot",
    "count",
    "define_seat",
    "form_council",
    "leave",
    "may_open_election",
    "may_set_pay",
    "my_ballots",
    "my_councils",
    "open_election",
    "open_motion_ballot",
    "open_petition",
    "open_recall_ballot",
    "papers",
    "pay_cap",
    "report_wage",
    "require_pay_setter",
    "review_pay",
    "see_ballot",
    "see_council",
    "see_mandate",
    "see_motion",
    "see_petition",
    "set_pay",
    "sign_petition",
    "table_motion",
]


# -- councils ------------------------------------------------------------------------


def my_councils(me: Principal, uow: UnitOfWork) -> list[views.CouncilView]:
    return [c for c in services.list_councils(uow) if me.sees(c.council_id)]


def see_council(me: Principal, uow: UnitOfWork, council_id: str, now: datetime, *,
                period: str | None = None) -> views.CouncilDetail:
    me.require_sees(council_id, f"see council {council_id}")
    return services.show_council(uow, council_id, now, period=period)


def form_council(me: Principal, uow: UnitOfWork, council_id: str, name: str, kind: str,
                 parent_id: str, now: datetime) -> views.CouncilView:
    me.require_runs(parent_id, f"form a council under {parent_id}")
    return services.create_council(uow, council_id, name, kind, now, parent_id=parent_id)


def admit(me: Principal, uow: UnitOfWork, council_id: str, member_id: str, now: datetime, *,
          name: str | None = None) -> views.MemberView:
    me.require_runs(council_id, f"admit members to {council_id}")
    return services.admit_member(uow, member_id, council_id, now, name=name)


def leave(me: Principal, uow: UnitOfWork, council_id: str, member_id: str,
          now: datetime) -> views.MemberView:
    me.require_self(member_id, f"take {member_id} out of {council_id}")
    return services.leave_council(uow, member_id, council_id, now)


def report_wage(me: Principal, uow: UnitOfWork, member_id: str, period: str, amount: Decimal,
                now: datetime) -> WageReport:
    me.require_self(member_id, f"report the wage of {member_id}")
    return services.report_wage(uow, member_id, period, amount, now)


def define_seat(me: Principal, uow: UnitOfWork, council_id: str, seat_id: str, title: str,
                now: datetime, *, term_days: int, lead_days: int,
                delegate_to: str | None) -> views.SeatView:
    me.require_runs(council_id, f"define seats of {council_id}")
    return services.define_seat(uow, seat_id, council_id, title,
                                "delegate" if delegate_to else "office", now,
                                term_length=timedelta(days=term_days),
                                election_lead=timedelta(days=lead_days), delegate_to=delegate_to)


# -- mandates and pay ---------------------------------------------------------------------


def pay_cap(me: Principal, uow: UnitOfWork, mandate_id: str, period: str) -> views.PayCapView:
    mandate = council_of_mandate(uow, mandate_id)
    me.require_sees(mandate.council_id, f"see the pay cap of {mandate_id}")
    return services.pay_cap_for(uow, mandate_id, period)


def see_mandate(me: Principal, uow: UnitOfWork, mandate_id: str, now: datetime, *,
                period: str | None = None) -> views.MandateView:
    """A mandate's term, pay and cap, seen by those who see its council."""
    mandate = council_of_mandate(uow, mandate_id)
    me.require_sees(mandate.council_id, f"see mandate {mandate_id}")
    return services.show_mandate(uow, mandate_id, now, period=period)


def may_set_pay(me: Principal, uow: UnitOfWork, mandate_id: str, now: datetime) -> bool:
    """Whether :func:`require_pay_setter` lets ``me`` set this mandate's pay (for pages)."""
    try:
        require_pay_setter(me, uow, mandate_id, now)
    except Forbidden:
        return False
    return True


def require_pay_setter(me: Principal, uow: UnitOfWork, mandate_id: str,
                       now: datetime) -> None:
    """A council's officers set and review the pay of its mandates; a strike committee's
    seat is held from the strikers, not from the council it is filed under, so its pay is
    the committee's to set (capped by the strikers' average); nobody sets their own."""
    what = f"set the pay of {mandate_id}"
    mandate = council_of_mandate(uow, mandate_id)
    with uow.reading():
        dispute_id = uow.disputes.disputes_of_seats([mandate.seat_id]).get(mandate.seat_id)
    if dispute_id is None:
        me.require_runs(mandate.council_id, what)
    else:
        require_committee(me, uow, dispute_id, now, what)
    if mandate.holder_id == me.member_id:
        raise refuse(what, "nobody sets their own pay")


def set_pay(me: Principal, uow: UnitOfWork, mandate_id: str, period: str, amount: Decimal,
            now: datetime) -> views.PayView:
    require_pay_setter(me, uow, mandate_id, now)
    return services.set_pay(uow, mandate_id, period, amount, now)


def review_pay(me: Principal, uow: UnitOfWork, mandate_id: str, period: str, next_period: str,
               now: datetime) -> views.PayView | None:
    require_pay_setter(me, uow, mandate_id, now)
    return services.review_mandate_pay(uow, mandate_id, period, next_period, now)


# -- ballots -----------------------------------------------------------------------------


def my_ballots(me: Principal, uow: UnitOfWork) -> list[views.BallotView]:
    return [b for b in services.list_ballots(uow) if me.sees(b.council_id)]


def may_open_election(me: Principal, uow: UnitOfWork, council_id: str, now: datetime) -> bool:
    return me.runs(council_id) or (me.is_constituent(council_id)
                                   and not council_has_officer(uow, council_id, now))


def open_election(me: Principal, uow: UnitOfWork, council_id: str, seat_ids: Sequence[str],
                  candidates: Sequence[str], now: datetime, *, days: float,
                  method: str) -> views.BallotView:
    """The council's officers open it; while it has none in office, any constituent."""
    if not may_open_election(me, uow, council_id, now):
        raise refuse(f"open an election in {council_id}", "only the council's officers may "
                     "(any constituent while it has none)")
    if councils_of_seats(uow, seat_ids) != {council_id}:
        raise refuse(f"open an election in {council_id}", "the seats are of another council")
    return services.open_election(uow, seat_ids, candidates, now, now + timedelta(days=days),
                                  method=method)


def _see_ballot(me: Principal, uow: UnitOfWork, ballot_id: str) -> None:
    me.require_sees(council_of_ballot(uow, ballot_id), f"see ballot {ballot_id}")


def see_ballot(me: Principal, uow: UnitOfWork, ballot_id: str) -> views.BallotView:
    _see_ballot(me, uow, ballot_id)
    return services.show_ballot(uow, ballot_id)


def cast(member_id: str, uow: UnitOfWork, ballot_id: str, choice: Any, now: datetime, *,
         previous: str | None = None, token: str | None = None,
         checked: bool = False) -> Receipt:
    """The member votes as themself, in a ballot whose electorate holds them
    (``checked``: :func:`~.authz.voter_of_session` has just said so)."""
    if not checked:
        may_cast(uow, ballot_id, member_id)
    return services.cast_vote(uow, ballot_id, member_id, choice, now, previous=previous,
                              token=token)


def check_receipt(me: Principal, uow: UnitOfWork, ballot_id: str,
                  token: str) -> views.ReceiptCheck:
    _see_ballot(me, uow, ballot_id)
    return services.verify_receipt(uow, ballot_id, token)


def close_ballot(me: Principal, uow: UnitOfWork, ballot_id: str,
                 now: datetime) -> views.BallotView:
    _see_ballot(me, uow, ballot_id)
    return services.close_ballot(uow, ballot_id, now)


def count(me: Principal, uow: UnitOfWork, ballot_id: str) -> views.CountView:
    _see_ballot(me, uow, ballot_id)
    return services.count_ballot(uow, ballot_id)


def papers(me: Principal, uow: UnitOfWork, ballot_id: str) -> views.PublishedBallots:
    _see_ballot(me, uow, ballot_id)
    return services.published_ballots(uow, ballot_id)


# -- recall ------------------------------------------------------------------------------


def open_petition(me: Principal, uow: UnitOfWork, mandate_id: str, now: datetime, *,
                  threshold: Fraction = Fraction(1, 10),
                  window: timedelta = timedelta(weeks=6)) -> views.PetitionView:
    mandate = council_of_mandate(uow, mandate_id)
    me.require_constituent(mandate.council_id, f"petition to recall {mandate_id}")
    return services.open_recall_petition(uow, mandate_id, me.member_id, now,
                                         threshold=threshold, window=window)


def see_petition(me: Principal, uow: UnitOfWork, petition_id: str,
                 now: datetime) -> views.PetitionView:
    me.require_sees(council_of_petition(uow, petition_id), f"see {petition_id}")
    return services.show_petition(uow, petition_id, now)


def sign_petition(me: Principal, uow: UnitOfWork, petition_id: str, now: datetime, *,
                  ballot_days: float = 7.0) -> views.PetitionView:
    me.require_constituent(council_of_petition(uow, petition_id), f"sign {petition_id}")
    return services.sign_recall_petition(uow, petition_id, me.member_id, now,
                                         open_ballot_for=timedelta(days=ballot_days))


def open_recall_ballot(me: Principal, uow: UnitOfWork, petition_id: str, now: datetime, *,
                       days: float) -> views.PetitionView:
    me.require_constituent(council_of_petition(uow, petition_id),
                           f"open the recall ballot of {petition_id}")
    return services.open_recall_ballot(uow, petition_id, now, now + timedelta(days=days))


# -- motions -----------------------------------------------------------------------------


def see_motion(me: Principal, uow: UnitOfWork, motion_id: str) -> Motion:
    found = services.show_motion(uow, motion_id)
    me.require_sees(found.council_id, f"see motion {motion_id}")
    return found


def table_motion(me: Principal, uow: UnitOfWork, council_id: str, text: str,
                 now: datetime) -> Motion:
    me.require_constituent(council_id, f"table a motion in {council_id}")
    return services.table_new_motion(uow, council_id, me.member_id, text, now)


def amend_motion(me: Principal, uow: UnitOfWork, motion_id: str, old_text: str | None,
                 new_text: str, now: datetime) -> Motion:
    found = services.show_motion(uow, motion_id)
    me.require_constituent(found.council_id, f"amend motion {motion_id}")
    return services.propose_motion_amendment(uow, motion_id, me.member_id, old_text, new_text,
                                             now)


def open_motion_ballot(me: Principal, uow: UnitOfWork, motion_id: str, now: datetime, *,
                       days: float, amendment_id: str | None = None) -> views.BallotView:
    """Opened by the council's officers or the motion's proposer."""
    found = see_motion(me, uow, motion_id)
    if not (me.runs(found.council_id) or found.proposed_by == me.member_id):
        raise refuse(f"put motion {motion_id} to the vote",
                     "only the council's officers or the motion's proposer may")
    return services.open_motion_ballot(uow, motion_id, now, now + timedelta(days=days),
                                       amendment_id=amendment_id)
