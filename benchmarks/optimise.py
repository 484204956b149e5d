"""optimise_plan with labour and capacities binding, against HiGHS IPM and PDLP run directly.

The instance, at 10^4, 10^5, 10^6 products: ``generate_economy(n, inputs=10, seed=0)``
(three tiers of needs), ``x_t = (I - A)^-1 d_t`` per tier, and

* capacities on some products: on the three tier-1 products with the largest ``x_1``
  among those no technique uses as an input, ``c_j = 0.9 x_1j`` (these bind: tier 1 gets
  ``theta_1 = 0.9``); on a random 5% of all products ``c_j = 1.5 (x_1 + x_2 + x_3)_j``
  (present, never binding);
* labour below what the full needs take: ``L = 0.9 l.x_1 + 0.6 l.x_2``, so tier 2 is held
  by labour at ``theta_2 = 0.6`` and tier 3 gets nothing.

Timed: ``optimise_plan(eco, labour_available=L, method="leontief")`` (the whole plan: all
tiers, the least-labour stage and the shadow prices) and, run directly through
``councilplan.planning.lp.solve_lp``, the tier-1 LP (and, where that finished, the tier-2 LP
with tier 1 held) by HiGHS IPM (with crossover) and PDLP, each in a child process with a
time limit and a memory cap, so that a solver that cannot finish is recorded as such.

The best known optimum of each tier is HiGHS IPM's where it finished optimal, otherwise
the structured method's (whose optimality is the closed form in ``plan.py``: every
feasible plan has ``z >= theta (I - A)^-1 d``, so a binding capacity or labour bounds
theta). Gaps are ``|theta - theta*| / theta*``. Goal (issue 2): at 10^5 within 30 s and
within 1e-4 of the optimum.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import resource
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import psutil
import scipy.sparse as sp

from _common import (
    command_line,
    machine,
    machine_line,
    parser,
    record_section,
    table,
    timed,
    today,
    write_json,
)
from councilplan.planning import Economy, generate_economy, optimise_plan, solve_gross_output
from councilplan.planning.lp import LpStatus, solve_lp

NAME = "optimise"
DEFAULT_SIZES = (10**4, 10**5, 10**6)
QUICK_SIZES = (2000,)
THETA1, THETA2 = 0.9, 0.6
GOAL_SECONDS = 30.0
GOAL_GAP = 1e-4
HOLD = 1e-9  # tier 1 is held at theta_1* (1 - HOLD) in the tier-2 LP, as plan.py does


def instance(n: int, inputs: int, seed: int) -> tuple[Economy, float, dict[str, Any]]:
    base = generate_economy(n, inputs, seed=seed)
    d, tier = base.needs, base.tiers
    xs = {t: solve_gross_output(base, np.where(tier == t, d, 0.0), rtol=1e-12).x for t in (1, 2, 3)}
    rows_used = np.diff(base.A.indptr) > 0  # product i is an input to some technique
    cand = np.flatnonzero(~rows_used & (tier == 1) & (d > 0))
    if cand.size == 0:
        raise SystemExit(f"n={n}: no tier-1 product outside every technique's inputs")
    bind = cand[np.argsort(xs[1][cand])[-3:]]
    rng = np.random.default_rng(seed + 1)
    capacity = np.full(n, np.inf)
    loose = rng.choice(n, size=max(1, n // 20), replace=False)
    capacity[loose] = 1.5 * (xs[1] + xs[2] + xs[3])[loose]
    capacity[bind] = THETA1 * xs[1][bind]
    lab = base.labour
    L = THETA1 * float(lab @ xs[1]) + THETA2 * float(lab @ xs[2])
    eco = Economy.from_matrix(
        base.A,
        lab,
        capacity=capacity,
        products=base.products,
        needs=d,
        tiers=tier,
        check_productive=False,
    )
    info = {
        "binding_capacities": [int(j) for j in bind],
        "capacities_set": int(np.isfinite(capacity).sum()),
        "labour_available": L,
        "labour_full_needs": float(sum(lab @ xs[t] for t in (1, 2, 3))),
    }
    return eco, L, info


def tier_lp(
    eco: Economy, L: float, tier: int, held: np.ndarray
) -> tuple[np.ndarray, sp.csc_array, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """max theta  s.t. (I - A) z - theta d_t >= held,  l.z <= L,  0 <= z <= c, 0 <= theta <= 1."""
    n = eco.n
    d_t = np.where(eco.tiers == tier, eco.needs, 0.0)
    net = sp.eye_array(n, format="csc") - sp.csc_array(eco.A)
    top = sp.hstack([net, sp.csc_array(-d_t.reshape(-1, 1))], format="csc")
    lab = sp.csc_array(np.concatenate([eco.labour, [0.0]]).reshape(1, -1))
    M = sp.vstack([top, lab], format="csc")
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    row_lower = np.concatenate([held, [-np.inf]])
    row_upper = np.concatenate([np.full(n, np.inf), [L]])
    col_lower = np.zeros(n + 1)
    col_upper = np.concatenate([eco.capacity, [1.0]])
    return cost, M, row_lower, row_upper, col_lower, col_upper


def _child(conn: Connection, lp: tuple[Any, ...], solver: str, limit: float, cap: int) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # HiGHS prints its banner before any option can silence it
    proc = psutil.Process()
    rss0 = proc.memory_info().rss
    vms = proc.memory_info().vms
    resource.setrlimit(resource.RLIMIT_AS, (vms + cap, vms + cap))
    t0 = time.perf_counter()
    try:
        res = solve_lp(*lp, maximise=True, solver=solver, time_limit=limit)  # type: ignore[arg-type]
        out: dict[str, Any] = {
            "status": res.status.value,
            "theta": float(res.x[-1]) if res.x.size else None,
            "objective": res.objective,
            "iterations": res.iterations,
            "message": res.message,
        }
    except MemoryError as exc:  # the cap: a solver that needs more memory than allowed
        out = {"status": "memory", "theta": None, "message": f"MemoryError: {exc}"}
    except Exception as exc:
        out = {"status": "error", "theta": None, "message": f"{type(exc).__name__}: {exc}"}
    out["seconds"] = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["peak_rss_increase_bytes"] = max(0, peak_kib * 1024 - rss0)
    conn.send(out)
    conn.close()


def run_direct(lp: tuple[Any, ...], solver: str, limit: float, cap_gib: float) -> dict[str, Any]:
    """Solve the LP with HiGHS in a forked child: time limit, memory cap, kill past it."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, lp, solver, limit, int(cap_gib * 2**30)))
    t0 = time.perf_counter()
    proc.start()
    child.close()
    grace = 60.0 + 0.2 * limit
    out: dict[str, Any] | None = None
    if parent.poll(limit + grace):
        try:
            out = parent.recv()
        except EOFError:
            out = None
    proc.join(10.0)
    wall = time.perf_counter() - t0
    if proc.is_alive():
        proc.kill()  # our own child, past its time limit and grace
        proc.join()
        return {
            "status": "killed",
            "theta": None,
            "seconds": wall,
            "message": f"no answer within {limit + grace:.0f} s; killed",
        }
    if out is None:
        return {
            "status": "crashed",
            "theta": None,
            "seconds": wall,
            "message": f"the solver process ended with code {proc.exitcode} "
            f"(memory cap {cap_gib:g} GiB?)",
        }
    out["wall_s"] = wall
    return out


