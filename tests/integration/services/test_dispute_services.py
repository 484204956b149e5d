"""Strikes run by the strikers, through the services, on SQLite and PostgreSQL.

The Mill's council (20 members, w00..w19, with a delegate seat to the Riverside area
council) calls twelve of them out against Acme Ltd: w00..w11 are the strikers.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from councilplan import services
from councilplan.errors import InvalidInput, NotFound, PreconditionFailed
from councilplan.store import UnitOfWork
from councilplan.store.audit_log import AuditLog

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
STRIKERS = [f"w{i:02d}" for i in range(12)]
OTHERS = [f"w{i:02d}" for i in range(12, 20)]


@pytest.fixture
def dispute(mill: UnitOfWork) -> UnitOfWork:
    """Dispute d1 of the Mill with Acme Ltd (GB, manufacturing); w00..w11 on strike."""
    services.create_council(mill, "office", "Acme office council", "workplace", T0,
                            parent_id="area")
    services.admit_member(mill, "clerk", "office", T0, name="Office clerk")
    view = services.open_dispute(mill, "d1", ["mill"], "Acme Ltd",
                                 ["5% on all rates", "no compulsory redundancies"], "GB",
                                 "manufacturing", T0)
    assert (view.rules, view.timezone) == ("gb-tua-2016@v1", "Europe/London")
    roster = services.join_strike(mill, "d1", STRIKERS, T0 + DAY)
    assert roster.size == 12
    return mill


def _vote(uow: UnitOfWork, ballot_id: str, at: datetime, **choices: list[str]) -> None:
    for choice, members in choices.items():
        for m in members:
            services.cast_vote(uow, ballot_id, m, choice, at)


def _kinds(uow: UnitOfWork) -> list[str]:
    return [json.loads(c)["kind"] for _, _, c in services.audit_entries(uow)]


def _elect_delegate(uow: UnitOfWork, holder: str) -> None:
    services.open_election(uow, ["mill/delegate"], [holder], T0, T0 + DAY, ballot_id="del")
    services.cast_vote(uow, "del", "w19", [holder], T0 + DAY / 2)
    services.close_ballot(uow, "del", T0 + DAY)


def _committee(uow: UnitOfWork, chair: str, at: datetime) -> str:
    """The strikers elect ``chair`` to the committee's chair (90-day term); the mandate."""
    services.define_committee_seat(uow, "d1", "d1/chair", "Strike committee chair", at,
                                   term_length=90 * DAY, election_lead=14 * DAY)
    other = "w03" if chair != "w03" else "w04"
    services.open_committee_election(uow, "d1", ["d1/chair"], [chair, other], at,
                                     at + 3 * DAY, ballot_id="ce1")
    for i, m in enumerate(STRIKERS):
        services.cast_vote(uow, "ce1", m, [chair] if i < 8 else [other], at + DAY)
    assert services.close_ballot(uow, "ce1", at + 3 * DAY).elected == (chair,)
    (seat,) = services.show_dispute(uow, "d1", at + 3 * DAY).committee
    assert (seat.holder_id, seat.holder_on_roster) == (chair, True)
    assert seat.mandate_id is not None
    return seat.mandate_id


# -- who votes --------------------------------------------------------------------------------


