"""Strikers' ballots: on taking action, continuing it, accepting an offer, settling.

A strike ballot is an ordinary :class:`~councilplan.councils.ballot.Ballot` (purpose
``dispute``, subject the dispute) whose electorate is the dispute's roster at
opening, frozen and hashed: nobody else can vote, whatever other office they hold.
Its papers are ``yes``, ``no`` or ``spoilt`` (:data:`STRIKE_METHOD`): a spoilt paper
was returned, so it counts as voting for the turnout, but it is neither yes nor no.

:class:`StrikeBallot` is what the dispute adds to the ballot: its
:class:`StrikeBallotKind`, the :class:`ActionForm` for action (a strike, or action
short of a strike: separate questions), the offer for an offer or settlement
ballot, and the copy of the :class:`~councilplan.councils.threshold.ThresholdRules`
in force on the day it opened:

=============  ===================================  ==================================
kind           asks                                 decided by
=============  ===================================  ==================================
``action``     take part in a strike / in action    ``rules.action_rule``; carried: an
               short of a strike?                   :class:`ActionMandate`
``continue``   continue to take part?               ``rules.action_rule``; carried: a
                                                    new mandate; more no than yes: the
                                                    strikers stop, the mandates of
                                                    that form are revoked
``offer``      accept the employer's offer?         ``rules.internal_rule``; the offer
                                                    is accepted or rejected
``settle``     settle the dispute on the offer?     ``rules.internal_rule``; carried:
                                                    the offer accepted, the dispute
                                                    settled on it
=============  ===================================  ==================================

At the close :func:`apply_strike_result` writes the :class:`ResultsNotice`: entitled,
votes cast, yes, no, spoilt, turnout, each threshold met or missed, and when the
mandate expires. A mandate's period begins with the **date of the ballot** -- its
last voting day, in the dispute's zone -- and the mandate expires at the start of
the first day after it (:func:`mandate_expiry`); an agreement with the employer,
when the rule set allows one and it is recorded before expiry, extends it
(:func:`extend_mandate`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from councilplan.councils._checks import iso, require_aware, require_id
from councilplan.councils.ballot import Ballot, BallotPurpose, BallotStatus
from councilplan.councils.decision import DecisionResult, DecisionRule, format_share
from councilplan.councils.dispute import Dispute, ensure_open, text_sha256
from councilplan.councils.event import Event
from councilplan.councils.offer import Offer, OfferStatus
from councilplan.councils.threshold import (
    MandateKind,
    ThresholdRules,
    local_date,
    start_of_day,
    zone,
)
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "BALLOT_CALLED",
    "BALLOT_RESULT",
    "MANDATE_EXPIRED",
    "MANDATE_EXTENDED",
    "MANDATE_GRANTED",
    "MANDATE_REVOKED",
    "SPOILT",
    "STRIKE_METHOD",
    "STRIKE_OPTIONS",
    "ActionForm",
    "ActionMandate",
    "NoticeCheck",
    "ResultsNotice",
    "StrikeBallot",
    "StrikeBallotKind",
    "StrikeOutcome",
    "apply_strike_result",
    "call_strike_ballot",
    "date_of_ballot",
    "extend_mandate",
    "mandate_expired",
    "mandate_expiry",
    "revoke_mandate",
]

STRIKE_METHOD = "yes-no-spoilt"
SPOILT = "spoilt"
STRIKE_OPTIONS = ("yes", "no")

BALLOT_CALLED = "dispute.ballot_called"
BALLOT_RESULT = "dispute.ballot_result"
MANDATE_GRANTED = "dispute.mandate_granted"
MANDATE_EXTENDED = "dispute.mandate_extended"
MANDATE_REVOKED = "dispute.mandate_revoked"
MANDATE_EXPIRED = "dispute.mandate_expired"


class StrikeBallotKind(StrEnum):
    ACTION = "action"
    CONTINUE = "continue"
    OFFER = "offer"
    SETTLE = "settle"

    @property
    def grants_mandate(self) -> bool:
        return self in (StrikeBallotKind.ACTION, StrikeBallotKind.CONTINUE)


class ActionForm(StrEnum):
    STRIKE = "strike"
    SHORT_OF_STRIKE = "short_of_strike"

    @property
    def words(self) -> str:
        return "a strike" if self is ActionForm.STRIKE else "industrial action short of a strike"


@dataclass(frozen=True, slots=True)
class StrikeBallot:
    """The dispute's side of ballot ``ballot_id`` (its kind, form, offer and rule set)."""

    ballot_id: str
    dispute_id: str
    kind: StrikeBallotKind
    rules: ThresholdRules
    opens_at: datetime
    closes_at: datetime
    form: ActionForm | None = None
    offer_id: str | None = None
    status: BallotStatus = BallotStatus.OPEN
    passed: bool | None = None

    def __post_init__(self) -> None:
        require_id(self.ballot_id, "ballot_id")
        object.__setattr__(self, "kind", StrikeBallotKind(self.kind))
        object.__setattr__(self, "status", BallotStatus(self.status))
        if self.form is not None:
            object.__setattr__(self, "form", ActionForm(self.form))
        if self.kind.grants_mandate and self.form is None:
            raise InvalidInput(f"a {self.kind.value} ballot names its form of action")
        if not self.kind.grants_mandate and self.offer_id is None:
            raise InvalidInput(f"a {self.kind.value} ballot names its offer")

    @property
    def rule(self) -> DecisionRule:
        return self.rules.action_rule if self.kind.grants_mandate else self.rules.internal_rule

    def accepts(self, offer_id: str) -> bool:
        """A closed offer or settlement ballot on ``offer_id`` that carried."""
        return (not self.kind.grants_mandate and self.offer_id == offer_id
                and self.status is BallotStatus.CLOSED and self.passed is True)