def _feasibility(eco: Economy, z: np.ndarray, thetas: tuple[float, ...], L: float) -> float:
    """Largest relative violation of the plan's constraints by ``z``."""
    target = np.zeros(eco.n)
    for t, th in zip((1, 2, 3), thetas, strict=False):
        target += th * np.where(eco.tiers == t, eco.needs, 0.0)
    net = z - eco.A @ z
    scale = max(float(np.max(np.abs(target))), 1e-300)
    v_net = float(np.max(np.maximum(target - net, 0.0))) / scale
    v_lab = max(0.0, float(eco.labour @ z) - L) / max(L, 1e-300)
    fin = np.isfinite(eco.capacity)
    v_cap = float(np.max(np.maximum(z[fin] - eco.capacity[fin], 0.0) / eco.capacity[fin]))
    return max(v_net, v_lab, v_cap, float(np.max(np.maximum(-z, 0.0))) / scale)


def bench_size(n: int, args: Any) -> dict[str, Any]:
    setup_s, (eco, L, info) = timed(lambda: instance(n, args.inputs, args.seed))
    reps = 1 if args.quick else (3 if n <= 10**5 else 2)
    times = []
    plan = None
    for _ in range(reps):
        gc.collect()
        t, plan = timed(lambda: optimise_plan(eco, labour_available=L, method="leontief"))
        times.append(t)
    assert plan is not None
    struct_s = float(np.median(times))
    kinds = sorted({b.kind for b in plan.binding})
    row: dict[str, Any] = {
        "n": n,
        "nnz": int(eco.A.nnz),
        "setup_s": setup_s,
        **info,
        "leontief_s": struct_s,
        "leontief_thetas": list(plan.thetas),
        "leontief_binding_kinds": kinds,
        "leontief_binding_count": len(plan.binding),
        "leontief_feasibility": _feasibility(eco, plan.activity, plan.thetas, L),
        "direct": {},
    }
    print(
        f"\nn={n:,} nnz={eco.A.nnz:,} (instance built in {setup_s:.1f} s): leontief "
        f"{struct_s:.3f} s, thetas {[round(t, 12) for t in plan.thetas]}, binding {kinds} "
        f"({len(plan.binding)}), violation {row['leontief_feasibility']:.1e}",
        flush=True,
    )
    held0 = np.zeros(n)
    for solver in ("highs-ipm", "pdlp"):
        results: dict[str, Any] = {}
        lp1 = tier_lp(eco, L, 1, held0)
        r1 = run_direct(lp1, solver, args.time_limit, args.memory_cap)
        del lp1
        results["tier1"] = r1
        print(f"  {solver:<9} tier 1: {_describe(r1, args.time_limit)}", flush=True)
        if r1["status"] == LpStatus.OPTIMAL.value:
            held = plan.thetas[0] * (1.0 - HOLD) * np.where(eco.tiers == 1, eco.needs, 0.0)
            lp2 = tier_lp(eco, L, 2, held)
            r2 = run_direct(lp2, solver, args.time_limit, args.memory_cap)
            del lp2
            results["tier2"] = r2
            print(f"  {solver:<9} tier 2: {_describe(r2, args.time_limit)}", flush=True)
        row["direct"][solver] = results
        gc.collect()
    # best known optimum per tier, and gaps
    best: dict[str, Any] = {}
    for k, tier_key in enumerate(("tier1", "tier2")):
        ipm = row["direct"]["highs-ipm"].get(tier_key)
        if ipm and ipm["status"] == "optimal":
            best[tier_key] = {"theta": ipm["theta"], "source": "HiGHS IPM"}
        else:
            best[tier_key] = {"theta": plan.thetas[k], "source": "structured (closed form)"}
    row["best_known"] = best
    gaps: dict[str, dict[str, float | None]] = {}
    for k, tier_key in enumerate(("tier1", "tier2")):
        ref = best[tier_key]["theta"]
        g: dict[str, float | None] = {"leontief": abs(plan.thetas[k] - ref) / ref}
        for solver in ("highs-ipm", "pdlp"):
            r = row["direct"][solver].get(tier_key)
            ok = r is not None and r["status"] == "optimal" and r["theta"] is not None
            g[solver] = abs(r["theta"] - ref) / ref if ok and r else None
        gaps[tier_key] = g
    row["gaps"] = gaps
    row["goal_met"] = (
        struct_s <= GOAL_SECONDS
        and max(gaps["tier1"]["leontief"] or 0.0, gaps["tier2"]["leontief"] or 0.0) <= GOAL_GAP
    )
    return row