def test_only_strikers_vote_whatever_other_office_they_hold(dispute: UnitOfWork) -> None:
    uow = dispute
    _elect_delegate(uow, "w15")  # w15, not on strike, is the Mill's delegate to Riverside
    _committee(uow, "w01", T0 + 2 * DAY)
    with pytest.raises(PreconditionFailed, match="not a member of any council"):
        services.join_strike(uow, "d1", "clerk", T0 + 5 * DAY)
    b = services.open_strike_ballot(uow, "d1", "action", T0 + 6 * DAY, T0 + 20 * DAY,
                                    form="strike", ballot_id="b1")
    assert (b.ballot.electorate_size, b.rules, b.ballot.method) == (12, "gb-tua-2016@v1",
                                                                   "yes-no-spoilt")
    assert b.ballot.electorate_hash == services.roster_of(uow, "d1", T0 + 6 * DAY).sha256
    for outsider in ("w15", "w19", "clerk"):  # a delegate, a member, a stranger to the mill
        with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
            services.cast_vote(uow, "b1", outsider, "yes", T0 + 7 * DAY)
    # the roster a ballot froze is the electorate: joining later gives no vote in it...
    services.join_strike(uow, "d1", "w12", T0 + 7 * DAY)
    with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
        services.cast_vote(uow, "b1", "w12", "yes", T0 + 8 * DAY)
    # ... and a striker who goes back to work after it opened keeps hers
    services.return_to_work(uow, "d1", "w11", T0 + 7 * DAY)
    services.cast_vote(uow, "b1", "w11", "no", T0 + 8 * DAY)
    with pytest.raises(PreconditionFailed, match="froze the roster"):
        services.join_strike(uow, "d1", "w13", T0 + 6 * DAY)
    _vote(uow, "b1", T0 + 8 * DAY, yes=STRIKERS[:8], spoilt=["w08"])
    with pytest.raises(PreconditionFailed, match="hidden until the close"):
        services.results_notice(uow, "b1")
    services.close_ballot(uow, "b1", T0 + 20 * DAY)
    notice = services.results_notice(uow, "b1").notice
    assert {k: notice[k] for k in ("entitled", "cast", "yes", "no", "spoilt", "passed")} == {
        "entitled": 12, "cast": 10, "yes": 8, "no": 1, "spoilt": 1, "passed": True}
    assert notice["turnout_percent"] == "83.3%"
    # the next ballot is held on the roster as it stands then: w12 in, w11 out
    services.open_strike_ballot(uow, "d1", "action", T0 + 21 * DAY, T0 + 30 * DAY,
                                form="short_of_strike", ballot_id="b2")
    services.cast_vote(uow, "b2", "w12", "yes", T0 + 22 * DAY)
    with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
        services.cast_vote(uow, "b2", "w11", "yes", T0 + 22 * DAY)
    # the committee's chair has no vote beyond her own as a striker, and none once she
    # goes back to work
    services.return_to_work(uow, "d1", "w01", T0 + 23 * DAY)
    (seat,) = services.show_dispute(uow, "d1", T0 + 23 * DAY).committee
    assert (seat.holder_id, seat.holder_on_roster) == ("w01", False)


def test_a_dismissed_striker_leaves_the_roster_until_reinstated(dispute: UnitOfWork) -> None:
    uow = dispute
    services.record_dismissal(uow, "d1", ["w05", "w06"], T0 + 2 * DAY)
    services.record_reinstatement(uow, "d1", "w06", T0 + 3 * DAY)
    roster = services.roster_of(uow, "d1", T0 + 4 * DAY)
    assert roster.size == 11
    status = {m.member_id: m.status for m in roster.members}
    assert (status["w05"], status["w06"]) == ("dismissed", "on_strike")
    with pytest.raises(PreconditionFailed, match="record their reinstatement"):
        services.join_strike(uow, "d1", "w05", T0 + 4 * DAY)
    with pytest.raises(NotFound, match="member ghost"):
        services.join_strike(uow, "d1", ["w12", "ghost"], T0 + 4 * DAY)
    # all or none: w12 was not recorded with the unknown member
    assert services.roster_of(uow, "d1", T0 + 5 * DAY).size == 11
    kinds = _kinds(uow)
    assert kinds.count("roster.joined") == 12
    assert (kinds.count("roster.dismissed"), kinds.count("roster.reinstated")) == (2, 1)


# -- offers and settlement --------------------------------------------------------------------


