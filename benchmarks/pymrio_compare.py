"""councilplan against pymrio (the field's dense Python library) at 1,000-5,000 sectors.

The same economies (``generate_economy(n, inputs=50, seed=0, spectral_radius=0.5)``) go
to both; each computes gross output ``x`` for the needs ``d`` and the labour multipliers
(labour values) ``v``:

* councilplan: ``gross_output(eco, d)`` and ``labour_values(eco)`` (sparse, iterative,
  rtol 1e-10, single-threaded);
* pymrio, like for like (baseline): its own ``iomath`` functions on numpy arrays, the
  fastest way pymrio offers, ``L = calc_L(A)`` (a dense inverse of ``I - A``),
  ``x = calc_x_from_L(L, d)``, ``v = calc_M(l, L)``;
* for context: pymrio's full workflow, an ``IOSystem(A=..., Y=..., labour=S)`` and
  ``calc_all()`` (which also builds Z, F and the footprint accounts), and numpy's dense LU
  solve ``np.linalg.solve(I - A, d)`` and of the transpose for ``v`` (the quickest dense
  answer; pymrio does not do this).

Dense work uses OpenBLAS with both cores; the conversion of A to a dense array is not
timed for anyone. Answers are compared elementwise: max |a - b| / |b| over all sectors.
Goals (issue 2): the same answers to 1e-9 relative; councilplan at least 100x faster at
5,000 sectors.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import numpy as np
import pandas as pd
import pymrio
from pymrio.tools import iomath

from _common import (
    command_line,
    machine,
    machine_line,
    median_time,
    parser,
    record_section,
    table,
    timed,
    today,
    write_json,
)
from councilplan.planning import generate_economy, gross_output, labour_values

NAME = "pymrio_compare"
DEFAULT_SIZES = (1000, 2000, 5000)
QUICK_SIZES = (200, 500)
GOAL_SPEEDUP = 100.0
GOAL_AGREEMENT = 1e-9
TIGHT = 1e-12  # a second councilplan row: the tolerance that the elementwise goal needs


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    """Elementwise: max_i |a_i - b_i| / |b_i|."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def _relnorm(a: np.ndarray, b: np.ndarray) -> float:
    """Normwise: ||a - b|| / ||b||."""
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def _calc_all(A: np.ndarray, d: np.ndarray, lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = A.shape[0]
    idx = pd.MultiIndex.from_tuples(
        [("reg", f"s{i}") for i in range(n)], names=["region", "sector"]
    )
    cols = pd.MultiIndex.from_tuples([("reg", "needs")], names=["region", "category"])
    io = pymrio.IOSystem(
        A=pd.DataFrame(A, index=idx, columns=idx),
        Y=pd.DataFrame(d.reshape(-1, 1), index=idx, columns=cols),
        unit=pd.DataFrame({"unit": ["unit"] * n}, index=idx),
        labour={
            "name": "labour",
            "S": pd.DataFrame(
                lab.reshape(1, -1), index=pd.Index(["labour"], name="stressor"), columns=idx
            ),
            "unit": pd.DataFrame({"unit": ["hours"]}, index=pd.Index(["labour"], name="stressor")),
        },
    )
    io.calc_all()
    return np.asarray(io.x).ravel(), np.asarray(io.labour.M).ravel()


def bench_size(n: int, inputs: int, seed: int, quick: bool) -> dict[str, Any]:
    eco = generate_economy(n, inputs, seed=seed, spectral_radius=0.5)
    d, lab = np.asarray(eco.needs), np.asarray(eco.labour)
    A_dense = eco.A.toarray()  # not timed: given to pymrio as its input
    reps = 1 if quick else (5 if n <= 2000 else 3)

    def ours() -> tuple[np.ndarray, np.ndarray]:
        return gross_output(eco, d), labour_values(eco)

    def ours_tight() -> tuple[np.ndarray, np.ndarray]:
        return gross_output(eco, d, rtol=TIGHT), labour_values(eco, rtol=TIGHT)

    def pymrio_iomath() -> tuple[np.ndarray, np.ndarray]:
        L = iomath.calc_L(A_dense)
        x = iomath.calc_x_from_L(L, d)
        v = iomath.calc_M(lab.reshape(1, -1), L).ravel()
        return x, v

    def dense_lu() -> tuple[np.ndarray, np.ndarray]:
        M = np.eye(n) - A_dense
        return np.linalg.solve(M, d), np.linalg.solve(M.T, lab)

    t_ours = median_time(ours, max(reps, 5))
    x_c, v_c = ours()
    t_tight = median_time(ours_tight, max(reps, 5))
    x_t, v_t = ours_tight()
    t_pm = median_time(pymrio_iomath, reps)
    x_p, v_p = pymrio_iomath()
    t_lu = median_time(dense_lu, reps)
    x_l, v_l = dense_lu()
    t_all, (x_a, v_a) = timed(lambda: _calc_all(A_dense, d, lab))
    row = {
        "n": n,
        "nnz": int(eco.A.nnz),
        "councilplan_s": t_ours,
        "pymrio_iomath_s": t_pm,
        "pymrio_calc_all_s": t_all,
        "dense_lu_s": t_lu,
        "councilplan_tight_s": t_tight,
        "speedup_vs_pymrio_iomath": t_pm / t_ours,
        "tight_speedup_vs_pymrio_iomath": t_pm / t_tight,
        "tight_x_rel_diff_vs_pymrio": _rel(x_t, x_p),
        "tight_v_rel_diff_vs_pymrio": _rel(v_t, v_p),
        "speedup_vs_pymrio_calc_all": t_all / t_ours,
        "speedup_vs_dense_lu": t_lu / t_ours,
        "x_rel_diff_vs_pymrio": _rel(x_c, x_p),
        "v_rel_diff_vs_pymrio": _rel(v_c, v_p),
        "x_norm_rel_diff_vs_pymrio": _relnorm(x_c, x_p),
        "v_norm_rel_diff_vs_pymrio": _relnorm(v_c, v_p),
        "x_rel_diff_vs_calc_all": _rel(x_c, x_a),
        "v_rel_diff_vs_calc_all": _rel(v_c, v_a),
        "x_rel_diff_dense_lu_vs_pymrio": _rel(x_l, x_p),
        "v_rel_diff_dense_lu_vs_pymrio": _rel(v_l, v_p),
    }
    row["agreement_met"] = max(row["x_rel_diff_vs_pymrio"], row["v_rel_diff_vs_pymrio"]) <= (
        GOAL_AGREEMENT
    )
    row["tight_agreement_met"] = (
        max(row["tight_x_rel_diff_vs_pymrio"], row["tight_v_rel_diff_vs_pymrio"]) <= GOAL_AGREEMENT
    )
    row["speed_goal_met"] = row["speedup_vs_pymrio_iomath"] >= GOAL_SPEEDUP
    print(
        f"n={n:,} nnz={eco.A.nnz:,}: councilplan {t_ours * 1e3:.2f} ms, pymrio iomath "
        f"{t_pm:.3f} s ({t_pm / t_ours:.0f}x), calc_all {t_all:.3f} s ({t_all / t_ours:.0f}x), "
        f"dense LU {t_lu:.3f} s ({t_lu / t_ours:.0f}x); max rel diff x "
        f"{row['x_rel_diff_vs_pymrio']:.1e} v {row['v_rel_diff_vs_pymrio']:.1e}",
        flush=True,
    )
    gc.collect()
    return row


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "## Against pymrio (`benchmarks/pymrio_compare.py`)",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine_line']}",
        f"- command: `{meta['command']}`",
        f"- economies: `generate_economy(n, inputs={meta['inputs']}, seed={meta['seed']}, "
        "spectral_radius=0.5)`; councilplan rtol 1e-10.",
        f"- baseline: pymrio {meta['pymrio']} `iomath.calc_L` + `calc_x_from_L` + `calc_M` on "
        "numpy arrays (x and labour multipliers; the dense inverse of I - A), median of "
        "3-5 runs; councilplan: `gross_output` + `labour_values`, median of 5, at the "
        f"default rtol and at rtol {TIGHT:g}. Context: `IOSystem.calc_all()` (one run) and "
        "numpy's dense LU solve (speed-ups against them are pymrio's or numpy's seconds over "
        "councilplan's).",
        "- agreement: max over sectors of |councilplan - pymrio| / |pymrio|, for x and v "
        "(the goal is judged on this, the strict reading); normwise ||a - b|| / ||b|| beside it.",
        "",
    ]
    head = [
        "sectors",
        "nnz",
        "rtol",
        "councilplan s",
        "pymrio iomath s",
        "speed-up vs iomath",
        "vs calc_all",
        "vs dense LU",
        "max rel diff x, v",
        "normwise x, v",
        "goals (1e-9; 100x at 5,000)",
    ]
    body = []
    for r in rows:
        for tight in (False, True):
            t = r["councilplan_tight_s"] if tight else r["councilplan_s"]
            ex = r["tight_x_rel_diff_vs_pymrio" if tight else "x_rel_diff_vs_pymrio"]
            ev = r["tight_v_rel_diff_vs_pymrio" if tight else "v_rel_diff_vs_pymrio"]
            agree = r["tight_agreement_met" if tight else "agreement_met"]
            speed = r["pymrio_iomath_s"] / t
            goal = ("met" if agree else "MISSED") + (
                ", " + ("met" if speed >= GOAL_SPEEDUP else "MISSED") if r["n"] >= 5000 else ""
            )
            body.append(
                [
                    f"{r['n']:,}",
                    f"{r['nnz']:,}",
                    f"{TIGHT:g}" if tight else "1e-10 (default)",
                    f"{t:.4f}",
                    f"{r['pymrio_iomath_s']:.3f}",
                    f"{speed:.0f}x",
                    f"{r['pymrio_calc_all_s'] / t:.0f}x",
                    f"{r['dense_lu_s'] / t:.0f}x",
                    f"{ex:.1e}, {ev:.1e}",
                    f"{r['x_norm_rel_diff_vs_pymrio']:.1e}, {r['v_norm_rel_diff_vs_pymrio']:.1e}"
                    if not tight
                    else "",
                    goal,
                ]
            )
    lines.append(table(head, body))
    lines += [
        "",
        "Dense LU against pymrio's inverse (how far apart two dense answers are): "
        + ", ".join(
            f"{r['n']:,}: x {r['x_rel_diff_dense_lu_vs_pymrio']:.0e}, "
            f"v {r['v_rel_diff_dense_lu_vs_pymrio']:.0e}"
            for r in rows
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0], DEFAULT_SIZES)
    p.add_argument("--inputs", type=int, default=50, help="inputs per product (generator)")
    args = p.parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick and args.sizes == list(DEFAULT_SIZES) else args.sizes
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
        "pymrio": pymrio.__version__,
    }
    md = markdown(rows, meta)
    print("\n" + md)
    path = write_json(
        args.out, NAME + ("-quick" if args.quick else ""), {"meta": meta, "rows": rows}
    )
    print(f"figures: {path}")
    if not (args.quick or args.no_record):
        record_section(NAME, md)
        print("RESULTS.md: section updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