@dataclass(frozen=True, slots=True)
class ActionMandate:
    """What a carried action or continue ballot authorises: ``form`` until ``expires_at``
    (for :attr:`MandateKind.ACTION_BEGINS_WITHIN`: action *beginning* before it)."""

    ballot_id: str
    dispute_id: str
    form: ActionForm
    kind: MandateKind
    rules_key: str
    date_of_ballot: date
    granted_at: datetime
    expires_at: datetime
    extendable_to: datetime | None = None  # by agreement with the employer
    extended_at: datetime | None = None
    revoked_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "form", ActionForm(self.form))
        object.__setattr__(self, "kind", MandateKind(self.kind))

    def status_at(self, now: datetime) -> str:
        """``in_force``, ``expired`` or ``revoked`` at ``now``."""
        require_aware(now, "now")
        if self.revoked_at is not None and now >= self.revoked_at:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "in_force"

    def in_force(self, now: datetime) -> bool:
        return self.granted_at <= now and self.status_at(now) == "in_force"

    @property
    def extended(self) -> bool:
        return self.extended_at is not None


def date_of_ballot(closes_at: datetime, tz: str) -> date:
    """The last day on which votes may be cast: the local date of the last instant
    before ``closes_at`` (a ballot closing at midnight was last open the day before)."""
    require_aware(closes_at, "closes_at")
    return local_date(closes_at - timedelta(microseconds=1), tz)


def mandate_expiry(rules: ThresholdRules, first_day: date, tz: str, *,
                   extended: bool = False) -> datetime:
    """The instant a mandate whose period begins with ``first_day`` expires: the start
    (in ``tz``) of the first day after the period (the agreed longer one if ``extended``)."""
    period = rules.mandate_by_agreement if extended else rules.mandate
    if period is None:
        raise PreconditionFailed(
            f"{rules.key} has no longer mandate by agreement",
            [Problem("mandate", rules.mandate_text())],
        )
    return start_of_day(period.end_after(first_day), tz)


def _question(dispute: Dispute, kind: StrikeBallotKind, form: ActionForm | None,
              offer: Offer | None) -> str:
    about = f"in the dispute with {dispute.employer} ({'; '.join(dispute.demands)})"
    if kind is StrikeBallotKind.ACTION:
        assert form is not None
        return f"Are you prepared to take part in {form.words} {about}?"
    if kind is StrikeBallotKind.CONTINUE:
        assert form is not None
        return f"Are you prepared to continue to take part in {form.words} {about}?"
    assert offer is not None
    what = (f"the offer from {dispute.employer} received {dispute.local_date(offer.received_at)}"
            f" ({offer.offer_id}): {offer.summary}")
    if kind is StrikeBallotKind.OFFER:
        return f"Do you accept {what}?"
    return f"Do you agree to settle the dispute on the terms of {what}?"


