"""Elections through the services: due seats only, terms that expire on their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from councilplan import services
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _elect(uow: UnitOfWork, winner: str, at: datetime, ballot_id: str) -> str:
    services.open_election(uow, ["mill/delegate"], [winner, "w19"], at, at + 7 * DAY,
                           ballot_id=ballot_id)
    for i in range(20):
        services.cast_vote(uow, ballot_id, f"w{i:02d}", [winner] if i < 15 else ["w19"],
                           at + DAY)
    view = services.close_ballot(uow, ballot_id, at + 7 * DAY)
    assert view.elected == (winner,)
    (mandate,) = [m for m in services.list_mandates(uow, "mill", at + 7 * DAY)
                  if m.holder_id == winner and m.status in ("active", "pending")]
    return mandate.mandate_id


def test_a_term_expires_on_its_own(mill: UnitOfWork) -> None:
    mandate_id = _elect(mill, "w03", T0, "e1")
    start = T0 + 7 * DAY
    end = start + 365 * DAY
    (m,) = services.list_mandates(mill, "mill", end - timedelta(microseconds=1))
    assert (m.mandate_id, m.status, m.term_start, m.term_end) == (mandate_id, "active", start, end)
    (m,) = services.list_mandates(mill, "mill", end)
    assert m.status == "expired"  # nobody had to do anything
    assert services.show_council(mill, "mill", end).seats[0].holder_id is None
    # the record: tick writes mandate.expired, dated at the term end, once
    report = services.tick(mill, end + DAY)
    assert report.expired_mandates == (mandate_id,)
    assert [c.reason for c in report.elections_due] == ["vacancy"]
    assert services.tick(mill, end + 2 * DAY).expired_mandates == ()
    # an expired mandate is paid nothing and cannot be recalled
    services.report_wage(mill, "w05", "2026-02", Decimal("2000.00"), end)
    with pytest.raises(PreconditionFailed, match="expired"):
        services.set_pay(mill, mandate_id, "2026-02", Decimal("100.00"), end + DAY)
    with pytest.raises(PreconditionFailed, match="not active"):
        services.open_recall_petition(mill, mandate_id, "w05", end + DAY)


def test_the_next_election_is_due_before_expiry_and_fills_the_next_term(
    mill: UnitOfWork,
) -> None:
    first = _elect(mill, "w03", T0, "e1")
    start = T0 + 7 * DAY
    end = start + 365 * DAY
    with pytest.raises(PreconditionFailed, match="no election is due"):
        services.open_election(mill, ["mill/delegate"], ["w04"], end - 40 * DAY, end - 33 * DAY)
    due = services.elections_due_now(mill, end - 28 * DAY)
    assert [(c.reason, c.term_start, c.term_end) for c in due] == [
        ("regular", end, end + 365 * DAY)]
    second = _elect(mill, "w04", end - 28 * DAY, "e2")
    views = {m.mandate_id: m for m in services.list_mandates(mill, "mill", end - DAY)}
    assert views[first].status == "active"
    assert views[second].status == "pending"  # no one holds a seat past its term...
    assert (views[second].term_start, views[second].term_end) == (end, end + 365 * DAY)
    views = {m.mandate_id: m for m in services.list_mandates(mill, "mill", end)}
    assert (views[first].status, views[second].status) == ("expired", "active")


def test_refusals_at_opening(mill: UnitOfWork) -> None:
    services.create_council(mill, "dock", "Dock", "workplace", T0, parent_id="area")
    services.admit_member(mill, "d01", "dock", T0)
    with pytest.raises(PreconditionFailed, match="constituency"):
        services.open_election(mill, ["mill/delegate"], ["w01", "d01"], T0, T0 + 7 * DAY)
    services.open_election(mill, ["mill/delegate"], ["w01", "w02"], T0, T0 + 7 * DAY,
                           ballot_id="e1")
    with pytest.raises(PreconditionFailed, match="already open"):
        services.open_election(mill, ["mill/delegate"], ["w01"], T0, T0 + 7 * DAY)
    assert [b.ballot_id for b in services.list_ballots(mill, "mill")] == ["e1"]


def test_several_seats_at_once_by_stv(mill: UnitOfWork) -> None:
    for k in (2, 3):
        services.define_seat(mill, f"mill/delegate{k}", "mill", f"Delegate {k}", "delegate",
                             T0, term_length=365 * DAY, election_lead=28 * DAY,
                             delegate_to="area")
    seats = ["mill/delegate", "mill/delegate2", "mill/delegate3"]
    services.open_election(mill, seats, ["w01", "w02", "w03", "w04"], T0, T0 + 7 * DAY,
                           ballot_id="stv")
    rankings = [["w01", "w02"], ["w02", "w03"], ["w03", "w01"], ["w04", "w01"]]
    for i in range(20):
        services.cast_vote(mill, "stv", f"w{i:02d}", rankings[i % 4] if i < 17 else ["w01"],
                           T0 + DAY)
    view = services.close_ballot(mill, "stv", T0 + 7 * DAY)
    assert len(view.elected) == 3
    assert view.elected[0] == "w01"
    count = services.count_ballot(mill, "stv")
    assert count.matches_stored
    assert count.result["quota"] == "6.00000"  # floor(20 / (3 + 1)) + 1
    held = {s.seat_id: s.holder_id for s in services.show_council(mill, "mill", T0 + 8 * DAY).seats}
    assert [held[s] for s in seats] == list(view.elected)  # in order of election
