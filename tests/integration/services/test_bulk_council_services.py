"""A federation's register in one go: many councils and members at once, checked whole,
all or nothing, one event each -- on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from councilplan import services
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_many_councils_and_members_at_once(uow: UnitOfWork) -> None:
    rows = [("nat", "National", "national", None), ("r1", "Region 1", "regional", "nat")]
    rows += [(f"w{k}", f"Workplace {k}", "workplace", "r1") for k in range(50)]
    rows += [("res", "Residents", "residential", "r1")]
    assert services.create_councils(uow, rows, T0) == 53
    assert services.admit_members(uow, [(f"m{k}", f"w{k % 50}") for k in range(100)]
                                  + [("m0", "res")], T0) == 101
    views = {v.council_id: v for v in services.list_councils(uow)}
    assert views["r1"].constituency == 100
    assert views["w3"].members == 2
    kinds = [json.loads(c)["kind"] for _s, _h, c in services.audit_entries(uow)]
    assert kinds.count("council.created") == 53
    assert kinds.count("member.admitted") == 101
    assert services.verify_audit(uow).ok


def test_a_bad_register_is_refused_whole(uow: UnitOfWork) -> None:
    services.create_councils(uow, [("nat", "National", "national", None)], T0)
    with pytest.raises(PreconditionFailed) as info:
        services.create_councils(uow, [("r1", "Region", "regional", "nat"),
                                       ("w1", "W", "workplace", "nowhere"),
                                       ("nat", "Again", "national", None),
                                       ("x", "X", "regional", "r1")], T0)
    text = str(info.value)
    assert "already exists" in text
    assert "parent council nowhere does not exist" in text
    assert "cannot sit under" in text
    assert [v.council_id for v in services.list_councils(uow)] == ["nat"]
    services.create_councils(uow, [("w1", "W", "workplace", "nat"),
                                   ("w2", "W2", "workplace", "nat")], T0)
    with pytest.raises(PreconditionFailed) as info:
        services.admit_members(uow, [("a", "w1"), ("a", "w2"), ("b", "nowhere")], T0)
    assert "exactly one workplace council" in str(info.value)
    assert services.list_members(uow, "w1") == ()
