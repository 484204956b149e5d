"""Targets to workplaces, output reported, a shortfall and the re-plan of the rest of the
period -- on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from councilplan import services
from councilplan.errors import InvalidInput, PreconditionFailed
from councilplan.planning.cycle import OutputReport, TechniqueTable, VariantSpec
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork

DAY = timedelta(days=1)
PLAN_AT = datetime(2026, 1, 4, tzinfo=UTC)  # conftest.py registers at this time

CLOSE = PLAN_AT + 8 * DAY
Q1_END = PLAN_AT + 90 * DAY


def _events(uow: UnitOfWork, kind: str) -> list[dict[str, object]]:
    return [json.loads(c)["payload"] for _s, _h, c in services.audit_entries(uow)
            if json.loads(c)["kind"] == kind]


def _adopt(uow: UnitOfWork, key: str, at: object) -> None:
    ballot = pc.open_plan_ballot(uow, "y2026", at, at + 7 * DAY)  # type: ignore[operator]
    pc.cast_plan_vote(uow, ballot.ballot_id, "farm0", [key], at)
    services.close_ballot(uow, ballot.ballot_id, at + 7 * DAY)  # type: ignore[operator]


@pytest.fixture
def adopted(registered: UnitOfWork) -> UnitOfWork:
    pc.compute_variants(registered, "y2026", [VariantSpec("35h", "35-hour week",
                                                          hours_per_week=35.0)], PLAN_AT)
    _adopt(registered, "35h", PLAN_AT)
    return registered


def test_targets_give_each_workplace_its_output_inputs_and_needs(adopted: UnitOfWork) -> None:
    uow = adopted
    published = pc.publish_targets(uow, "y2026", CLOSE)
    assert (published.targets, published.workplaces) == (4, 4)
    assert _events(uow, "plan.targets_published")[0]["targets_sha256"] == published.sha256
    with pytest.raises(PreconditionFailed, match="published already"):
        pc.publish_targets(uow, "y2026", CLOSE)
    bakeries = [*pc.workplace_targets(uow, "y2026", "bakery"),
                *pc.workplace_targets(uow, "y2026", "bakery2")]
    assert sum(t.output for t in bakeries) == pytest.approx(5000.0, rel=1e-8)
    for t in bakeries:
        assert t.unit == "loaf"
        assert sum(q for _, q in t.by_sub_period) == pytest.approx(t.output)
        # a need's share goes to each bakery in proportion to its output
        assert sum(n["quantity"] for n in t.needs_served) + t.surplus_share == pytest.approx(
            t.net_share, rel=1e-9, abs=1e-6)
        grain = next(i for i in t.inputs if i["product"] == "grain")
        assert grain["supplier"] == "farm"
    farm = pc.workplace_targets(uow, "y2026", "farm")[0]
    # what the farm sends adds up to its own output less the grain needed directly
    smith = pc.workplace_targets(uow, "y2026", "smith")[0]
    sent = sum(i["quantity"] for t in [*bakeries, farm, smith] for i in t.inputs
               if i["product"] == "grain")
    direct = sum(n["quantity"] for n in farm.needs_served)
    assert sent + direct + farm.surplus_share == pytest.approx(farm.output, rel=1e-9)


def test_a_target_traces_back_to_the_councils_whose_needs_it_serves(
        adopted: UnitOfWork) -> None:
    uow = adopted
    pc.publish_targets(uow, "y2026", CLOSE)
    trace = pc.trace_target(uow, "y2026", "farm", "grain")
    assert trace.traced == pytest.approx(trace.output, rel=1e-9)
    assert {c for c, _ in trace.by_council} == {"res1", "res2", "nat"}
    assert {b for b, _ in trace.by_branch} == {"north", "south", "nat"}
    # the farm is the only maker of grain: it delivers res2's 50 t of grain directly
    assert trace.direct == pytest.approx(50.0, rel=1e-6)
    assert sum(n["direct"] for n in trace.needs) == pytest.approx(50.0, rel=1e-6)


def test_reports_track_fulfilment_and_a_shortfall_is_re_planned(adopted: UnitOfWork) -> None:
    uow = adopted
    pc.publish_targets(uow, "y2026", CLOSE)
    targets = {(t.workplace, t.product): t for wp in ("farm", "smith", "bakery", "bakery2")
               for t in pc.workplace_targets(uow, "y2026", wp)}
    q1 = {k: dict(t.by_sub_period)["Q1"] for k, t in targets.items()}
    # the farm makes only half its grain in Q1; everyone else meets the plan
    reports = [OutputReport("Q1", wp, p, q * (0.5 if wp == "farm" else 1.0), 10.0)
               for (wp, p), q in q1.items()]
    with pytest.raises(InvalidInput, match="no target for tools"):
        pc.report_output(uow, "y2026", [OutputReport("Q1", "farm", "tools", 1.0, 1.0)],
                         Q1_END)
    with pytest.raises(InvalidInput, match="has not begun"):
        pc.report_output(uow, "y2026", [OutputReport("Q3", "farm", "grain", 1.0, 1.0)],
                         Q1_END)
    done = pc.report_output(uow, "y2026", reports, Q1_END)
    assert (done.reports, done.workplaces) == (4, 4)
    progress = pc.plan_progress(uow, "y2026")
    assert progress.through == ("Q1",)
    assert progress.behind == 1
    farm = next(r for r in progress.rows if r["workplace"] == "farm")
    assert farm["share"] == pytest.approx(0.5)
    # a corrected report replaces the first
    assert pc.report_output(uow, "y2026", [reports[0]], Q1_END).replaced == 1
    # the re-plan of Q2-Q4 starts from the actuals
    replan = pc.start_replan(uow, "y2026", "Q2", Q1_END)
    assert replan.revision == 2
    assert replan.covers == ("Q2", "Q3", "Q4")
    assert replan.unreported == ()
    assert pc.show_period(uow, "y2026").status == "open"
    # the targets of revision 1 stay in force until the re-plan is adopted
    assert pc.workplace_targets(uow, "y2026", "farm")[0].revision == 1
    # the farm's capacity was cut for the rest of the year; it registers it
    pc.register_techniques(uow, "y2026", TechniqueTable.from_rows([
        {"workplace": "farm", "product": "grain", "labour": 2.0, "capacity": 2000.0,
         "inputs": {"tools": 0.05, "grain": 0.1}}]), Q1_END)
    views = pc.compute_variants(uow, "y2026", [VariantSpec("rest", "The rest of 2026",
                                                           hours_per_week=35.0)], Q1_END)
    rest = views[0]
    assert rest.revision == 2
    assert rest.summary["needs"] == 4
    _adopt(uow, "rest", Q1_END)
    assert _events(uow, "plan.adopted")[-1]["covers"] == ["Q2", "Q3", "Q4"]
    second = pc.publish_targets(uow, "y2026", Q1_END + 8 * DAY)
    assert second.revision == 2
    assert second.sub_periods == ("Q2", "Q3", "Q4")
    farm2 = pc.workplace_targets(uow, "y2026", "farm")[0]
    assert farm2.revision == 2
    assert farm2.output <= 2000.0 * (1 + 1e-9)  # the new capacity binds
    assert [s for s, _ in farm2.by_sub_period] == ["Q2", "Q3", "Q4"]
    # what Q1 delivered is not planned again: the rest of the bread needs remain
    bread2 = sum(t.output for wp in ("bakery", "bakery2")
                 for t in pc.workplace_targets(uow, "y2026", wp))
    bread_q1 = q1[("bakery", "bread")] + q1[("bakery2", "bread")]
    assert bread2 <= 5000.0 - bread_q1 + 1e-6
    # Q1 is still reported against revision 1, Q2 against revision 2
    pc.report_output(uow, "y2026", [OutputReport("Q2", "farm", "grain", 500.0, 1000.0),
                                    OutputReport("Q1", "smith", "tools", 1.0, 5.0)],
                     Q1_END + 91 * DAY)
    with uow.reading():
        got = {(r.sub_period, r.workplace): r for r in uow.targets.reports("y2026")}
    assert got[("Q2", "farm")].output == 500.0
    assert services.verify_audit(uow).ok


def test_a_replan_starts_inside_the_plan_in_force(adopted: UnitOfWork) -> None:
    uow = adopted
    with pytest.raises(PreconditionFailed, match="publish the targets"):
        pc.start_replan(uow, "y2026", "Q2", CLOSE)
    pc.publish_targets(uow, "y2026", CLOSE)
    with pytest.raises(InvalidInput, match="no sub-period"):
        pc.start_replan(uow, "y2026", "Q7", CLOSE)
    view = pc.start_replan(uow, "y2026", "Q3", CLOSE)
    assert {t for t, _ in view.unreported} == {"Q1", "Q2"}  # nothing reported: counted as 0
