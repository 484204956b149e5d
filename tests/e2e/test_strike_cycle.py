"""A strike, step by step, on SQLite and on PostgreSQL: run by the strikers from the first
call-out to the settlement.

The Mill (24 members) and the Dock (8) councils under the Riverside area council are in
dispute with Acme Logistics over pay. Acme runs passenger transport, an important public
service, so the Trade Union Act 2016 asks of a strike ballot a turnout of at least 50%
of those entitled *and* yes votes from at least 40% of them. The strikers elect their
committee; their first ballot misses the turnout and gives no mandate; the second
carries. They are called out with 14 days' notice, paid from the strike fund, and
reject an offer their negotiators liked; they recall a committee member and fill her
seat; a settle ballot on the second offer carries and ends the dispute. Every step is
in the audit log, which verifies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from councilplan import services
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import postgresql_reachable, scratch_database, server_for_tests

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # Monday 3 March 2025
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
MILL = [f"m{i:02d}" for i in range(1, 25)]
DOCK = [f"d{i:02d}" for i in range(1, 9)]
STRIKERS = MILL + DOCK  # 32 called out


def at(day: str, hour: int = 9) -> datetime:
    """``day`` (YYYY-MM-DD) at ``hour`` o'clock UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    if request.param == "postgresql":
        why = postgresql_reachable(server_for_tests())
        if why is not None:
            pytest.skip(why)
    with scratch_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        yield UnitOfWork(engine)
        engine.dispose()


def vote(uow: UnitOfWork, ballot_id: str, when: datetime, **choices: list[str]) -> None:
    for choice, members in choices.items():
        for m in members:
            services.cast_vote(uow, ballot_id, m, choice, when)


