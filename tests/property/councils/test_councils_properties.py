"""Hypothesis properties of the councils core."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from councilplan.councils.audit import (
    AuditEntry,
    append_events,
    checkpoint,
    verify_chain,
)
from councilplan.councils.constituency import Constituency, constituencies, constituency_of
from councilplan.councils.council import Council, CouncilKind, CouncilTree
from councilplan.councils.decision import DecisionRule, MajorityBasis, Tally, evaluate
from councilplan.councils.electorate import Electorate
from councilplan.councils.event import Event
from councilplan.councils.mandate import Mandate
from councilplan.councils.pay import PayBasis, PayRule, pay_cap, review_pay, set_pay
from councilplan.councils.recall import required_signatures
from councilplan.councils.term import Term
from councilplan.councils.wage import WageReport
from councilplan.errors import RuleViolation

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
KINDS = [CouncilKind.WORKPLACE, CouncilKind.AREA, CouncilKind.REGIONAL, CouncilKind.NATIONAL,
         CouncilKind.INTERNATIONAL]


@st.composite
def trees(draw: st.DrawFn) -> tuple[CouncilTree, dict[str, set[str]]]:
    """A random federation (each council under some council of a higher level) and members."""
    councils: list[Council] = []
    levels: list[list[str]] = []
    for level in range(draw(st.integers(1, 4)) - 1, -1, -1):
        ids = [f"c{level}_{i}" for i in range(draw(st.integers(1, 4)))]
        for cid in ids:
            parent = draw(st.sampled_from(levels[-1])) if levels else None
            if parent is not None and draw(st.booleans()) and len(levels) > 1:
                parent = draw(st.sampled_from(levels[-2]))  # skip a level now and then
            councils.append(Council(cid, cid, KINDS[level], parent))
        levels.append(ids)
    people = [f"m{i}" for i in range(30)]
    own = {c.council_id: set(draw(st.lists(st.sampled_from(people), max_size=8)))
           for c in councils}
    return CouncilTree.of(councils), own


@settings(max_examples=150, deadline=None)
@given(trees())
def test_constituency_of_parent_is_union_of_childrens_plus_own(
    data: tuple[CouncilTree, dict[str, set[str]]],
) -> None:
    tree, own = data
    every = constituencies(tree, own)
    for council in tree:
        expected = set(own.get(council.council_id, ()))
        for child in tree.children(council.council_id):
            expected |= every[child.council_id].members
        assert every[council.council_id].members == expected
        assert constituency_of(tree, own, council.council_id) == every[council.council_id]
        for child in tree.children(council.council_id):
            assert child.kind.rank < council.kind.rank


amounts = st.decimals(min_value=Decimal(0), max_value=Decimal("100000"), places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(amounts, min_size=1, max_size=25),
    amounts,
    st.sampled_from(list(PayBasis)),
    amounts,
)
def test_pay_cap_is_never_exceeded(
    wages: list[Decimal], asked: Decimal, basis: PayBasis, later_wage: Decimal
) -> None:
    members = frozenset(f"m{i}" for i in range(len(wages)))
    constituency = Constituency("c", members)
    reports = [WageReport(f"m{i}", "p1", w) for i, w in enumerate(wages)]
    cap = pay_cap(PayRule(basis), reports, constituency, "p1")
    ordered = sorted(wages)
    if basis is PayBasis.MEAN:
        assert cap.exact == sum(Fraction(w) for w in wages) / len(wages)
    assert Fraction(ordered[0]) <= cap.exact <= Fraction(ordered[-1])
    assert Fraction(cap.cap) <= cap.exact < Fraction(cap.cap) + Fraction(1, 100)
    mandate = Mandate("md", "s", "c", "m0", Term(T0, T0 + timedelta(days=365)))
    try:
        setting, _ = set_pay(mandate, asked, cap, T0)
    except RuleViolation:
        assert Fraction(asked) > cap.exact
        setting, _ = set_pay(mandate, cap.cap, cap, T0)  # the displayed cap is payable
    else:
        assert Fraction(setting.amount) <= cap.exact
    lower = pay_cap(PayRule(basis), [replace(r, period="p2", amount=later_wage) for r in reports],
                    constituency, "p2")
    review = review_pay(setting, lower, "p3", T0)
    paid_next = setting.amount if review.next_setting is None else review.next_setting.amount
    assert Fraction(paid_next) <= lower.exact
    assert review.flagged == (Fraction(setting.amount) > lower.exact)


ids = st.text(alphabet="abcdefghij0123456789-", min_size=1, max_size=6)


@given(st.lists(ids, max_size=30), st.randoms(use_true_random=False))
def test_electorate_hash_ignores_order_and_duplicates(
    members: list[str], rnd: random.Random
) -> None:
    shuffled = list(members) + list(members[:3])
    rnd.shuffle(shuffled)
    a, b = Electorate.freeze(members), Electorate.freeze(shuffled)
    assert a == b
    assert a.size == len(set(members))
    for m in members:
        assert m in a
    if members:
        assert Electorate.freeze([*members[1:], "zzzzzzz"]).digest != a.digest


@given(st.integers(0, 10_000), st.fractions(min_value=Fraction(1, 1000), max_value=1))
def test_required_signatures_is_the_least_count_reaching_the_threshold(
    size: int, share: Fraction
) -> None:
    need = required_signatures(size, share)
    assert need >= 1
    assert need >= share * size
    assert need == 1 or need - 1 < share * size


tallies = st.builds(Tally, st.integers(0, 60), st.integers(0, 60), st.integers(0, 20),
                    st.integers(0, 5))
rules = st.builds(
    DecisionRule,
    quorum=st.fractions(min_value=0, max_value=1, max_denominator=20),
    majority=st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20),
                          max_denominator=20),
    basis=st.sampled_from(list(MajorityBasis)),
    strict=st.booleans(),
    yes_of_entitled=st.none() | st.fractions(min_value=0, max_value=Fraction(1, 2),
                                             max_denominator=10),
)


@settings(max_examples=300, deadline=None)
@given(tallies, st.integers(0, 60), rules)
def test_decision_is_all_thresholds_and_one_more_yes_never_hurts(
    tally: Tally, spare: int, rule: DecisionRule
) -> None:
    entitled = tally.papers + spare + 1
    r = evaluate(tally, entitled, rule)
    if not r.tie:
        assert r.passed == all(c.met for c in r.checks)
    for c in r.checks:
        assert c.met == (c.count >= c.required_count and c.base > 0)
    if r.passed and not r.tie:
        # one more member who votes yes cannot defeat a carried question, whatever the basis
        more = evaluate(replace(tally, yes=tally.yes + 1), entitled + 1, rule)
        assert more.passed
        assert not more.tie


events_st = st.lists(
    st.builds(lambda i, t: Event("x.happened", T0 + timedelta(seconds=t), {"n": i}),
              st.integers(0, 10**6), st.integers(0, 10**6)),
    min_size=1, max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(events_st, st.data())
def test_audit_chain_no_false_alarms_and_any_single_change_is_found(
    evs: list[Event], data: st.DataObject
) -> None:
    entries = list(append_events((), evs))
    cps = [checkpoint(entries[:k]) for k in
           sorted(data.draw(st.sets(st.integers(0, len(entries)), max_size=4)))]
    cps.append(checkpoint(entries))
    assert verify_chain(entries, cps).ok
    i = data.draw(st.integers(0, len(entries) - 1))
    change = data.draw(st.sampled_from(["edit", "delete", "swap", "truncate", "hash"]))
    tampered: list[AuditEntry] = list(entries)
    first_changed = i + 1
    if change == "edit":
        tampered[i] = replace(tampered[i], canonical=tampered[i].canonical.replace(
            '"n":', '"n":1', 1))
    elif change == "delete":
        del tampered[i]
    elif change == "swap":
        j = data.draw(st.integers(0, len(entries) - 1))
        if entries[i] == entries[j]:
            return
        tampered[i], tampered[j] = tampered[j], tampered[i]
        first_changed = min(i, j) + 1
    elif change == "truncate":
        tampered = tampered[:i]
    else:
        tampered[i] = replace(tampered[i], entry_hash="0" * 63 + "1")
    report = verify_chain(tampered, cps)
    assert not report.ok
    assert report.fault is not None
    assert 1 <= report.fault.sequence <= first_changed
