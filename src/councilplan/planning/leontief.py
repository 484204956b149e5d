"""Leontief solves on the sparse matrix: gross output and labour values.

Gross output for needs ``d`` (one technique per product)::

    x = (I - A)^-1 d        solved as   (I - A) x = d

Labour values (hours embodied per unit, direct and indirect)::

    v = v A + l             i.e.        (I - A^T) v = l

and the identity that ties them together (total hours, counted two ways)::

    v . d = l . x

Both are solved by a Krylov method (BiCGSTAB with no allocation per iteration, see
:mod:`~councilplan.planning.krylov`; GMRES as a fall-back), applying ``I - A`` with one
sparse matrix-vector product: never a dense inverse, never a factorisation. For a
productive economy the spectrum of ``I - A`` lies in the disc of radius ``rho(A)``
around 1, and apart from the Perron root real tables have small eigenvalues, so the
methods converge in about twenty products where the Neumann series ``x = sum_k A^k d`` needs ~35 at
``rho = 0.5`` and 1e-10. Every result states its relative residual
``||d - (I - A) x|| / ||d||`` recomputed from scratch, not the method's estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from councilplan.errors import ConvergenceError, EconomyError, Problem
from councilplan.planning.economy import Economy, FloatArray
from councilplan.planning.krylov import bicgstab

__all__ = [
    "LeontiefSolution",
    "gross_output",
    "labour_values",
    "leontief_solve",
    "solve_gross_output",
    "solve_labour_values",
]

Method = Literal["bicgstab", "gmres", "neumann"]


@dataclass(frozen=True, slots=True)
class LeontiefSolution:
    """The solution of ``(I - A) x = b`` (or its transpose) with its credentials."""

    x: FloatArray
    iterations: int  # matrix-vector products with A used
    residual: float  # ||b - (I - A) x|| / ||b||, recomputed
    rtol: float
    method: str


def leontief_solve(
    A: sp.csr_array,
    b: Any,
    *,
    transpose: bool = False,
    rtol: float = 1e-10,
    maxiter: int = 1000,
    method: Method = "bicgstab",
    x0: FloatArray | None = None,
) -> LeontiefSolution:
    """Solve ``(I - A) x = b`` (``transpose``: ``(I - A^T) x = b``) to relative residual ``rtol``.

    ``maxiter`` bounds the matrix-vector products. Raises :class:`ConvergenceError`
    when the tolerance is not reached (for instance when ``rho(A)`` is at or above 1).
    """
    M: sp.csr_array | sp.csc_array = A.T if transpose else A
    n = int(M.shape[0])
    rhs = np.asarray(b, dtype=np.float64)
    if rhs.shape != (n,):
        raise EconomyError(
            "the right-hand side does not fit the economy",
            [Problem("d" if not transpose else "l", f"expected length {n}, got shape {rhs.shape}")],
        )
    bnorm = float(np.linalg.norm(rhs))
    if bnorm == 0.0:
        return LeontiefSolution(np.zeros(n), 0, 0.0, rtol, method)
    count = 0

    def apply(v: FloatArray) -> FloatArray:
        nonlocal count
        count += 1
        out: FloatArray = v - M @ v
        return out

    def residual_of(x: FloatArray) -> tuple[FloatArray, float]:
        nonlocal count
        count += 1
        r: FloatArray = rhs - (x - M @ x)
        return r, float(np.linalg.norm(r)) / bnorm

    if method == "neumann":
        x = rhs.copy() if x0 is None else np.array(x0, dtype=np.float64)
        while True:
            r, rel = residual_of(x)
            if rel <= rtol:
                return LeontiefSolution(x, count, rel, rtol, method)
            if count >= maxiter:
                raise ConvergenceError(
                    f"Neumann series did not reach {rtol:g} in {count} products", count, rel
                )
            x += r

    x = np.zeros(n) if x0 is None else np.array(x0, dtype=np.float64)
    r = rhs if x0 is None else rhs - (x - M @ x)
    if method == "bicgstab":
        rnorm0 = max(float(np.linalg.norm(r)), 1e-300)
        res = bicgstab(M, r, rtol=rtol * bnorm / rnorm0, maxiter=maxiter)
        count += res.products
        if np.all(np.isfinite(res.x)):
            x = x + res.x
            rel = res.residual * rnorm0 / bnorm  # its final check is of this x's residual
            if rel <= rtol:
                return LeontiefSolution(x, count, rel, rtol, method)
            r = rhs - (x - M @ x)
        method = "gmres"  # breakdown or stagnation: fall back to GMRES from here
    op = spla.LinearOperator((n, n), matvec=apply, dtype=np.float64)
    used = method
    for _ in range(4):  # a refinement step only if the recomputed residual misses rtol
        rnorm = float(np.linalg.norm(r))
        if rnorm <= rtol * bnorm or count >= maxiter:
            break
        inner = min(0.5, 0.5 * rtol * bnorm / rnorm)  # tighter, so the true residual meets rtol
        budget = max(1, maxiter - count)
        dx, info = spla.gmres(
            op, r, rtol=inner, atol=0.0, restart=30, maxiter=max(1, budget // 30)
        )
        if info < 0 or not np.all(np.isfinite(dx)):
            break
        x = x + dx
        r, _ = residual_of(x)
    _, rel = residual_of(x)
    if not rel <= rtol:
        raise ConvergenceError(
            f"the Leontief solve did not reach relative residual {rtol:g} "
            f"({rel:.3g} after {count} products); is the economy productive?",
            count,
            rel,
        )
    return LeontiefSolution(x, count, rel, rtol, used)


def _needs(eco: Economy, d: Any) -> FloatArray:
    return eco.needs if d is None else np.asarray(d, dtype=np.float64)


def solve_gross_output(
    eco: Economy, d: Any = None, *, rtol: float = 1e-10, choice: Any = None, **kw: Any
) -> LeontiefSolution:
    """``x = (I - A)^-1 d`` with its iterations and residual.

    ``d`` defaults to the economy's needs; ``choice`` picks one technique per product
    (default: each product's first-listed technique). ``x`` is indexed by product.
    """
    A, _ = eco.square(choice)
    return leontief_solve(A, _needs(eco, d), rtol=rtol, **kw)


def solve_labour_values(
    eco: Economy, *, rtol: float = 1e-10, choice: Any = None, **kw: Any
) -> LeontiefSolution:
    """``v`` solving ``(I - A^T) v = l``, with its iterations and residual."""
    A, lab = eco.square(choice)
    return leontief_solve(A, lab, transpose=True, rtol=rtol, **kw)


def gross_output(eco: Economy, d: Any = None, *, rtol: float = 1e-10, **kw: Any) -> FloatArray:
    """Gross output ``x = (I - A)^-1 d`` (length n). See :func:`solve_gross_output`."""
    return solve_gross_output(eco, d, rtol=rtol, **kw).x


def labour_values(eco: Economy, *, rtol: float = 1e-10, **kw: Any) -> FloatArray:
    """Labour values ``v = l (I - A)^-1`` (length n). See :func:`solve_labour_values`."""
    return solve_labour_values(eco, rtol=rtol, **kw).x
