"""Variants computed and put to the vote, on SQLite and PostgreSQL: delegates weighted by
the members they represent (an open, recorded vote) or all members (secret); the adopted
variant frozen, its hash in the audit log; rejected variants; a tampered variant refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from councilplan import services
from councilplan.errors import PreconditionFailed, RuleViolation
from councilplan.planning.cycle import VariantSpec
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork
from councilplan.store.tables import plan_variants

DAY = timedelta(days=1)
PLAN_AT = datetime(2026, 1, 4, tzinfo=UTC)  # conftest.py registers at this time

VOTE = PLAN_AT + DAY
CLOSE = PLAN_AT + 8 * DAY
SPECS = [VariantSpec("35h", "Every need on a 35-hour week", hours_per_week=35.0),
         VariantSpec("short", "A 10-hour week, the lower tiers partly met",
                     hours_per_week=10.0),
         VariantSpec("invest", "More investment", hours_per_week=35.0,
                     need_scale={"investment": 1.5})]


def _events(uow: UnitOfWork, kind: str) -> list[dict[str, object]]:
    return [json.loads(c)["payload"] for _s, _h, c in services.audit_entries(uow)
            if json.loads(c)["kind"] == kind]


def test_variants_state_their_consequences_and_are_logged_with_their_hash(
        registered: UnitOfWork) -> None:
    uow = registered
    views = pc.compute_variants(uow, "y2026", SPECS, PLAN_AT)
    by = {v.key: v for v in views}
    assert by["35h"].statement[0].startswith("Every need is met in full")
    assert by["short"].statement[0].startswith("Needs met: tier 1 needs")
    assert by["short"].summary["hours"]["labour_binds"] is True
    assert "capacit" in " ".join(by["35h"].statement)
    assert len({v.inputs_sha256 for v in views}) == 1  # one snapshot for all three
    logged = {e["key"]: e for e in _events(uow, "plan.variant_computed")}
    for v in views:
        assert logged[v.key]["variant_sha256"] == v.variant_sha256
        assert pc.verify_variant(uow, v.variant_id)["ok"] is True
    with pytest.raises(PreconditionFailed, match="has a variant with this key"):
        pc.compute_variants(uow, "y2026", SPECS[:1], PLAN_AT)


def test_delegates_vote_openly_with_the_weight_of_the_members_they_represent(
        registered: UnitOfWork) -> None:
    uow = registered
    views = {v.key: v for v in pc.compute_variants(uow, "y2026", SPECS, PLAN_AT)}
    ballot = pc.open_plan_ballot(uow, "y2026", PLAN_AT, CLOSE)
    assert ballot.electorate == "delegates"
    assert ballot.method == "schulze"
    assert ballot.options == ("35h", "invest", "short")  # by key
    # north sends farm0 for its 7 members, south bakery0 for its 6
    assert dict(ballot.weights) == {"farm0": "7", "bakery0": "6"}
    assert ballot.total_weight == "13"
    # the weights were frozen at opening: a member joining later changes nothing
    services.admit_member(uow, "late", "bakery", VOTE)
    # a secret paper cannot be cast in an open delegate vote, nor by a non-delegate
    with pytest.raises(PreconditionFailed, match="not in this ballot's electorate"):
        services.cast_vote(uow, ballot.ballot_id, "farm0", ["35h"], VOTE)
    with pytest.raises(PreconditionFailed, match="not a delegate"):
        pc.cast_plan_vote(uow, ballot.ballot_id, "farm1", ["35h"], VOTE)
    first = pc.cast_plan_vote(uow, ballot.ballot_id, "farm0", ["35h", "invest"], VOTE)
    assert (first.weight, first.replaced) == ("7", False)
    again = pc.cast_plan_vote(uow, ballot.ballot_id, "farm0", ["invest", "35h", "short"],
                              VOTE)
    assert again.replaced is True
    pc.cast_plan_vote(uow, ballot.ballot_id, "bakery0", ["35h", "invest", "short"], VOTE)
    with pytest.raises(PreconditionFailed, match="takes votes"):
        pc.cast_plan_vote(uow, ballot.ballot_id, "bakery0", ["35h"], CLOSE)
    closed = services.close_ballot(uow, ballot.ballot_id, CLOSE)
    assert closed.elected == ("invest",)  # 7 over 6
    shown = pc.show_plan_ballot(uow, ballot.ballot_id)
    assert shown.adopted == "invest"
    assert [(r["member_id"], r["weight"], r["paper"]) for r in shown.roll_call] == [
        ("bakery0", "6", ["35h", "invest", "short"]),
        ("farm0", "7", ["invest", "35h", "short"])]
    adopted = _events(uow, "plan.adopted")
    assert len(adopted) == 1
    assert adopted[0]["variant_sha256"] == views["invest"].variant_sha256
    assert adopted[0]["ballot_id"] == ballot.ballot_id
    assert {e["key"] for e in _events(uow, "plan.variant_rejected")} == {"35h", "short"}
    statuses = {v.key: v.status for v in pc.list_variants(uow, "y2026")}
    assert statuses == {"35h": "rejected", "short": "rejected", "invest": "adopted"}
    period = pc.show_period(uow, "y2026")
    assert (period.status, period.in_force) == ("adopted", views["invest"].variant_id)
    # votes are in the log, the recount agrees, the chain verifies
    assert [e["member_id"] for e in _events(uow, "plan.vote_recorded")] == [
        "farm0", "farm0", "bakery0"]
    assert services.count_ballot(uow, ballot.ballot_id).matches_stored
    assert services.verify_audit(uow).ok


def test_all_members_vote_by_secret_ballot_when_the_rule_says_so(
        registered: UnitOfWork) -> None:
    uow = registered
    pc.compute_variants(uow, "y2026", SPECS[:2], PLAN_AT)
    ballot = pc.open_plan_ballot(uow, "y2026", PLAN_AT, CLOSE, electorate="members",
                                 method="approval")
    assert ballot.electorate_size == 13
    assert ballot.weights == ()
    receipts = []
    for k, member in enumerate(["farm0", "farm1", "farm2", "smith0", "bakery1"]):
        vote = pc.cast_plan_vote(uow, ballot.ballot_id, member,
                                 ["short"] if k < 2 else ["35h", "short"], VOTE)
        assert vote.weight is None
        assert vote.receipt_token
        receipts.append(vote.receipt_token)
    closed = services.close_ballot(uow, ballot.ballot_id, CLOSE)
    assert closed.elected == ("short",)  # approved on all five papers
    assert services.verify_receipt(uow, ballot.ballot_id, receipts[0]).counted
    published = services.published_ballots(uow, ballot.ballot_id)
    assert len(published.papers) == 5
    assert published.matches_sealed
    assert pc.show_period(uow, "y2026").status == "adopted"


def test_when_none_of_the_variants_wins_all_are_rejected_and_others_computed(
        registered: UnitOfWork) -> None:
    uow = registered
    pc.compute_variants(uow, "y2026", SPECS[1:2], PLAN_AT)
    ballot = pc.open_plan_ballot(uow, "y2026", PLAN_AT, CLOSE, include_none=True)
    assert ballot.options == ("short", "none")
    pc.cast_plan_vote(uow, ballot.ballot_id, "farm0", ["none", "short"], VOTE)
    pc.cast_plan_vote(uow, ballot.ballot_id, "bakery0", ["none"], VOTE)
    services.close_ballot(uow, ballot.ballot_id, CLOSE)
    assert _events(uow, "plan.none_adopted")[0]["reason"] == "'none of these' won"
    assert [v.status for v in pc.list_variants(uow, "y2026")] == ["rejected"]
    period = pc.show_period(uow, "y2026")
    assert (period.status, period.in_force) == ("open", None)
    with pytest.raises(PreconditionFailed, match="publishing targets refused"):
        pc.publish_targets(uow, "y2026", CLOSE)
    # the councils compute another variant and adopt it
    later = CLOSE + DAY
    pc.compute_variants(uow, "y2026", [VariantSpec("30h", "A 30-hour week",
                                                   hours_per_week=30.0)], later)
    second = pc.open_plan_ballot(uow, "y2026", later, later + 7 * DAY)
    assert second.options == ("30h",)  # the rejected variant is not on it
    pc.cast_plan_vote(uow, second.ballot_id, "farm0", ["30h"], later)
    services.close_ballot(uow, second.ballot_id, later + 7 * DAY)
    assert pc.show_period(uow, "y2026").status == "adopted"
    assert _events(uow, "plan.adopted")[0]["key"] == "30h"


def test_a_ballot_nobody_voted_in_adopts_nothing(registered: UnitOfWork) -> None:
    uow = registered
    pc.compute_variants(uow, "y2026", SPECS[:1], PLAN_AT)
    ballot = pc.open_plan_ballot(uow, "y2026", PLAN_AT, CLOSE)
    services.close_due_ballots(uow, CLOSE)  # the clock closes it
    assert services.show_ballot(uow, ballot.ballot_id).status == "closed"
    assert _events(uow, "plan.none_adopted")[0]["reason"] == "no papers were cast"
    assert pc.show_period(uow, "y2026").status == "open"


def test_a_variant_altered_after_it_was_computed_is_not_adopted(
        registered: UnitOfWork) -> None:
    uow = registered
    view = pc.compute_variants(uow, "y2026", SPECS[:1], PLAN_AT)[0]
    ballot = pc.open_plan_ballot(uow, "y2026", PLAN_AT, CLOSE)
    pc.cast_plan_vote(uow, ballot.ballot_id, "farm0", ["35h"], VOTE)
    with uow:  # somebody edits the stored plan behind the councils' backs
        row = uow.connection.execute(plan_variants.select().where(
            plan_variants.c.variant_id == view.variant_id)).one()
        doc = dict(row.document)
        doc["results"] = {**doc["results"], "labour_used": "1.0"}
        uow.connection.execute(update(plan_variants).where(
            plan_variants.c.variant_id == view.variant_id).values(document=doc))
    assert pc.verify_variant(uow, view.variant_id)["ok"] is False
    with pytest.raises(RuleViolation, match="altered"):
        services.close_ballot(uow, ballot.ballot_id, CLOSE)
    assert services.show_ballot(uow, ballot.ballot_id).status == "open"  # nothing happened
    assert _events(uow, "plan.adopted") == []