def test_a_settlement_without_an_accepting_ballot_is_refused(dispute: UnitOfWork) -> None:
    uow = dispute
    first = services.record_employer_offer(uow, "d1", "Full text: 2% from April; no change "
                                           "to redundancy terms.", "2% from April",
                                           T0 + 3 * DAY, offer_id="o1")
    assert (first.status, first.published_to) == ("received", 12)
    with pytest.raises(PreconditionFailed, match="no strikers' ballot on it has been held"):
        services.settle(uow, "d1", "o1", T0 + 3 * DAY)
    services.open_strike_ballot(uow, "d1", "offer", T0 + 4 * DAY, T0 + 11 * DAY, offer_id="o1",
                                ballot_id="ob1")
    with pytest.raises(PreconditionFailed, match="ob1: open"):
        services.settle(uow, "d1", "o1", T0 + 5 * DAY)
    _vote(uow, "ob1", T0 + 5 * DAY, yes=STRIKERS[:3], no=STRIKERS[3:10])
    services.close_ballot(uow, "ob1", T0 + 11 * DAY)
    assert services.show_offer(uow, "o1").status == "rejected"
    with pytest.raises(PreconditionFailed, match="ob1: rejected"):
        services.settle(uow, "d1", "o1", T0 + 12 * DAY)
    with pytest.raises(PreconditionFailed, match="rejected already"):
        services.open_strike_ballot(uow, "d1", "offer", T0 + 12 * DAY, T0 + 19 * DAY,
                                    offer_id="o1")
    # a better offer; a striker joins before the ballot on it and is given it then
    services.record_employer_offer(uow, "d1", "Full text: 4% from April, 1% more in "
                                   "January; no compulsory redundancies.", "4% + 1%",
                                   T0 + 13 * DAY, offer_id="o2")
    services.join_strike(uow, "d1", "w12", T0 + 13 * DAY + timedelta(hours=1))
    services.open_strike_ballot(uow, "d1", "offer", T0 + 14 * DAY, T0 + 21 * DAY,
                                offer_id="o2", ballot_id="ob2")
    assert services.show_offer(uow, "o2").published_to == 13
    assert [o.offer_id for o in services.offers_for_striker(uow, "w12")] == ["o2"]
    _vote(uow, "ob2", T0 + 15 * DAY, yes=[*STRIKERS[:10], "w12"], no=STRIKERS[10:])
    with pytest.raises(PreconditionFailed, match="still open"):
        services.settle(uow, "d1", "o2", T0 + 16 * DAY, ballot_id="ob2")
    services.close_ballot(uow, "ob2", T0 + 21 * DAY)
    assert services.show_offer(uow, "o2").status == "accepted"
    with pytest.raises(PreconditionFailed, match="is not a strikers' ballot on offer o2"):
        services.settle(uow, "d1", "o2", T0 + 22 * DAY, ballot_id="ob1")
    settled = services.settle(uow, "d1", "o2", T0 + 22 * DAY)
    assert (settled.offer_id, settled.ballot_id) == ("o2", "ob2")
    detail = services.show_dispute(uow, "d1", T0 + 22 * DAY)
    assert detail.dispute.status == "settled"
    assert detail.settlement is not None
    assert detail.settlement.terms_sha256 == services.show_offer(uow, "o2").text_sha256
    with pytest.raises(PreconditionFailed, match="is settled"):
        services.join_strike(uow, "d1", "w13", T0 + 23 * DAY)
    with pytest.raises(PreconditionFailed, match="is settled"):
        services.open_strike_ballot(uow, "d1", "action", T0 + 23 * DAY, T0 + 30 * DAY,
                                    form="strike")
    with pytest.raises(PreconditionFailed, match="is settled"):
        services.settle(uow, "d1", "o2", T0 + 23 * DAY)
    assert _kinds(uow).count("dispute.settled") == 1


