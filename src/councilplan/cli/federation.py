"""The demo federation: workplace councils of a real national economy, federated upward,
with members, wages, elected delegates and officers with terms and pay, an open
election, a recall petition and a motion -- all made through the services, so the audit
log records every step.

    seed_federation(uow, products, now, password_hash=...) -> DemoFederation

``products`` names the economy's industries (largest labour first); the first four
become workplace councils under an area council, a regional and a national council.
History starts ten weeks before ``now``: the first elections ran then and closed a
week later, so the mandates are in their terms; wages are reported for this month and
the last; the open election, the petition and the motion are of the last few days.
Disputes (strikes with offers) and the plan cycle are seeded once those services exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from councilplan import services
from councilplan.api.auth.accounts import create_account
from councilplan.cli.federation_dispute import DemoDispute, seed_dispute
from councilplan.cli.federation_plan import DemoPlan, seed_plan_cycle
from councilplan.store import UnitOfWork

__all__ = ["DEMO_PASSWORD", "DemoFederation", "DemoLogin", "is_seeded", "seed_federation"]

DEMO_PASSWORD = "councilplan-demo"
NATIONAL = "national"
MEMBERS_PER_WORKPLACE = 12
DAY = timedelta(days=1)
YEAR = 365 * DAY

FIRST_NAMES = [
    "Ada", "Bert", "Carmen", "Dmitri", "Esi", "Farid", "Greta", "Hamza", "Ines", "Jonas",
    "Kemi", "Lars", "Mina", "Nuno", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tove",
    "Uma", "Viktor", "Wanjiru", "Xavier", "Yara", "Zeno", "Amira", "Bruno", "Chloe", "Diego",
    "Elif", "Femi", "Gosia", "Hugo", "Ilse", "Jamal", "Katya", "Luis", "Maren", "Niamh",
    "Omar", "Priya", "Rafael", "Sofia", "Tariq", "Ulla", "Vera", "Wim",
]
SURNAMES = ["Okafor", "Lindqvist", "Moreau", "Novak", "Haddad", "Ferreira", "Kowalski",
            "Brennan", "Sato", "Mensah", "Costa", "Weber"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str


@dataclass
class DemoFederation:
    workplaces: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    logins: list[DemoLogin] = field(default_factory=list)
    open_ballot: str = ""
    petition: str = ""
    motion: str = ""
    period: str = ""
    dispute: DemoDispute = field(default_factory=DemoDispute)  # a strike with an offer
    plan: DemoPlan = field(default_factory=DemoPlan)  # the plan cycle (cli/federation_plan.py)


def _short(name: str) -> str:
    head = name.split(",")[0].split("(")[0].strip()
    return head[:60] or name[:60]


def _period(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


def is_seeded(uow: UnitOfWork) -> bool:
    return any(c.council_id == NATIONAL for c in services.list_councils(uow))


def _elect(uow: UnitOfWork, rng: random.Random, seat: str, candidates: list[str],
           voters: list[str], opens: datetime, favourite: str) -> str:
    """Run one past election: open, everyone votes (most put ``favourite`` first), close;
    returns who was elected."""
    ballot = services.open_election(uow, [seat], candidates, opens, opens + 7 * DAY)
    at = opens + DAY
    for v in voters:
        rest = [c for c in candidates if c != favourite]
        rng.shuffle(rest)
        ranking = [favourite, *rest] if rng.random() < 0.6 else [*rest, favourite]
        services.cast_vote(uow, ballot.ballot_id, v, ranking[: rng.randint(1, len(ranking))],
                           at)
    closed = services.close_ballot(uow, ballot.ballot_id, opens + 7 * DAY)
    return closed.elected[0]


def seed_federation(uow: UnitOfWork, products: list[str], now: datetime, *,
                    password_hash: str, seed: int = 1995) -> DemoFederation:
    """Seed the demo federation (see the module docstring); every member gets an account
    with the password :data:`DEMO_PASSWORD` (``password_hash`` is its Argon2 hash)."""
    rng = random.Random(seed)
    start = now - 70 * DAY
    out = DemoFederation(period=_period(now))
    services.create_council(uow, NATIONAL, "National council of workers' councils", "national",
                            start)
    services.create_council(uow, "north", "Northern regional council", "regional", start,
                            parent_id=NATIONAL)
    services.create_council(uow, "riverside", "Riverside area council", "area", start,
                            parent_id="north")
    names = iter(FIRST_NAMES)
    members: dict[str, list[tuple[str, str]]] = {}
    for k, product in enumerate(products[:4]):
        wid = f"wp{k + 1}"
        wname = f"{_short(product)} workers' council"
        out.workplaces.append((wid, wname))
        services.create_council(uow, wid, wname, "workplace", start, parent_id="riverside")
        members[wid] = []
        for _ in range(MEMBERS_PER_WORKPLACE):
            first = next(names)
            mid = first.lower()
            full = f"{first} {rng.choice(SURNAMES)}"
            services.admit_member(uow, mid, wid, start, name=full)
            members[wid].append((mid, full))
        services.define_seat(uow, f"{wid}/secretary", wid, "Secretary", "office", start,
                             term_length=YEAR, election_lead=28 * DAY)
        services.define_seat(uow, f"{wid}/delegate", wid, "Delegate to Riverside", "delegate",
                             start, term_length=YEAR, election_lead=28 * DAY,
                             delegate_to="riverside")
    services.define_seat(uow, "riverside/secretary", "riverside", "Secretary", "office", start,
                         term_length=YEAR, election_lead=28 * DAY)
    services.define_seat(uow, "riverside/delegate", "riverside", "Delegate to the North",
                         "delegate", start, term_length=YEAR, election_lead=28 * DAY,
                         delegate_to="north")
    everyone = [m for ms in members.values() for m, _ in ms]
    held: dict[str, str] = {}
    opens = start + DAY
    for wid, ms in members.items():
        ids = [m for m, _ in ms]
        secretary = _elect(uow, rng, f"{wid}/secretary", ids[0:3], ids, opens, ids[0])
        delegate = _elect(uow, rng, f"{wid}/delegate", ids[3:6], ids, opens, ids[3])
        held.setdefault(secretary, f"secretary of {dict(out.workplaces)[wid]}")
        held.setdefault(delegate, f"delegate of {dict(out.workplaces)[wid]} to Riverside")
    area_candidates = [members["wp1"][1][0], members["wp2"][1][0], members["wp3"][1][0]]
    area_secretary = _elect(uow, rng, "riverside/secretary", area_candidates, everyone, opens,
                            area_candidates[0])
    held[area_secretary] = "secretary of Riverside area council" + (
        f"; {held[area_secretary]}" if area_secretary in held else "")
    # wages for last month and this one: a base per workplace, each member around it
    for period, at in ((_period(now - 31 * DAY), now - 31 * DAY), (_period(now), now - 2 * DAY)):
        for k, (_wid, ms) in enumerate(members.items()):
            base = 2300 + 150 * k
            for mid, _ in ms:
                amount = Decimal(base + rng.randint(-250, 350)).quantize(Decimal("0.01"))
                services.report_wage(uow, mid, period, amount, at)
    # pay of every officer and delegate this month: a little under the cap
    for wid in [w for w, _ in out.workplaces] + ["riverside"]:
        for m in services.list_mandates(uow, wid, now, period=out.period):
            if m.cap is not None and m.status == "active":
                services.set_pay(uow, m.mandate_id, out.period,
                                 (m.cap.cap * Decimal("0.95")).quantize(Decimal("0.01")),
                                 now - DAY)
    # an open election: a new health-and-safety rep in the first workplace
    wp1 = [m for m, _ in members["wp1"]]
    services.define_seat(uow, "wp1/safety", "wp1", "Health and safety rep", "office",
                         now - 3 * DAY, term_length=YEAR, election_lead=28 * DAY)
    ballot = services.open_election(uow, ["wp1/safety"], [wp1[6], wp1[7], wp1[8]],
                                    now - DAY, now + 7 * DAY)
    out.open_ballot = ballot.ballot_id
    # a recall petition against the second workplace's delegate, one signature short
    wp2 = [m for m, _ in members["wp2"]]
    recalled = next(m for m in services.list_mandates(uow, "wp2", now)
                    if m.seat_id == "wp2/delegate" and m.status == "active")
    petition = services.open_recall_petition(uow, recalled.mandate_id, wp2[8], now - 5 * DAY)
    for signer in wp2[8: 8 + max(0, petition.required - 1)]:
        services.sign_recall_petition(uow, petition.petition_id, signer, now - 4 * DAY)
    out.petition = petition.petition_id
    # a motion before the area council
    motion = services.table_new_motion(
        uow, "riverside", wp1[9], "Riverside councils share one childcare rota across the "
        "four workplaces, paid from the common fund.", now - 3 * DAY)
    out.motion = motion.motion_id
    for mid in everyone:
        create_account(uow, None, mid, DEMO_PASSWORD, start, password_hash=password_hash)
    by_id = {m: n for ms in members.values() for m, n in ms}
    wp1_roles = [(m, role) for m, role in held.items() if m in wp1 or m == area_secretary]
    out.logins = [DemoLogin(wp1[9], by_id[wp1[9]], "a member: votes in the open election"),
                  *(DemoLogin(m, by_id[m], role) for m, role in wp1_roles),
                  DemoLogin(wp2[10], by_id[wp2[10]], "a member of the second workplace: the "
                            "signature that completes the recall petition")]
    out.dispute = seed_dispute(uow, members, out.logins, now)
    out.plan = seed_plan_cycle(uow, out, now)
    return out
