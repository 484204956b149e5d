"""Strikes run by the strikers: disputes, the roster, the strike committee, strikers'
ballots and their mandates, calls to action, settlement.

Every function is one use case in one transaction of the unit of work, with the time
``now`` passed in, and appends its events to the audit log in that transaction: a
failure leaves nothing behind.

* :func:`open_dispute` -- of one or more councils, with the employer, the demands and
  the jurisdiction and sector that choose its rule sets;
* :func:`join_strike`, :func:`return_to_work`, :func:`record_dismissal`,
  :func:`record_reinstatement` -- the only ways the roster changes;
* :func:`define_committee_seat`, :func:`open_committee_election` -- the committee,
  elected by and from the strikers for a fixed term; recalled with
  :func:`councilplan.services.open_recall_petition` like any mandate (its constituency
  is the roster);
* :func:`open_strike_ballot` -- on action, continuing, an offer or settling, on the
  roster frozen at opening under the rule set in force that day; the close
  (:func:`councilplan.services.close_ballot`) applies it through
  :func:`apply_dispute`; :func:`results_notice` is what the strikers are told;
* :func:`extend_mandate` -- the employer agreed a longer mandate;
* :func:`call_action`, :func:`call_action_days` -- only under a mandate in force;
* :func:`settle` -- only on an offer a strikers' ballot accepted;
* :func:`show_dispute`, :func:`list_disputes`, :func:`roster_of`, :func:`rule_sets`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from councilplan.councils.action import ActionCall, call_off
from councilplan.councils.action import call_action as core_call_action
from councilplan.councils.ballot import Ballot, BallotStatus
from councilplan.councils.counting import DEFAULT_METHOD
from councilplan.councils.dispute import Dispute, ensure_open
from councilplan.councils.dispute import open_dispute as core_open_dispute
from councilplan.councils.electorate import Electorate
from councilplan.councils.event import Event
from councilplan.councils.mandate import active_mandate
from councilplan.councils.offer import decide_offer, publish_offer
from councilplan.councils.roster import Roster, RosterEventKind, record_roster_events
from councilplan.councils.seat import Seat, SeatKind
from councilplan.councils.seat import define_seat as core_define_seat
from councilplan.councils.settlement import Settlement, settle_dispute
from councilplan.councils.strike_ballot import (
    ActionForm,
    ActionMandate,
    StrikeBallot,
    StrikeBallotKind,
    apply_strike_result,
    call_strike_ballot,
    mandate_expired,
    revoke_mandate,
)
from councilplan.councils.strike_ballot import extend_mandate as core_extend_mandate
from councilplan.councils.threshold import (
    RULE_BOOK,
    ThresholdRules,
    local_date,
    select_rules,
    start_of_day,
)
from councilplan.errors import InvalidInput, NotFound, PreconditionFailed, Problem
from councilplan.services.ballots import ballot_view, open_new_ballot
from councilplan.services.constituency import load_constituency
from councilplan.services.counts import CountOutcome
from councilplan.services.dispute_views import (
    ActionCallView,
    ActionMandateView,
    CommitteeSeatView,
    DisputeDetail,
    DisputeView,
    ResultsNoticeView,
    RosterEventView,
    RosterView,
    RuleSetView,
    SettlementView,
    StrikeBallotView,
    StrikerView,
)
from councilplan.services.elections import open_election
from councilplan.services.ids import new_id, new_seed
from councilplan.services.offers import offer_view
from councilplan.services.strike_fund import fund_view
from councilplan.services.views import BallotView
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "COMMITTEE_SEAT",
    "action_call_view",
    "apply_dispute",
    "call_action",
    "call_action_days",
    "define_committee_seat",
    "dispute_view",
    "extend_mandate",
    "join_strike",
    "list_disputes",
    "mandate_view",
    "open_committee_election",
    "open_dispute",
    "open_strike_ballot",
    "record_dismissal",
    "record_reinstatement",
    "record_roster_change",
    "results_notice",
    "return_to_work",
    "roster_of",
    "rule_set_view",
    "rule_sets",
    "rules_in_force",
    "settle",
    "show_dispute",
    "show_strike_ballot",
    "tick_disputes",
]

COMMITTEE_SEAT = "dispute.committee_seat"


# -- rule sets -----------------------------------------------------------------------


def rules_in_force(dispute: Dispute, at: datetime) -> ThresholdRules:
    """The rule set a ballot of ``dispute`` opening at ``at`` is held under."""
    on = local_date(at, dispute.timezone)
    return dispute.rules_for(select_rules(dispute.jurisdiction, dispute.sector, on))


def rule_set_view(r: ThresholdRules) -> RuleSetView:
    return RuleSetView(
        key=r.key, title=r.title, jurisdiction=r.jurisdiction, sectors=r.sector_text(),
        dates=r.dates_text(), applies_from=r.applies_from, applies_until=r.applies_until,
        action_rule=r.action_rule.describe(), internal_rule=r.internal_rule.describe(),
        mandate=r.mandate_text(), notice=r.notice_text(), timezone=r.timezone,
        source=r.source, notes=r.notes,
    )


def rule_sets(jurisdiction: str | None = None, sector: str | None = None,
              on: date | None = None) -> tuple[RuleSetView, ...]:
    """The rule sets known; with ``jurisdiction``, ``sector`` and ``on``: the one in force
    (or :class:`NotFound` naming what is known)."""
    if jurisdiction is not None and sector is not None and on is not None:
        return (rule_set_view(select_rules(jurisdiction, sector, on)),)
    return tuple(rule_set_view(r) for r in RULE_BOOK.sets
                 if jurisdiction is None or r.jurisdiction == jurisdiction)


# -- disputes --------------------------------------------------------------------------


def dispute_view(uow: UnitOfWork, d: Dispute, now: datetime) -> DisputeView:
    try:
        rules = rules_in_force(d, now)
        key, title = rules.key, rules.title
    except NotFound:
        key, title = "", "no rule set in force"
    return DisputeView(
        dispute_id=d.dispute_id, employer=d.employer, demands=d.demands,
        council_ids=d.council_ids, jurisdiction=d.jurisdiction, sector=d.sector,
        timezone=d.timezone, currency=d.currency, status=d.status.value,
        opened_at=d.opened_at, settled_at=d.settled_at, rules=key, rules_title=title,
        strikers=len(uow.disputes.roster(d.dispute_id).strikers(now)),
    )


def open_dispute(
    uow: UnitOfWork,
    dispute_id: str,
    council_ids: Sequence[str],
    employer: str,
    demands: Sequence[str],
    jurisdiction: str,
    sector: str,
    now: datetime,
    *,
    timezone: str | None = None,
    union_mandate_months: int | None = None,
    currency: str = "GBP",
) -> DisputeView:
    """Open a dispute of ``council_ids`` with ``employer`` over ``demands``.

    ``jurisdiction`` and ``sector`` (what most of those to be balloted are normally
    engaged in) choose the rule sets; a rule set must be in force on the day it
    opens, and every ballot takes the one in force on its own opening day. The zone
    is the rule set's (Europe/London for GB), or ``timezone`` under union rules
    (default UTC). ``union_mandate_months`` records the union's own mandate period
    (union rules only).
    """
    if isinstance(council_ids, str):
        council_ids = [council_ids]
    if isinstance(demands, str):
        demands = [demands]
    probe = select_rules(jurisdiction, sector, local_date(now, timezone or "UTC"))
    tz = timezone or probe.timezone or "UTC"
    if probe.timezone is not None:  # the day in the rule set's own zone decides
        probe = select_rules(jurisdiction, sector, local_date(now, probe.timezone))
    dispute = Dispute(dispute_id, tuple(council_ids), employer.strip(),
                      tuple(d.strip() for d in demands), jurisdiction, sector, tz, now,
                      union_mandate_months, currency)
    with uow:
        if uow.disputes.find(dispute_id) is not None:
            raise PreconditionFailed(f"dispute {dispute_id} cannot be opened",
                                     [Problem(dispute_id, "a dispute with this id exists")])
        event = core_open_dispute(dispute, uow.councils.tree(), probe, now)
        uow.disputes.add(dispute)
        uow.audit.append([event])
        return dispute_view(uow, dispute, now)


def list_disputes(uow: UnitOfWork, now: datetime,
                  council_id: str | None = None) -> tuple[DisputeView, ...]:
    """Every dispute (of one council, when given), in the order they were opened."""
    with uow.reading():
        if council_id is not None:
            uow.councils.get(council_id)
        return tuple(dispute_view(uow, d, now) for d in uow.disputes.all(council_id))


# -- the roster ------------------------------------------------------------------------


def _eligible(uow: UnitOfWork, dispute: Dispute) -> frozenset[str]:
    """Who may be called out: the members of the dispute's councils (and those below)."""
    out: set[str] = set()
    for c in dispute.council_ids:
        out |= load_constituency(uow, c).members
    return frozenset(out)


