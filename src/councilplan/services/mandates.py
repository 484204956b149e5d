"""Mandates as members see them, and the passing of time (terms expire on their own).

:func:`tick` records what time did by ``now``: a ``mandate.expired`` event for
every term that ran out, a ``petition.failed`` for every petition whose window
closed short of its threshold, a ``petition.lapsed`` for a pending petition
whose mandate is over, a ``dispute.mandate_expired`` for every strikers' mandate
for action whose period ran out. Nothing needs to run for a term to end -- a mandate is
inactive after its term whether or not :func:`tick` ran; the events only make
the record complete.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from councilplan.councils.event import Event
from councilplan.councils.mandate import Mandate, MandateStatus, expiry_events
from councilplan.councils.recall import PetitionStatus, expire_petition, lapse_petition
from councilplan.errors import PreconditionFailed
from councilplan.services.disputes import tick_disputes
from councilplan.services.elections import call_view, due_calls
from councilplan.services.pay import cap_view, current_cap
from councilplan.services.views import MandateView, PayView, TickReport
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["list_mandates", "mandate_view", "show_mandate", "tick"]


def mandate_view(uow: UnitOfWork, m: Mandate, now: datetime,
                 period: str | None = None) -> MandateView:
    cap = None
    if period is not None:
        try:
            cap = cap_view(current_cap(uow, m, period))
        except PreconditionFailed:  # nobody reported for the period yet
            cap = None
    pay = tuple(PayView(s.mandate_id, s.period, s.amount, s.cap)
                for s in uow.mandates.pay_of(m.mandate_id))
    return MandateView(
        mandate_id=m.mandate_id, seat_id=m.seat_id, council_id=m.council_id,
        holder_id=m.holder_id, term_start=m.term.start, term_end=m.term.end,
        status=m.status_at(now).value, ended_at=m.ended_at,
        end_reason=None if m.end_reason is None else m.end_reason.value, pay=pay, cap=cap,
    )


def list_mandates(uow: UnitOfWork, council_id: str, now: datetime, *,
                  period: str | None = None) -> tuple[MandateView, ...]:
    """A council's mandates with their terms, status at ``now``, pay, and the cap for
    ``period`` (when given and reported)."""
    with uow.reading():
        uow.councils.get(council_id)
        return tuple(mandate_view(uow, m, now, period)
                     for m in uow.mandates.of_council(council_id))


def show_mandate(uow: UnitOfWork, mandate_id: str, now: datetime, *,
                 period: str | None = None) -> MandateView:
    """One mandate: its term, status at ``now``, pay set, and the cap for ``period``."""
    with uow.reading():
        return mandate_view(uow, uow.mandates.get(mandate_id), now, period)


def tick(uow: UnitOfWork, now: datetime) -> TickReport:
    """Record expiries and failed or lapsed petitions up to ``now`` (see above)."""
    with uow:
        ran_out = uow.mandates.expiry_unrecorded(now)
        events: list[Event] = []
        expired: list[str] = []
        if ran_out:
            after = min(m.term.end for m in ran_out) - timedelta(microseconds=1)
            events += expiry_events(ran_out, after, now)
            expired = [str(e.payload["mandate_id"]) for e in events]
            uow.mandates.mark_expiry_recorded(m.mandate_id for m in ran_out)
        failed: list[str] = []
        lapsed: list[str] = []
        for p in uow.petitions.pending():
            if p.status is PetitionStatus.OPEN and now >= p.closes_at:
                p2, event = expire_petition(p, now)
                failed.append(p.petition_id)
            else:
                mandate = uow.mandates.get(p.mandate_id)
                if mandate.status_at(now) in (MandateStatus.ACTIVE, MandateStatus.PENDING):
                    continue
                if p.ballot_id is not None:
                    continue  # its recall ballot decides it at the close
                p2, event = lapse_petition(p, mandate, now)
                lapsed.append(p.petition_id)
            uow.petitions.save(p2)
            events.append(event)
        uow.audit.append(events)
        action = tick_disputes(uow, now)
        due = tuple(call_view(c) for c in due_calls(uow, now, None))
        return TickReport(tuple(expired), tuple(failed), tuple(lapsed), due, action)