def test_a_settle_ballot_that_carries_settles_and_calls_off_the_action(
    dispute: UnitOfWork,
) -> None:
    uow = dispute
    services.open_strike_ballot(uow, "d1", "action", T0 + 2 * DAY, T0 + 9 * DAY, form="strike",
                                ballot_id="b1")
    _vote(uow, "b1", T0 + 3 * DAY, yes=STRIKERS[:9])
    services.close_ballot(uow, "b1", T0 + 9 * DAY)
    call = services.call_action_days(uow, "d1", "strike", date(2025, 2, 3), date(2025, 2, 4),
                                     T0 + 10 * DAY)
    services.record_employer_offer(uow, "d1", "Full settlement terms.", "settlement terms",
                                   T0 + 11 * DAY, offer_id="o1")
    services.open_strike_ballot(uow, "d1", "settle", T0 + 12 * DAY, T0 + 19 * DAY,
                                offer_id="o1", ballot_id="sb1")
    _vote(uow, "sb1", T0 + 13 * DAY, yes=STRIKERS[:7], no=STRIKERS[7:])
    services.close_ballot(uow, "sb1", T0 + 19 * DAY)
    detail = services.show_dispute(uow, "d1", T0 + 20 * DAY)
    assert detail.dispute.status == "settled"
    assert detail.settlement is not None
    assert detail.settlement.ballot_id == "sb1"
    assert [m.status for m in detail.mandates] == ["revoked"]
    (c,) = detail.calls
    assert (c.call_id, c.status) == (call.call_id, "called_off")  # 3-4 February: to come
    notice = services.results_notice(uow, "sb1")
    assert "the dispute is settled on the offer" in notice.statement
    assert "turnout" not in [c["name"] for c in notice.notice["checks"]]  # union's own rule


# -- the strike committee ---------------------------------------------------------------------


def test_the_strikers_recall_their_committee(dispute: UnitOfWork) -> None:
    uow = dispute
    _elect_delegate(uow, "w15")
    mandate = _committee(uow, "w02", T0 + 2 * DAY)
    with pytest.raises(PreconditionFailed, match="a candidate must be a member"):
        services.open_election(uow, ["d1/chair"], ["w15"], T0 + 6 * DAY, T0 + 8 * DAY)
    with pytest.raises(PreconditionFailed, match="not in the constituency"):
        services.open_recall_petition(uow, mandate, "w15", T0 + 10 * DAY)
    p = services.open_recall_petition(uow, mandate, "w05", T0 + 10 * DAY, petition_id="pt1")
    assert (p.constituency_size, p.required) == (12, 2)  # 10% of the twelve strikers
    with pytest.raises(PreconditionFailed, match="not in the constituency"):
        services.sign_recall_petition(uow, "pt1", "w15", T0 + 11 * DAY)
    services.sign_recall_petition(uow, "pt1", "w05", T0 + 11 * DAY)
    p = services.sign_recall_petition(uow, "pt1", "w06", T0 + 11 * DAY, ballot_id="rc1")
    assert (p.status, p.ballot_id) == ("succeeded", "rc1")
    recall = services.show_ballot(uow, "rc1")
    assert (recall.purpose, recall.electorate_size) == ("recall", 12)
    with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
        services.cast_vote(uow, "rc1", "w15", "yes", T0 + 12 * DAY)
    _vote(uow, "rc1", T0 + 12 * DAY, yes=STRIKERS[:7], no=STRIKERS[7:])
    assert services.close_ballot(uow, "rc1", T0 + 18 * DAY).passed is True
    (m,) = [x for x in services.list_mandates(uow, "mill", T0 + 18 * DAY)
            if x.mandate_id == mandate]
    assert (m.status, m.ended_at) == ("recalled", T0 + 18 * DAY)
    calls = {c.seat_id: c for c in services.elections_due_now(uow, T0 + 18 * DAY)}
    assert calls["d1/chair"].reason == "by_election"
    # the strikers fill the seat for the rest of the term, from among themselves
    services.open_committee_election(uow, "d1", ["d1/chair"], ["w07"], T0 + 19 * DAY,
                                     T0 + 21 * DAY, ballot_id="by1")
    services.cast_vote(uow, "by1", "w08", ["w07"], T0 + 20 * DAY)
    assert services.close_ballot(uow, "by1", T0 + 21 * DAY).elected == ("w07",)
    (seat,) = services.show_dispute(uow, "d1", T0 + 22 * DAY).committee
    assert seat.holder_id == "w07"
    assert seat.term_end == T0 + 5 * DAY + 90 * DAY  # the recalled chair's term end
    with pytest.raises(PreconditionFailed, match="not a seat of this dispute's committee"):
        services.open_committee_election(uow, "d1", ["mill/delegate"], ["w01"], T0 + 22 * DAY,
                                         T0 + 23 * DAY)


