"""Scottish STV on 10^4 .. 10^6 ballots (20 candidates, 5 seats) against pref_voting.

For each size, one profile of ranked ballots drawn from ``--seed`` (see
:func:`draw_ballots`), and, in the same run on the same ballots:

* councilplan: ``Profile.from_indices(candidates, ballots)`` (validates the rankings and
  merges identical ones into weighted groups) and
  ``councilplan.councils.counting.scottish_stv(profile, 5)``, timed separately and
  together (one call doing both); medians of several runs;
* the baseline: pref_voting's ``stv_scottish(profile, num_seats=5)`` on a
  ``ProfileWithTies`` holding the same ballots. It is handed the *distinct* rankings with
  their counts (councilplan's groups, as ``{candidate: rank}`` dicts and ``rcounts``), not
  one ranking per ballot paper: its count walks one piece per stored ranking, so this is
  the fastest way to give it the ballots, and the comparison the least flattering to
  councilplan. Its profile building (dicts + ``ProfileWithTies``, which also tabulates
  every pairwise support) is timed separately from its count.

The winners must be the same set (both methods break ties by the earlier-stage rule, then
by lot; a difference where councilplan had to draw a lot is reported, not an error; any
other difference stops the script before RESULTS.md is touched). Speed-ups are
pref_voting seconds over councilplan seconds: count against count (the goal, at least
20x at 10^6: the same profile given to both), and, for the stricter readings, pref_voting's
count against councilplan's profile building + count, and build + count against build +
count.

    python benchmarks/stv.py                    # 1e4 1e5 1e6, records RESULTS.md section stv
    python benchmarks/stv.py --quick            # 1e3 1e4, seconds; JSON only
    python benchmarks/stv.py --sizes 1e6 --baseline-max 1e5   # councilplan alone at 1e6

``--baseline-limit`` (seconds, default 1500) abandons a pref_voting count that runs
longer (SIGALRM; pref_voting is pure Python) and records councilplan alone at that size.
"""

from __future__ import annotations

import gc
import random
import signal
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_scottish

from _common import (
    command_line,
    machine,
    machine_line,
    median_time,
    parser,
    record_section,
    size_arg,
    table,
    timed,
    today,
    write_json,
)
from councilplan.councils.counting import ActionKind, Count, Profile, scottish_stv

NAME = "stv"
DEFAULT_SIZES = (10**4, 10**5, 10**6)
QUICK_SIZES = (10**3, 10**4)
CANDIDATES = 20
SEATS = 5
ZIPF_EXPONENT = 1.0
LENGTH_DECAY = 0.8
GOAL_SPEEDUP = 20.0
GOAL_SIZE = 10**6
NAMES = tuple(f"c{i:02d}" for i in range(CANDIDATES))

IntArray = NDArray[np.int64]


# ---------------------------------------------------------------------------- ballots


def draw_ballots(n: int, seed: int) -> IntArray:
    """``n`` ranked ballots over 20 candidates, a ``(n, 20)`` array padded with ``-1``.

    * Popularity: Zipf-like, candidate ``k``-th in popularity has weight ``1 / k``
      (exponent ``ZIPF_EXPONENT``); which candidate index is ``k``-th is a random
      permutation, so popularity is not index order.
    * Order: Plackett-Luce with those weights (each preference is drawn among the
      candidates not yet ranked, in proportion to their weights), sampled exactly by
      the Gumbel trick: sort ``log w + Gumbel noise`` in descending order.
    * Length: 1..20, truncated geometric, ``P(L = k)`` proportional to ``0.8^(k-1)``
      (``LENGTH_DECAY``; mean about 4.8, a fifth of ballots a single preference, 0.3%
      all 20) -- the ballot keeps its first ``L`` preferences.
    """
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, CANDIDATES + 1, dtype=np.float64) ** ZIPF_EXPONENT
    weights = weights[rng.permutation(CANDIDATES)]
    keys = rng.gumbel(size=(n, CANDIDATES)) + np.log(weights)
    order = np.argsort(-keys, axis=1).astype(np.int64)
    del keys
    p = LENGTH_DECAY ** np.arange(CANDIDATES, dtype=np.float64)
    lengths = rng.choice(np.arange(1, CANDIDATES + 1), size=n, p=p / p.sum())
    order[np.arange(CANDIDATES)[None, :] >= lengths[:, None]] = -1
    return order


