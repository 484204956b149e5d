"""optimise_plan against HiGHS on the LP written out directly, and against theory."""

from __future__ import annotations

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from councilplan.errors import EconomyError
from councilplan.planning import (
    Economy,
    PlanStatus,
    generate_economy,
    gross_output,
    labour_values,
    optimise_plan,
)


def _direct_highs_theta(A: np.ndarray, lab: np.ndarray, d: np.ndarray, L: float,
                        cap: np.ndarray) -> float:
    """max theta s.t. (I - A) z >= theta d, l.z <= L, 0 <= z <= cap, 0 <= theta <= 1,
    written out row by row with highspy's own modelling calls (not our lp module)."""
    n = A.shape[0]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    for j in range(n):
        h.addVar(0.0, float(cap[j]) if np.isfinite(cap[j]) else inf)
    h.addVar(0.0, 1.0)  # theta
    h.changeColCost(n, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    IA = np.eye(n) - A
    for i in range(n):
        idx = [j for j in range(n) if IA[i, j] != 0] + [n]
        val = [IA[i, j] for j in range(n) if IA[i, j] != 0] + [-d[i]]
        h.addRow(0.0, inf, len(idx), np.array(idx, dtype=np.int32), np.array(val))
    h.addRow(-inf, L, n, np.arange(n, dtype=np.int32), lab.astype(float))
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getSolution().col_value[n])


@pytest.fixture(scope="module")
def small() -> Economy:
    return generate_economy(60, 8, seed=11, tiers=1)


def test_labour_binding_matches_direct_highs(small: Economy) -> None:
    x = gross_output(small)
    L = 0.6 * float(small.labour @ x)
    A = small.A.toarray()
    expected = _direct_highs_theta(A, small.labour, small.needs, L, small.capacity)
    for method in ("leontief", "highs-simplex", "highs-ipm"):
        plan = optimise_plan(small, labour_available=L, method=method)
        assert plan.status is PlanStatus.OPTIMAL
        assert plan.theta == pytest.approx(expected, rel=1e-7)
        assert plan.theta == pytest.approx(0.6, rel=1e-9)
        assert plan.labour_used == pytest.approx(L, rel=1e-6)
        assert [b.kind for b in plan.binding] == ["labour"]
        # shadow price of labour: one more hour raises theta by 1 / (l . x)
        assert plan.shadow_labour == pytest.approx(1.0 / float(small.labour @ x), rel=1e-5)
        # and product shadow prices are labour values scaled by it
        v = labour_values(small)
        np.testing.assert_allclose(plan.shadow_products, plan.shadow_labour * v, rtol=1e-5,
                                   atol=1e-12)


def test_capacity_binding_matches_direct_highs(small: Economy) -> None:
    x = gross_output(small)
    cap = np.full(small.n, np.inf)
    cap[[3, 17]] = [0.5 * x[3], 0.7 * x[17]]
    eco = Economy.from_matrix(small.A, small.labour, cap, needs=small.needs)
    L = 2.0 * float(small.labour @ x)
    expected = _direct_highs_theta(eco.A.toarray(), eco.labour, eco.needs, L, cap)
    plan = optimise_plan(eco, labour_available=L)
    assert plan.method == "leontief"
    assert plan.theta == pytest.approx(expected, rel=1e-7)
    assert plan.theta == pytest.approx(0.5, rel=1e-9)
    assert [(b.kind, b.index) for b in plan.binding] == [("capacity", 3)]
    assert plan.shadow_capacity[3] == pytest.approx(1.0 / x[3], rel=1e-9)
    ref = optimise_plan(eco, labour_available=L, method="highs-simplex")
    assert ref.theta == pytest.approx(plan.theta, rel=1e-7)
    assert ref.shadow_capacity[3] == pytest.approx(plan.shadow_capacity[3], rel=1e-5)
    np.testing.assert_allclose(ref.shadow_products, plan.shadow_products, rtol=1e-4, atol=1e-9)
    np.testing.assert_allclose(ref.activity, plan.activity, rtol=1e-6, atol=1e-6 * x.max())