# -- mandates and their expiry ----------------------------------------------------------------


def _mandate_ballot(uow: UnitOfWork) -> datetime:
    """An action ballot closing 2025-01-22 00:00 London: its date is 21 January 2025."""
    closes = datetime(2025, 1, 22, 0, 0, tzinfo=UTC)
    services.open_strike_ballot(uow, "d1", "action", T0 + 2 * DAY, closes, form="strike",
                                ballot_id="b1")
    _vote(uow, "b1", T0 + 3 * DAY, yes=STRIKERS[:7], no=STRIKERS[7:9])
    services.close_ballot(uow, "b1", closes)
    return closes


def test_action_after_the_mandate_expires_is_refused(dispute: UnitOfWork) -> None:
    uow = dispute
    closes = _mandate_ballot(uow)
    text = services.results_notice(uow, "b1").statement
    assert "date of the ballot (its last voting day): 2025-01-21" in text
    assert "last day of action: 2025-07-20 (Europe/London)" in text
    (m,) = services.show_dispute(uow, "d1", closes).mandates
    assert (m.status, m.last_day, m.expires_at) == (
        "in_force", date(2025, 7, 20), datetime(2025, 7, 20, 23, 0, tzinfo=UTC))  # BST
    with pytest.raises(PreconditionFailed, match="notice of action"):
        services.call_action_days(uow, "d1", "strike", date(2025, 1, 27), date(2025, 1, 27),
                                  closes)
    services.call_action_days(uow, "d1", "strike", date(2025, 2, 5), date(2025, 2, 6), closes)
    services.call_action_days(uow, "d1", "strike", date(2025, 7, 19), date(2025, 7, 20),
                              datetime(2025, 7, 1, tzinfo=UTC))
    with pytest.raises(PreconditionFailed, match="expires at 2025-07-20T23:00") as info:
        services.call_action_days(uow, "d1", "strike", date(2025, 7, 20), date(2025, 7, 21),
                                  datetime(2025, 7, 1, tzinfo=UTC))
    assert "needs a new ballot" in str(info.value)
    after = datetime(2025, 7, 25, tzinfo=UTC)
    with pytest.raises(PreconditionFailed, match="before it expires"):
        services.extend_mandate(uow, "b1", after)
    report = services.tick(uow, after)
    assert report.expired_action_mandates == ("b1",)
    assert services.tick(uow, after + DAY).expired_action_mandates == ()
    (m,) = services.show_dispute(uow, "d1", after).mandates
    assert m.status == "expired"
    kinds = _kinds(uow)
    assert kinds.count("dispute.mandate_expired") == 1
    # a new ballot on continuing gives a new mandate
    services.open_strike_ballot(uow, "d1", "continue", after, after + 14 * DAY, form="strike",
                                ballot_id="b2")
    _vote(uow, "b2", after + DAY, yes=STRIKERS[:10])
    services.close_ballot(uow, "b2", after + 14 * DAY)
    services.call_action_days(uow, "d1", "strike", date(2025, 8, 26), date(2025, 8, 26),
                              after + 14 * DAY)


