"""Published input-output results (numbers from ../shared/data/io-tables/SOURCES.md)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from councilplan.planning import Economy, gross_output, labour_values, solve_gross_output


def test_miller_blair_table_2_3() -> None:
    # Miller and Blair, Input-Output Analysis, Table 2.3
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    x = np.array([1000.0, 2000.0])
    A = Z / x
    eco = Economy.from_matrix(sp.csr_array(A), labour=[1.0, 1.0])
    # the Leontief inverse, column by column, by solving with unit needs
    L = np.column_stack([gross_output(eco, e) for e in np.eye(2)])
    np.testing.assert_allclose(
        L, [[1.25412541, 0.330033], [0.2640264, 1.12211221]], rtol=0, atol=5e-7
    )
    out = gross_output(eco, [600.0, 1500.0])
    np.testing.assert_allclose(out, [1247.5, 1841.6], atol=0.05)
    # and the table reproduces itself: its own final demand gives its own output
    np.testing.assert_allclose(gross_output(eco, x - Z.sum(axis=1)), x, rtol=1e-10)


def test_ochoa_1984_labour_values() -> None:
    A = np.array([[0.265, 0.968, 0.00681], [0.0121, 0.391, 0.0169], [0.0408, 0.808, 0.165]])
    l = np.array([0.193, 3.562, 0.616])
    eco = Economy.from_matrix(A, l, products=["agriculture", "industry", "services"])
    v = labour_values(eco)
    np.testing.assert_allclose(v, [0.4398417, 7.739431, 0.8979541], rtol=2e-7)
    # v = v A + l
    np.testing.assert_allclose(v @ A + l, v, rtol=1e-10)


def test_solution_reports_iterations_and_residual() -> None:
    A = np.array([[0.265, 0.968, 0.00681], [0.0121, 0.391, 0.0169], [0.0408, 0.808, 0.165]])
    eco = Economy.from_matrix(A, [0.193, 3.562, 0.616])
    d = np.array([10.0, 3.0, 7.0])
    sol = solve_gross_output(eco, d, rtol=1e-12)
    assert sol.iterations >= 1
    assert sol.residual <= 1e-12
    true_residual = np.linalg.norm(d - (sol.x - A @ sol.x)) / np.linalg.norm(d)
    np.testing.assert_allclose(sol.residual, true_residual, rtol=1e-3, atol=1e-15)
    np.testing.assert_allclose(sol.x, np.linalg.solve(np.eye(3) - A, d), rtol=1e-10)