def _roster_view(uow: UnitOfWork, dispute_id: str, roster: Roster,
                 at: datetime) -> RosterView:
    strikers = roster.strikers(at)
    frozen = Electorate.freeze(strikers)
    last: dict[str, datetime] = {}
    for e in roster.events:
        if e.at <= at:
            last[e.member_id] = e.at
    statuses = roster.statuses(at)
    names = uow.members.names(statuses)
    members = [StrikerView(member_id, names.get(member_id, ""), status.value, last[member_id])
               for member_id, status in sorted(statuses.items())]
    return RosterView(
        dispute_id=dispute_id, at=at, strikers=frozen.member_ids, size=frozen.size,
        sha256=frozen.digest, members=tuple(members),
        events=tuple(RosterEventView(e.sequence, e.member_id, e.kind.value, e.at)
                     for e in roster.events if e.at <= at),
    )


def roster_of(uow: UnitOfWork, dispute_id: str, at: datetime) -> RosterView:
    """The roster at ``at``, everybody ever on it, and its events up to then."""
    with uow.reading():
        uow.disputes.get(dispute_id)
        return _roster_view(uow, dispute_id, uow.disputes.roster(dispute_id), at)


def record_roster_change(uow: UnitOfWork, dispute_id: str, member_ids: Sequence[str] | str,
                         kind: RosterEventKind | str, now: datetime) -> RosterView:
    """Record one roster event per member, in order, all or none (the only way the roster
    changes); the roster after them."""
    kind = RosterEventKind(kind)
    ids = [member_ids] if isinstance(member_ids, str) else list(member_ids)
    if not ids:
        raise InvalidInput(f"{kind.value}: name at least one member")
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        ensure_open(dispute, f"{kind.value}: roster not changed")
        unknown = sorted(set(ids) - uow.members.existing(ids))
        if unknown:
            raise NotFound(f"{kind.value}: no such member" + ("s" if len(unknown) > 1 else ""),
                           [Problem(m, f"member {m} does not exist") for m in unknown])
        roster = uow.disputes.roster(dispute_id)
        eligible = _eligible(uow, dispute) if kind is RosterEventKind.JOINED else None
        events, audits = record_roster_events(roster, ids, kind, now, eligible=eligible,
                                              frozen_at=uow.disputes.last_freeze(dispute_id))
        uow.disputes.add_roster_events(events)
        uow.audit.append(audits)
        return _roster_view(uow, dispute_id, Roster(dispute_id, (*roster.events, *events)), now)


