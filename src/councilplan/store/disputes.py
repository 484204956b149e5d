"""Disputes: the dispute, its councils, its roster events, its committee's seats, its
strike ballots and their mandates, its calls to action and its settlement."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import ColumnElement, Connection, insert, select, update

from councilplan.councils.action import ActionCall
from councilplan.councils.ballot import BallotStatus
from councilplan.councils.dispute import Dispute, DisputeStatus
from councilplan.councils.roster import Roster, RosterEvent, RosterEventKind
from councilplan.councils.settlement import Settlement
from councilplan.councils.strike_ballot import (
    ActionForm,
    ActionMandate,
    StrikeBallot,
    StrikeBallotKind,
)
from councilplan.councils.threshold import MandateKind, ThresholdRules
from councilplan.errors import NotFound
from councilplan.store.tables import (
    action_calls,
    action_mandates,
    ballot_seats,
    ballots,
    committee_seats,
    dispute_councils,
    disputes,
    petitions,
    roster_events,
    settlements,
    strike_ballots,
)
from councilplan.store.types import AnyRow

__all__ = ["DisputeRepository"]

_DISPUTE = (disputes.c.dispute_id, disputes.c.employer, disputes.c.demands,
            disputes.c.jurisdiction, disputes.c.sector, disputes.c.timezone,
            disputes.c.opened_at, disputes.c.union_mandate_months, disputes.c.currency,
            disputes.c.status, disputes.c.settled_at)

_BALLOT = (strike_ballots.c.ballot_id, strike_ballots.c.dispute_id, strike_ballots.c.kind,
           strike_ballots.c.rules, ballots.c.opens_at, ballots.c.closes_at,
           strike_ballots.c.form, strike_ballots.c.offer_id, strike_ballots.c.status,
           strike_ballots.c.passed)

_MANDATE = (action_mandates.c.ballot_id, action_mandates.c.dispute_id, action_mandates.c.form,
            action_mandates.c.kind, action_mandates.c.rules_key,
            action_mandates.c.date_of_ballot, action_mandates.c.granted_at,
            action_mandates.c.expires_at, action_mandates.c.extendable_to,
            action_mandates.c.extended_at, action_mandates.c.revoked_at)

_CALL = (action_calls.c.call_id, action_calls.c.dispute_id, action_calls.c.ballot_id,
         action_calls.c.form, action_calls.c.starts_at, action_calls.c.ends_at,
         action_calls.c.called_at, action_calls.c.notice_agreed, action_calls.c.called_off_at)


def _strike_ballot(row: AnyRow) -> StrikeBallot:
    return StrikeBallot(
        ballot_id=row[0], dispute_id=row[1], kind=StrikeBallotKind(row[2]),
        rules=ThresholdRules.from_payload(row[3]), opens_at=row[4], closes_at=row[5],
        form=None if row[6] is None else ActionForm(row[6]), offer_id=row[7],
        status=BallotStatus(row[8]), passed=row[9],
    )


def _mandate(row: AnyRow) -> ActionMandate:
    return ActionMandate(
        ballot_id=row[0], dispute_id=row[1], form=ActionForm(row[2]), kind=MandateKind(row[3]),
        rules_key=row[4], date_of_ballot=date.fromisoformat(row[5]), granted_at=row[6],
        expires_at=row[7], extendable_to=row[8], extended_at=row[9], revoked_at=row[10],
    )


def _call(row: AnyRow) -> ActionCall:
    return ActionCall(row[0], row[1], row[2], ActionForm(row[3]), row[4], row[5], row[6],
                      bool(row[7]), row[8])


class DisputeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- disputes --------------------------------------------------------------

    def add(self, dispute: Dispute) -> None:
        self._conn.execute(insert(disputes).values(
            dispute_id=dispute.dispute_id, employer=dispute.employer,
            demands=list(dispute.demands), jurisdiction=dispute.jurisdiction,
            sector=dispute.sector, timezone=dispute.timezone,
            union_mandate_months=dispute.union_mandate_months, currency=dispute.currency,
            status=dispute.status.value, opened_at=dispute.opened_at,
            settled_at=dispute.settled_at,
        ))
        self._conn.execute(insert(dispute_councils), [
            {"dispute_id": dispute.dispute_id, "council_id": c, "position": i}
            for i, c in enumerate(dispute.council_ids)
        ])

    def _councils(self, dispute_id: str) -> tuple[str, ...]:
        rows = self._conn.execute(
            select(dispute_councils.c.council_id).where(dispute_councils.c.dispute_id == dispute_id)
            .order_by(dispute_councils.c.position)
        )
        return tuple(rows.scalars().all())

    def _dispute(self, row: AnyRow) -> Dispute:
        return Dispute(
            dispute_id=row[0], council_ids=self._councils(row[0]), employer=row[1],
            demands=tuple(row[2]), jurisdiction=row[3], sector=row[4], timezone=row[5],
            opened_at=row[6], union_mandate_months=row[7], currency=row[8],
            status=DisputeStatus(row[9]), settled_at=row[10],
        )

    def find(self, dispute_id: str, *, lock: bool = False) -> Dispute | None:
        stmt = select(*_DISPUTE).where(disputes.c.dispute_id == dispute_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        return None if row is None else self._dispute(row)

    def get(self, dispute_id: str, *, lock: bool = False) -> Dispute:
        found = self.find(dispute_id, lock=lock)
        if found is None:
            raise NotFound(f"dispute {dispute_id} does not exist")
        return found

    def all(self, council_id: str | None = None) -> list[Dispute]:
        stmt = select(*_DISPUTE)
        if council_id is not None:
            stmt = stmt.where(disputes.c.dispute_id.in_(
                select(dispute_councils.c.dispute_id)
                .where(dispute_councils.c.council_id == council_id)))
        rows = self._conn.execute(stmt.order_by(disputes.c.opened_at, disputes.c.dispute_id))
        return [self._dispute(r) for r in rows.all()]

    def save_status(self, dispute: Dispute) -> None:
        self._conn.execute(update(disputes).where(disputes.c.dispute_id == dispute.dispute_id)
                           .values(status=dispute.status.value, settled_at=dispute.settled_at))

    # -- roster ----------------------------------------------------------------

    def roster(self, dispute_id: str) -> Roster:
        rows = self._conn.execute(
            select(roster_events.c.sequence, roster_events.c.member_id, roster_events.c.kind,
                   roster_events.c.at)
            .where(roster_events.c.dispute_id == dispute_id).order_by(roster_events.c.sequence)
        )
        return Roster(dispute_id, tuple(
            RosterEvent(dispute_id, r[0], r[1], RosterEventKind(r[2]), r[3]) for r in rows))

    def add_roster_events(self, events: Iterable[RosterEvent]) -> None:
        rows = [{"dispute_id": e.dispute_id, "sequence": e.sequence, "member_id": e.member_id,
                 "kind": e.kind.value, "at": e.at} for e in events]
        if rows:
            self._conn.execute(insert(roster_events), rows)

    def disputes_of_member(self, member_id: str) -> list[str]:
        rows = self._conn.execute(
            select(roster_events.c.dispute_id).where(roster_events.c.member_id == member_id)
            .distinct().order_by(roster_events.c.dispute_id)
        )
        return list(rows.scalars().all())

    def last_freeze(self, dispute_id: str) -> datetime | None:
        """When the roster was last frozen: a strike ballot, or an election or recall
        ballot of the committee, opened on it, or a recall petition of the committee
        froze it as its constituency."""
        strike = select(ballots.c.opened_at).where(ballots.c.ballot_id.in_(
            select(strike_ballots.c.ballot_id).where(strike_ballots.c.dispute_id == dispute_id)))
        seats = select(committee_seats.c.seat_id).where(committee_seats.c.dispute_id == dispute_id)
        elections = select(ballots.c.opened_at).where(ballots.c.ballot_id.in_(
            select(ballot_seats.c.ballot_id).where(ballot_seats.c.seat_id.in_(seats))))
        recalls = select(ballots.c.opened_at).where(ballots.c.ballot_id.in_(
            select(petitions.c.ballot_id).where(petitions.c.seat_id.in_(seats))))
        opened = select(petitions.c.opened_at).where(petitions.c.seat_id.in_(seats))
        times = [t for stmt in (strike, elections, recalls, opened)
                 for t in self._conn.execute(stmt).scalars() if t is not None]
        return max(times, default=None)

    # -- the committee ---------------------------------------------------------

    def add_committee_seat(self, dispute_id: str, seat_id: str) -> None:
        self._conn.execute(insert(committee_seats).values(seat_id=seat_id, dispute_id=dispute_id))

    def committee_seat_ids(self, dispute_id: str) -> list[str]:
        rows = self._conn.execute(
            select(committee_seats.c.seat_id).where(committee_seats.c.dispute_id == dispute_id)
            .order_by(committee_seats.c.seat_id)
        )
        return list(rows.scalars().all())

    def dispute_of_seat(self, seat_id: str) -> str | None:
        """The dispute whose strikers elect ``seat_id`` (``None``: a council's own seat)."""
        return self._conn.execute(
            select(committee_seats.c.dispute_id).where(committee_seats.c.seat_id == seat_id)
        ).scalar_one_or_none()

    def disputes_of_seats(self, seat_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(seat_ids))
        if not ids:
            return {}
        rows = self._conn.execute(
            select(committee_seats.c.seat_id, committee_seats.c.dispute_id)
            .where(committee_seats.c.seat_id.in_(ids))
        )
        return {r[0]: r[1] for r in rows}

    # -- strike ballots --------------------------------------------------------

    def add_ballot(self, sb: StrikeBallot) -> None:
        self._conn.execute(insert(strike_ballots).values(
            ballot_id=sb.ballot_id, dispute_id=sb.dispute_id, kind=sb.kind.value,
            form=None if sb.form is None else sb.form.value, offer_id=sb.offer_id,
            rules_key=sb.rules.key, rules=sb.rules.to_payload(), status=sb.status.value,
            passed=sb.passed, notice=None,
        ))

    def _ballots(self, *where: ColumnElement[bool], lock: bool = False) -> list[StrikeBallot]:
        stmt = (select(*_BALLOT).join(ballots, ballots.c.ballot_id == strike_ballots.c.ballot_id)
                .where(*where).order_by(ballots.c.opens_at, strike_ballots.c.ballot_id))
        if lock:
            stmt = stmt.with_for_update(of=strike_ballots)
        return [_strike_ballot(r) for r in self._conn.execute(stmt)]

    def find_ballot(self, ballot_id: str, *, lock: bool = False) -> StrikeBallot | None:
        found = self._ballots(strike_ballots.c.ballot_id == ballot_id, lock=lock)
        return found[0] if found else None

    def get_ballot(self, ballot_id: str, *, lock: bool = False) -> StrikeBallot:
        found = self.find_ballot(ballot_id, lock=lock)
        if found is None:
            raise NotFound(f"ballot {ballot_id} is not a strikers' ballot of any dispute")
        return found

    def ballots_of(self, dispute_id: str) -> list[StrikeBallot]:
        return self._ballots(strike_ballots.c.dispute_id == dispute_id)

    def save_ballot_result(self, sb: StrikeBallot, notice: dict[str, object]) -> None:
        self._conn.execute(update(strike_ballots)
                           .where(strike_ballots.c.ballot_id == sb.ballot_id)
                           .values(status=sb.status.value, passed=sb.passed, notice=notice))

    def notice(self, ballot_id: str) -> dict[str, object] | None:
        return self._conn.execute(
            select(strike_ballots.c.notice).where(strike_ballots.c.ballot_id == ballot_id)
        ).scalar_one_or_none()

    # -- mandates --------------------------------------------------------------

    def add_mandate(self, m: ActionMandate) -> None:
        self._conn.execute(insert(action_mandates).values(
            ballot_id=m.ballot_id, dispute_id=m.dispute_id, form=m.form.value,
            kind=m.kind.value, rules_key=m.rules_key, date_of_ballot=m.date_of_ballot.isoformat(),
            granted_at=m.granted_at, expires_at=m.expires_at, extendable_to=m.extendable_to,
            extended_at=m.extended_at, revoked_at=m.revoked_at, expiry_recorded=False,
        ))

    def save_mandate(self, m: ActionMandate) -> None:
        self._conn.execute(update(action_mandates)
                           .where(action_mandates.c.ballot_id == m.ballot_id)
                           .values(expires_at=m.expires_at, extended_at=m.extended_at,
                                   revoked_at=m.revoked_at))

    def mandates_of(self, dispute_id: str) -> list[ActionMandate]:
        rows = self._conn.execute(
            select(*_MANDATE).where(action_mandates.c.dispute_id == dispute_id)
            .order_by(action_mandates.c.granted_at, action_mandates.c.ballot_id)
        )
        return [_mandate(r) for r in rows]

    def get_mandate(self, ballot_id: str, *, lock: bool = False) -> ActionMandate:
        stmt = select(*_MANDATE).where(action_mandates.c.ballot_id == ballot_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        if row is None:
            raise NotFound(f"ballot {ballot_id} granted no mandate for action")
        return _mandate(row)

    def expiry_unrecorded(self, now: datetime) -> list[ActionMandate]:
        """Mandates that expired by ``now`` (not revoked before) whose expiry is not logged."""
        rows = self._conn.execute(
            select(*_MANDATE).where(action_mandates.c.expires_at <= now,
                                    action_mandates.c.expiry_recorded.is_(False))
            .order_by(action_mandates.c.expires_at, action_mandates.c.ballot_id)
        )
        return [m for m in (_mandate(r) for r in rows)
                if m.revoked_at is None or m.revoked_at >= m.expires_at]

    def mark_expiry_recorded(self, ballot_ids: Iterable[str]) -> None:
        ids = sorted(set(ballot_ids))
        if ids:
            self._conn.execute(update(action_mandates)
                               .where(action_mandates.c.ballot_id.in_(ids))
                               .values(expiry_recorded=True))

    # -- calls to action -------------------------------------------------------

    def add_call(self, c: ActionCall) -> None:
        self._conn.execute(insert(action_calls).values(
            call_id=c.call_id, dispute_id=c.dispute_id, ballot_id=c.ballot_id,
            form=c.form.value, starts_at=c.starts_at, ends_at=c.ends_at, called_at=c.called_at,
            notice_agreed=c.notice_agreed, called_off_at=c.called_off_at,
        ))

    def save_call(self, c: ActionCall) -> None:
        self._conn.execute(update(action_calls).where(action_calls.c.call_id == c.call_id)
                           .values(called_off_at=c.called_off_at))

    def calls_of(self, dispute_id: str) -> list[ActionCall]:
        rows = self._conn.execute(
            select(*_CALL).where(action_calls.c.dispute_id == dispute_id)
            .order_by(action_calls.c.starts_at, action_calls.c.call_id)
        )
        return [_call(r) for r in rows]

    def call_exists(self, call_id: str) -> bool:
        return self._conn.execute(
            select(action_calls.c.call_id).where(action_calls.c.call_id == call_id)
        ).first() is not None

    # -- settlement ------------------------------------------------------------

    def add_settlement(self, s: Settlement) -> None:
        self._conn.execute(insert(settlements).values(
            dispute_id=s.dispute_id, offer_id=s.offer_id, ballot_id=s.ballot_id,
            settled_at=s.settled_at, terms_sha256=s.terms_sha256,
        ))

    def settlement(self, dispute_id: str) -> Settlement | None:
        row = self._conn.execute(
            select(settlements.c.dispute_id, settlements.c.offer_id, settlements.c.ballot_id,
                   settlements.c.settled_at, settlements.c.terms_sha256)
            .where(settlements.c.dispute_id == dispute_id)
        ).first()
        return None if row is None else Settlement(row[0], row[1], row[2], row[3], row[4])

