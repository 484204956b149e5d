"""A generator of realistic large economies, for benchmarks and tests.

Real input-output tables share a shape (see ``../shared/data/io-tables/SOURCES.md``):
sector sizes are heavily skewed, each product uses tens to a hundred inputs,
large suppliers are used by many, and the spectral radius of A is around
0.4-0.5. :func:`generate_economy` draws such an economy from a seed:

* sizes ``s_i ~ 1 + Pareto(alpha)``: a few giant sectors, a long tail;
* product ``j`` uses ``k_j`` inputs (uniform in ``[k/2, 3k/2]``), each supplier
  drawn with probability proportional to its size;
* input coefficients are exponential weights scaled so that the column sums
  vary in ``[0.5, 1]`` of their largest, then the whole matrix is scaled so that
  its spectral radius (estimated by power iteration) is ``spectral_radius``;
* labour per unit is log-normal; needs are proportional to size with noise,
  split into three priority tiers.

Memory is kept near the size of the matrix itself: suppliers are drawn in
chunks, and the matrix is built directly in compressed form.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from councilplan.planning.economy import Economy, SequentialIds
from councilplan.planning.productive import perron_root

__all__ = ["generate_economy"]

_CHUNK = 8_000_000


def generate_economy(
    n: int,
    inputs: int = 50,
    *,
    seed: int = 0,
    spectral_radius: float = 0.5,
    pareto_alpha: float = 1.16,
    tiers: int = 3,
) -> Economy:
    """Draw an ``n``-product economy with about ``inputs`` inputs per product.

    The result is square (technique ``j`` makes product ``j``), productive, with
    spectral radius ``spectral_radius`` (to about 1e-6), needs ``d`` with
    ``tiers`` priority tiers, and unlimited capacities.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if not 0.0 < spectral_radius < 1.0:
        raise ValueError("spectral_radius must lie in (0, 1)")
    rng = np.random.default_rng(seed)
    k = max(1, min(inputs, n))
    sizes = 1.0 + rng.pareto(pareto_alpha, size=n)
    cum = np.cumsum(sizes)
    cum /= cum[-1]

    lo, hi = max(1, k // 2), min(n, k + k // 2)
    counts = rng.integers(lo, hi + 1, size=n, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    nnz = int(indptr[-1])
    index_dtype = np.int32 if max(n, nnz) < 2**31 else np.int64
    indptr = indptr.astype(index_dtype)

    indices: npt.NDArray[np.signedinteger[Any]] = np.empty(nnz, dtype=index_dtype)
    data = np.empty(nnz, dtype=np.float64)
    for start in range(0, nnz, _CHUNK):
        stop = min(nnz, start + _CHUNK)
        u = rng.random(stop - start)
        indices[start:stop] = np.minimum(np.searchsorted(cum, u, side="right"), n - 1)
        data[start:stop] = rng.exponential(1.0, size=stop - start)
        del u

    col_sums = np.add.reduceat(data, indptr[:-1].astype(np.int64))
    target = rng.uniform(0.5, 1.0, size=n)
    scale = target / col_sums
    data *= np.repeat(scale, counts)
    del col_sums, target, scale

    A_csc = sp.csc_array((data, indices, indptr), shape=(n, n))
    del data, indices
    A = A_csc.tocsr()
    del A_csc
    A.sum_duplicates()

    rho = perron_root(A).estimate
    A.data *= spectral_radius / rho

    labour = rng.lognormal(mean=0.0, sigma=0.75, size=n)
    needs = sizes * rng.uniform(0.5, 1.5, size=n)
    tier = rng.integers(1, tiers + 1, size=n)
    return Economy.from_matrix(
        A,
        labour,
        products=SequentialIds("P", n),
        needs=needs,
        tiers=tier,
        check_productive=False,
    )