def join_strike(uow: UnitOfWork, dispute_id: str, member_ids: Sequence[str] | str,
                now: datetime) -> RosterView:
    """Members of the dispute's councils are called out: on the roster."""
    return record_roster_change(uow, dispute_id, member_ids, RosterEventKind.JOINED, now)


def return_to_work(uow: UnitOfWork, dispute_id: str, member_ids: Sequence[str] | str,
                   now: datetime) -> RosterView:
    """Strikers go back to work: off the roster."""
    return record_roster_change(uow, dispute_id, member_ids, RosterEventKind.RETURNED, now)


def record_dismissal(uow: UnitOfWork, dispute_id: str, member_ids: Sequence[str] | str,
                     now: datetime) -> RosterView:
    """The employer dismissed strikers: off the roster until reinstated."""
    return record_roster_change(uow, dispute_id, member_ids, RosterEventKind.DISMISSED, now)


def record_reinstatement(uow: UnitOfWork, dispute_id: str, member_ids: Sequence[str] | str,
                         now: datetime) -> RosterView:
    """Dismissed strikers are taken back: on the roster again."""
    return record_roster_change(uow, dispute_id, member_ids, RosterEventKind.REINSTATED, now)


# -- the strike committee -----------------------------------------------------------------


def define_committee_seat(uow: UnitOfWork, dispute_id: str, seat_id: str, title: str,
                          now: datetime, *, term_length: timedelta,
                          election_lead: timedelta) -> CommitteeSeatView:
    """A seat on the strike committee: elected by and from the strikers for a fixed
    term, recallable by them (kept under the dispute's first council)."""
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        ensure_open(dispute, f"committee seat {seat_id} not defined")
        if uow.seats.find(seat_id) is not None:
            raise PreconditionFailed(f"seat {seat_id} cannot be defined",
                                     [Problem(seat_id, "a seat with this id exists")])
        seat = Seat(seat_id, dispute.primary_council, title, SeatKind.OFFICE, term_length,
                    election_lead)
        event = core_define_seat(uow.councils.tree(), seat, now)
        uow.seats.add(seat, now)
        uow.disputes.add_committee_seat(dispute_id, seat_id)
        uow.audit.append([event, Event.of(COMMITTEE_SEAT, now, dispute_id=dispute_id,
                                          seat_id=seat_id)])
        return CommitteeSeatView(seat_id, title, term_length, election_lead, None, None, None,
                                 None)