def call_strike_ballot(
    dispute: Dispute,
    kind: StrikeBallotKind | str,
    rules: ThresholdRules,
    ballot_id: str,
    opens_at: datetime,
    closes_at: datetime,
    at: datetime,
    *,
    form: ActionForm | str | None = None,
    offer: Offer | None = None,
    ballots: Iterable[StrikeBallot] = (),
    mandates: Iterable[ActionMandate] = (),
) -> tuple[Ballot, StrikeBallot, Event]:
    """The draft ballot (to open on the roster), its :class:`StrikeBallot` and the
    ``dispute.ballot_called`` event.

    ``rules`` is the set in force on the opening date, as the dispute applies it;
    ``ballots`` and ``mandates`` are the dispute's so far. Refused with
    :class:`PreconditionFailed` listing every problem: a settled dispute; action
    without a form or with an offer; an offer or settlement ballot without an offer,
    or on one decided already or of another dispute; nothing to continue; a ballot on
    the same question still open.
    """
    require_aware(at, "at")
    ensure_open(dispute, f"no ballot {ballot_id}")
    kind = StrikeBallotKind(kind)
    form = None if form is None else ActionForm(form)
    problems: list[Problem] = []
    existing = list(ballots)
    if kind.grants_mandate:
        if form is None:
            problems.append(Problem(ballot_id, f"a {kind.value} ballot asks about a strike or "
                                    "about action short of a strike: name the form"))
        if offer is not None:
            problems.append(Problem(ballot_id, f"a {kind.value} ballot is not on an offer"))
        if kind is StrikeBallotKind.CONTINUE and form is not None and not any(
                m.form is form for m in mandates):
            problems.append(Problem(ballot_id, f"no mandate for {form.words} to continue: "
                                    "hold an action ballot"))
    else:
        if form is not None:
            problems.append(Problem(ballot_id, f"an {kind.value} ballot has no form of action"))
        if offer is None:
            problems.append(Problem(ballot_id, f"name the offer the {kind.value} ballot is on"))
        elif offer.dispute_id != dispute.dispute_id:
            problems.append(Problem(offer.offer_id, f"is an offer in dispute {offer.dispute_id}"))
        elif offer.status is not OfferStatus.RECEIVED:
            problems.append(Problem(offer.offer_id, f"was {offer.status.value} already by "
                                    f"ballot {offer.ballot_id}"))
    for b in existing:
        if b.ballot_id == ballot_id:
            problems.append(Problem(ballot_id, "a ballot with this id exists"))
        if b.status is BallotStatus.CLOSED:
            continue
        same = ((kind.grants_mandate and b.kind.grants_mandate and b.form is form)
                or (offer is not None and b.offer_id == offer.offer_id))
        if same:
            problems.append(Problem(b.ballot_id, "a ballot on the same question is open"))
    if opens_at < dispute.opened_at:
        problems.append(Problem(ballot_id, "opens before the dispute was opened"))
    if problems:
        raise PreconditionFailed(f"no {kind.value} ballot in dispute {dispute.dispute_id}",
                                 problems)
    sb = StrikeBallot(ballot_id, dispute.dispute_id, kind, rules, opens_at, closes_at, form,
                      None if offer is None else offer.offer_id)
    question = _question(dispute, kind, form, offer)
    draft = Ballot(ballot_id=ballot_id, council_id=dispute.primary_council, question=question,
                   options=STRIKE_OPTIONS, method=STRIKE_METHOD, opens_at=opens_at,
                   closes_at=closes_at, rule=sb.rule, purpose=BallotPurpose.DISPUTE,
                   subject_id=dispute.dispute_id)
    event = Event.of(BALLOT_CALLED, at, ballot_id=ballot_id, dispute_id=dispute.dispute_id,
                     kind=kind.value, form=None if form is None else form.value,
                     offer_id=sb.offer_id,
                     offer_sha256=None if offer is None else offer.text_sha256,
                     rules=rules.key, question_sha256=text_sha256(question))
    return draft, sb, event


@dataclass(frozen=True, slots=True)
class NoticeCheck:
    """One threshold in the notice: what it requires, the figures, met or missed."""

    name: str  # turnout, majority, support
    requirement: str
    count: int
    base: int
    share: Fraction
    required_count: int
    met: bool

    def line(self) -> str:
        verdict = "MET" if self.met else "MISSED"
        return (f"{self.name}: {self.requirement}: {self.required_count} needed, {self.count} of "
                f"{self.base} ({format_share(self.share)}): {verdict}")


