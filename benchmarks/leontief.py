"""Leontief solves: gross output and labour values at 10^3 .. 10^7 products.

For each size, one economy from ``generate_economy(n, inputs=10, seed=0,
spectral_radius=0.5)`` (about 10 nonzeros per product after duplicates merge: 10^8 at
10^7 products), and:

* the baseline: the median of several timed ``A @ x`` (scipy CSR times a random dense
  vector, result allocated as a user gets it), and, for context, ``A.T @ x`` (the product
  the labour-value solve uses) and scipy's kernel writing into a preallocated vector;
* ``solve_gross_output`` and ``solve_labour_values`` (rtol 1e-10) with the shipped
  default (BiCGSTAB) and the Neumann series (``method="neumann"``, second baseline):
  median seconds, that time in units of one ``A @ x``, the products with ``A`` the
  solve used, its recomputed residual, and its peak memory above the start
  (tracemalloc and sampled RSS, see ``_common.PeakMemory``) against the matrix's bytes
  (data + indices + indptr);
* a third baseline, scipy's own ``scipy.sparse.linalg.bicgstab`` on the operator
  ``v -> v - A v`` (what one gets calling scipy directly; it allocates several fresh
  vectors per iteration, as councilplan's solve did before ``planning/krylov.py``);
* where the time goes: the products' share of each solve, estimated as
  products x (scipy's kernel into a preallocated vector) / solve seconds.

Goals (issue 2): at most 25 ``A @ x`` times for 1e-10 at spectral radius 0.5; peak memory
at most 3x the matrix (read here as matrix + the solve's peak increase <= 3 x matrix).
"""

from __future__ import annotations

import gc
import statistics
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse import _sparsetools

from _common import (
    PeakMemory,
    command_line,
    gib,
    machine,
    machine_line,
    median_time,
    parser,
    record_section,
    set_blas_threads,
    table,
    timed,
    today,
    write_json,
)
from councilplan.planning import (
    generate_economy,
    solve_gross_output,
    solve_labour_values,
)

NAME = "leontief"
DEFAULT_SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
QUICK_SIZES = (10**3, 10**4)
RTOL = 1e-10
RHO = 0.5
GOAL_MATVECS = 25.0
GOAL_MEMORY = 3.0
SCIPY = "scipy bicgstab (baseline)"


class _ScipyResult:
    def __init__(self, x: np.ndarray, iterations: int, residual: float) -> None:
        self.x, self.iterations, self.residual = x, iterations, residual


def scipy_bicgstab(A: sp.csr_array, b: np.ndarray, *, transpose: bool = False) -> _ScipyResult:
    """The external baseline: ``scipy.sparse.linalg.bicgstab`` on ``I - A`` (or its
    transpose), to the same recomputed relative residual ``RTOL``."""
    M = A.T if transpose else A
    n = int(M.shape[0])
    count = 0

    def apply(v: np.ndarray) -> np.ndarray:
        nonlocal count
        count += 1
        out: np.ndarray = v - M @ v
        return out

    op = spla.LinearOperator((n, n), matvec=apply, dtype=np.float64)
    sol, _ = spla.bicgstab(op, b, rtol=0.5 * RTOL, atol=0.0, maxiter=1000)
    r = b - apply(sol)
    return _ScipyResult(sol, count, float(np.linalg.norm(r) / np.linalg.norm(b)))


def _repeats(n: int) -> int:
    return 21 if n <= 10**4 else 11 if n <= 10**5 else 5 if n <= 10**6 else 2


def _interleaved(
    run: Callable[[], Any], baseline: Callable[[], Any], reps: int, warm: int, k: int
) -> tuple[float, float, list[float]]:
    """Median seconds of ``run`` and median of its ratio to ``baseline``, each repetition
    against the median of ``k`` baseline timings taken just before it (so that a change
    in the machine's load between repetitions moves both)."""
    secs, ratios, base_all = [], [], []
    for rep in range(warm + reps):
        base = median_time(baseline, k, warmup=0)
        t, _ = timed(run)
        if rep >= warm:
            secs.append(t)
            ratios.append(t / base)
            base_all.append(base)
    return statistics.median(secs), statistics.median(ratios), base_all


def _matrix_bytes(A: sp.csr_array) -> int:
    return int(A.data.nbytes + A.indices.nbytes + A.indptr.nbytes)


def _page_cost(n: int) -> dict[str, float]:
    """Seconds to fill a fresh n-vector (memory new to the process) vs an existing one."""
    gc.collect()
    fresh, buf = timed(lambda: np.ones(n))
    reuse = median_time(lambda: buf.fill(2.0), 3, warmup=0)
    return {"fresh_vector_s": fresh, "reused_vector_s": reuse}