def _committee(uow: UnitOfWork, dispute_id: str, roster: Roster,
               now: datetime) -> tuple[CommitteeSeatView, ...]:
    out = []
    for seat_id in uow.disputes.committee_seat_ids(dispute_id):
        seat = uow.seats.get(seat_id)
        holder = active_mandate(seat_id, uow.mandates.of_seat(seat_id), now)
        out.append(CommitteeSeatView(
            seat_id=seat_id, title=seat.title, term_length=seat.term_length,
            election_lead=seat.election_lead,
            holder_id=None if holder is None else holder.holder_id,
            mandate_id=None if holder is None else holder.mandate_id,
            term_end=None if holder is None else holder.term.end,
            holder_on_roster=None if holder is None else roster.on_roster(holder.holder_id, now),
        ))
    return tuple(out)


def open_committee_election(
    uow: UnitOfWork,
    dispute_id: str,
    seat_ids: Sequence[str],
    candidates: Sequence[str],
    now: datetime,
    closes_at: datetime,
    *,
    method: str = DEFAULT_METHOD.value,
    ballot_id: str | None = None,
    seed: str | None = None,
) -> BallotView:
    """Elect committee seats of ``dispute_id``: the strikers at opening elect, from among
    themselves (Scottish STV by default, several seats at once)."""
    if isinstance(seat_ids, str):
        seat_ids = [seat_ids]
    with uow.reading():
        uow.disputes.get(dispute_id)
        theirs = set(uow.disputes.committee_seat_ids(dispute_id))
    others = [s for s in seat_ids if s not in theirs]
    if others:
        raise PreconditionFailed(f"no committee election in dispute {dispute_id}",
                                 [Problem(s, "is not a seat of this dispute's committee")
                                  for s in others])
    return open_election(uow, seat_ids, candidates, now, closes_at, method=method,
                         ballot_id=ballot_id or new_id("ce"), seed=seed)


# -- strike ballots --------------------------------------------------------------------------


def _strike_view(uow: UnitOfWork, sb: StrikeBallot) -> StrikeBallotView:
    return StrikeBallotView(
        ballot_id=sb.ballot_id, dispute_id=sb.dispute_id, kind=sb.kind.value,
        form=None if sb.form is None else sb.form.value, offer_id=sb.offer_id,
        rules=sb.rules.key, rules_title=sb.rules.title, status=sb.status.value,
        passed=sb.passed, ballot=ballot_view(uow, uow.ballots.get(sb.ballot_id)),
    )


