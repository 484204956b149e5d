"""Calls to action: days of a strike (or of action short of one), under a strikers' mandate.

:func:`call_action` records that the strikers are called out for ``[starts_at,
ends_at)`` in one form of action. It is refused unless a mandate of that form --
a strikers' ballot that carried under the dispute's rule set -- covers it:

* :attr:`~councilplan.councils.threshold.MandateKind.ACTION_WITHIN` (Trade Union Act
  2016): every moment of the action falls before the mandate expires;
* :attr:`~councilplan.councils.threshold.MandateKind.ACTION_BEGINS_WITHIN` (before
  2017): the action begins before the mandate expires, or continues action that
  began under it in time;

and never before the ballot closed, never after the strikers revoked the mandate
(a continue ballot with more no than yes), never on a settled dispute. Calling is
notice to the employer: the first day of action must be at least the rule set's
notice period after the day of the call (the shorter period when the employer
agreed to it and the set allows that).

Calls still to come when the strikers stop or the dispute settles are called off
(:func:`call_off`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from councilplan.councils._checks import iso, require_aware, require_id
from councilplan.councils.dispute import Dispute, ensure_open
from councilplan.councils.event import Event
from councilplan.councils.strike_ballot import ActionForm, ActionMandate
from councilplan.councils.threshold import MandateKind, ThresholdRules, local_date
from councilplan.errors import PreconditionFailed, Problem

__all__ = ["ACTION_CALLED", "ACTION_CALLED_OFF", "ActionCall", "call_action", "call_off"]

ACTION_CALLED = "action.called"
ACTION_CALLED_OFF = "action.called_off"


@dataclass(frozen=True, slots=True)
class ActionCall:
    """The strikers called out in ``form`` for ``[starts_at, ends_at)`` under the mandate of
    ``ballot_id``; ``called_off_at`` when what was still to come was called off."""

    call_id: str
    dispute_id: str
    ballot_id: str
    form: ActionForm
    starts_at: datetime
    ends_at: datetime
    called_at: datetime
    notice_agreed: bool = False
    called_off_at: datetime | None = None

    def __post_init__(self) -> None:
        require_id(self.call_id, "call_id")
        object.__setattr__(self, "form", ActionForm(self.form))

    def status_at(self, now: datetime) -> Literal["called", "under_way", "over", "called_off"]:
        if self.called_off_at is not None and now >= self.called_off_at:
            return "over" if self.called_off_at >= self.ends_at else "called_off"
        if now < self.starts_at:
            return "called"
        return "under_way" if now < self.ends_at else "over"


def _mandate_problem(m: ActionMandate, starts: datetime, ends: datetime,
                     calls: list[ActionCall]) -> str | None:
    """Why mandate ``m`` does not cover ``[starts, ends)`` (``None``: it does)."""
    if starts < m.granted_at:
        return (f"ballot {m.ballot_id} closed at {iso(m.granted_at)}: action cannot start "
                "before the strikers have voted")
    if m.revoked_at is not None and ends > m.revoked_at:
        return (f"the strikers revoked the mandate of ballot {m.ballot_id} at "
                f"{iso(m.revoked_at)}")
    if m.kind is MandateKind.ACTION_WITHIN:
        if ends > m.expires_at:
            return (f"the mandate of ballot {m.ballot_id} expires at {iso(m.expires_at)}: "
                    "action after it needs a new ballot")
        return None
    if starts < m.expires_at:
        return None
    begun = any(c.ballot_id == m.ballot_id and c.starts_at < m.expires_at for c in calls)
    if begun:
        return None
    return (f"action under the mandate of ballot {m.ballot_id} had to begin before "
            f"{iso(m.expires_at)}")


def call_action(
    dispute: Dispute,
    call_id: str,
    form: ActionForm | str,
    starts_at: datetime,
    ends_at: datetime,
    at: datetime,
    *,
    mandates: Iterable[ActionMandate],
    rules: dict[str, ThresholdRules],
    calls: Iterable[ActionCall] = (),
    notice_agreed: bool = False,
) -> tuple[ActionCall, Event]:
    """Call the strikers out (see the module docstring): the call and ``action.called``.

    ``mandates`` are the dispute's mandates, ``rules`` the rule set each was granted
    under (by ballot id), ``calls`` the calls so far. Refused with
    :class:`PreconditionFailed` listing why no mandate covers the action, a notice
    period not given, an overlap with a call of the same form, a call in the past.
    """
    require_aware(at, "at")
    require_aware(starts_at, "starts_at")
    require_aware(ends_at, "ends_at")
    ensure_open(dispute, f"action {call_id} not called")
    form = ActionForm(form)
    earlier = list(calls)
    problems: list[Problem] = []
    if ends_at <= starts_at:
        problems.append(Problem(call_id, "the action must end after it starts"))
    if starts_at < at:
        problems.append(Problem(call_id, f"starts {iso(starts_at)}, before it is called "
                                f"({iso(at)}): action is called in advance"))
    for c in earlier:
        if c.call_id == call_id:
            problems.append(Problem(call_id, "a call with this id exists"))
        live_end = c.ends_at if c.called_off_at is None else min(c.ends_at, c.called_off_at)
        if c.form is form and c.starts_at < ends_at and starts_at < live_end:
            problems.append(Problem(c.call_id, f"{form.words} is called already from "
                                    f"{iso(c.starts_at)} to {iso(live_end)}"))
    of_form = [m for m in mandates if m.form is form]
    why: list[str] = []
    chosen: ActionMandate | None = None
    for m in sorted(of_form, key=lambda m: m.expires_at, reverse=True):
        problem = _mandate_problem(m, starts_at, ends_at, earlier)
        if problem is None:
            chosen = m
            break
        why.append(problem)
    if not of_form:
        problems.append(Problem(dispute.dispute_id, f"no strikers' ballot has given a mandate "
                                f"for {form.words}"))
    elif chosen is None:
        problems += [Problem(dispute.dispute_id, w) for w in why]
    if chosen is not None:
        r = rules[chosen.ballot_id]
        notice = r.notice_by_agreement if notice_agreed else r.notice
        if notice_agreed and r.notice_by_agreement is None:
            problems.append(Problem(call_id, f"{r.key} allows no shorter notice by agreement"))
        elif notice is not None:
            tz = dispute.timezone
            earliest = notice.end_after(local_date(at, tz))
            if local_date(starts_at, tz) < earliest:
                problems.append(Problem(call_id, f"{r.notice_text()}: action called on "
                                        f"{local_date(at, tz)} can start on {earliest} at the "
                                        "earliest"))
    if problems:
        raise PreconditionFailed(f"{form.words} not called in dispute {dispute.dispute_id}",
                                 problems)
    assert chosen is not None
    call = ActionCall(call_id, dispute.dispute_id, chosen.ballot_id, form, starts_at, ends_at,
                      at, notice_agreed)
    return call, Event.of(ACTION_CALLED, at, call_id=call_id, dispute_id=dispute.dispute_id,
                          ballot_id=chosen.ballot_id, form=form.value,
                          starts_at=iso(starts_at), ends_at=iso(ends_at),
                          notice_agreed=notice_agreed)


def call_off(calls: Iterable[ActionCall], at: datetime, reason: str, *,
             form: ActionForm | None = None) -> tuple[tuple[ActionCall, ...], tuple[Event, ...]]:
    """Call off what is still to come of every call (of ``form``, if given) at ``at``:
    the calls changed and one ``action.called_off`` each."""
    require_aware(at, "at")
    changed: list[ActionCall] = []
    events: list[Event] = []
    for c in calls:
        if c.called_off_at is not None or c.ends_at <= at or (form is not None
                                                              and c.form is not form):
            continue
        changed.append(replace(c, called_off_at=at))
        events.append(Event.of(ACTION_CALLED_OFF, at, call_id=c.call_id,
                               dispute_id=c.dispute_id, ballot_id=c.ballot_id,
                               form=c.form.value, reason=reason))
    return tuple(changed), tuple(events)