def bench_size(n: int, inputs: int, seed: int, quick: bool) -> dict[str, Any]:
    gen_s, eco = timed(lambda: generate_economy(n, inputs, seed=seed, spectral_radius=RHO))
    A = eco.A
    nbytes = _matrix_bytes(A)
    rng = np.random.default_rng(1)
    x = rng.random(n)
    reps_mv = 9 if n <= 10**6 else 5
    mv = median_time(lambda: A @ x, reps_mv)
    AT = A.T
    mv_t = median_time(lambda: AT @ x, reps_mv)
    y = np.zeros(n)

    def kernel() -> None:
        y.fill(0.0)
        _sparsetools.csr_matvec(n, n, A.indptr, A.indices, A.data, x, y)

    mv_kernel = median_time(kernel, reps_mv)
    row: dict[str, Any] = {
        "n": n,
        "nnz": int(A.nnz),
        "nnz_per_product": A.nnz / n,
        "inputs_parameter": inputs,
        "matrix_bytes": nbytes,
        "generate_s": gen_s,
        "matvec_s": mv,
        "matvec_transpose_s": mv_t,
        "matvec_kernel_inplace_s": mv_kernel,
        "page_cost": _page_cost(n),
        "solves": [],
    }
    print(
        f"\nn={n:,} nnz={A.nnz:,} matrix {gib(nbytes)}  generated in {gen_s:.1f} s;  "
        f"A@x {mv * 1e3:.3f} ms, A.T@x {mv_t * 1e3:.3f} ms, kernel {mv_kernel * 1e3:.3f} ms",
        flush=True,
    )
    d, lab = eco.needs, eco.labour
    reps = 1 if quick else _repeats(n)
    warm = 1 if n <= 10**5 else 0
    solutions: dict[tuple[str, str], np.ndarray] = {}
    cases: list[tuple[str, str, Callable[[], Any]]] = []
    for method in ("bicgstab", "neumann"):
        m: Any = method
        cases.append(
            (method, "gross_output", partial(solve_gross_output, eco, rtol=RTOL, method=m))
        )
        cases.append(
            (method, "labour_values", partial(solve_labour_values, eco, rtol=RTOL, method=m))
        )
    cases.append((SCIPY, "gross_output", partial(scipy_bicgstab, A, d)))
    cases.append((SCIPY, "labour_values", partial(scipy_bicgstab, A, lab, transpose=True)))
    for method, what, run in cases:
        seconds, ratio, bases = _interleaved(run, lambda: A @ x, reps, warm, 3 if n < 10**7 else 2)
        with PeakMemory() as pm:
            sol = run()
        in_products = sol.iterations * mv_kernel
        solutions[(method, what)] = sol.x
        rec: dict[str, Any] = {
            "method": method,
            "solve": what,
            "seconds": seconds,
            "matvecs_time": ratio,
            "repetitions": reps,
            "baseline_samples_s": bases,
            "kernel_products_time": seconds / mv_kernel,
            "iterations": int(sol.iterations),
            "residual": float(sol.residual),
            "peak_traced_bytes": pm.traced_peak,
            "peak_rss_bytes": pm.rss_peak,
            "peak_traced_over_matrix": pm.traced_peak / nbytes,
            "peak_rss_over_matrix": pm.rss_peak / nbytes,
            "memory_run_s": pm.seconds,
            "products_share_estimate": min(1.0, in_products / seconds),
        }
        rec["goal_time_met"] = rec["matvecs_time"] <= GOAL_MATVECS
        rec["goal_memory_met"] = 1.0 + max(pm.traced_peak, pm.rss_peak) / nbytes <= GOAL_MEMORY
        row["solves"].append(rec)
        share = f"  (products ~{rec['products_share_estimate']:.0%} of the time)"
        print(
            f"  {method:<29} {what:<14} {seconds:9.4f} s = {ratio:6.1f} x A@x  "
            f"{sol.iterations:3d} products  residual {sol.residual:.1e}  "
            f"peak +{gib(pm.traced_peak)} traced / +{gib(pm.rss_peak)} RSS{share}",
            flush=True,
        )
    xg = solutions[("bicgstab", "gross_output")]
    v = solutions[("bicgstab", "labour_values")]
    vd, lx = float(v @ d), float(lab @ xg)
    row["identity_v_d_vs_l_x"] = abs(vd - lx) / abs(lx)
    ref = {w: solutions[("bicgstab", w)] for w in ("gross_output", "labour_values")}
    row["max_rel_diff_vs_bicgstab"] = {
        f"{m}/{w}": float(np.max(np.abs(s - ref[w]) / np.maximum(np.abs(ref[w]), 1e-300)))
        for (m, w), s in solutions.items()
        if m != "bicgstab"
    }
    return row


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "## Leontief solves (`benchmarks/leontief.py`)",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine_line']}",
        f"- command: `{meta['command']}`",
        f"- economies: `generate_economy(n, inputs={meta['inputs']}, seed={meta['seed']}, "
        f"spectral_radius={RHO})`; rtol {RTOL:g}; times are medians of 21 (10^3-10^4), 11 "
        "(10^5), 5 (10^6), 2 (10^7) runs.",
        "- baseline: one scipy `A @ x` (CSR times a random vector, result allocated as a "
        "user gets it). `x A@x`: the median over repetitions of (solve seconds / the median "
        "of 2-3 `A @ x` timed just before that repetition), so a change of load between "
        "repetitions moves both. `A@x s`: the median of 5-9 `A @ x` at the start. `x kernel`: "
        "solve seconds over scipy's kernel writing into a preallocated vector (no "
        "allocation; stricter where allocating is dear). Second baseline: the Neumann series "
        '(`method="neumann"`); third: scipy\'s `bicgstab` on the operator `v - A @ v`. '
        "`bicgstab` is councilplan's default (`planning/krylov.py`). `products`: products "
        "with A the solve used (its own count, including the residual recomputed at the end).",
        "- memory: peak bytes allocated during the solve above its start (tracemalloc, which "
        "sees numpy's buffers; and RSS sampled every 2 ms by psutil), over the matrix's "
        "bytes (data + indices + indptr). Goal: 1 + that <= 3.",
        "",
    ]
    head = [
        "n",
        "nnz",
        "matrix",
        "A@x s",
        "solve",
        "method",
        "s",
        "x A@x",
        "x kernel",
        "products",
        "residual",
        "peak/matrix (traced, RSS)",
        "goals (time, mem)",
    ]
    body = []
    for r in rows:
        for s in r["solves"]:
            body.append(
                [
                    f"{r['n']:.0e}",
                    f"{r['nnz']:.2e}",
                    gib(r["matrix_bytes"]),
                    f"{r['matvec_s']:.2e}",
                    s["solve"],
                    s["method"],
                    f"{s['seconds']:.3g}",
                    f"{s['matvecs_time']:.1f}",
                    f"{s['kernel_products_time']:.1f}",
                    s["iterations"],
                    f"{s['residual']:.1e}",
                    f"{s['peak_traced_over_matrix']:.2f}, {s['peak_rss_over_matrix']:.2f}",
                    ("met" if s["goal_time_met"] else "MISSED")
                    + ", "
                    + ("met" if s["goal_memory_met"] else "MISSED"),
                ]
            )
    lines.append(table(head, body))
    lines += ["", "Context per size (same run):", ""]
    ctx_head = [
        "n",
        "nnz/product",
        "generate s",
        "A.T@x / A@x",
        "kernel into buffer / A@x",
        "fresh n-vector fill / reused",
        "v.d vs l.x",
        "products' share of the time: councilplan BiCGSTAB (x, v); scipy BiCGSTAB (x, v)",
    ]
    ctx = []
    for r in rows:
        pc = r["page_cost"]
        shares = {
            m: ", ".join(
                f"{s['products_share_estimate']:.0%}" for s in r["solves"] if s["method"] == m
            )
            for m in ("bicgstab", SCIPY)
        }
        ctx.append(
            [
                f"{r['n']:.0e}",
                f"{r['nnz_per_product']:.2f}",
                f"{r['generate_s']:.1f}",
                f"{r['matvec_transpose_s'] / r['matvec_s']:.2f}",
                f"{r['matvec_kernel_inplace_s'] / r['matvec_s']:.2f}",
                f"{pc['fresh_vector_s'] / max(pc['reused_vector_s'], 1e-9):.1f}",
                f"{r['identity_v_d_vs_l_x']:.1e}",
                f"{shares['bicgstab']}; {shares[SCIPY]}",
            ]
        )
    lines.append(table(ctx_head, ctx))
    if meta.get("notes"):
        lines += ["", *meta["notes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0], DEFAULT_SIZES)
    p.add_argument("--inputs", type=int, default=10, help="inputs per product (generator)")
    p.add_argument("--blas-threads", type=int, default=None, help="set OpenBLAS threads")
    p.add_argument("--tag", default="", help="suffix for the JSON file name")
    args = p.parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick and args.sizes == list(DEFAULT_SIZES) else args.sizes
    if args.blas_threads is not None:
        set_blas_threads(args.blas_threads)
    mach = machine()
    print(machine_line(mach), flush=True)
    rows = [bench_size(n, args.inputs, args.seed, args.quick) for n in sizes]
    meta = {
        "date": today(),
        "machine": mach,
        "machine_line": machine_line(mach),
        "command": command_line(__file__, sys.argv[1:] if argv is None else argv),
        "inputs": args.inputs,
        "seed": args.seed,
        "rtol": RTOL,
        "spectral_radius": RHO,
    }
    md = markdown(rows, meta)
    print("\n" + md)
    name = NAME + ("-quick" if args.quick else "") + (f"-{args.tag}" if args.tag else "")
    path = write_json(args.out, name, {"meta": meta, "rows": rows})
    print(f"figures: {path}")
    if not (args.quick or args.no_record):
        record_section(NAME, md)
        print("RESULTS.md: section updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