def test_an_agreement_with_the_employer_extends_the_mandate_to_nine_months(
    dispute: UnitOfWork,
) -> None:
    uow = dispute
    _mandate_ballot(uow)
    ext = services.extend_mandate(uow, "b1", datetime(2025, 7, 1, tzinfo=UTC))
    assert ext.last_day == date(2025, 10, 20)
    services.call_action_days(uow, "d1", "strike", date(2025, 10, 1), date(2025, 10, 20),
                              datetime(2025, 9, 1, tzinfo=UTC))
    with pytest.raises(PreconditionFailed, match="expires at 2025-10-20T23:00"):
        services.call_action_days(uow, "d1", "strike", date(2025, 10, 21), date(2025, 10, 21),
                                  datetime(2025, 9, 1, tzinfo=UTC))
    with pytest.raises(PreconditionFailed, match="extended already"):
        services.extend_mandate(uow, "b1", datetime(2025, 8, 1, tzinfo=UTC))
    assert _kinds(uow).count("dispute.mandate_extended") == 1


def test_strikers_who_vote_not_to_continue_stop_the_action(dispute: UnitOfWork) -> None:
    uow = dispute
    closes = _mandate_ballot(uow)
    later = services.call_action_days(uow, "d1", "strike", date(2025, 3, 3), date(2025, 3, 7),
                                      closes)
    services.open_strike_ballot(uow, "d1", "continue", closes + DAY, closes + 8 * DAY,
                                form="strike", ballot_id="b2")
    _vote(uow, "b2", closes + 2 * DAY, yes=STRIKERS[:3], no=STRIKERS[3:10])
    services.close_ballot(uow, "b2", closes + 8 * DAY)
    detail = services.show_dispute(uow, "d1", closes + 9 * DAY)
    assert [m.status for m in detail.mandates] == ["revoked"]
    assert [(c.call_id, c.status) for c in detail.calls] == [(later.call_id, "called_off")]
    assert "voted not to continue a strike" in services.results_notice(uow, "b2").statement
    with pytest.raises(PreconditionFailed, match="revoked the mandate"):
        services.call_action_days(uow, "d1", "strike", date(2025, 3, 10), date(2025, 3, 10),
                                  closes + 9 * DAY)


def test_the_rule_set_is_chosen_by_the_date_each_ballot_opens(mill: UnitOfWork) -> None:
    uow = mill
    t = datetime(2017, 2, 20, 9, tzinfo=UTC)
    services.open_dispute(uow, "d17", ["mill"], "Acme Ltd", ["pay"], "GB", "health", t)
    services.join_strike(uow, "d17", STRIKERS, t + timedelta(hours=1))
    early = services.open_strike_ballot(uow, "d17", "action", t + DAY, t + 15 * DAY,
                                        form="strike", ballot_id="old")
    late = services.open_strike_ballot(uow, "d17", "action", datetime(2017, 3, 1, 0, 30,
                                                                      tzinfo=UTC),
                                       t + 20 * DAY, form="short_of_strike", ballot_id="new")
    assert (early.rules, late.rules) == ("gb-tulrca-1992@v1", "gb-tua-2016-ips@v1")
    _vote(uow, "old", t + 2 * DAY, yes=["w00", "w01"], no=["w02"])
    _vote(uow, "new", datetime(2017, 3, 2, tzinfo=UTC), yes=["w00", "w01"], no=["w02"])
    services.close_ballot(uow, "old", t + 15 * DAY)
    services.close_ballot(uow, "new", t + 20 * DAY)
    assert services.results_notice(uow, "old").notice["passed"] is True  # no threshold then
    new = services.results_notice(uow, "new").notice
    assert new["passed"] is False
    assert [(c["name"], c["met"]) for c in new["checks"]] == [
        ("turnout", False), ("majority", True), ("support", False)]
    with pytest.raises(NotFound, match="no rule set of GB is in force"):
        services.open_dispute(uow, "d99", ["mill"], "Acme Ltd", ["pay"], "GB", "health",
                              datetime(1999, 1, 1, tzinfo=UTC))


