"""Disputes in the pure core: the roster, offers, strikers' ballots and their notices,
mandates, calls to action and settlement."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from councilplan.councils.action import call_action, call_off
from councilplan.councils.ballot import Ballot, BallotStatus, close_ballot, open_ballot
from councilplan.councils.council import Council, CouncilKind, CouncilTree
from councilplan.councils.decision import Tally, evaluate
from councilplan.councils.dispute import Dispute, open_dispute
from councilplan.councils.event import Event
from councilplan.councils.offer import Offer, OfferStatus, decide_offer, publish_offer, record_offer
from councilplan.councils.roster import Roster, RosterEventKind, StrikerStatus, record_roster_event
from councilplan.councils.settlement import settle_dispute
from councilplan.councils.strike_ballot import (
    STRIKE_METHOD,
    ActionForm,
    ActionMandate,
    StrikeBallot,
    StrikeBallotKind,
    StrikeOutcome,
    apply_strike_result,
    call_strike_ballot,
    extend_mandate,
)
from councilplan.councils.threshold import RULE_BOOK, ThresholdRules, select_rules
from councilplan.errors import PreconditionFailed

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TREE = CouncilTree.of([Council("mill", "Mill", CouncilKind.WORKPLACE)])
TUA = RULE_BOOK.get("gb-tua-2016@v1")


def _dispute(**kw: object) -> Dispute:
    base = Dispute("d1", ("mill",), "Acme Ltd", ("5% on all rates",), "GB", "manufacturing",
                   "Europe/London", T0)
    return replace(base, **kw)  # type: ignore[arg-type]


# -- opening a dispute -------------------------------------------------------------------------


def test_a_dispute_needs_councils_an_employer_and_demands() -> None:
    event = open_dispute(_dispute(), TREE, TUA, T0)
    assert event.kind == "dispute.opened"
    assert event.payload["rules"] == "gb-tua-2016@v1"
    assert "Acme" not in str(dict(event.payload))  # texts travel as hashes
    with pytest.raises(PreconditionFailed) as info:
        open_dispute(_dispute(council_ids=("mill", "mill", "dock"), employer=" ",
                              demands=("",)), TREE, TUA, T0)
    messages = " | ".join(str(p) for p in info.value.problems)
    for part in ("listed twice", "dock: no such council", "name the employer", "is blank"):
        assert part in messages
    with pytest.raises(PreconditionFailed, match="counts dates in Europe/London"):
        open_dispute(_dispute(timezone="UTC"), TREE, TUA, T0)
    with pytest.raises(PreconditionFailed, match="fixed by law"):
        open_dispute(_dispute(union_mandate_months=12), TREE, TUA, T0)


# -- the roster --------------------------------------------------------------------------------


def _roster(*steps: tuple[str, str, datetime]) -> Roster:
    roster = Roster("d1")
    for member, kind, at in steps:
        event, _ = record_roster_event(roster, member, kind, at)
        roster = Roster("d1", (*roster.events, event))
    return roster


def test_the_roster_changes_only_by_its_events() -> None:
    r = _roster(("a", "joined", T0), ("b", "joined", T0), ("c", "joined", T0 + DAY),
                ("b", "returned", T0 + 2 * DAY), ("c", "dismissed", T0 + 3 * DAY),
                ("c", "reinstated", T0 + 5 * DAY), ("b", "joined", T0 + 6 * DAY))
    assert r.strikers(T0) == {"a", "b"}
    assert r.strikers(T0 + 2 * DAY) == {"a", "c"}
    assert r.strikers(T0 + 4 * DAY) == {"a"}
    assert r.status_of("c", T0 + 4 * DAY) is StrikerStatus.DISMISSED
    assert r.strikers() == {"a", "b", "c"}
    assert r.intervals("b") == ((T0, T0 + 2 * DAY), (T0 + 6 * DAY, None))
    assert r.on_roster_during("b", T0 + 3 * DAY, T0 + 7 * DAY)
    assert not r.on_roster_during("b", T0 + 2 * DAY, T0 + 6 * DAY)


@pytest.mark.parametrize(("steps", "kind", "why"), [
    ((("a", "joined"),), "joined", "on the roster already"),
    ((), "returned", "not on the roster"),
    ((("a", "joined"), ("a", "dismissed")), "joined", "record their reinstatement"),
    ((("a", "joined"), ("a", "returned")), "dismissed", "returned to work"),
    ((("a", "joined"),), "reinstated", "never dismissed"),
])
def test_impossible_roster_events_are_refused(steps: tuple[tuple[str, str], ...], kind: str,
                                              why: str) -> None:
    r = _roster(*((m, k, T0) for m, k in steps))
    with pytest.raises(PreconditionFailed, match=why):
        record_roster_event(r, "a", kind, T0 + DAY)


def test_only_members_of_the_councils_join_and_events_keep_their_order() -> None:
    r = _roster(("a", "joined", T0 + DAY))
    with pytest.raises(PreconditionFailed, match="not a member of any council"):
        record_roster_event(r, "stranger", RosterEventKind.JOINED, T0 + DAY,
                            eligible={"a", "b"})
    with pytest.raises(PreconditionFailed, match="order they happen"):
        record_roster_event(r, "b", RosterEventKind.JOINED, T0)
    with pytest.raises(PreconditionFailed, match="froze the roster"):
        record_roster_event(r, "b", RosterEventKind.JOINED, T0 + 2 * DAY,
                            frozen_at=T0 + 2 * DAY)
    event, audit = record_roster_event(r, "b", "joined", T0 + 3 * DAY, eligible={"a", "b"},
                                       frozen_at=T0 + 2 * DAY)
    assert (event.sequence, audit.kind, audit.payload["roster_size"]) == (2, "roster.joined", 2)


# -- strikers' ballots ---------------------------------------------------------------------------


def _strike_ballot(kind: str = "action", *, rules: ThresholdRules = TUA,
                   form: str | None = "strike", offer: Offer | None = None,
                   strikers: int = 100, closes: datetime = T0 + 14 * DAY,
                   dispute: Dispute | None = None,
                   ) -> tuple[Dispute, StrikeBallot, Ballot, Event]:
    d = dispute or _dispute()
    draft, sb, called = call_strike_ballot(d, kind, rules, "b1", T0 + DAY, closes, T0 + DAY,
                                           form=form, offer=offer)
    opened, _ = open_ballot(draft, [f"s{i:03d}" for i in range(strikers)], T0 + DAY)
    return d, sb, opened, called


def _close(d: Dispute, sb: StrikeBallot, opened: Ballot, tally: Tally,
           mandates: tuple[ActionMandate, ...] = ()) -> StrikeOutcome:
    closed, _ = close_ballot(opened, opened.closes_at)
    assert opened.electorate is not None
    result = evaluate(tally, opened.electorate.size, sb.rule)
    return apply_strike_result(d, sb, closed, result, opened.closes_at, mandates=mandates)


def test_a_strike_ballot_is_a_yes_no_spoilt_ballot_of_the_roster() -> None:
    _d, _sb, opened, called = _strike_ballot()
    assert opened.method == STRIKE_METHOD
    assert opened.options == ("yes", "no")
    assert opened.purpose.value == "dispute"
    assert opened.subject_id == "d1"
    assert opened.rule == TUA.action_rule
    assert "take part in a strike" in opened.question
    assert called.payload["rules"] == "gb-tua-2016@v1"
    assert opened.electorate is not None
    assert opened.electorate.size == 100
    assert "s000" in opened.electorate
    assert "boss" not in opened.electorate


def test_the_results_notice_states_every_figure_and_the_mandate_expiry() -> None:
    d, sb, opened, _ = _strike_ballot(closes=datetime(2025, 3, 16, 0, 0, tzinfo=UTC))
    out = _close(d, sb, opened, Tally(yes=30, no=16, spoilt=4))
    n = out.notice
    assert (n.entitled, n.cast, n.yes, n.no, n.spoilt, n.valid) == (100, 50, 30, 16, 4, 46)
    assert n.turnout == 0.5
    assert [(c.name, c.required_count, c.met) for c in n.checks] == [
        ("turnout", 50, True), ("majority", 24, True)]
    assert n.passed
    assert n.date_of_ballot == date(2025, 3, 15)  # closed at midnight: last voting day 15th
    assert n.mandate_last_day == date(2025, 9, 14)
    assert n.mandate_expires_at == datetime(2025, 9, 14, 23, tzinfo=UTC)
    text = n.text()
    for line in ("Entitled to vote: 100", "Votes cast (papers returned): 50", "Yes: 30",
                 "No: 16", "Spoilt or otherwise invalid: 4", "Turnout: 50.0% (50 of 100)",
                 "turnout: at least 50.0% of the 100 entitled must vote: 50 needed, 50 of 100 "
                 "(50.0%): MET", "Result: CARRIED", "last day of action: 2025-09-14",
                 "expires: 2025-09-15 00:00 Europe/London"):
        assert line in text, line
    assert out.mandate is not None
    assert out.mandate.form is ActionForm.STRIKE
    assert [e.kind for e in out.events] == ["dispute.ballot_result", "dispute.mandate_granted"]
    assert out.ballot.status is BallotStatus.CLOSED
    assert out.ballot.passed


def test_a_ballot_that_misses_a_threshold_gives_no_mandate() -> None:
    ips = select_rules("GB", "health", date(2025, 3, 4))
    d, sb, opened, _ = _strike_ballot(rules=ips, dispute=_dispute(sector="health"))
    out = _close(d, sb, opened, Tally(yes=39, no=21))
    assert not out.notice.passed
    assert out.mandate is None
    assert "support: yes votes at least 40.0% of the 100 entitled: 40 needed, 39 of 100 " \
           "(39.0%): MISSED" in out.notice.text()
    assert out.notice.mandate_expires_at is None
    assert "no new mandate for a strike" in out.notice.text()


def test_a_continue_ballot_that_says_no_revokes_the_mandate() -> None:
    d, sb, opened, _ = _strike_ballot()
    granted = _close(d, sb, opened, Tally(yes=60, no=10)).mandate
    assert granted is not None
    draft, sb2, _ = call_strike_ballot(d, "continue", TUA, "b2", T0 + 30 * DAY,
                                       T0 + 40 * DAY, T0 + 30 * DAY, form="strike",
                                       mandates=[granted])
    opened2, _ = open_ballot(draft, [f"s{i:03d}" for i in range(100)], T0 + 30 * DAY)
    out = _close(d, sb2, opened2, Tally(yes=20, no=40), mandates=(granted,))
    assert [m.revoked_at for m in out.revoked] == [T0 + 40 * DAY]
    assert "voted not to continue" in out.notice.consequence
    # nothing to continue without an earlier mandate
    with pytest.raises(PreconditionFailed, match="no mandate for a strike to continue"):
        call_strike_ballot(d, "continue", TUA, "b3", T0, T0 + DAY, T0, form="strike")


def test_a_strike_ballot_asks_one_question_at_a_time() -> None:
    d = _dispute()
    offer = Offer("o1", "d1", T0, "3% now", "3%")
    with pytest.raises(PreconditionFailed) as info:
        call_strike_ballot(d, "action", TUA, "b1", T0, T0 + DAY, T0, offer=offer)
    assert "name the form" in str(info.value)
    assert "not on an offer" in str(info.value)
    with pytest.raises(PreconditionFailed, match="name the offer"):
        call_strike_ballot(d, "offer", TUA, "b1", T0, T0 + DAY, T0)
    _, sb, _ = call_strike_ballot(d, "offer", TUA, "b1", T0, T0 + DAY, T0, offer=offer)
    with pytest.raises(PreconditionFailed, match="same question is open"):
        call_strike_ballot(d, "settle", TUA, "b2", T0, T0 + DAY, T0, offer=offer, ballots=[sb])
    decided, _ = decide_offer(offer, "b1", False, T0 + DAY)
    with pytest.raises(PreconditionFailed, match="rejected already"):
        call_strike_ballot(d, "offer", TUA, "b3", T0, T0 + DAY, T0, offer=decided)


# -- offers and settlement -------------------------------------------------------------------


def test_an_offer_is_published_to_every_striker_and_decided_only_by_ballot() -> None:
    d = _dispute()
    offer = Offer("o1", "d1", T0 + DAY, "Full terms: 3% from April.", "3% from April")
    event = record_offer(d, offer, T0 + DAY)
    assert event.payload["text_sha256"] == offer.text_sha256
    new, published = publish_offer(offer, {"a", "b"}, (), T0 + DAY)
    assert new == ("a", "b")
    assert published is not None
    assert published.payload["roster_size"] == 2
    again, none = publish_offer(offer, {"a", "b", "c"}, {"a", "b"}, T0 + 2 * DAY)
    assert again == ("c",)
    assert none is not None
    assert publish_offer(offer, {"a"}, {"a"}, T0 + 3 * DAY) == ((), None)
    with pytest.raises(PreconditionFailed) as info:
        record_offer(d, Offer("o2", "d1", T0 - DAY, " ", ""), T0)
    text = str(info.value)
    assert "full text is missing" in text
    assert "summary" in text
    assert "before the dispute" in text
    accepted, e = decide_offer(offer, "b1", True, T0 + 9 * DAY)
    assert (accepted.status, e.kind) == (OfferStatus.ACCEPTED, "offer.accepted")
    with pytest.raises(PreconditionFailed, match="decided already"):
        decide_offer(accepted, "b2", False, T0 + 10 * DAY)


def test_a_settlement_needs_a_strikers_ballot_that_accepted_the_offer() -> None:
    d = _dispute()
    offer = Offer("o1", "d1", T0 + DAY, "Full terms.", "terms")
    with pytest.raises(PreconditionFailed, match="no strikers' ballot on it has been held") as info:
        settle_dispute(d, offer, [], T0 + 2 * DAY)
    assert "negotiators have no power to accept" in str(info.value)
    sb = StrikeBallot("b1", "d1", StrikeBallotKind.OFFER, TUA, T0 + DAY, T0 + 8 * DAY,
                      offer_id="o1")
    with pytest.raises(PreconditionFailed, match="b1: open"):
        settle_dispute(d, offer, [sb], T0 + 3 * DAY)
    with pytest.raises(PreconditionFailed, match="still open"):
        settle_dispute(d, offer, [sb], T0 + 3 * DAY, ballot_id="b1")
    rejected = replace(sb, status=BallotStatus.CLOSED, passed=False)
    with pytest.raises(PreconditionFailed, match="b1: rejected"):
        settle_dispute(d, offer, [rejected], T0 + 9 * DAY)
    accepted = replace(sb, status=BallotStatus.CLOSED, passed=True)
    settled, settlement, event = settle_dispute(d, offer, [accepted], T0 + 9 * DAY)
    assert settled.status.value == "settled"
    assert (settlement.ballot_id, settlement.terms_sha256) == ("b1", offer.text_sha256)
    assert event.kind == "dispute.settled"
    with pytest.raises(PreconditionFailed, match="is settled"):
        settle_dispute(settled, offer, [accepted], T0 + 10 * DAY)


# -- mandates and calls to action --------------------------------------------------------------


def _mandate(rules: ThresholdRules = TUA, closes: datetime = T0 + 14 * DAY) -> ActionMandate:
    d, sb, opened, _ = _strike_ballot(rules=rules, closes=closes)
    m = _close(d, sb, opened, Tally(yes=70, no=10)).mandate
    assert m is not None
    return m


def test_action_needs_a_mandate_in_force_and_notice() -> None:
    d = _dispute()
    m = _mandate()  # date of the ballot 17 March 2025: action up to 16 September
    rules = {"b1": TUA}
    called = T0 + 15 * DAY  # 18 March
    with pytest.raises(PreconditionFailed, match="no strikers' ballot has given a mandate"):
        call_action(d, "c1", "short_of_strike", called + 20 * DAY, called + 21 * DAY, called,
                    mandates=[m], rules=rules)
    with pytest.raises(PreconditionFailed, match="can start on 2025-04-01 at the earliest"):
        call_action(d, "c1", "strike", called + 7 * DAY, called + 8 * DAY, called,
                    mandates=[m], rules=rules)
    call, event = call_action(d, "c1", "strike", called + 7 * DAY, called + 8 * DAY, called,
                              mandates=[m], rules=rules, notice_agreed=True)
    assert (call.ballot_id, event.kind) == ("b1", "action.called")
    with pytest.raises(PreconditionFailed, match="called already"):
        call_action(d, "c2", "strike", called + 7 * DAY, called + 9 * DAY, called,
                    mandates=[m], rules=rules, calls=[call], notice_agreed=True)
    late = datetime(2025, 9, 10, tzinfo=UTC)
    with pytest.raises(PreconditionFailed, match="expires at 2025-09-16T23:00"):
        call_action(d, "c3", "strike", late + 14 * DAY, late + 15 * DAY, late, mandates=[m],
                    rules=rules)
    extended, ext = extend_mandate(m, late)
    assert extended.expires_at == datetime(2025, 12, 17, 0, tzinfo=UTC)
    assert ext.kind == "dispute.mandate_extended"
    call_action(d, "c3", "strike", late + 14 * DAY, late + 15 * DAY, late, mandates=[extended],
                rules=rules)
    with pytest.raises(PreconditionFailed, match="extended already"):
        extend_mandate(extended, late)
    with pytest.raises(PreconditionFailed, match="before it expires"):
        extend_mandate(m, m.expires_at)


def test_before_2017_action_begun_in_time_may_go_on() -> None:
    old = RULE_BOOK.get("gb-tulrca-1992@v1")
    d = _dispute(opened_at=datetime(2016, 1, 4, tzinfo=UTC))
    t = datetime(2016, 1, 4, 9, tzinfo=UTC)
    draft, sb, _ = call_strike_ballot(d, "action", old, "b1", t, t + 14 * DAY, t, form="strike")
    opened, _ = open_ballot(draft, ["a", "b", "c"], t)
    closed, _ = close_ballot(opened, t + 14 * DAY)
    m = apply_strike_result(d, sb, closed, evaluate(Tally(yes=1, no=0), 3, sb.rule),
                            t + 14 * DAY).mandate
    assert m is not None  # one yes of three entitled carried: no turnout threshold then
    rules = {"b1": old}
    after = m.expires_at + 30 * DAY
    with pytest.raises(PreconditionFailed, match="had to begin before"):
        call_action(d, "c9", "strike", after + 8 * DAY, after + 9 * DAY, after, mandates=[m],
                    rules=rules)
    first, _ = call_action(d, "c1", "strike", m.expires_at - 3 * DAY, m.expires_at - 2 * DAY,
                           m.expires_at - 11 * DAY, mandates=[m], rules=rules)
    later, _ = call_action(d, "c2", "strike", after + 8 * DAY, after + 9 * DAY, after,
                           mandates=[m], rules=rules, calls=[first])
    assert later.ballot_id == "b1"


def test_calls_still_to_come_are_called_off() -> None:
    d = _dispute()
    m = _mandate()
    called = T0 + 15 * DAY
    c1, _ = call_action(d, "c1", "strike", called + 14 * DAY, called + 15 * DAY, called,
                        mandates=[m], rules={"b1": TUA})
    changed, events = call_off([c1], called + DAY, "settled")
    assert changed[0].called_off_at == called + DAY
    assert changed[0].status_at(called + 20 * DAY) == "called_off"
    assert events[0].kind == "action.called_off"
    assert call_off(changed, called + 2 * DAY, "again") == ((), ())