def pref_voting_profile(profile: Profile) -> ProfileWithTies:
    """The same ballots for pref_voting: distinct rankings as ``{candidate: rank}`` dicts
    (candidates are the indices 0..19, ranks 1..L) with their counts."""
    dicts = [
        {c: k for k, c in enumerate(row, start=1) if c >= 0} for row in profile.rankings.tolist()
    ]
    return ProfileWithTies(
        dicts, rcounts=profile.weights.tolist(), candidates=list(range(profile.n_candidates))
    )


# ---------------------------------------------------------------------------- timing


class _TooLong(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TooLong


def limited(fn: Callable[[], Any], limit: float) -> tuple[float | None, Any]:
    """Seconds and value of one call, or ``(None, None)`` if it ran past ``limit`` s."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return timed(fn)
    except _TooLong:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _repeats(n: int, quick: bool) -> tuple[int, int]:
    """(councilplan, pref_voting) timed runs at size ``n``."""
    if quick:
        return 3, 1
    if n <= 10**4:
        return 9, 3
    if n <= 10**5:
        return 5, 1
    return 3, 1


def _shape(count: Count) -> dict[str, int]:
    kinds = [s.action.kind for s in count.stages]
    return {
        "stages": len(kinds),
        "surplus_transfers": sum(k is ActionKind.SURPLUS_TRANSFER for k in kinds),
        "exclusions": sum(k is ActionKind.EXCLUSION for k in kinds),
    }


# ---------------------------------------------------------------------------- one size


def _councilplan(ballots: IntArray, seed: int, reps: int) -> tuple[Profile, Count, dict[str, Any]]:
    def build() -> Profile:
        return Profile.from_indices(NAMES, ballots)

    profile = build()
    count = scottish_stv(profile, SEATS, seed=seed)
    t_build = median_time(build, reps)
    t_count = median_time(lambda: scottish_stv(profile, SEATS, seed=seed), reps)
    t_both = median_time(lambda: scottish_stv(build(), SEATS, seed=seed), reps)
    return (
        profile,
        count,
        {
            "groups": profile.n_groups,
            "mean_length": float((ballots >= 0).sum(axis=1).mean()),
            "quota": int(count.quota),
            **_shape(count),
            "councilplan_build_s": t_build,
            "councilplan_count_s": t_count,
            "councilplan_build_and_count_s": t_both,
            "councilplan_repeats": reps,
            "councilplan_elected": list(count.elected),
            "councilplan_tie_breaks": [tb.to_dict() for tb in count.tie_breaks],
            "councilplan_lot_drawn": any(tb.resolved_by == "lot" for tb in count.tie_breaks),
        },
    )


def _pref_voting(
    profile: Profile, seed: int, reps: int, limit: float
) -> tuple[float | None, float | None, list[int], str]:
    """(build s, median count s, winners, why not) -- a None where a call ran too long."""
    t_build, pv_profile = limited(lambda: pref_voting_profile(profile), limit)
    if t_build is None:
        return None, None, [], f"pref_voting profile building ran past {limit:g} s"
    assert int(pv_profile.num_voters) == profile.total_weight

    def count() -> list[int]:
        return list(stv_scottish(pv_profile, num_seats=SEATS, rng=random.Random(seed)))

    times = []
    winners: list[int] = []
    for _ in range(reps):
        t, value = limited(count, limit)
        if t is None:
            return t_build, None, [], f"pref_voting stv_scottish ran past {limit:g} s"
        times.append(t)
        winners = value
    return t_build, float(np.median(times)), winners, ""


def bench_size(
    n: int, seed: int, quick: bool, baseline_max: int | None, baseline_limit: float
) -> dict[str, Any]:
    t_draw, ballots = timed(lambda: draw_ballots(n, seed))
    reps_cp, reps_pv = _repeats(n, quick)
    profile, count, row = _councilplan(ballots, seed, reps_cp)
    row = {"ballots": n, "draw_s": t_draw, **row}
    print(
        f"{n:>9,} ballots, {profile.n_groups:,} groups, {row['stages']} stages: councilplan "
        f"build {row['councilplan_build_s']:.4f} s, count {row['councilplan_count_s']:.4f} s, "
        f"together {row['councilplan_build_and_count_s']:.4f} s; "
        f"elected {', '.join(count.elected)}",
        flush=True,
    )
    del ballots
    gc.collect()

    if baseline_max is not None and n > baseline_max:
        row["baseline"] = f"skipped (--baseline-max {baseline_max:,})"
        return row
    t_pv_build, t_pv, winners, why = _pref_voting(profile, seed, reps_pv, baseline_limit)
    if t_pv_build is None or t_pv is None:
        row["baseline"] = why
        print(f"          {why}", flush=True)
        return row
    pv_elected = sorted(NAMES[c] for c in winners)
    same = sorted(count.elected) == pv_elected
    t_count = row["councilplan_count_s"]
    t_both = row["councilplan_build_and_count_s"]
    row.update(
        {
            "baseline": "pref_voting",
            "pref_voting_build_s": t_pv_build,
            "pref_voting_count_s": t_pv,
            "pref_voting_repeats": reps_pv,
            "pref_voting_elected": pv_elected,
            "same_winners": same,
            "speedup_count": t_pv / t_count,
            "speedup_count_vs_build_and_count": t_pv / t_both,
            "speedup_build_and_count": (t_pv_build + t_pv) / t_both,
        }
    )
    print(
        f"          pref_voting build {t_pv_build:.3f} s, count {t_pv:.3f} s; speed-up: count "
        f"{row['speedup_count']:.0f}x, its count / our build+count "
        f"{row['speedup_count_vs_build_and_count']:.1f}x, build+count "
        f"{row['speedup_build_and_count']:.0f}x; same winners: {same}"
        + ("" if same else f" (pref_voting elected {', '.join(pv_elected)})"),
        flush=True,
    )
    gc.collect()
    return row


# ---------------------------------------------------------------------------- report


def _s(t: float | None) -> str:
    if t is None:
        return ""
    return f"{t:.4f}" if t < 1 else f"{t:.2f}"


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "## Scottish STV against pref_voting (`benchmarks/stv.py`)",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine_line']}",
        f"- command: `{meta['command']}`",
        f"- ballots: {CANDIDATES} candidates, {SEATS} seats, seed {meta['seed']}; Zipf-like "
        f"popularity (weight 1/k^{ZIPF_EXPONENT:g} for the k-th most popular, random "
        "identities), order by Plackett-Luce (Gumbel trick), length 1..20 truncated geometric "
        f"P(L=k) ~ {LENGTH_DECAY:g}^(k-1) (mean {rows[-1]['mean_length']:.2f} at "
        f"{rows[-1]['ballots']:,}). `groups`: distinct rankings.",
        "- councilplan: `Profile.from_indices(candidates, ballots)` (validation + grouping) "
        "and `scottish_stv(profile, 5)`, timed separately and together (one call doing "
        "both); medians of 3-9 runs.",
        f"- baseline: pref_voting {meta['pref_voting']} `stv_scottish(profile, num_seats=5)` "
        "on a `ProfileWithTies` of the same ballots, handed the distinct rankings with their "
        "counts (its fastest input; one ranking per paper would be slower); its profile "
        "building (dicts + `ProfileWithTies`, which also tabulates all pairwise supports) "
        "timed separately. One run at 10^5 and above, median of 3 below.",
        "- speed-ups are pref_voting seconds over councilplan's: `count` = count over count "
        f"(the goal: at least {GOAL_SPEEDUP:g}x at 10^6 ballots, the same profile given to "
        "both); `count / our build+count` = pref_voting's count over councilplan building "
        "its profile and counting; `build+count` = both sides' build + count.",
        "",
    ]
    head = [
        "ballots",
        "groups",
        "stages (surplus, excl.)",
        "ours build s",
        "ours count s",
        "ours build+count s",
        "pref_voting build s",
        "pref_voting count s",
        "x count",
        "x count / our build+count",
        "x build+count",
        "same winners",
        "goal",
    ]
    body = []
    for r in rows:
        has = r["baseline"] == "pref_voting"
        goal = ""
        if has and r["ballots"] >= GOAL_SIZE:
            goal = "met" if r["speedup_count"] >= GOAL_SPEEDUP else "MISSED"
        if has:
            same = (
                "yes"
                if r["same_winners"]
                else "NO" + (" (lot)" if r["councilplan_lot_drawn"] else "")
            )
        else:
            same = r["baseline"]
        body.append(
            [
                f"{r['ballots']:,}",
                f"{r['groups']:,}",
                f"{r['stages']} ({r['surplus_transfers']}, {r['exclusions']})",
                _s(r["councilplan_build_s"]),
                _s(r["councilplan_count_s"]),
                _s(r["councilplan_build_and_count_s"]),
                _s(r.get("pref_voting_build_s")),
                _s(r.get("pref_voting_count_s")),
                f"{r['speedup_count']:.0f}x" if has else "",
                f"{r['speedup_count_vs_build_and_count']:.1f}x" if has else "",
                f"{r['speedup_build_and_count']:.0f}x" if has else "",
                same,
                goal,
            ]
        )
    lines.append(table(head, body))
    lines += ["", "Elected (councilplan, in order of election; pref_voting returns a set):", ""]
    for r in rows:
        ties = r["councilplan_tie_breaks"]
        tie_text = (
            "; ties broken: "
            + ", ".join(f"stage {t['stage']} {t['purpose']} by {t['resolved_by']}" for t in ties)
            if ties
            else ""
        )
        lines.append(
            f"- {r['ballots']:,}: {', '.join(r['councilplan_elected'])} "
            f"(quota {r['quota']:,}{tie_text})"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0], DEFAULT_SIZES)
    p.add_argument(
        "--baseline-max",
        type=size_arg,
        default=None,
        help="largest size at which pref_voting runs (default: every size)",
    )
    p.add_argument(
        "--baseline-limit",
        type=float,
        default=1500.0,
        help="seconds after which one pref_voting call is abandoned (default: %(default)s)",
    )
    args = p.parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick and args.sizes == list(DEFAULT_SIZES) else args.sizes
    mach = machine()
    print(machine_line(mach), flush=True)
    t0 = time.perf_counter()
    rows = [
        bench_size(n, args.seed, args.quick, args.baseline_max, args.baseline_limit) for n in sizes
    ]
    meta = {
        "date": today(),
        "machine": mach,
        "machine_line": machine_line(mach),
        "command": command_line(__file__, sys.argv[1:] if argv is None else argv),
        "seed": args.seed,
        "candidates": CANDIDATES,
        "seats": SEATS,
        "zipf_exponent": ZIPF_EXPONENT,
        "length_decay": LENGTH_DECAY,
        "pref_voting": version("pref_voting"),
        "wall_s": time.perf_counter() - t0,
    }
    md = markdown(rows, meta)
    print("\n" + md)
    path = write_json(
        args.out, NAME + ("-quick" if args.quick else ""), {"meta": meta, "rows": rows}
    )
    print(f"figures: {path}")
    differ = [
        r["ballots"]
        for r in rows
        if r["baseline"] == "pref_voting"
        and not r["same_winners"]
        and not r["councilplan_lot_drawn"]
    ]
    if differ:
        print(f"DIFFERENT WINNERS at {differ} (no lot drawn): RESULTS.md not updated")
        return 1
    if not (args.quick or args.no_record):
        record_section(NAME, md)
        print("RESULTS.md: section updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
