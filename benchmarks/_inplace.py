"""A prototype, for evidence only: BiCGSTAB on ``I - A`` with no allocation per iteration.

This is *not* part of councilplan. It exists so that ``benchmarks/leontief.py`` can show,
in the same run, how much of the shipped solve's time goes to allocating fresh vectors
(scipy's ``bicgstab`` makes about five temporaries per iteration, and the shipped
operator two more per product with ``A``) rather than to products with ``A``. Here
every vector is allocated once, before the first iteration, and every update is done in
place; the product with ``A`` accumulates into a preallocated buffer with scipy's own
kernel (``scipy.sparse._sparsetools.csr_matvec``/``csc_matvec``, what ``A @ x`` calls
after allocating its result). Same algorithm (van der Vorst's BiCGSTAB), same stopping
rule as the shipped solve (relative residual recomputed from scratch).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import _sparsetools

FloatArray = npt.NDArray[np.float64]

__all__ = ["InplaceResult", "inplace_bicgstab"]


class InplaceResult:
    """The solution with the same credentials as ``LeontiefSolution``."""

    __slots__ = ("iterations", "method", "residual", "x")

    def __init__(self, x: FloatArray, iterations: int, residual: float) -> None:
        self.x = x
        self.iterations = iterations
        self.residual = residual
        self.method = "bicgstab-inplace (prototype)"


def inplace_bicgstab(
    A: sp.csr_array,
    b: Any,
    *,
    transpose: bool = False,
    rtol: float = 1e-10,
    maxiter: int = 1000,
) -> InplaceResult:
    """Solve ``(I - A) x = b`` (``transpose``: ``(I - A^T) x = b``) to relative residual
    ``rtol``; ``iterations`` counts products with ``A``."""
    n = int(A.shape[0])
    indptr, indices, data = A.indptr, A.indices, A.data
    kernel = _sparsetools.csc_matvec if transpose else _sparsetools.csr_matvec
    rhs = np.ascontiguousarray(b, dtype=np.float64)
    bnorm = float(np.linalg.norm(rhs))
    x = np.zeros(n)
    if bnorm == 0.0:
        return InplaceResult(x, 0, 0.0)
    count = 0

    def op(v: FloatArray, out: FloatArray) -> None:  # out = v - A v, no allocation
        nonlocal count
        count += 1
        out.fill(0.0)
        kernel(n, n, indptr, indices, data, v, out)
        np.subtract(v, out, out=out)

    r = rhs.copy()
    r0 = rhs.copy()
    p, v, s, t, tmp = (np.zeros(n) for _ in range(5))
    target = rtol * bnorm
    rho_old = alpha = omega = 1.0
    rnorm = bnorm
    for restart in range(4):
        if restart:  # refinement: recompute the true residual, restart from x
            op(x, tmp)
            np.subtract(rhs, tmp, out=r)
            rnorm = float(np.linalg.norm(r))
            if rnorm <= target:
                break
            r0[:] = r
            rho_old = alpha = omega = 1.0
            p.fill(0.0)
            v.fill(0.0)
        inner = 0.5 * target  # a little tighter than asked, so the true residual meets it
        while rnorm > inner and count < maxiter:
            rho = float(r0 @ r)
            if rho == 0.0 or omega == 0.0:
                break  # breakdown: restart from the current x
            beta = (rho / rho_old) * (alpha / omega)
            np.multiply(v, omega, out=tmp)  # p = r + beta (p - omega v)
            p -= tmp
            p *= beta
            p += r
            op(p, v)
            r0v = float(r0 @ v)
            if r0v == 0.0:
                break
            alpha = rho / r0v
            np.multiply(v, alpha, out=s)  # s = r - alpha v
            np.subtract(r, s, out=s)
            np.multiply(p, alpha, out=tmp)
            x += tmp
            snorm = float(np.linalg.norm(s))
            if snorm <= inner:
                r[:] = s
                rnorm = snorm
                break
            op(s, t)
            tt = float(t @ t)
            omega = float(t @ s) / tt if tt > 0.0 else 0.0
            np.multiply(s, omega, out=tmp)
            x += tmp
            np.multiply(t, omega, out=r)  # r = s - omega t
            np.subtract(s, r, out=r)
            rnorm = float(np.linalg.norm(r))
            rho_old = rho
    op(x, tmp)
    np.subtract(rhs, tmp, out=tmp)
    residual = float(np.linalg.norm(tmp)) / bnorm
    return InplaceResult(x, count, residual)
