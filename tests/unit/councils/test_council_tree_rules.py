"""Councils as a tree, memberships, constituencies through the tree, delegation upward."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from councilplan.councils.constituency import constituencies, constituency_of, own_members
from councilplan.councils.council import Council, CouncilKind, CouncilTree, create_council
from councilplan.councils.delegation import DelegationRule, Rounding, delegates_to_parent
from councilplan.councils.event import EventKind
from councilplan.councils.membership import (
    Membership,
    admit_member,
    leave_council,
    membership_problems,
    transfer_workplace,
    workplace_of,
)
from councilplan.errors import InvalidInput, NotFound, PreconditionFailed, RuleViolation

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

NATIONAL = Council("nat", "National council", CouncilKind.NATIONAL)
REGION = Council("reg", "North region", CouncilKind.REGIONAL, "nat")
AREA = Council("area", "Riverside area council", CouncilKind.AREA, "reg")
MILL = Council("mill", "Mill workers' council", CouncilKind.WORKPLACE, "area")
DOCKS = Council("docks", "Docks workers' council", CouncilKind.WORKPLACE, "area")
STREET = Council("street", "Canal street residents", CouncilKind.RESIDENTIAL, "area")


def tree() -> CouncilTree:
    return CouncilTree.of([DOCKS, NATIONAL, MILL, AREA, STREET, REGION])


def test_kind_ranks_order_the_federation() -> None:
    ranks = [k.rank for k in (CouncilKind.WORKPLACE, CouncilKind.AREA, CouncilKind.REGIONAL,
                              CouncilKind.NATIONAL, CouncilKind.INTERNATIONAL)]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    assert CouncilKind.INDUSTRY.rank == CouncilKind.AREA.rank
    assert CouncilKind.RESIDENTIAL.is_base
    assert CouncilKind.CONSUMER.is_base


def test_tree_navigation() -> None:
    t = tree()
    assert [c.council_id for c in t.children("area")] == ["docks", "mill", "street"]
    assert [c.council_id for c in t.ancestors("mill")] == ["area", "reg", "nat"]
    assert {c.council_id for c in t.descendants("reg")} == {"area", "docks", "mill", "street"}
    assert t.parent("nat") is None
    assert [c.council_id for c in t.roots()] == ["nat"]
    order = [c.council_id for c in t.bottom_up()]
    assert order.index("mill") < order.index("area") < order.index("reg") < order.index("nat")
    with pytest.raises(NotFound):
        t.get("nowhere")


def test_parent_must_rank_above_child() -> None:
    with pytest.raises(PreconditionFailed) as info:
        CouncilTree.of([Council("ind", "Textiles", CouncilKind.INDUSTRY),
                        Council("a", "Area", CouncilKind.AREA, "ind")])
    assert "must rank above its child" in str(info.value)
    with pytest.raises(PreconditionFailed):
        CouncilTree.of([Council("w1", "W1", CouncilKind.WORKPLACE),
                        Council("w2", "W2", CouncilKind.WORKPLACE, "w1")])
    with pytest.raises(InvalidInput):
        Council("x", "X", CouncilKind.AREA, "x")


def test_tree_collects_every_problem() -> None:
    with pytest.raises(PreconditionFailed) as info:
        CouncilTree.of([
            Council("a", "A", CouncilKind.AREA, "ghost"),
            Council("a", "A again", CouncilKind.AREA),
            Council("n", "N", CouncilKind.NATIONAL, "w"),
            Council("w", "W", CouncilKind.WORKPLACE),
        ])
    messages = " | ".join(str(p) for p in info.value.problems)
    assert "duplicate council id" in messages
    assert "cannot sit under" in messages
    assert len(info.value.problems) == 2  # the duplicate replaced the ghost parent entry


def test_create_council_returns_new_tree_and_event() -> None:
    t0 = CouncilTree.of([NATIONAL])
    t1, event = create_council(t0, REGION, T0)
    assert "reg" in t1
    assert "reg" not in t0
    assert event.kind == EventKind.COUNCIL_CREATED
    assert dict(event.payload) == {"council_id": "reg", "kind": "regional", "parent_id": "nat"}
    with pytest.raises(PreconditionFailed):
        create_council(t1, REGION, T0)  # exists already
    with pytest.raises(PreconditionFailed):
        create_council(t1, Council("w", "W", CouncilKind.WORKPLACE, "missing"), T0)


# -- memberships --------------------------------------------------------------------------


def test_member_joins_workplace_first_then_residential() -> None:
    with pytest.raises(PreconditionFailed, match="cannot join"):
        admit_member("m1", STREET, [], T0)
    wm, event = admit_member("m1", MILL, [], T0)
    assert event.kind == EventKind.MEMBER_ADMITTED
    assert dict(event.payload) == {"member_id": "m1", "council_id": "mill",
                                   "council_kind": "workplace"}
    rm, _ = admit_member("m1", STREET, [wm], T0)
    assert workplace_of("m1", [wm, rm]) == wm
    assert membership_problems([wm, rm]) == []


def test_exactly_one_workplace_council() -> None:
    wm, _ = admit_member("m1", MILL, [], T0)
    with pytest.raises(PreconditionFailed) as info:
        admit_member("m1", DOCKS, [wm], T0)
    assert "exactly one workplace council" in str(info.value)
    with pytest.raises(PreconditionFailed, match="already a member"):
        admit_member("m1", MILL, [wm], T0)
    moved, event = transfer_workplace("m1", DOCKS, [wm], T0)
    assert [m.council_id for m in moved] == ["docks"]
    assert event.kind == EventKind.MEMBER_TRANSFERRED
    with pytest.raises(RuleViolation):
        transfer_workplace("m1", STREET, moved, T0)


def test_membership_problems_report_each_breach() -> None:
    regs = [
        Membership("a", "mill", CouncilKind.WORKPLACE, T0),
        Membership("a", "docks", CouncilKind.WORKPLACE, T0),
        Membership("b", "street", CouncilKind.RESIDENTIAL, T0),
    ]
    problems = membership_problems(regs)
    assert [p.where for p in problems] == ["a", "b"]
    assert "2 workplace councils" in problems[0].message
    assert "no workplace council" in problems[1].message


def test_workplace_membership_is_left_last() -> None:
    wm, _ = admit_member("m1", MILL, [], T0)
    rm, _ = admit_member("m1", STREET, [wm], T0)
    with pytest.raises(PreconditionFailed):
        leave_council("m1", "mill", [wm, rm], T0)
    rest, event = leave_council("m1", "street", [wm, rm], T0)
    assert rest == (wm,)
    assert event.kind == EventKind.MEMBER_LEFT
    rest, _ = leave_council("m1", "mill", rest, T0)
    assert rest == ()
    with pytest.raises(RuleViolation):
        leave_council("m1", "mill", rest, T0)


def test_memberships_of_another_member_are_refused() -> None:
    wm, _ = admit_member("m1", MILL, [], T0)
    with pytest.raises(InvalidInput):
        admit_member("m2", STREET, [wm], T0)


# -- constituencies -----------------------------------------------------------------------


def test_constituency_is_own_members_plus_those_below_counted_once() -> None:
    own = {"mill": {"a", "b"}, "docks": {"c"}, "street": {"a", "d"}, "reg": {"r"}}
    t = tree()
    every = constituencies(t, own)
    assert every["mill"].members == {"a", "b"}
    assert every["area"].members == {"a", "b", "c", "d"}
    assert every["area"].size == 4  # "a" is in the mill and on the street: counted once
    assert every["reg"].members == {"a", "b", "c", "d", "r"}
    assert every["nat"].members == every["reg"].members
    for cid in every:
        assert constituency_of(t, own, cid) == every[cid]
    with pytest.raises(NotFound):
        constituencies(t, {"ghost": {"x"}})


def test_own_members_from_register() -> None:
    regs = [Membership("a", "mill", CouncilKind.WORKPLACE, T0),
            Membership("a", "street", CouncilKind.RESIDENTIAL, T0),
            Membership("b", "mill", CouncilKind.WORKPLACE, T0)]
    assert own_members(regs) == {"mill": frozenset({"a", "b"}), "street": frozenset({"a"})}


# -- delegation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "down", "up"),
    [(0, 0, 0), (1, 1, 1), (49, 1, 1), (50, 1, 1), (51, 1, 2), (120, 2, 3), (500, 10, 10)],
)
def test_one_delegate_per_n_members_at_least_one(size: int, down: int, up: int) -> None:
    assert DelegationRule(50).delegates(size) == down
    assert DelegationRule(50, rounding=Rounding.UP).delegates(size) == up


def test_delegation_bounds_and_top_of_tree() -> None:
    assert DelegationRule(10, minimum=2, maximum=5).delegates(3) == 2
    assert DelegationRule(10, minimum=2, maximum=5).delegates(1000) == 5
    with pytest.raises(InvalidInput):
        DelegationRule(0)
    with pytest.raises(InvalidInput):
        DelegationRule(10, minimum=3, maximum=2)
    assert delegates_to_parent(tree(), "mill", 120, DelegationRule(50)) == 2
    with pytest.raises(RuleViolation):
        delegates_to_parent(tree(), "nat", 1000, DelegationRule(50))