def test_union_rules_take_the_unions_own_mandate_period(mill: UnitOfWork) -> None:
    uow = mill
    services.open_dispute(uow, "u1", ["mill"], "Acme Ltd", ["pay"], "union-rules", "any", T0,
                          timezone="America/New_York", union_mandate_months=3)
    with pytest.raises(PreconditionFailed, match="fixed by law"):
        services.open_dispute(uow, "u2", ["mill"], "Acme Ltd", ["pay"], "GB", "retail", T0,
                              union_mandate_months=3)
    services.join_strike(uow, "u1", STRIKERS[:3], T0 + DAY)
    services.open_strike_ballot(uow, "u1", "action", T0 + 2 * DAY, T0 + 3 * DAY,
                                form="strike", ballot_id="u1b")
    services.cast_vote(uow, "u1b", "w00", "yes", T0 + 2 * DAY)  # one of three: carried
    services.close_ballot(uow, "u1b", T0 + 3 * DAY)
    (m,) = services.show_dispute(uow, "u1", T0 + 3 * DAY).mandates
    assert (m.date_of_ballot, m.last_day) == (date(2025, 1, 9), date(2025, 4, 8))
    # no notice period under union rules: action may be called for tomorrow
    services.call_action_days(uow, "u1", "strike", date(2025, 1, 10), date(2025, 1, 10),
                              T0 + 3 * DAY)


# -- the strike fund --------------------------------------------------------------------------


def test_the_strike_fund_pays_strikers_and_shows_its_runway(dispute: UnitOfWork) -> None:
    uow = dispute
    services.contribute(uow, "d1", Decimal("1500.00"), "branch levy", T0 + DAY)
    for week in range(3):
        at = T0 + (7 * week + 6) * DAY
        for m in STRIKERS[:10]:
            services.pay_strike_pay(uow, "d1", m, f"2025-W{2 + week:02d}", Decimal("40.00"), at)
    with pytest.raises(PreconditionFailed, match="paid for 2025-W02 already"):
        services.pay_strike_pay(uow, "d1", "w00", "2025-01-08", Decimal("5.00"), T0 + 20 * DAY)
    with pytest.raises(PreconditionFailed, match="strike pay goes to strikers"):
        services.pay_strike_pay(uow, "d1", "w15", "2025-W02", Decimal("40.00"), T0 + 20 * DAY)
    with pytest.raises(InvalidInput, match="smallest unit"):
        services.pay_strike_pay(uow, "d1", "w10", "2025-W02", Decimal("40.005"), T0 + 20 * DAY)
    fund = services.fund_of(uow, "d1", T0 + 21 * DAY)
    assert (fund.contributed, fund.paid, fund.balance) == (
        Decimal("1500.00"), Decimal("1200.00"), Decimal("300.00"))
    assert (fund.weekly_outflow, fund.runway_weeks) == ("300", "1")  # 1200 / 4 weeks
    assert fund.strikers_paid_in_window == 10
    with pytest.raises(PreconditionFailed, match=r"holds 300\.00 GBP"):
        services.pay_strike_pay(uow, "d1", "w10", "2025-W03", Decimal("300.01"), T0 + 21 * DAY)
    assert len(services.strike_payments(uow, "d1", "w00")) == 3
    # week 5 for everybody out in it at once: the ten paid before and w10, w11
    services.contribute(uow, "d1", Decimal("480.00"), "trades council", T0 + 27 * DAY)
    with pytest.raises(PreconditionFailed, match="12 strikers for 2025-W05 refused"):
        services.pay_strike_pay_run(uow, "d1", "2025-W05", Decimal("65.01"), T0 + 27 * DAY)
    run = services.pay_strike_pay_run(uow, "d1", "2025-W05", Decimal("40"), T0 + 27 * DAY)
    assert (len(run.paid), run.total, run.skipped) == (12, Decimal("480.00"), ())
    again = services.pay_strike_pay_run  # a second run for the week finds nobody to pay
    with pytest.raises(PreconditionFailed, match="no strike pay to make for 2025-W05"):
        again(uow, "d1", "2025-W05", Decimal("40"), T0 + 27 * DAY)
    with pytest.raises(NotFound, match="no such member"):
        again(uow, "d1", "2025-W06", Decimal("1"), T0 + 28 * DAY, member_ids=["w00", "ghost"])
    kinds = _kinds(uow)
    assert (kinds.count("fund.contributed"), kinds.count("strike_pay.paid")) == (2, 42)