def open_strike_ballot(
    uow: UnitOfWork,
    dispute_id: str,
    kind: StrikeBallotKind | str,
    now: datetime,
    closes_at: datetime,
    *,
    form: ActionForm | str | None = None,
    offer_id: str | None = None,
    ballot_id: str | None = None,
    seed: str | None = None,
) -> StrikeBallotView:
    """Open a strikers' ballot (see :mod:`councilplan.councils.strike_ballot`): the roster
    now, frozen and hashed, is its electorate; the rule set in force today decides it.
    An offer is published to strikers who have not had it before they vote on it."""
    bid = ballot_id or new_id("sb")
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        rules = rules_in_force(dispute, now)
        offer = None if offer_id is None else uow.offers.get(offer_id, lock=True)
        if uow.ballots.find(bid) is not None:
            raise PreconditionFailed(f"ballot {bid} cannot open",
                                     [Problem(bid, "a ballot with this id exists")])
        draft, sb, called = call_strike_ballot(
            dispute, kind, rules, bid, now, closes_at, now, form=form, offer=offer,
            ballots=uow.disputes.ballots_of(dispute_id),
            mandates=uow.disputes.mandates_of(dispute_id),
        )
        strikers = uow.disputes.roster(dispute_id).strikers(now)
        before: list[Event] = [called]
        if offer is not None:
            new, published = publish_offer(offer, strikers, uow.offers.recipients(offer.offer_id),
                                           now)
            uow.offers.add_recipients(offer.offer_id, new, now)
            if published is not None:
                before.append(published)
        open_new_ballot(uow, draft, strikers, now, seed=seed or new_seed(),
                        events_before=before)
        uow.disputes.add_ballot(sb)
        return _strike_view(uow, sb)


def show_strike_ballot(uow: UnitOfWork, ballot_id: str) -> StrikeBallotView:
    with uow.reading():
        return _strike_view(uow, uow.disputes.get_ballot(ballot_id))


def _settle_inside(uow: UnitOfWork, dispute: Dispute, offer_id: str, now: datetime,
                   ballot_id: str | None, ballots: Sequence[StrikeBallot]) -> list[Event]:
    """Settle inside the caller's transaction: the dispute, the settlement, the mandates
    revoked and the action still to come called off."""
    offer = uow.offers.get(offer_id, lock=True)
    settled, settlement, event = settle_dispute(dispute, offer, ballots, now,
                                                ballot_id=ballot_id)
    uow.disputes.save_status(settled)
    uow.disputes.add_settlement(settlement)
    events = [event]
    for m in uow.disputes.mandates_of(dispute.dispute_id):
        if m.in_force(now):
            revoked, e = revoke_mandate(m, f"the dispute was settled on offer {offer_id}", now)
            uow.disputes.save_mandate(revoked)
            events.append(e)
    changed, off = call_off(uow.disputes.calls_of(dispute.dispute_id), now,
                            f"the dispute was settled on offer {offer_id}")
    for c in changed:
        uow.disputes.save_call(c)
    return [*events, *off]


