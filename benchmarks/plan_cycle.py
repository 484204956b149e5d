"""A whole plan cycle through the services at national size, on SQLite and PostgreSQL.

The economy: ``generate_economy(n, inputs, seed)`` (default 10^5 products, 10 inputs
each), made by ``W`` workplace councils (default 10^4, each making n / W products with
its own technique, capacity 2.5 x its output for the base needs) under 10 regional councils and a
national planning council; 100 residential councils register the needs (each product's
need split among three of them) and the national council adds collective needs (a
tenth of the products, as investment, reserves or health); the national council decides
a 35-hour week for 46 weeks and each workplace its head-count. Each region elects one
delegate to the national council; the delegates ratify.

Timed stages (each one or a few service calls, one transaction each, every step in the
audit log):

* ``register``: the catalogue (n products), the period, every technique (one call), the
  needs, the working time;
* ``variants``: three variants computed from one snapshot -- every need on a 35-hour
  week, a 30-hour week with the lower tiers partly met, more investment;
* ``ratify``: the delegates' ballot opened (weights frozen), ten votes, the close (the
  winner re-hashed from its stored arrays, adopted, its hash logged);
* ``targets``: the targets published (one per technique, inputs split by supplier,
  needs served directly).

Baseline, in the same run: ``optimise_plan`` alone on the same economy (square, the
exact structured method) with the labour of the 30-hour variant. Ratios are stage
seconds over baseline seconds. The federation itself (councils, members, delegate
elections) is set up first and timed apart (``setup``).

    python benchmarks/plan_cycle.py                       # 10^5 products, both databases
    python benchmarks/plan_cycle.py --sizes 1e4 --workplaces 1000 --db sqlite
    python benchmarks/plan_cycle.py --quick               # seconds; JSON only
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import URL

from _common import (
    command_line,
    machine,
    machine_line,
    parser,
    record_section,
    table,
    today,
    write_json,
)
from councilplan import services
from councilplan.planning import generate_economy, gross_output, optimise_plan
from councilplan.planning.cycle import (
    NeedTable,
    Product,
    TechniqueTable,
    VariantSpec,
    WorkingTime,
)
from councilplan.services import plan_cycle as pc
from councilplan.store import UnitOfWork, make_engine, upgrade
from councilplan.store.scratch import (
    DEFAULT_TEST_SERVER,
    postgresql_reachable,
    scratch_postgresql,
    scratch_sqlite,
)

NAME = "plan_cycle"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
REGIONS = 10
RESIDENTIAL = 100
HOURS, WEEKS = 35.0, 46.0
GOAL_SECONDS = 300.0


@contextmanager
def database(kind: str, server: str) -> Iterator[URL]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as d:
            url = scratch_sqlite(Path(d))
            upgrade(url)
            yield url
    else:
        with scratch_postgresql(server) as url:
            upgrade(url)
            yield url


class Instance:
    """The economy and the registrations of one run (built before anything is timed)."""

    def __init__(self, n: int, inputs: int, workplaces: int, seed: int) -> None:
        base = generate_economy(n, inputs, seed=seed)
        self.eco = base.with_needs(base.needs * 1e4)
        self.n, self.W = n, workplaces
        self.codes = [f"P{i}" for i in range(n)]
        self.x = gross_output(self.eco)
        self.wp = [f"wp{j % workplaces:05d}" for j in range(n)]
        cap = 2.5 * self.x
        self.techniques = TechniqueTable.from_economy(self.eco, self.wp, capacity=cap,
                                                      products=self.codes)
        rng = np.random.default_rng(seed + 1)
        d = self.eco.needs
        rows = np.repeat(np.arange(n), 3)
        councils = [f"res{k:03d}" for k in rng.integers(0, RESIDENTIAL, size=rows.size)]
        tiers = np.repeat(self.eco.tiers, 3)
        tiers = np.where(tiers == 3, 2, tiers)  # households in tiers 1-2
        self.needs = NeedTable(councils, [self.codes[i] for i in rows], np.repeat(d / 3, 3) * 0.9,
                               tiers, ["consumption"] * rows.size, [""] * rows.size)
        coll = rng.choice(n, size=max(1, n // 10), replace=False)
        cats = rng.choice(["investment", "reserves", "health"], size=coll.size)
        self.collective = NeedTable(["national"] * coll.size, [self.codes[i] for i in coll],
                                    d[coll] * 1.0, np.full(coll.size, 3, dtype=np.int64),
                                    [str(c) for c in cats], [""] * coll.size)
        hours = self.eco.labour * self.x  # the hours of the full plan, by technique
        per_wp = np.bincount(np.arange(n) % workplaces, weights=hours, minlength=workplaces)
        heads = np.ceil(1.02 * per_wp / (HOURS * WEEKS)).astype(np.int64)
        self.decisions = [WorkingTime("national", HOURS, WEEKS)] + [
            WorkingTime(f"wp{k:05d}", HOURS, WEEKS, members=int(max(1, h)))
            for k, h in enumerate(heads.tolist())]
        self.labour_30 = 30.0 * WEEKS * float(np.maximum(1, heads).sum())

    def setup(self, uow: UnitOfWork) -> None:
        rows: list[tuple[str, str, str, str | None]] = [("national", "National council",
                                                         "national", None)]
        rows += [(f"region{r}", f"Region {r}", "regional", "national") for r in range(REGIONS)]
        rows += [(f"res{k:03d}", f"Residents {k}", "residential", f"region{k % REGIONS}")
                 for k in range(RESIDENTIAL)]
        rows += [(f"wp{k:05d}", f"Workplace {k}", "workplace", f"region{k % REGIONS}")
                 for k in range(self.W)]
        services.create_councils(uow, rows, T0)
        services.admit_members(uow, [(f"m{k:05d}", f"wp{k:05d}") for k in range(self.W)], T0)
        for r in range(REGIONS):
            holder = f"m{r:05d}"  # a member of wp r, which sits in region r
            services.define_seat(uow, f"region{r}/delegate", f"region{r}", "delegate",
                                 "delegate", T0, term_length=365 * DAY, election_lead=28 * DAY,
                                 delegate_to="national")
            b = services.open_election(uow, [f"region{r}/delegate"], [holder], T0, T0 + DAY)
            services.cast_vote(uow, b.ballot_id, holder, [holder], T0)
            services.close_ballot(uow, b.ballot_id, T0 + DAY)


def run_cycle(inst: Instance, uow: UnitOfWork) -> dict[str, Any]:
    at = T0 + 3 * DAY
    out: dict[str, Any] = {}
    steps: dict[str, float] = {}
    t0 = t = time.perf_counter()

    def step(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        steps[name] = now - t
        t = now

    pc.add_products(uow, [Product(c, c, "unit") for c in inst.codes], at)
    pc.open_period(uow, "y2026", "Plan 2026", T0, T0 + 365 * DAY, at)
    step("catalogue+period")
    pc.register_techniques(uow, "y2026", inst.techniques, at)
    step("techniques")
    pc.register_needs(uow, "y2026", inst.needs, at)
    pc.register_needs(uow, "y2026", inst.collective, at)
    step("needs")
    pc.decide_working_times(uow, "y2026", inst.decisions, at)
    step("working time")
    out["register"] = time.perf_counter() - t0
    out["register_steps"] = steps
    t = time.perf_counter()
    views = pc.compute_variants(uow, "y2026", [
        VariantSpec("35h", "Every need on a 35-hour week", hours_per_week=35.0),
        VariantSpec("30h", "A 30-hour week", hours_per_week=30.0),
        VariantSpec("invest", "More investment", hours_per_week=35.0,
                    need_scale={"investment": 1.5})], at)
    out["variants"] = time.perf_counter() - t
    out["statements"] = {v.key: list(v.statement[:2]) for v in views}
    t = time.perf_counter()
    ballot = pc.open_plan_ballot(uow, "y2026", at, at + 7 * DAY)
    for k, (holder, _w) in enumerate(ballot.weights):
        pc.cast_plan_vote(uow, ballot.ballot_id, holder,
                          ["30h", "35h", "invest"] if k % 3 == 0 else ["35h", "invest", "30h"],
                          at + DAY)
    closed = services.close_ballot(uow, ballot.ballot_id, at + 7 * DAY)
    out["ratify"] = time.perf_counter() - t
    out["adopted"] = closed.elected[0] if closed.elected else None
    t = time.perf_counter()
    published = pc.publish_targets(uow, "y2026", at + 8 * DAY)
    out["targets"] = time.perf_counter() - t
    out["published"] = published.targets
    out["cycle"] = out["register"] + out["variants"] + out["ratify"] + out["targets"]
    t = time.perf_counter()
    audit = services.verify_audit(uow)
    out["audit_verify"] = time.perf_counter() - t
    out["audit_ok"], out["audit_entries"] = audit.ok, audit.entries
    return out


def baseline(inst: Instance) -> float:
    """optimise_plan alone on the same economy: needs summed by product and tier as the
    cycle registers them, with the labour of the 30-hour variant."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        plan = optimise_plan(inst.eco, labour_available=inst.labour_30)
        times.append(time.perf_counter() - t)
        assert plan.status.value == "optimal"
    return float(np.median(times))