def test_tiers_are_met_in_order() -> None:
    eco = generate_economy(80, 10, seed=4, tiers=3)
    x_by_tier = [gross_output(eco, np.where(eco.tiers == t, eco.needs, 0.0)) for t in (1, 2, 3)]
    h = [float(eco.labour @ xt) for xt in x_by_tier]
    L = h[0] + 0.25 * h[1]  # tier 1 fully, a quarter of tier 2, nothing of tier 3
    for method in ("leontief", "highs"):
        plan = optimise_plan(eco, labour_available=L, method=method)
        assert plan.tiers == (1, 2, 3)
        assert plan.theta_of(1) == pytest.approx(1.0, abs=1e-7)
        assert plan.theta_of(2) == pytest.approx(0.25, rel=1e-6)
        assert plan.theta_of(3) == pytest.approx(0.0, abs=1e-6)
        assert plan.critical_tier == 2
        met = plan.fulfilment[eco.tiers == 1]
        assert np.all(met >= 1.0 - 1e-6)


def test_all_needs_met_gives_labour_values_as_prices(small: Economy) -> None:
    plan = optimise_plan(small)  # unlimited labour
    assert plan.theta == 1.0
    assert plan.binding == ()
    assert plan.critical_tier is None
    np.testing.assert_allclose(plan.activity, gross_output(small), rtol=1e-9)
    np.testing.assert_allclose(plan.shadow_products, labour_values(small), rtol=1e-9)
    ref = optimise_plan(small, method="highs")
    np.testing.assert_allclose(ref.shadow_products, labour_values(small), rtol=1e-5)


def test_choice_between_techniques_picks_the_cheaper_one() -> None:
    # bread by a bakery (0.5 h/loaf) or an old bakery (0.9 h/loaf) with 100 loaves capacity;
    # grain by a farm. Need 300 loaves.
    A = sp.csr_array(np.array([[0.1, 0.5, 0.5], [0.0, 0.0, 0.0]]))
    eco = Economy.from_arrays(
        A, [2.0, 0.5, 0.9], makes=[0, 1, 1], products=["grain", "bread"],
        techniques=["farm", "bakery", "old-bakery"], capacity=[np.inf, 100.0, np.inf],
        needs=[0.0, 300.0],
    )
    plan = optimise_plan(eco)
    assert plan.method == "highs"
    assert plan.theta == pytest.approx(1.0)
    np.testing.assert_allclose(plan.activity[1:], [100.0, 200.0], rtol=1e-7)
    assert plan.activity[0] == pytest.approx(150.0 / 0.9, rel=1e-7)
    assert [b.name for b in plan.binding] == ["bakery"]
    with pytest.raises(EconomyError, match="one technique per product"):
        optimise_plan(eco, method="leontief")


def test_resource_cap_binds() -> None:
    A = np.array([[0.1, 0.2], [0.3, 0.1]])
    R = sp.csr_array(np.array([[2.0, 1.0]]))  # energy per unit
    eco = Economy.from_arrays(A, [1.0, 1.0], makes=[0, 1], products=["a", "b"], R=R,
                              resources=["energy"], needs=[10.0, 10.0])
    x = gross_output(eco)
    energy = float((R @ x)[0])
    for method in ("leontief", "highs"):
        plan = optimise_plan(eco, resource_caps={"energy": 0.4 * energy}, method=method)
        assert plan.theta == pytest.approx(0.4, rel=1e-7)
        assert [b.kind for b in plan.binding] == ["resource"]
        assert plan.shadow_resources[0] == pytest.approx(1.0 / energy, rel=1e-5)
    with pytest.raises(EconomyError, match="resource"):
        optimise_plan(eco, resource_caps={"land": 3.0})


def test_bad_plan_inputs_are_named(small: Economy) -> None:
    d = small.needs.copy()
    d[[2, 5]] = [-1.0, np.nan]
    with pytest.raises(EconomyError) as exc:
        optimise_plan(small, d, labour_available=-3)
    where = [p.where for p in exc.value.problems]
    assert f"need for {small.products[2]}" in where
    assert f"need for {small.products[5]}" in where
    assert "labour_available" in where


def test_pdlp_agrees_to_its_tolerance(small: Economy) -> None:
    L = 0.6 * float(small.labour @ gross_output(small))
    plan = optimise_plan(small, labour_available=L, method="pdlp", tolerance=1e-8)
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.theta == pytest.approx(0.6, rel=1e-4)