def apply_dispute(uow: UnitOfWork, ballot: Ballot, outcome: CountOutcome,
                  now: datetime) -> list[Event]:
    """Apply a closed strikers' ballot (from :func:`councilplan.services.close_ballot`):
    the results notice, a mandate granted or revoked, the offer accepted or rejected,
    and for a carried settle ballot the settlement."""
    assert outcome.decision is not None
    sb = uow.disputes.get_ballot(ballot.ballot_id, lock=True)
    dispute = uow.disputes.get(sb.dispute_id, lock=True)
    out = apply_strike_result(dispute, sb, ballot, outcome.decision, now,
                              mandates=uow.disputes.mandates_of(dispute.dispute_id))
    uow.disputes.save_ballot_result(out.ballot, out.notice.to_payload())
    events = list(out.events)
    if out.mandate is not None:
        uow.disputes.add_mandate(out.mandate)
    for m in out.revoked:
        uow.disputes.save_mandate(m)
        changed, off = call_off(uow.disputes.calls_of(dispute.dispute_id), now,
                                f"the strikers voted not to continue (ballot {sb.ballot_id})",
                                form=m.form)
        for c in changed:
            uow.disputes.save_call(c)
        events += off
    if sb.offer_id is not None:
        offer = uow.offers.get(sb.offer_id, lock=True)
        decided, event = decide_offer(offer, sb.ballot_id, out.ballot.passed is True, now)
        uow.offers.save_decision(decided)
        events.append(event)
        if sb.kind is StrikeBallotKind.SETTLE and out.ballot.passed and dispute.is_open():
            ballots = [out.ballot if b.ballot_id == sb.ballot_id else b
                       for b in uow.disputes.ballots_of(dispute.dispute_id)]
            events += _settle_inside(uow, dispute, sb.offer_id, now, sb.ballot_id, ballots)
    return events


def results_notice(uow: UnitOfWork, ballot_id: str) -> ResultsNoticeView:
    """The results notice of a closed strikers' ballot: entitled, votes cast, yes, no,
    spoilt, turnout, each threshold met or missed, and when the mandate expires."""
    with uow.reading():
        sb = uow.disputes.get_ballot(ballot_id)
        notice = uow.disputes.notice(ballot_id)
        if sb.status is not BallotStatus.CLOSED or notice is None:
            raise PreconditionFailed(
                f"ballot {ballot_id} has not closed: its result is hidden until the close",
                [Problem(ballot_id, f"voting runs until {sb.closes_at.isoformat()}")],
            )
        return ResultsNoticeView(ballot_id, sb.dispute_id, dict(notice),
                                 str(notice["statement"]))


# -- mandates and calls to action ---------------------------------------------------------


def mandate_view(m: ActionMandate, tz: str, now: datetime) -> ActionMandateView:
    return ActionMandateView(
        ballot_id=m.ballot_id, dispute_id=m.dispute_id, form=m.form.value, kind=m.kind.value,
        rules=m.rules_key, date_of_ballot=m.date_of_ballot, granted_at=m.granted_at,
        expires_at=m.expires_at, last_day=local_date(m.expires_at, tz) - timedelta(days=1),
        extendable_to=m.extendable_to, extended_at=m.extended_at, revoked_at=m.revoked_at,
        status=m.status_at(now),
    )


def action_call_view(c: ActionCall, now: datetime) -> ActionCallView:
    return ActionCallView(
        call_id=c.call_id, dispute_id=c.dispute_id, ballot_id=c.ballot_id, form=c.form.value,
        starts_at=c.starts_at, ends_at=c.ends_at, called_at=c.called_at,
        notice_agreed=c.notice_agreed, called_off_at=c.called_off_at, status=c.status_at(now),
    )


def extend_mandate(uow: UnitOfWork, ballot_id: str, now: datetime) -> ActionMandateView:
    """Record the employer's agreement to the longer mandate of ``ballot_id`` (9 months
    instead of 6 under the Trade Union Act 2016), before the mandate expires."""
    with uow:
        mandate = uow.disputes.get_mandate(ballot_id, lock=True)
        dispute = uow.disputes.get(mandate.dispute_id, lock=True)
        ensure_open(dispute, f"the mandate of ballot {ballot_id} is not extended")
        extended, event = core_extend_mandate(mandate, now)
        uow.disputes.save_mandate(extended)
        uow.audit.append([event])
        return mandate_view(extended, dispute.timezone, now)


def call_action(
    uow: UnitOfWork,
    dispute_id: str,
    form: ActionForm | str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    *,
    notice_agreed: bool = False,
    call_id: str | None = None,
) -> ActionCallView:
    """Call the strikers out for ``[starts_at, ends_at)``: refused unless a strikers'
    mandate for that form of action covers it (see :mod:`councilplan.councils.action`)."""
    cid = call_id or new_id("ac")
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        if uow.disputes.call_exists(cid):
            raise PreconditionFailed(f"action {cid} not called",
                                     [Problem(cid, "a call with this id exists")])
        mandates = uow.disputes.mandates_of(dispute_id)
        rules = {b.ballot_id: b.rules for b in uow.disputes.ballots_of(dispute_id)}
        call, event = core_call_action(dispute, cid, form, starts_at, ends_at, now,
                                       mandates=mandates, rules=rules,
                                       calls=uow.disputes.calls_of(dispute_id),
                                       notice_agreed=notice_agreed)
        uow.disputes.add_call(call)
        uow.audit.append([event])
        return action_call_view(call, now)