def _describe(r: dict[str, Any], limit: float) -> str:
    if r["status"] == "optimal":
        return f"optimal theta {r['theta']:.12g} in {r['seconds']:.2f} s"
    if r["status"] == "limit":
        th = r.get("theta")
        th_s = f", theta so far {th:.6g}" if th is not None else ""
        return f"did not finish within {limit:.0f} s ({r['message']}{th_s})"
    return f"{r['status']}: {r.get('message', '')} after {r['seconds']:.1f} s"


def _cell(r: dict[str, Any] | None, limit: float) -> str:
    if r is None:
        return "not run (tier 1 did not finish)"
    if r["status"] == "optimal":
        return f"{r['seconds']:.2f}"
    if r["status"] == "limit":
        return f"did not finish within {limit:.0f} s"
    if r["status"] in ("memory", "crashed"):
        return f"ran out of memory ({r['status']})"
    return f"{r['status']} after {r['seconds']:.0f} s"


def _gap(g: float | None) -> str:
    return "-" if g is None else f"{g:.1e}"


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lim = meta["time_limit"]
    lines = [
        "## Optimal plans (`benchmarks/optimise.py`)",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine_line']}",
        f"- command: `{meta['command']}`",
        f"- instance: `generate_economy(n, inputs={meta['inputs']}, seed={meta['seed']})`, "
        f"three tiers; capacities 0.9 x_1 on three tier-1 products that are no one's input "
        f"(binding: theta_1 = {THETA1}), non-binding capacities on 5% of products; labour "
        f"0.9 l.x_1 + 0.6 l.x_2 (binding: theta_2 = {THETA2}, theta_3 = 0).",
        '- councilplan: `optimise_plan(..., method="leontief")`, the whole plan (every tier, '
        "least-labour stage, shadow prices), median of 2-3 runs. Baselines in the same run: "
        "the tier-1 LP and, where that finished, the tier-2 LP written out directly and solved "
        "by `solve_lp` with HiGHS IPM (with crossover) and PDLP at default tolerances, each "
        f"with a {lim:.0f} s time limit and a {meta['memory_cap_gib']:g} GiB memory cap.",
        "- gap: |theta - theta*| / theta*, theta* the best known optimum (HiGHS IPM where it "
        "finished, else the structured closed form). Time ratio: HiGHS seconds / councilplan "
        "seconds for the whole plan (HiGHS for one or two LPs only).",
        "",
    ]
    head = [
        "n",
        "nnz",
        "councilplan s",
        "thetas",
        "binding",
        "IPM tier 1 s",
        "PDLP tier 1 s",
        "IPM tier 2 s",
        "PDLP tier 2 s",
        "gap tier 1 (cp, IPM, PDLP)",
        "gap tier 2 (cp, IPM, PDLP)",
        "HiGHS s / cp s (IPM, PDLP; tier 1)",
        "goal (30 s, 1e-4)",
    ]
    body = []
    for r in rows:
        ipm, pdlp = r["direct"]["highs-ipm"], r["direct"]["pdlp"]

        def ratio(x: dict[str, Any] | None, r: dict[str, Any] = r) -> str:
            if x is None:
                return "-"
            s = f"{x['seconds'] / r['leontief_s']:.0f}x"
            return s if x["status"] == "optimal" else f">{s}"

        body.append(
            [
                f"{r['n']:.0e}",
                f"{r['nnz']:.2e}",
                f"{r['leontief_s']:.3f}",
                ", ".join(f"{t:.6g}" for t in r["leontief_thetas"]),
                f"{'+'.join(r['leontief_binding_kinds'])} ({r['leontief_binding_count']})",
                _cell(ipm.get("tier1"), lim),
                _cell(pdlp.get("tier1"), lim),
                _cell(ipm.get("tier2"), lim),
                _cell(pdlp.get("tier2"), lim),
                ", ".join(_gap(r["gaps"]["tier1"][k]) for k in ("leontief", "highs-ipm", "pdlp")),
                ", ".join(_gap(r["gaps"]["tier2"][k]) for k in ("leontief", "highs-ipm", "pdlp")),
                f"{ratio(ipm.get('tier1'))}, {ratio(pdlp.get('tier1'))}",
                "" if r["n"] != 10**5 else ("met" if r["goal_met"] else "MISSED"),
            ]
        )
    lines.append(table(head, body))
    lines += [
        "",
        "Best known optimum per size: "
        + "; ".join(
            f"{r['n']:.0e}: tier 1 {r['best_known']['tier1']['source']}, "
            f"tier 2 {r['best_known']['tier2']['source']}"
            for r in rows
        )
        + ". Largest constraint violation of councilplan's plan: "
        + ", ".join(f"{r['leontief_feasibility']:.1e}" for r in rows)
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0], DEFAULT_SIZES)
    p.add_argument("--inputs", type=int, default=10, help="inputs per product (generator)")
    p.add_argument("--time-limit", type=float, default=300.0, help="HiGHS seconds per LP")
    p.add_argument("--memory-cap", type=float, default=12.0, help="GiB per HiGHS solve")
    args = p.parse_args(argv)
    if args.quick:
        if args.sizes == list(DEFAULT_SIZES):
            args.sizes = list(QUICK_SIZES)
        args.time_limit = min(args.time_limit, 20.0)
    mach = machine()
    print(machine_line(mach), flush=True)
    rows = [bench_size(n, args) for n in args.sizes]
    meta = {
        "date": today(),
        "machine": mach,
        "machine_line": machine_line(mach),
        "command": command_line(__file__, sys.argv[1:] if argv is None else argv),
        "inputs": args.inputs,
        "seed": args.seed,
        "time_limit": args.time_limit,
        "memory_cap_gib": args.memory_cap,
        "pid": os.getpid(),
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