@dataclass(frozen=True, slots=True)
class ResultsNotice:
    """What the strikers (and, for an action ballot, the employer) are told at the close."""

    dispute_id: str
    ballot_id: str
    kind: StrikeBallotKind
    form: ActionForm | None
    offer_id: str | None
    question: str
    rules_key: str
    rules_title: str
    rule: str
    entitled: int
    cast: int  # papers returned: yes + no + spoilt
    voted: int  # counted towards the turnout (spoilt papers too, unless the rule says not)
    yes: int
    no: int
    spoilt: int
    turnout: Fraction
    yes_share: Fraction  # of the valid votes (yes + no)
    checks: tuple[NoticeCheck, ...]
    passed: bool
    closed_at: datetime
    date_of_ballot: date | None = None
    mandate_expires_at: datetime | None = None
    mandate_last_day: date | None = None
    mandate_extendable_to: datetime | None = None
    mandate_rule: str = ""  # how long a mandate lasts under the rule set
    mandate_kind: MandateKind | None = None
    timezone: str = "UTC"
    consequence: str = ""

    @property
    def valid(self) -> int:
        return self.yes + self.no

    def check(self, name: str) -> NoticeCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def lines(self) -> list[str]:
        out = [
            f"Result of ballot {self.ballot_id} in dispute {self.dispute_id}",
            f"Question: {self.question}",
            f"Rules: {self.rules_title} [{self.rules_key}]: {self.rule}",
            f"Entitled to vote: {self.entitled}",
            f"Votes cast (papers returned): {self.cast}",
            f"Yes: {self.yes}",
            f"No: {self.no}",
            f"Spoilt or otherwise invalid: {self.spoilt}",
            f"Turnout: {format_share(self.turnout)} ({self.voted} of {self.entitled})",
            f"Yes share of valid votes: {format_share(self.yes_share)} ({self.yes} of "
            f"{self.valid})",
            *(c.line() for c in self.checks),
            f"Result: {'CARRIED' if self.passed else 'NOT CARRIED'}"
            + (f": {self.consequence}" if self.consequence else ""),
        ]
        if self.mandate_expires_at is not None:
            assert self.date_of_ballot is not None
            assert self.mandate_last_day is not None
            tz = self.timezone
            local = self.mandate_expires_at.astimezone(zone(tz))
            last = ("last day to begin action" if self.mandate_kind
                    is MandateKind.ACTION_BEGINS_WITHIN else "last day of action")
            out += [
                f"Mandate: {self.mandate_rule}",
                f"  date of the ballot (its last voting day): {self.date_of_ballot}",
                f"  {last}: {self.mandate_last_day} ({tz})",
                f"  expires: {local:%Y-%m-%d %H:%M} {tz} ({iso(self.mandate_expires_at)})",
            ]
            if self.mandate_extendable_to is not None:
                ext = local_date(self.mandate_extendable_to, tz) - timedelta(days=1)
                out.append(f"  by agreement with the employer, recorded before it expires: "
                           f"up to and including {ext}")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    def to_payload(self) -> dict[str, object]:
        """As data: exact shares as text, instants as UTC ISO-8601, dates ISO."""
        return {
            "dispute_id": self.dispute_id, "ballot_id": self.ballot_id, "kind": self.kind.value,
            "form": None if self.form is None else self.form.value, "offer_id": self.offer_id,
            "question": self.question, "rules": self.rules_key, "rules_title": self.rules_title,
            "rule": self.rule, "entitled": self.entitled, "cast": self.cast, "voted": self.voted,
            "yes": self.yes,
            "no": self.no, "spoilt": self.spoilt, "valid": self.valid,
            "turnout": str(self.turnout), "turnout_percent": format_share(self.turnout),
            "yes_share": str(self.yes_share), "yes_percent": format_share(self.yes_share),
            "checks": [{"name": c.name, "requirement": c.requirement, "count": c.count,
                        "base": c.base, "share": str(c.share),
                        "percent": format_share(c.share), "required_count": c.required_count,
                        "met": c.met} for c in self.checks],
            "passed": self.passed, "closed_at": iso(self.closed_at),
            "date_of_ballot": None if self.date_of_ballot is None else str(self.date_of_ballot),
            "mandate_expires_at": (None if self.mandate_expires_at is None
                                   else iso(self.mandate_expires_at)),
            "mandate_last_day": (None if self.mandate_last_day is None
                                 else str(self.mandate_last_day)),
            "mandate_extendable_to": (None if self.mandate_extendable_to is None
                                      else iso(self.mandate_extendable_to)),
            "mandate_rule": self.mandate_rule,
            "mandate_kind": None if self.mandate_kind is None else self.mandate_kind.value,
            "timezone": self.timezone, "consequence": self.consequence,
            "statement": self.text(),
        }


