"""Authorisation: deny by default, decided for each object from the store.

An account carries no role. What its member may do follows from where they stand
at ``now`` (:class:`Principal`, loaded per request from memberships and mandates):

* **constituent** of a council: a direct member of it or of a council below it (the
  council represents them). Constituents see the council -- its members, delegates,
  terms, pay and cap, ballots, results, petitions, motions -- sign and open recall
  petitions against its mandates, table and amend motions, and close its ballots once
  their closing time has come (the count is then fixed by the papers and the seed).
* **officer** of a council: holds an active *office* mandate of it (secretary,
  treasurer...). Officers run the council: admit members, define seats, open
  elections and motion ballots, set and review pay (never their own). The officers of
  a council also run the councils directly below it (forming them, their first seats
  and elections), and see what they run; the rights of a constituency (voting,
  signing, tabling) stay with its constituents.
* a council with no officer in office may open its due elections by any constituent,
  so a council can always elect its first officers.
* **voter** in a ballot: in its electorate, frozen when it opened; a member only ever
  votes as themself (the member comes from the session, never from the request).
* oneself: a member reports their own wage and leaves a council themself.

The audit log is the federation's public record: any signed-in account reads and
verifies it. Everything else is refused (:class:`Forbidden`, 403).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from councilplan.api.auth.sessions import SessionCache
from councilplan.councils.mandate import Mandate
from councilplan.councils.seat import SeatKind
from councilplan.errors import Problem, RuleViolation
from councilplan.store import Account, UnitOfWork

__all__ = [
    "Forbidden",
    "NotSignedIn",
    "Principal",
    "VoterCache",
    "council_has_officer",
    "council_of_ballot",
    "council_of_mandate",
    "council_of_petition",
    "councils_of_member",
    "councils_of_seats",
    "load_principal",
    "may_cast",
    "voter_of_session",
]


class Forbidden(RuleViolation):
    """The signed-in member may not do this (403)."""


class NotSignedIn(RuleViolation):
    """No valid session (401)."""


def refuse(what: str, why: str) -> Forbidden:
    return Forbidden(f"not allowed: {what}", [Problem("authorisation", why)])


@dataclass(frozen=True, slots=True)
class Principal:
    """Where a signed-in member stands at ``now`` (see the module docstring)."""

    account_id: str
    username: str
    member_id: str
    name: str
    councils: frozenset[str]  # direct memberships
    constituent_of: frozenset[str]  # memberships and every council above them
    offices: frozenset[str]  # councils where they hold an active office mandate
    mandates: tuple[Mandate, ...]  # active (or pending) mandates they hold
    parents: Mapping[str, str | None]  # the council tree, child -> parent

    # -- standing --------------------------------------------------------------

    def is_constituent(self, council_id: str) -> bool:
        return council_id in self.constituent_of

    def runs(self, council_id: str) -> bool:
        """An officer of the council or of the council directly above it."""
        return council_id in self.offices or self.parents.get(council_id) in self.offices

    def sees(self, council_id: str) -> bool:
        """A constituent of the council, or one who runs it."""
        return self.is_constituent(council_id) or self.runs(council_id)

    # -- checks (raise Forbidden) ------------------------------------------------

    def require_constituent(self, council_id: str, what: str) -> None:
        if not self.is_constituent(council_id):
            raise refuse(what, f"only the constituents of council {council_id} may")

    def require_sees(self, council_id: str, what: str) -> None:
        if not self.sees(council_id):
            raise refuse(what, f"only the constituents of council {council_id} (and those "
                         "who run it) may")

    def require_runs(self, council_id: str, what: str) -> None:
        if not self.runs(council_id):
            raise refuse(what, f"only the officers of council {council_id} (or of the council "
                         "above it) may")

    def require_self(self, member_id: str, what: str) -> None:
        if member_id != self.member_id:
            raise refuse(what, "a member does this only for themself")

    def require_officer_anywhere(self, what: str) -> None:
        if not self.offices:
            raise refuse(what, "only a member holding an office may")


def _ancestors(council_id: str, parents: Mapping[str, str | None]) -> Iterable[str]:
    seen: set[str] = set()
    current: str | None = council_id
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        current = parents.get(current)


def load_principal(uow: UnitOfWork, account: Account, now: datetime) -> Principal:
    """The member's standing at ``now``, read in one snapshot."""
    with uow.reading():
        member = uow.members.get(account.member_id)
        memberships = uow.members.memberships_of(account.member_id)
        parents = {c.council_id: c.parent_id for c in uow.councils.all()}
        held = [m for m in uow.mandates.held_by(account.member_id)
                if m.status_at(now).value in ("active", "pending")]
        # a strike committee's seat is held from the strikers, not the council: it is
        # no office of the council it is filed under
        committee = uow.disputes.disputes_of_seats(m.seat_id for m in held)
        offices = set()
        for m in held:
            if (m.is_active(now) and m.seat_id not in committee
                    and uow.seats.get(m.seat_id).kind is SeatKind.OFFICE):
                offices.add(m.council_id)
    direct = frozenset(m.council_id for m in memberships)
    constituent = frozenset(a for c in direct for a in _ancestors(c, parents))
    return Principal(account.account_id, account.username, account.member_id, member.name,
                     direct, constituent, frozenset(offices), tuple(held), parents)