def call_action_days(
    uow: UnitOfWork,
    dispute_id: str,
    form: ActionForm | str,
    first_day: date,
    last_day: date,
    now: datetime,
    *,
    notice_agreed: bool = False,
    call_id: str | None = None,
) -> ActionCallView:
    """:func:`call_action` for whole days ``first_day`` .. ``last_day`` in the dispute's zone."""
    if last_day < first_day:
        raise InvalidInput("the last day of action comes before the first",
                           [Problem("--to", f"{last_day} is before {first_day}")])
    with uow.reading():
        tz = uow.disputes.get(dispute_id).timezone
    return call_action(uow, dispute_id, form, start_of_day(first_day, tz),
                       start_of_day(last_day + timedelta(days=1), tz), now,
                       notice_agreed=notice_agreed, call_id=call_id)


def tick_disputes(uow: UnitOfWork, now: datetime) -> tuple[str, ...]:
    """Inside the caller's transaction: a ``dispute.mandate_expired`` event for every
    mandate whose period ran out by ``now``; the ballots whose mandates they were."""
    ran_out = uow.disputes.expiry_unrecorded(now)
    uow.audit.append([mandate_expired(m) for m in ran_out])
    uow.disputes.mark_expiry_recorded(m.ballot_id for m in ran_out)
    return tuple(m.ballot_id for m in ran_out)


# -- settlement ---------------------------------------------------------------------------


def _settlement_view(s: Settlement) -> SettlementView:
    return SettlementView(s.dispute_id, s.offer_id, s.ballot_id, s.settled_at, s.terms_sha256)


def settle(uow: UnitOfWork, dispute_id: str, offer_id: str, now: datetime, *,
           ballot_id: str | None = None) -> SettlementView:
    """Record the settlement of ``dispute_id`` on ``offer_id``: refused unless a strikers'
    ballot accepted that offer (negotiators have no power to accept). Mandates in
    force end and action still to come is called off."""
    with uow:
        dispute = uow.disputes.get(dispute_id, lock=True)
        events = _settle_inside(uow, dispute, offer_id, now, ballot_id,
                                uow.disputes.ballots_of(dispute_id))
        uow.audit.append(events)
        settlement = uow.disputes.settlement(dispute_id)
        assert settlement is not None
        return _settlement_view(settlement)


# -- everything about one dispute ---------------------------------------------------------


def show_dispute(uow: UnitOfWork, dispute_id: str, now: datetime, *,
                 window_weeks: int = 4) -> DisputeDetail:
    """One dispute: roster, committee, offers, ballots, mandates, calls, fund, settlement."""
    with uow.reading():
        d = uow.disputes.get(dispute_id)
        roster = uow.disputes.roster(dispute_id)
        settlement = uow.disputes.settlement(dispute_id)
        return DisputeDetail(
            dispute=dispute_view(uow, d, now),
            roster=_roster_view(uow, dispute_id, roster, now),
            committee=_committee(uow, dispute_id, roster, now),
            offers=tuple(offer_view(uow, o) for o in uow.offers.of_dispute(dispute_id)),
            ballots=tuple(_strike_view(uow, b) for b in uow.disputes.ballots_of(dispute_id)),
            mandates=tuple(mandate_view(m, d.timezone, now)
                           for m in uow.disputes.mandates_of(dispute_id)),
            calls=tuple(action_call_view(c, now) for c in uow.disputes.calls_of(dispute_id)),
            fund=fund_view(uow, d, now, window_weeks),
            settlement=None if settlement is None else _settlement_view(settlement),
        )