def _requirement(name: str, rule: DecisionRule, entitled: int) -> str:
    if name == "turnout":
        return f"at least {format_share(rule.quorum)} of the {entitled} entitled must vote"
    if name == "support":
        assert rule.yes_of_entitled is not None
        return (f"yes votes at least {format_share(rule.yes_of_entitled)} of the {entitled} "
                "entitled")
    word = "more than" if rule.strict else "at least"
    return f"yes {word} {format_share(rule.majority)} of the valid votes (yes and no)"


@dataclass(frozen=True, slots=True)
class StrikeOutcome:
    """A closed strike ballot applied: the notice, the ballot's record, a new mandate,
    mandates revoked (the strikers voted to stop), and the events."""

    notice: ResultsNotice
    ballot: StrikeBallot
    mandate: ActionMandate | None
    revoked: tuple[ActionMandate, ...]
    events: tuple[Event, ...]


def revoke_mandate(mandate: ActionMandate, reason: str, at: datetime) -> tuple[ActionMandate,
                                                                              Event]:
    """End a mandate before it expires (the strikers voted to stop, or the dispute settled)."""
    require_aware(at, "at")
    if mandate.status_at(at) != "in_force":
        raise PreconditionFailed(f"the mandate of ballot {mandate.ballot_id} is "
                                 f"{mandate.status_at(at)}")
    revoked = replace(mandate, revoked_at=at)
    return revoked, Event.of(MANDATE_REVOKED, at, ballot_id=mandate.ballot_id,
                             dispute_id=mandate.dispute_id, form=mandate.form.value,
                             reason=reason, expires_at=iso(mandate.expires_at))