def main(argv: list[str]) -> None:
    p = parser(__doc__.splitlines()[0], (10**5,))
    p.add_argument("--workplaces", type=int, default=None,
                   help="workplace councils (default: n / 10)")
    p.add_argument("--inputs", type=int, default=10, help="inputs per product")
    p.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--server", default=DEFAULT_TEST_SERVER)
    args = p.parse_args(argv)
    sizes = [2000] if args.quick else args.sizes
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if args.quick:
        kinds = ["sqlite"]
    rows = []
    payload: dict[str, Any] = {"machine": machine(), "rows": []}
    for n in sizes:
        W = args.workplaces or max(1, n // 10)
        inst = Instance(n, args.inputs, W, args.seed)
        for kind in kinds:
            if kind == "postgresql":
                why = postgresql_reachable(args.server)
                if why is not None:
                    print(f"PostgreSQL skipped: {why}")
                    continue
            with database(kind, args.server) as url:
                engine = make_engine(url)
                uow = UnitOfWork(engine)
                t = time.perf_counter()
                inst.setup(uow)
                setup = time.perf_counter() - t
                before = baseline(inst)  # the baseline just before and just after the cycle
                got = run_cycle(inst, uow)
                after = baseline(inst)
                engine.dispose()
            base = (before + after) / 2
            got.update({"n": n, "workplaces": W, "nnz": int(inst.eco.A.nnz), "db": kind,
                        "setup": setup, "baseline": base, "baseline_before": before,
                        "baseline_after": after, "load_average": list(os.getloadavg())})
            payload["rows"].append(got)
            rows.append([
                kind, f"{n:,}", f"{W:,}", f"{inst.eco.A.nnz:,}", f"{base:.3f}",
                *(f"{got[s]:.1f} ({got[s] / base:.0f}x)" for s in
                  ("register", "variants", "ratify", "targets")),
                f"{got['cycle']:.1f} ({got['cycle'] / base:.0f}x)", f"{setup:.1f}",
                got["adopted"], f"{got['published']:,}",
                f"{'OK' if got['audit_ok'] else 'FAILED'} ({got['audit_entries']:,})"])
            print(f"{kind} n={n} W={W}: " + ", ".join(
                f"{s} {got[s]:.2f}s" for s in ("register", "variants", "ratify", "targets",
                                                "cycle")) + f"; baseline {base:.3f}s",
                  flush=True)
    headers = ["database", "products", "workplaces", "inputs (nnz)", "optimise_plan s",
               "register s (x)", "3 variants s (x)", "ratify s (x)", "targets s (x)",
               "cycle s (x)", "setup s", "adopted", "targets", "audit log"]
    text = table(headers, rows)
    print(text)
    out = write_json(args.out, f"{NAME}-quick" if args.quick else NAME, payload)
    print(f"wrote {out}")
    if args.quick or args.no_record:
        return
    m = payload["machine"]
    statements = payload["rows"][0]["statements"] if payload["rows"] else {}
    md = [
        "## A whole plan cycle through the services (`benchmarks/plan_cycle.py`)",
        "",
        f"- date: {today()}",
        f"- machine: {machine_line(m)}",
        f"- command: `{command_line(__file__, argv)}`",
        f"- economy: `generate_economy(n, inputs={args.inputs}, seed={args.seed})`, needs x 1e4;"
        " each workplace council makes n / W products (one technique each, capacity 2.5 x "
        "output for the base needs); 100 residential councils register 3 n needs (tiers 1-2), the "
        "national council n / 10 collective needs (tier 3); 10 regional delegates ratify "
        "(open vote, Schulze).",
        "- stages: `register` = catalogue + period + techniques + needs + working time; "
        "`3 variants` = one snapshot, three `optimise_plan` runs, consequences, hashes; "
        "`ratify` = ballot opened, 10 votes, close (winner re-hashed, adopted, logged); "
        "`targets` = one target per technique with inputs by supplier and needs served. "
        "`setup` (councils, members, delegate elections) is not part of the cycle.",
        "- baseline: `optimise_plan` alone on the same economy in the same run (square: the "
        "exact structured method), with the 30-hour variant's labour; median of 3, taken "
        "just before and just after each database's cycle (their mean). `(x)` = stage "
        "seconds / baseline seconds.",
        "",
        text,
        "",
        f"Goal (issue 5): a whole cycle (register, three variants, ratify, publish targets) "
        f"at 10^5 products and 10^4 workplace councils within minutes (taken as "
        f"{GOAL_SECONDS:.0f} s): " + "; ".join(
            f"{r['db']} {r['cycle']:.0f} s at {r['n']:,} products: "
            + ("met" if r["cycle"] <= GOAL_SECONDS else "MISSED")
            for r in payload["rows"]) + ".",
        "",
        "Inside `register`, the baseline before and after, and the load (the machine is "
        "shared):",
        "",
        table(["database", "products", "catalogue + period s", "techniques s", "needs s",
               "working time s", "baseline before / after s", "load average at the end"],
              [[r["db"], f"{r['n']:,}",
                *(f"{r['register_steps'][k]:.1f}" for k in
                  ("catalogue+period", "techniques", "needs", "working time")),
                f"{r['baseline_before']:.3f} / {r['baseline_after']:.3f}",
                ", ".join(f"{x:.1f}" for x in r["load_average"])]
               for r in payload["rows"]]),
        "",
        "What the variants said (first run):",
        "",
    ]
    for key, lines in statements.items():
        md.append(f"- `{key}`: " + " ".join(lines))
    record_section(NAME, "\n".join(md) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
