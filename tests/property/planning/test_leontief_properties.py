"""Property tests: the sparse iterative solves agree with a dense solve on random
productive economies, and total hours counted two ways agree (v . d = l . x)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from councilplan.planning import (
    Economy,
    generate_economy,
    gross_output,
    labour_values,
    optimise_plan,
    spectral_radius,
)


@st.composite
def productive_economies(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rho = draw(st.floats(0.05, 0.95))
    density = draw(st.floats(0.05, 1.0))
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    radius = max(abs(np.linalg.eigvals(A))) if A.any() else 0.0
    if radius > 0:
        A *= rho / radius
    lab = rng.random(n) * 10
    d = rng.random(n) * 100
    return A, lab, d


@settings(max_examples=150, deadline=None)
@given(productive_economies())
def test_sparse_solves_match_dense(case: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    A, lab, d = case
    eco = Economy.from_matrix(A, lab)
    n = A.shape[0]
    x = gross_output(eco, d)
    v = labour_values(eco)
    np.testing.assert_allclose(x, np.linalg.solve(np.eye(n) - A, d), rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(v, np.linalg.solve(np.eye(n) - A.T, lab), rtol=1e-8, atol=1e-9)
    assert abs(v @ d - lab @ x) <= 1e-9 * max(abs(lab @ x), 1e-300)
    if A.any():
        assert abs(spectral_radius(eco) - max(abs(np.linalg.eigvals(A)))) < 1e-5


@settings(max_examples=40, deadline=None)
@given(productive_economies(), st.floats(0.01, 1.5))
def test_structured_plan_matches_highs(
    case: tuple[np.ndarray, np.ndarray, np.ndarray], share: float
) -> None:
    A, lab, d = case
    eco = Economy.from_matrix(A, lab, needs=d)
    L = share * float(lab @ gross_output(eco))
    fast = optimise_plan(eco, labour_available=L, method="leontief")
    ref = optimise_plan(eco, labour_available=L, method="highs")
    assert abs(fast.theta - ref.theta) <= 1e-6
    assert abs(fast.theta - min(1.0, share)) <= 1e-9
    assert fast.labour_used <= L * (1 + 1e-9)


def test_identity_on_a_generated_national_size_slice() -> None:
    eco = generate_economy(50_000, 40, seed=7)
    x = gross_output(eco)
    v = labour_values(eco)
    assert abs(spectral_radius(eco) - 0.5) < 1e-4
    total = float(eco.labour @ x)
    assert abs(float(v @ eco.needs) - total) <= 1e-9 * total