def apply_strike_result(
    dispute: Dispute,
    sb: StrikeBallot,
    ballot: Ballot,
    result: DecisionResult,
    at: datetime,
    *,
    mandates: Iterable[ActionMandate] = (),
) -> StrikeOutcome:
    """Apply the closed ballot's ``result`` (see the module docstring).

    The offer's acceptance and the settlement a carried ``settle`` ballot makes are
    applied by the caller with :func:`~councilplan.councils.offer.decide_offer` and
    :func:`~councilplan.councils.settlement.settle_dispute`; this writes the notice,
    grants or revokes mandates and returns the ``dispute.ballot_result`` and mandate
    events.
    """
    require_aware(at, "at")
    problems: list[Problem] = []
    if ballot.ballot_id != sb.ballot_id or ballot.subject_id != dispute.dispute_id:
        problems.append(Problem(ballot.ballot_id, "not a ballot of this dispute"))
    if ballot.status is not BallotStatus.CLOSED:
        problems.append(Problem(ballot.ballot_id, f"the ballot is {ballot.status.value}"))
    elif ballot.electorate is not None and result.entitled != ballot.electorate.size:
        problems.append(Problem(ballot.ballot_id, f"result for {result.entitled} entitled, but "
                                f"the electorate has {ballot.electorate.size}"))
    if sb.status is BallotStatus.CLOSED:
        problems.append(Problem(ballot.ballot_id, "its result was applied already"))
    if problems:
        raise PreconditionFailed(f"the result of ballot {ballot.ballot_id} cannot be applied",
                                 problems)
    rules = sb.rules
    tz = dispute.timezone
    tally = result.tally
    mandate: ActionMandate | None = None
    revoked: list[ActionMandate] = []
    events: list[Event] = []
    consequence = ""
    if sb.kind.grants_mandate and result.passed:
        assert sb.form is not None
        first = date_of_ballot(ballot.closes_at, tz)
        expires = mandate_expiry(rules, first, tz)
        extendable = (None if rules.mandate_by_agreement is None
                      else mandate_expiry(rules, first, tz, extended=True))
        mandate = ActionMandate(sb.ballot_id, dispute.dispute_id, sb.form, rules.mandate_kind,
                                rules.key, first, at, expires, extendable)
        consequence = f"the strikers have a mandate for {sb.form.words}"
        events.append(Event.of(MANDATE_GRANTED, at, ballot_id=sb.ballot_id,
                               dispute_id=dispute.dispute_id, form=sb.form.value,
                               kind=rules.mandate_kind.value, rules=rules.key,
                               date_of_ballot=str(first), expires_at=iso(expires),
                               extendable_to=None if extendable is None else iso(extendable)))
    elif sb.kind.grants_mandate:
        assert sb.form is not None
        if sb.kind is StrikeBallotKind.CONTINUE and tally.no > tally.yes:
            for m in mandates:
                if m.form is sb.form and m.in_force(at):
                    r, e = revoke_mandate(m, f"the strikers voted not to continue (ballot "
                                             f"{sb.ballot_id})", at)
                    revoked.append(r)
                    events.append(e)
            consequence = f"the strikers voted not to continue {sb.form.words}"
        else:
            consequence = f"no new mandate for {sb.form.words}"
    elif sb.kind is StrikeBallotKind.OFFER:
        consequence = "the offer is accepted" if result.passed else "the offer is rejected"
    else:
        consequence = ("the dispute is settled on the offer" if result.passed
                       else "the settlement is rejected")
    rule = sb.rule
    checks = tuple(
        NoticeCheck(c.name, _requirement(c.name, rule, result.entitled), c.count, c.base,
                    c.share, c.required_count, c.met)
        for c in result.checks
    )
    notice = ResultsNotice(
        dispute_id=dispute.dispute_id, ballot_id=sb.ballot_id, kind=sb.kind, form=sb.form,
        offer_id=sb.offer_id, question=ballot.question, rules_key=rules.key,
        rules_title=rules.title, rule=rule.describe(), entitled=result.entitled,
        cast=tally.papers, voted=result.voted, yes=tally.yes, no=tally.no, spoilt=tally.spoilt,
        turnout=result.turnout,
        yes_share=Fraction(tally.yes, tally.cast) if tally.cast else Fraction(0),
        checks=checks, passed=result.passed, closed_at=at,
        date_of_ballot=None if mandate is None else mandate.date_of_ballot,
        mandate_expires_at=None if mandate is None else mandate.expires_at,
        mandate_last_day=(None if mandate is None
                          else local_date(mandate.expires_at, tz) - timedelta(days=1)),
        mandate_extendable_to=None if mandate is None else mandate.extendable_to,
        mandate_rule=rules.mandate_text(),
        mandate_kind=None if mandate is None else mandate.kind,
        timezone=tz, consequence=consequence,
    )
    payload = notice.to_payload()
    payload.pop("statement")
    payload.pop("question")
    events.insert(0, Event.of(BALLOT_RESULT, at, **payload))
    closed = replace(sb, status=BallotStatus.CLOSED, passed=result.passed)
    return StrikeOutcome(notice, closed, mandate, tuple(revoked), tuple(events))


def extend_mandate(mandate: ActionMandate, at: datetime) -> tuple[ActionMandate, Event]:
    """Record the employer's agreement to the longer mandate (before it expires)."""
    require_aware(at, "at")
    problems: list[Problem] = []
    status = mandate.status_at(at)
    if mandate.extendable_to is None:
        problems.append(Problem(mandate.ballot_id, f"the rule set {mandate.rules_key} allows no "
                                "longer mandate by agreement"))
    if mandate.extended:
        problems.append(Problem(mandate.ballot_id, "the mandate was extended already"))
    if status != "in_force":
        problems.append(Problem(mandate.ballot_id, f"the mandate is {status}: an agreement "
                                "must be recorded before it expires"))
    if problems:
        raise PreconditionFailed(f"the mandate of ballot {mandate.ballot_id} cannot be extended",
                                 problems)
    assert mandate.extendable_to is not None
    extended = replace(mandate, expires_at=mandate.extendable_to, extended_at=at)
    return extended, Event.of(MANDATE_EXTENDED, at, ballot_id=mandate.ballot_id,
                              dispute_id=mandate.dispute_id, form=mandate.form.value,
                              previous_expires_at=iso(mandate.expires_at),
                              expires_at=iso(extended.expires_at))


def mandate_expired(mandate: ActionMandate) -> Event:
    """The ``dispute.mandate_expired`` event, dated at the expiry."""
    return Event.of(MANDATE_EXPIRED, mandate.expires_at, ballot_id=mandate.ballot_id,
                    dispute_id=mandate.dispute_id, form=mandate.form.value,
                    expires_at=iso(mandate.expires_at), extended=mandate.extended)
