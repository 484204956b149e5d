"""BiCGSTAB for ``(I - M) x = b`` with no allocation per iteration.

At national size (10^7 products) a fresh n-vector costs far more than reusing one
(page faults on 80 MB), and scipy's ``bicgstab`` makes several per iteration; here
every vector is allocated once and every update is in place. The product with ``M``
writes into a buffer with scipy's own CSR/CSC kernel when it is available (what
``M @ v`` calls after allocating its result), else falls back to ``M @ v``.

The method is van der Vorst's BiCGSTAB; after it stops, the true residual
``||b - (I - M) x|| / ||b||`` is recomputed and, if it misses ``rtol``, the method
restarts from ``x`` (iterative refinement), at most three times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from councilplan.planning.economy import FloatArray

__all__ = ["KrylovResult", "bicgstab"]

try:  # scipy's compiled kernels: y += M x into a given y
    from scipy.sparse import _sparsetools

    _CSR_MATVEC: Callable[..., None] | None = _sparsetools.csr_matvec
    _CSC_MATVEC: Callable[..., None] | None = _sparsetools.csc_matvec
except (ImportError, AttributeError):  # pragma: no cover - other scipy layouts
    _CSR_MATVEC = _CSC_MATVEC = None


@dataclass(frozen=True, slots=True)
class KrylovResult:
    x: FloatArray
    products: int  # products with M, including the final residual check
    residual: float  # recomputed relative residual


def _product(M: sp.csr_array | sp.csc_array) -> Callable[[FloatArray, FloatArray], None]:
    """``out <- M v`` without allocating."""
    n_rows, n_cols = (int(s) for s in M.shape)
    kernel = _CSR_MATVEC if M.format == "csr" else _CSC_MATVEC if M.format == "csc" else None
    if kernel is not None:
        indptr, indices, data = M.indptr, M.indices, M.data

        def apply(v: FloatArray, out: FloatArray) -> None:
            out.fill(0.0)
            kernel(n_rows, n_cols, indptr, indices, data, v, out)

        return apply

    def fallback(v: FloatArray, out: FloatArray) -> None:
        out[:] = M @ v

    return fallback


def bicgstab(
    M: sp.csr_array | sp.csc_array, b: FloatArray, *, rtol: float, maxiter: int
) -> KrylovResult:
    """Solve ``(I - M) x = b`` to relative residual ``rtol`` in at most ``maxiter``
    products with ``M`` (plus the final check)."""
    n = int(M.shape[0])
    mv = _product(M)
    count = 0

    def op(v: FloatArray, out: FloatArray) -> None:  # out <- v - M v
        nonlocal count
        count += 1
        mv(v, out)
        np.subtract(v, out, out=out)

    bnorm = float(np.linalg.norm(b))
    x = np.zeros(n)
    if bnorm == 0.0:
        return KrylovResult(x, 0, 0.0)
    r = b.copy()
    r0 = b.copy()
    p, v, s, t, tmp = (np.zeros(n) for _ in range(5))
    target = rtol * bnorm
    inner = 0.5 * target  # a little tighter, so the recomputed residual meets rtol
    rnorm = bnorm
    for attempt in range(4):
        if attempt:  # refinement from the current x
            op(x, tmp)
            np.subtract(b, tmp, out=r)
            rnorm = float(np.linalg.norm(r))
            if rnorm <= target:
                break
            r0[:] = r
            p.fill(0.0)
            v.fill(0.0)
        rho_old = alpha = omega = 1.0
        while rnorm > inner and count < maxiter:
            rho = float(r0 @ r)
            if rho == 0.0 or omega == 0.0:
                break  # breakdown: restart from x
            beta = (rho / rho_old) * (alpha / omega)
            np.multiply(v, omega, out=tmp)  # p <- r + beta (p - omega v)
            p -= tmp
            p *= beta
            p += r
            op(p, v)
            r0v = float(r0 @ v)
            if r0v == 0.0:
                break
            alpha = rho / r0v
            np.multiply(v, alpha, out=s)  # s <- r - alpha v
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
            np.multiply(t, omega, out=r)  # r <- s - omega t
            np.subtract(s, r, out=r)
            rnorm = float(np.linalg.norm(r))
            rho_old = rho
        if count >= maxiter:
            break
    op(x, tmp)
    np.subtract(b, tmp, out=tmp)
    return KrylovResult(x, count, float(np.linalg.norm(tmp)) / bnorm)