def council_has_officer(uow: UnitOfWork, council_id: str, now: datetime) -> bool:
    with uow.reading():
        seats = {s.seat_id: s for s in uow.seats.of_council(council_id)}
        committee = uow.disputes.disputes_of_seats(seats)
        return any(m.is_active(now) and seats[m.seat_id].kind is SeatKind.OFFICE
                   for m in uow.mandates.of_council(council_id)
                   if m.seat_id in seats and m.seat_id not in committee)


# -- the council an object belongs to (read from the store, per object) ---------------


def council_of_ballot(uow: UnitOfWork, ballot_id: str) -> str:
    with uow.reading():
        return uow.ballots.get(ballot_id).ballot.council_id


def council_of_mandate(uow: UnitOfWork, mandate_id: str) -> Mandate:
    with uow.reading():
        return uow.mandates.get(mandate_id)


def council_of_petition(uow: UnitOfWork, petition_id: str) -> str:
    with uow.reading():
        return uow.petitions.get(petition_id)[0].council_id


def may_cast(uow: UnitOfWork, ballot_id: str, member_id: str) -> None:
    """A member casts only in a ballot whose frozen electorate holds them."""
    with uow.reading():
        _check_voter(uow, ballot_id, member_id)


def _check_voter(uow: UnitOfWork, ballot_id: str, member_id: str) -> None:
    uow.ballots.shape(ballot_id)  # NotFound first
    if not uow.ballots.in_electorate(ballot_id, member_id):
        raise refuse(f"vote in ballot {ballot_id}", "only the members of the ballot's "
                     "electorate (frozen when it opened) may vote in it")