# -- nothing half-done ----------------------------------------------------------------------


class Crash(Exception):
    """A failure injected after the use case has written part of its work."""


def _state(uow: UnitOfWork) -> dict[str, Any]:
    with uow.reading():
        return {
            "audit": uow.audit.head(),
            "ballots": [b.ballot_id for b in uow.disputes.ballots_of("d1")],
            "offers": [(o.offer_id, o.status.value, len(uow.offers.recipients(o.offer_id)))
                       for o in uow.offers.of_dispute("d1")],
            "mandates": uow.disputes.mandates_of("d1"),
            "roster": uow.disputes.roster("d1"),
            "records": [(r.ballot.ballot_id, r.ballot.status, r.result)
                        for r in uow.ballots.of_council("mill")],
        }


def test_an_injected_failure_leaves_nothing_behind(dispute: UnitOfWork,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    uow = dispute
    services.record_employer_offer(uow, "d1", "Full text.", "summary", T0 + 2 * DAY,
                                   offer_id="o1")
    services.join_strike(uow, "d1", "w12", T0 + 2 * DAY)  # not yet given offer o1
    before = _state(uow)

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise Crash

    # 1. opening a ballot on the offer fails after the offer was published to w12
    monkeypatch.setattr("councilplan.services.disputes.open_new_ballot", crash)
    with pytest.raises(Crash):
        services.open_strike_ballot(uow, "d1", "offer", T0 + 3 * DAY, T0 + 9 * DAY,
                                    offer_id="o1", ballot_id="ob1")
    monkeypatch.undo()
    assert _state(uow) == before
    services.open_strike_ballot(uow, "d1", "offer", T0 + 3 * DAY, T0 + 9 * DAY, offer_id="o1",
                                ballot_id="ob1")
    _vote(uow, "ob1", T0 + 4 * DAY, yes=STRIKERS[:9])
    opened = _state(uow)

    # 2. closing it fails while the offer is being decided: still open, uncounted
    monkeypatch.setattr("councilplan.services.disputes.decide_offer", crash)
    with pytest.raises(Crash):
        services.close_ballot(uow, "ob1", T0 + 9 * DAY)
    monkeypatch.undo()
    assert _state(uow) == opened
    with pytest.raises(PreconditionFailed, match="hidden until the close"):
        services.results_notice(uow, "ob1")

    # 3. the settlement fails at the audit append: not settled, nothing recorded
    services.close_ballot(uow, "ob1", T0 + 9 * DAY)
    closed = _state(uow)

    def no_append(self: AuditLog, events: Any) -> Any:
        raise Crash

    monkeypatch.setattr(AuditLog, "append", no_append)
    with pytest.raises(Crash):
        services.settle(uow, "d1", "o1", T0 + 10 * DAY)
    monkeypatch.undo()
    assert _state(uow) == closed
    assert services.show_dispute(uow, "d1", T0 + 10 * DAY).dispute.status == "open"
    services.settle(uow, "d1", "o1", T0 + 10 * DAY)
    assert services.verify_audit(uow).ok