def test_a_strike_from_the_call_out_to_the_settlement(uow: UnitOfWork) -> None:
    # 1. The councils exist; their members are the people who can be called out.
    services.create_council(uow, "riverside", "Riverside area council", "area", T0)
    services.create_council(uow, "mill", "Mill depot workers' council", "workplace", T0,
                            parent_id="riverside")
    services.create_council(uow, "dock", "Dock workers' council", "workplace", T0,
                            parent_id="riverside")
    for m in MILL:
        services.admit_member(uow, m, "mill", T0, name=f"Mill worker {m}")
    for d in DOCK:
        services.admit_member(uow, d, "dock", T0, name=f"Dock worker {d}")
    services.create_council(uow, "office", "Acme head office council", "workplace", T0)
    services.admit_member(uow, "o01", "office", T0, name="Office worker")

    # 2. Both councils open the dispute with Acme Logistics. Passenger transport is an
    #    important public service: ballots opened today fall under the 40% rule too.
    opened = services.open_dispute(
        uow, "pay-2025", ["mill", "dock"], "Acme Logistics",
        ["5% on all rates from 1 April", "no compulsory redundancies"], "GB", "transport", T0)
    assert (opened.rules, opened.timezone) == ("gb-tua-2016-ips@v1", "Europe/London")

    # 3. Thirty-two members are called out; only members of the two councils can be.
    roster = services.join_strike(uow, "pay-2025", STRIKERS, T0 + HOUR)
    assert roster.size == 32
    with pytest.raises(PreconditionFailed, match="not a member of any council"):
        services.join_strike(uow, "pay-2025", "o01", T0 + HOUR)

    # 4. The strikers elect a committee of three from among themselves (Scottish STV).
    for n in (1, 2, 3):
        services.define_committee_seat(uow, "pay-2025", f"pay-2025/committee-{n}",
                                       f"Strike committee member {n}", T0 + DAY,
                                       term_length=120 * DAY, election_lead=14 * DAY)
    seats = [f"pay-2025/committee-{n}" for n in (1, 2, 3)]
    election = services.open_committee_election(
        uow, "pay-2025", seats, ["m01", "m02", "m03", "d01", "d02"], T0 + DAY, T0 + 4 * DAY,
        ballot_id="committee-1")
    assert election.electorate_size == 32
    rankings = ([["m01", "m02"]] * 10 + [["m02"]] * 9 + [["d01"]] * 8
                + [["m03", "d01"]] * 3 + [["d02", "d01"]] * 2)
    for member, ranking in zip(STRIKERS, rankings, strict=True):
        services.cast_vote(uow, "committee-1", member, ranking, T0 + 2 * DAY)
    assert set(services.close_ballot(uow, "committee-1", T0 + 4 * DAY).elected) == {
        "m01", "m02", "d01"}
    committee = {s.holder_id: s for s in services.show_dispute(uow, "pay-2025",
                                                               T0 + 4 * DAY).committee}
    assert set(committee) == {"m01", "m02", "d01"}

    # 5. The first strike ballot: only 15 of the 32 vote. All 15 say yes, more than 40% of
    #    the 32 (13), but a turnout of 46.9% is short of 50%: no mandate, no strike.
    services.open_strike_ballot(uow, "pay-2025", "action", at("2025-03-08"),
                                datetime(2025, 3, 22, 0, 0, tzinfo=UTC), form="strike",
                                ballot_id="strike-1")
    vote(uow, "strike-1", at("2025-03-10"), yes=STRIKERS[:15])
    with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
        services.cast_vote(uow, "strike-1", "o01", "yes", at("2025-03-10"))
    services.close_ballot(uow, "strike-1", datetime(2025, 3, 22, 0, 0, tzinfo=UTC))
    first = services.results_notice(uow, "strike-1")
    assert "Turnout: 46.9% (15 of 32)" in first.statement
    assert [(c["name"], c["met"]) for c in first.notice["checks"]] == [
        ("turnout", False), ("majority", True), ("support", True)]
    assert "Result: NOT CARRIED" in first.statement
    with pytest.raises(PreconditionFailed, match="no strikers' ballot has given a mandate"):
        services.call_action_days(uow, "pay-2025", "strike", date(2025, 4, 14),
                                  date(2025, 4, 15), at("2025-03-24"))

    # 6. They ballot again and get the vote out: 24 of 32 vote, 18 yes, 5 no, 1 spoilt.
    services.open_strike_ballot(uow, "pay-2025", "action", at("2025-03-24"),
                                datetime(2025, 4, 7, 23, 0, tzinfo=UTC), form="strike",
                                ballot_id="strike-2")  # closes at midnight, London time
    vote(uow, "strike-2", at("2025-03-26"), yes=STRIKERS[:18], no=STRIKERS[18:23],
         spoilt=STRIKERS[23:24])
    services.close_ballot(uow, "strike-2", datetime(2025, 4, 7, 23, 0, tzinfo=UTC))
    notice = services.results_notice(uow, "strike-2")
    n = notice.notice
    assert (n["entitled"], n["cast"], n["yes"], n["no"], n["spoilt"]) == (32, 24, 18, 5, 1)
    assert (n["turnout_percent"], n["passed"]) == ("75.0%", True)
    for line in ("turnout: at least 50.0% of the 32 entitled must vote: 16 needed",
                 "support: yes votes at least 40.0% of the 32 entitled: 13 needed, 18 of 32",
                 "date of the ballot (its last voting day): 2025-04-07",
                 "last day of action: 2025-10-06 (Europe/London)",
                 "expires: 2025-10-07 00:00 Europe/London"):
        assert line in notice.statement, line

    # 7. The strike fund: the branch levy and a donation; the committee sees the runway.
    services.contribute(uow, "pay-2025", Decimal("5000.00"), "branch strike levy",
                        at("2025-03-04"))
    services.contribute(uow, "pay-2025", Decimal("2000"), "Riverside trades council",
                        at("2025-04-08"))

    # 8. The committee calls the strikers out: 14 days' notice from 8 April means the
    #    22nd at the earliest.
    with pytest.raises(PreconditionFailed, match="2025-04-22 at the earliest"):
        services.call_action_days(uow, "pay-2025", "strike", date(2025, 4, 15),
                                  date(2025, 4, 18), at("2025-04-08"))
    services.call_action_days(uow, "pay-2025", "strike", date(2025, 4, 22), date(2025, 4, 25),
                              at("2025-04-08"), call_id="strike-days-1")

    # 9. One striker goes back to work; the employer sacks another, then takes him back.
    services.return_to_work(uow, "pay-2025", "m05", at("2025-04-23"))
    services.record_dismissal(uow, "pay-2025", "d03", at("2025-04-24"))
    services.record_reinstatement(uow, "pay-2025", "d03", at("2025-05-02"))
    assert services.roster_of(uow, "pay-2025", at("2025-05-02", 12)).size == 31

    # 10. Strike pay for the strike week (ISO week 17) to everybody who was out in it:
    #     m05 and d03 too, who were out for part of it.
    run = services.pay_strike_pay_run(uow, "pay-2025", "2025-W17", Decimal("60.00"),
                                      at("2025-04-28"))
    assert (len(run.paid), run.total, run.skipped) == (32, Decimal("1920.00"), ())
    assert {"m05", "d03"} <= set(run.paid)
    with pytest.raises(PreconditionFailed, match="strike pay goes to strikers"):
        services.pay_strike_pay(uow, "pay-2025", "o01", "2025-W17", Decimal("60.00"),
                                at("2025-04-28"))
    fund = services.fund_of(uow, "pay-2025", at("2025-05-01"))
    assert (fund.balance, fund.weekly_outflow) == (Decimal("5080.00"), "480")
    assert Fraction(fund.runway_weeks or "0") == Fraction(5080, 480)  # 10.58 weeks
    assert fund.runway.startswith("10.5 weeks")

    # 11. The first offer. The negotiators like it, but they cannot accept it: only a
    #     strikers' ballot can, and the strikers reject it.
    offer1 = services.record_employer_offer(
        uow, "pay-2025", "Acme Logistics offers 2% from 1 April 2025 and a review of "
        "redundancy terms.", "2% and a review", at("2025-05-06"), recorded_by="m01",
        offer_id="offer-1")
    assert offer1.published_to == 31
    with pytest.raises(PreconditionFailed, match="negotiators have no power to accept"):
        services.settle(uow, "pay-2025", "offer-1", at("2025-05-06", 12))
    services.open_strike_ballot(uow, "pay-2025", "offer", at("2025-05-07"), at("2025-05-14"),
                                offer_id="offer-1", ballot_id="offer-1-ballot")
    strikers_now = services.roster_of(uow, "pay-2025", at("2025-05-07")).strikers
    vote(uow, "offer-1-ballot", at("2025-05-08"), yes=list(strikers_now[:10]),
         no=list(strikers_now[10:30]))
    services.close_ballot(uow, "offer-1-ballot", at("2025-05-14"))
    assert services.show_offer(uow, "offer-1").status == "rejected"
    assert "the offer is rejected" in services.results_notice(uow, "offer-1-ballot").statement

    # 12. The strikers recall the committee member who pressed the offer on them:
    #     4 signatures (10% of 31) open the recall ballot; it carries.
    mandate = committee["m02"].mandate_id
    assert mandate is not None
    petition = services.open_recall_petition(uow, mandate, "d02", at("2025-05-15"),
                                             petition_id="recall-m02")
    assert (petition.constituency_size, petition.required) == (31, 4)
    for signer in ("d02", "d04", "m10", "m11"):
        signed = services.sign_recall_petition(uow, "recall-m02", signer, at("2025-05-16"),
                                               ballot_id="recall-m02-ballot")
    assert signed.ballot_id == "recall-m02-ballot"
    vote(uow, "recall-m02-ballot", at("2025-05-17"), yes=list(strikers_now[:20]),
         no=list(strikers_now[20:28]))
    assert services.close_ballot(uow, "recall-m02-ballot", at("2025-05-23")).passed is True
    seat = committee["m02"].seat_id
    (due,) = [c for c in services.elections_due_now(uow, at("2025-05-23")) if c.seat_id == seat]
    assert due.reason == "by_election"
    services.open_committee_election(uow, "pay-2025", [seat], ["m12", "d02"], at("2025-05-24"),
                                     at("2025-05-27"), ballot_id="committee-by-1")
    vote_for = {m: ["m12"] if i % 3 else ["d02", "m12"] for i, m in enumerate(strikers_now)}
    for m, ranking in vote_for.items():
        services.cast_vote(uow, "committee-by-1", m, ranking, at("2025-05-25"))
    assert services.close_ballot(uow, "committee-by-1", at("2025-05-27")).elected == ("m12",)

    # 13. More strike days are called for June, then a second offer arrives.
    services.call_action_days(uow, "pay-2025", "strike", date(2025, 6, 16), date(2025, 6, 17),
                              at("2025-05-26"), call_id="strike-days-2")
    services.record_employer_offer(
        uow, "pay-2025", "Acme Logistics offers 4.5% from 1 April 2025 and no compulsory "
        "redundancies for three years.", "4.5% and no compulsory redundancies",
        at("2025-06-02"), offer_id="offer-2")

    # 14. The strikers vote to settle on it: the dispute is settled at the close, the
    #     mandate ends and the June strike days are called off.
    services.open_strike_ballot(uow, "pay-2025", "settle", at("2025-06-03"), at("2025-06-10"),
                                offer_id="offer-2", ballot_id="settle-ballot")
    vote(uow, "settle-ballot", at("2025-06-04"), yes=list(strikers_now[:25]),
         no=list(strikers_now[25:28]))
    services.close_ballot(uow, "settle-ballot", at("2025-06-10"))
    detail = services.show_dispute(uow, "pay-2025", at("2025-06-11"))
    assert detail.dispute.status == "settled"
    assert detail.settlement is not None
    assert (detail.settlement.offer_id, detail.settlement.ballot_id) == ("offer-2",
                                                                          "settle-ballot")
    assert {m.ballot_id: m.status for m in detail.mandates} == {"strike-2": "revoked"}
    assert {c.call_id: c.status for c in detail.calls} == {"strike-days-1": "over",
                                                           "strike-days-2": "called_off"}
    assert [o.status for o in detail.offers] == ["rejected", "accepted"]
    with pytest.raises(PreconditionFailed, match="is settled"):
        services.call_action_days(uow, "pay-2025", "strike", date(2025, 7, 1), date(2025, 7, 1),
                                  at("2025-06-11"))

    # 15. The record: every step is in the audit log, which verifies against the
    #     checkpoints taken at each ballot's opening and close.
    report = services.verify_audit(uow)
    assert report.ok, report.message
    kinds = [json.loads(c)["kind"] for _, _, c in services.audit_entries(uow)]
    for needed in ("dispute.opened", "roster.joined", "roster.returned", "roster.dismissed",
                   "roster.reinstated", "dispute.committee_seat", "dispute.ballot_called",
                   "dispute.ballot_result", "dispute.mandate_granted", "action.called",
                   "fund.contributed", "strike_pay.paid", "offer.received", "offer.published",
                   "offer.rejected", "offer.accepted", "petition.opened", "recall.passed",
                   "mandate.ended", "election.called", "dispute.settled",
                   "dispute.mandate_revoked", "action.called_off"):
        assert needed in kinds, needed
    assert kinds.count("dispute.ballot_result") == 4
    assert kinds.count("strike_pay.paid") == 32