class VoterCache:
    """Who is in which ballot's electorate, as found: an electorate is frozen when its
    ballot opens, so a member found in it stays in it (only those found are kept)."""

    def __init__(self, size: int = 1_000_000) -> None:
        self.size = size
        self._found: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple[str, str]) -> bool:
        with self._lock:
            return key in self._found

    def add(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._found[key] = None
            while len(self._found) > self.size:
                self._found.popitem(last=False)


def voter_of_session(uow: UnitOfWork, session_hash: str, ballot_id: str, now: datetime,
                     sessions: SessionCache, voters: VoterCache) -> Account:
    """The signed-in account of a session, checked as a voter in ``ballot_id``. Casting is
    the hot path: a busy voter's session and electorate membership come from the caches,
    else both are read in one transaction."""
    account = sessions.get(session_hash, now)
    if account is not None and (ballot_id, account.member_id) in voters:
        return account
    with uow.reading():
        if account is None:
            found = uow.accounts.live_session(session_hash, now)
            if found is None:
                raise NotSignedIn("sign in first",
                                  [Problem("session", "no valid session: log in")])
            account = found[0]
            sessions.put(session_hash, *found)
        _check_voter(uow, ballot_id, account.member_id)
    voters.add((ballot_id, account.member_id))
    return account


def councils_of_member(uow: UnitOfWork, member_id: str) -> frozenset[str]:
    """The councils ``member_id`` belongs to directly (NotFound for no such member)."""
    with uow.reading():
        uow.members.get(member_id)
        return frozenset(m.council_id for m in uow.members.memberships_of(member_id))


def councils_of_seats(uow: UnitOfWork, seat_ids: Iterable[str]) -> frozenset[str]:
    """The councils the seats belong to (NotFound for an unknown seat)."""
    with uow.reading():
        return frozenset(uow.seats.get(s).council_id for s in seat_ids)


# -- disputes (strikes run by the strikers) ------------------------------------------------
#
# * the **members of a dispute's councils** (those who see any of them) read the dispute,
#   its roster, its strikers' ballots and their results notices, and the offers' summaries;
# * **strikers** (on the roster at ``now``) also read the offers' full text and the fund;
# * the **committee** (an active mandate on one of the dispute's committee seats) records
#   offers and roster events, opens strikers' ballots, calls action and settles (which the
#   service refuses without a ballot that accepted the offer);
# * the officers of every council of a dispute open it, and record roster events while no
#   committee is in office.


@dataclass(frozen=True, slots=True)
class DisputeStanding:
    """Where a member stands in one dispute, read from the store at ``now``."""

    dispute_id: str
    council_ids: tuple[str, ...]
    reader: bool  # sees one of the dispute's councils
    striker: bool  # on the roster now
    committee: bool  # holds an active mandate on a committee seat
    committee_in_office: bool  # anybody does
    officer: bool  # runs one of the dispute's councils


def dispute_standing(me: Principal, uow: UnitOfWork, dispute_id: str,
                     now: datetime) -> DisputeStanding:
    """NotFound for no such dispute; otherwise what ``me`` may do in it."""
    with uow.reading():
        dispute = uow.disputes.get(dispute_id)
        striker = uow.disputes.roster(dispute_id).on_roster(me.member_id, now)
        seats = set(uow.disputes.committee_seat_ids(dispute_id))
        holders = {m.holder_id for s in seats for m in uow.mandates.of_seat(s)
                   if m.is_active(now)}
    councils = tuple(dispute.council_ids)
    return DisputeStanding(
        dispute_id, councils, any(me.sees(c) for c in councils), striker,
        me.member_id in holders, bool(holders), any(me.runs(c) for c in councils))


def require_dispute_reader(me: Principal, uow: UnitOfWork, dispute_id: str, now: datetime,
                           what: str) -> DisputeStanding:
    found = dispute_standing(me, uow, dispute_id, now)
    if not (found.reader or found.striker):
        raise refuse(what, "only the members of the dispute's councils may")
    return found


def require_striker(me: Principal, uow: UnitOfWork, dispute_id: str, now: datetime,
                    what: str) -> DisputeStanding:
    found = dispute_standing(me, uow, dispute_id, now)
    if not found.striker:
        raise refuse(what, "only the strikers on the dispute's roster may")
    return found


def require_committee(me: Principal, uow: UnitOfWork, dispute_id: str, now: datetime,
                      what: str, *, or_officer_without_committee: bool = False
                      ) -> DisputeStanding:
    found = dispute_standing(me, uow, dispute_id, now)
    if found.committee:
        return found
    if or_officer_without_committee and found.officer and not found.committee_in_office:
        return found
    raise refuse(what, "only the members of the dispute's strike committee may"
                 + (" (its councils' officers while none is in office)"
                    if or_officer_without_committee else ""))


def dispute_of_offer(uow: UnitOfWork, offer_id: str) -> str:
    with uow.reading():
        return uow.offers.get(offer_id).dispute_id


def dispute_of_strike_ballot(uow: UnitOfWork, ballot_id: str) -> str:
    with uow.reading():
        return uow.disputes.get_ballot(ballot_id).dispute_id


# -- the plan cycle --------------------------------------------------------------------------
#
# A period belongs to its owning (planning) council; the **federation** of a period is that
# council and every council below it. Everyone in it (those who see the owning council)
# reads the period, its needs, techniques, variants and targets. The direct members of a
# council register its needs; the direct members of a workplace council register its
# techniques and report its output. The **planners** -- holders of an active mandate of the
# owning council, or of a delegate seat to it -- compute variants and open the ratification
# ballot.


def council_of_period(uow: UnitOfWork, period_id: str) -> str:
    with uow.reading():
        return uow.plans.get_period(period_id).council_id


def council_of_variant(uow: UnitOfWork, variant_id: str) -> str:
    with uow.reading():
        period_id = uow.variants.get(variant_id).period_id
        return uow.plans.get_period(period_id).council_id


def require_federation(me: Principal, council_id: str, what: str) -> None:
    if not me.sees(council_id):
        raise refuse(what, f"only the members of the federation of council {council_id} may")


def require_own_council(me: Principal, council_id: str, what: str) -> None:
    if council_id not in me.councils:
        raise refuse(what, f"only the members of council {council_id} may, for it")


def is_planner(me: Principal, uow: UnitOfWork, council_id: str, now: datetime) -> bool:
    active = [m for m in me.mandates if m.is_active(now)]
    if any(m.council_id == council_id for m in active):
        return True
    with uow.reading():
        return any(uow.seats.get(m.seat_id).delegate_to == council_id for m in active)


def require_planner(me: Principal, uow: UnitOfWork, council_id: str, now: datetime,
                    what: str) -> None:
    if not is_planner(me, uow, council_id, now):
        raise refuse(what, f"only the delegates to council {council_id} and the holders of "
                     "its mandates may")


# -- the strike committee and the strike fund ------------------------------------------------
#
# * the **committee** defines its seats and opens its elections; while none is in office the
#   **strikers** (and the councils' officers, who opened the dispute) set the first one up;
# * the committee alone runs the fund (contributions, strike pay); strikers and the
#   committee read it;
# * a member reads the offers published to them only for themself.


def require_committee_setup(me: Principal, uow: UnitOfWork, dispute_id: str, now: datetime,
                            what: str) -> DisputeStanding:
    found = dispute_standing(me, uow, dispute_id, now)
    if found.committee:
        return found
    if not found.committee_in_office and (found.striker or found.officer):
        return found
    raise refuse(what, "only the members of the dispute's strike committee may (the strikers "
                 "and its councils' officers while none is in office)")


def require_fund_reader(me: Principal, uow: UnitOfWork, dispute_id: str, now: datetime,
                        what: str) -> DisputeStanding:
    found = dispute_standing(me, uow, dispute_id, now)
    if not (found.striker or found.committee):
        raise refuse(what, "only the strikers on the dispute's roster and its strike "
                     "committee may")
    return found
# -- the plan cycle: the catalogue, working time, the ratification vote --------------------
#
# * **mandate holders** (an active office or delegate mandate anywhere) add products to the
#   catalogue, which every period shares;
# * a council's working time is decided by its **planners** (as above: the holders of its
#   mandates and the delegates to it);
# * a plan ballot of delegates is an open, recorded vote: only the delegates frozen in its
#   weighted electorate at opening vote in it; a plan ballot of all members is secret and
#   takes the voters of its frozen electorate (as any ballot).


def require_mandate_holder(me: Principal, now: datetime, what: str) -> None:
    if not any(m.is_active(now) for m in me.mandates):
        raise refuse(what, "only a member holding an office or a delegation may")


def council_of_plan_ballot(uow: UnitOfWork, ballot_id: str) -> str:
    """The council owning a plan ballot's period (NotFound for any other ballot)."""
    from councilplan.errors import NotFound

    with uow.reading():
        rec = uow.variants.find_plan_ballot(ballot_id)
        if rec is None:
            raise NotFound(f"plan ballot {ballot_id} does not exist")
        return uow.plans.get_period(rec.period_id).council_id


def require_plan_voter(me: Principal, uow: UnitOfWork, ballot_id: str, what: str) -> None:
    """A delegate of the ballot's weighted electorate (open vote), or a voter of its
    frozen electorate (secret vote of all members)."""
    with uow.reading():
        rec = uow.variants.find_plan_ballot(ballot_id)
        if rec is None or rec.weights_sha256 is None:
            _check_voter(uow, ballot_id, me.member_id)
            return
        if me.member_id not in dict(uow.variants.weights(ballot_id).weights):
            raise refuse(what, "only the delegates frozen in the ballot's weighted electorate "
                         "when it opened may vote in it")
