"""Forming the federation through the services: every refusal writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from councilplan import services
from councilplan.errors import NotFound, PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _size(uow: UnitOfWork) -> int:
    with uow.reading():
        return uow.audit.head().size


def test_the_tree_and_constituencies(mill: UnitOfWork) -> None:
    services.create_council(mill, "dock", "Dock workers' council", "workplace", T0,
                            parent_id="area")
    services.admit_member(mill, "d01", "dock", T0)
    views = {v.council_id: v for v in services.list_councils(mill)}
    assert views["mill"].members == 20
    assert views["area"].members == 0
    assert views["area"].constituency == 21  # its own members plus those below
    detail = services.show_council(mill, "area", T0)
    assert detail.children == ("dock", "mill")


def test_a_parent_must_rank_above_its_child_and_nothing_is_written(mill: UnitOfWork) -> None:
    before = _size(mill)
    with pytest.raises(PreconditionFailed, match="cannot be created"):
        services.create_council(mill, "x", "X", "area", T0, parent_id="mill")
    with pytest.raises(PreconditionFailed):
        services.create_council(mill, "mill", "Again", "workplace", T0)
    assert _size(mill) == before
    assert "x" not in {v.council_id for v in services.list_councils(mill)}


def test_membership_rules(mill: UnitOfWork) -> None:
    services.create_council(mill, "street", "Street council", "residential", T0)
    with pytest.raises(PreconditionFailed, match="must first belong to a workplace council"):
        services.admit_member(mill, "newcomer", "street", T0)
    assert services.list_members(mill, "street") == ()
    services.admit_member(mill, "w01", "street", T0)
    services.create_council(mill, "dock", "Dock", "workplace", T0)
    with pytest.raises(PreconditionFailed, match="exactly one workplace"):
        services.admit_member(mill, "w01", "dock", T0)
    member = next(m for m in services.list_members(mill, "mill") if m.member_id == "w01")
    assert member.councils == ("mill", "street")
    with pytest.raises(PreconditionFailed, match="leave workplace"):
        services.leave_council(mill, "w01", "mill", T0)
    services.leave_council(mill, "w01", "street", T0)


def test_a_wage_is_reported_once_a_period_and_never_logged(mill: UnitOfWork) -> None:
    services.report_wage(mill, "w01", "2025-01", Decimal("2450.00"), T0)
    with pytest.raises(PreconditionFailed, match="already reported"):
        services.report_wage(mill, "w01", "2025-01", Decimal("9999.00"), T0)
    with pytest.raises(NotFound):
        services.report_wage(mill, "nobody", "2025-01", Decimal("1.00"), T0)
    text = "".join(c for _, _, c in services.audit_entries(mill))
    assert "2450" not in text
    assert "Worker" not in text


def test_a_delegate_seat_delegates_to_the_parent(mill: UnitOfWork) -> None:
    with pytest.raises(PreconditionFailed, match="parent"):
        services.define_seat(mill, "area/x", "area", "Delegate up", "delegate", T0,
                             term_length=365 * DAY, election_lead=28 * DAY, delegate_to="mill")
    with pytest.raises(PreconditionFailed, match="exists"):
        services.define_seat(mill, "mill/delegate", "mill", "Again", "office", T0,
                             term_length=365 * DAY, election_lead=28 * DAY)
    seat = services.show_council(mill, "mill", T0).seats[0]
    assert (seat.seat_id, seat.delegate_to, seat.holder_id) == ("mill/delegate", "area", None)
