"""Is the economy productive? The spectral radius of A, and who is to blame if not.

An economy can meet any needs ``d >= 0`` with ``x = (I - A)^-1 d >= 0`` exactly when
the spectral radius ``rho(A) < 1`` (Hawkins-Simon). ``rho(A)`` is the largest
spectral radius of the diagonal blocks of ``A``'s strongly connected components, so a
failing economy is blamed on the products of the components with ``rho >= 1``: the
groups that, through each other, consume more of themselves than they yield.

The estimate is power iteration on the sparse matrix with Collatz-Wielandt bounds:
for ``x > 0`` and an irreducible non-negative ``M``,
``min_i (Mx)_i / x_i <= rho(M) <= max_i (Mx)_i / x_i``, so every iteration gives a
certified interval, and the check stops as soon as the interval is clear of 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from councilplan.errors import NotProductiveError, Problem
from councilplan.planning.economy import Economy, FloatArray

__all__ = ["PerronEstimate", "check_productive", "perron_root", "spectral_radius"]


@dataclass(frozen=True, slots=True)
class PerronEstimate:
    """The Perron root of a non-negative matrix: estimate with certified bounds."""

    estimate: float
    lower: float
    upper: float
    iterations: int
    vector: FloatArray


def perron_root(
    M: sp.csr_array,
    *,
    rtol: float = 1e-9,
    maxiter: int = 10_000,
    stop_outside: tuple[float, float] | None = None,
    irreducible: bool = False,
) -> PerronEstimate:
    """Power iteration ``x <- (M + s I) x`` with Collatz-Wielandt bounds.

    The small shift ``s`` makes the iteration converge even for periodic matrices.
    Bounds are exact for irreducible ``M``; for reducible ``M`` ``upper`` is still an
    upper bound, while ``lower`` may be 0. ``stop_outside=(a, b)`` stops as soon as the
    interval ``[lower, upper]`` lies wholly below ``a`` or wholly at or above ``b``.
    For ``irreducible`` matrices the iteration stops only when the certified bounds
    meet; otherwise also when the 1-norm growth estimate stops changing.
    """
    k = int(M.shape[0])
    if k == 0 or M.nnz == 0:
        return PerronEstimate(0.0, 0.0, 0.0, 0, np.ones(k))
    col_max = float(np.max(M.sum(axis=0)))
    shift = 0.05 * col_max
    x = np.ones(k)
    lower, upper = 0.0, col_max
    estimate = prev = col_max
    for it in range(1, maxiter + 1):
        y = M @ x + shift * x
        ratio = y / x
        lower = max(lower, float(ratio.min()) - shift)
        upper = min(upper, float(ratio.max()) - shift)
        # growth of the 1-norm: converges to rho(M) for reducible matrices too
        estimate = float(np.clip(y.sum() / x.sum() - shift, lower, upper))
        x = np.maximum(y / y.max(), 1e-300)
        if upper - lower <= rtol * max(upper, 1e-300):
            break
        if stop_outside is not None and (upper < stop_outside[0] or lower >= stop_outside[1]):
            break
        if (
            not irreducible
            and it > 10
            and abs(estimate - prev) <= 0.1 * rtol * max(estimate, 1e-300)
        ):
            break
        prev = estimate
    else:
        it = maxiter
    return PerronEstimate(estimate, max(lower, 0.0), upper, it, x)


def spectral_radius(eco: Economy, *, rtol: float = 1e-6) -> float:
    """The spectral radius of the economy's (primary-technique) input matrix."""
    A, _ = eco.square()
    return _blocks_radius(A, rtol=rtol, stop_outside=None)[0]


def _blocks_radius(
    A: sp.csr_array, *, rtol: float, stop_outside: tuple[float, float] | None
) -> tuple[float, list[tuple[float, np.ndarray]]]:
    """Spectral radius of ``A`` via its strongly connected components.

    Returns ``(rho, blocks)`` where ``blocks`` lists ``(rho_block, indices)`` for every
    component whose radius reaches ``stop_outside[1]`` (when given).
    """
    n = int(A.shape[0])
    if A.nnz == 0:
        return 0.0, []
    ncomp, labels = connected_components(A, directed=True, connection="strong")
    diag = A.diagonal()
    bad: list[tuple[float, np.ndarray]] = []
    threshold = stop_outside[1] if stop_outside is not None else np.inf
    if ncomp == n:  # acyclic apart from self-loops: the radius is the largest diagonal entry
        rho = float(diag.max())
        bad = [(float(diag[i]), np.array([i])) for i in np.flatnonzero(diag >= threshold)]
        return rho, bad
    sizes = np.bincount(labels, minlength=ncomp)
    rho = 0.0
    singles = sizes[labels] == 1
    if singles.any():
        dsingle = diag[singles]
        rho = float(dsingle.max())
        idx = np.flatnonzero(singles)
        bad += [(float(diag[i]), np.array([i])) for i in idx[dsingle >= threshold]]
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    for comp in np.flatnonzero(sizes > 1):
        idx = order[starts[comp] : starts[comp + 1]]
        block = sp.csr_array(A[idx][:, idx])
        est = perron_root(block, rtol=rtol, stop_outside=stop_outside, irreducible=True)
        r = est.estimate
        rho = max(rho, r)
        if est.lower >= threshold or r >= threshold:
            bad.append((r, idx))
    return rho, bad


def check_productive(eco: Economy) -> None:
    """Raise :class:`NotProductiveError` naming the offending products unless ``rho(A) < 1``.

    Cheap certificates come first: if every column sum (or every row sum) of A is
    below 1, then ``rho(A) < 1``; only otherwise are the strongly connected components
    examined by power iteration.
    """
    A, _ = eco.square()
    if A.nnz == 0:
        return
    absA = sp.csr_array(A)
    if float(absA.sum(axis=0).max()) < 1.0 or float(absA.sum(axis=1).max()) < 1.0:
        return
    rho, bad = _blocks_radius(absA, rtol=1e-10, stop_outside=(1.0 - 1e-12, 1.0 - 1e-12))
    if not bad:
        return
    products: list[str] = []
    problems: list[Problem] = []
    worst = max(r for r, _ in bad)
    for r, idx in sorted(bad, key=lambda b: -b[0]):
        names = [str(eco.products[int(i)]) for i in idx]
        products += names
        shown = ", ".join(names[:20]) + (f" ... ({len(names)} in all)" if len(names) > 20 else "")
        problems.append(
            Problem(
                shown,
                f"this group consumes more of itself than it yields (spectral radius {r:.6g} >= 1)",
            )
        )
    raise NotProductiveError(
        f"the economy is not productive: spectral radius of A is {max(rho, worst):.6g},"
        " not below 1",
        products,
        max(rho, worst),
        problems,
    )
