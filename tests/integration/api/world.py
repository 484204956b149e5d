"""A small federation for the web tests, made through the services, and the roles in it.

Riverside area council; under it the Mill (10 members) and the Works (4 members).
Elected in the past (term running at ``NOW``): ``sec_m`` secretary of the Mill,
``del_m`` the Mill's delegate to Riverside, ``sec_a`` secretary of Riverside (a member of
the Works). Open at ``NOW``: an election in the Mill (``OPEN``); closed: the Mill's
first election (``CLOSED``); a recall petition against the delegate (``PETITION``,
1 of 2 signatures); a motion in the Mill tabled by ``m1`` (``MOTION``). Wages are reported
for ``PERIOD``. Every member has an account with password ``PASSWORD``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from councilplan import services
from councilplan.api.auth.accounts import create_account
from councilplan.api.auth.passwords import Passwords
from councilplan.api.settings import Settings
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
NOW = T0 + 30 * DAY
PERIOD = "2025-02"
PASSWORD = "correct horse battery"
SECRET = "test-secret-" + "s" * 40

MILL = [f"m{i}" for i in range(1, 9)] + ["sec_m", "del_m"]
WITHOUT_ACCOUNT = "n0"  # a member of the Mill who has no login yet
WORKS = ["w1", "w2", "w3", "sec_a"]

# role -> username (None: signed out)
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "outsider": "w1",  # a constituent of Riverside, not of the Mill
    "member": "m1",  # a member of the Mill (proposed the motion)
    "voter": "m2",  # another member of the Mill
    "delegate": "del_m",  # holds the Mill's delegate mandate
    "officer": "sec_m",  # secretary of the Mill
    "area_officer": "sec_a",  # secretary of Riverside (runs the Mill too)
}


class Clock:
    """A clock tests move by hand (``clock.now += DAY``)."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class World:
    open_ballot: str
    closed_ballot: str
    due_ballot: str  # its closing time has passed; not closed yet
    petition: str
    motion: str
    delegate_mandate: str
    secretary_mandate: str
    area_mandate: str
    dispute: str = "d-mill"  # the Mill's dispute: m1 and sec_m on strike, sec_m its chair
    offer: str = "of-mill-1"  # the employer's offer in it (no ballot accepted it)
    strike_ballot: str = "sb-mill-action"  # open at NOW: a ballot on strike action
    plan_period: str = "rv-2025"  # Riverside's planning period, registrations made
    variant: str = ""  # its variant "35h", computed
    adopted_period: str = "rv-2024"  # Riverside's plan of the year before: adopted, targets
    plan_ballot: str = "pb-rv-2026"  # the delegates' open vote on the plan of the year after


def settings(url: str, clock: object = None, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url, "secret_key": SECRET, "tick_seconds": 0,
        "argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1,
        "rate_per_second": 1000.0, "rate_burst": 1000,
        "clock": clock or (lambda: NOW),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _elect(uow: UnitOfWork, seat: str, candidates: list[str], voters: list[str],
           winner: str, ballot_id: str) -> None:
    services.open_election(uow, [seat], candidates, T0 + DAY, T0 + 8 * DAY, ballot_id=ballot_id)
    for v in voters:
        ranking = [winner, *[c for c in candidates if c != winner]]
        services.cast_vote(uow, ballot_id, v, ranking, T0 + 2 * DAY)
    services.close_ballot(uow, ballot_id, T0 + 8 * DAY)


def _dispute(uow: UnitOfWork) -> None:
    """The Mill's dispute with Acme: m1 and sec_m on strike, sec_m elected to chair its
    committee, an offer recorded, a strike ballot open at ``NOW``.

    The chair is the Mill's secretary: a committee seat is an office seat of the dispute's
    first council, and :func:`~councilplan.api.authz.load_principal` counts every office
    mandate as running that council, so a chair who held no other office would run the
    Mill too (a known gap, to be closed in ``authz``)."""
    services.open_dispute(uow, "d-mill", ["mill"], "Acme Ltd", ["5% on all rates"], "GB",
                          "manufacturing", T0 + 10 * DAY)
    services.join_strike(uow, "d-mill", ["m1", "sec_m"], T0 + 10 * DAY)
    services.define_committee_seat(uow, "d-mill", "d-mill/chair", "Strike committee chair",
                                   T0 + 10 * DAY, term_length=90 * DAY, election_lead=14 * DAY)
    services.open_committee_election(uow, "d-mill", ["d-mill/chair"], ["sec_m", "m1"],
                                     T0 + 11 * DAY, T0 + 13 * DAY, ballot_id="ce-mill")
    for voter in ("m1", "sec_m"):
        services.cast_vote(uow, "ce-mill", voter, ["sec_m"], T0 + 12 * DAY)
    services.close_ballot(uow, "ce-mill", T0 + 13 * DAY)
    services.record_employer_offer(uow, "d-mill", "Full text: 2% now, 1% next year.",
                                   "2% + 1%", NOW - 2 * DAY, offer_id="of-mill-1")
    services.open_strike_ballot(uow, "d-mill", "action", NOW - DAY, NOW + 6 * DAY,
                                form="strike", ballot_id="sb-mill-action")


def _plan(uow: UnitOfWork) -> str:
    """Riverside plans 2025: the Mill makes cloth, the Works steel; both register needs;
    a 35-hour week for 46 weeks; one variant computed. Its id."""
    from councilplan.planning.cycle import (
        NeedTable,
        Product,
        TechniqueTable,
        VariantSpec,
        WorkingTime,
    )
    from councilplan.services import plan_cycle as pc

    at = NOW - 2 * DAY
    pc.add_products(uow, [Product("cloth", "Woven cloth", "m"),
                          Product("steel", "Sheet steel", "t")], at)
    pc.open_period(uow, "rv-2025", "Riverside plan 2025", T0, T0 + 365 * DAY, at,
                   council_id="riverside")
    pc.register_techniques(uow, "rv-2025", TechniqueTable.from_rows([
        {"workplace": "mill", "product": "cloth", "labour": 2.0, "capacity": None,
         "inputs": {"steel": 0.01}},
        {"workplace": "works", "product": "steel", "labour": 5.0, "capacity": None,
         "inputs": {"cloth": 0.05}}]), at)
    pc.register_needs(uow, "rv-2025", NeedTable.from_rows([
        {"council": "mill", "product": "cloth", "quantity": 100, "tier": 1},
        {"council": "works", "product": "steel", "quantity": 10, "tier": 1}]), at)
    pc.decide_working_time(uow, "rv-2025", WorkingTime("riverside", 35.0, 46.0), at)
    (variant,) = pc.compute_variants(uow, "rv-2025", [VariantSpec("35h", "A 35-hour week")],
                                     at)
    return variant.variant_id


def build(uow: UnitOfWork) -> World:
    services.create_council(uow, "riverside", "Riverside area council", "area", T0)
    services.create_council(uow, "mill", "Mill workers' council", "workplace", T0,
                            parent_id="riverside")
    services.create_council(uow, "works", "Works council", "workplace", T0,
                            parent_id="riverside")
    for mid in MILL:
        services.admit_member(uow, mid, "mill", T0, name=f"Name of {mid}")
    for mid in WORKS:
        services.admit_member(uow, mid, "works", T0, name=f"Name of {mid}")
    year, lead = 365 * DAY, 28 * DAY
    services.define_seat(uow, "mill/secretary", "mill", "Secretary", "office", T0,
                         term_length=year, election_lead=lead)
    services.define_seat(uow, "mill/delegate", "mill", "Delegate to Riverside", "delegate", T0,
                         term_length=year, election_lead=lead, delegate_to="riverside")
    services.define_seat(uow, "mill/safety", "mill", "Safety rep", "office", T0,
                         term_length=year, election_lead=lead)
    services.define_seat(uow, "mill/treasurer", "mill", "Treasurer", "office", T0,
                         term_length=year, election_lead=lead)
    services.define_seat(uow, "riverside/secretary", "riverside", "Secretary", "office", T0,
                         term_length=year, election_lead=lead)
    _elect(uow, "mill/secretary", ["sec_m", "m8"], MILL, "sec_m", "closed-mill-sec")
    _elect(uow, "mill/delegate", ["del_m", "m7"], MILL, "del_m", "closed-mill-del")
    _elect(uow, "riverside/secretary", ["sec_a", "m6"], MILL + WORKS, "sec_a", "closed-riv")
    for k, mid in enumerate(MILL + WORKS):
        services.report_wage(uow, mid, PERIOD, Decimal(2000 + 100 * k), NOW - DAY)
    services.open_election(uow, ["mill/safety"], ["m3", "m4", "m5"], NOW - DAY, NOW + 6 * DAY,
                           ballot_id="open-mill-safety")
    mandates = {m.seat_id: m.mandate_id for m in services.list_mandates(uow, "mill", NOW)}
    area = services.list_mandates(uow, "riverside", NOW)[0].mandate_id
    petition = services.open_recall_petition(uow, mandates["mill/delegate"], "m5", NOW - DAY,
                                             petition_id="pt-delegate")
    assert petition.required == 1 + petition.signatures or petition.required >= 1
    motion = services.table_new_motion(uow, "mill", "m1", "Open the canteen on Saturdays.",
                                       NOW - DAY, motion_id="mo-canteen")
    due = services.table_new_motion(uow, "mill", "m2", "Paint the gates.", NOW - 3 * DAY)
    services.open_motion_ballot(uow, due.motion_id, NOW - 3 * DAY, NOW - timedelta(hours=1),
                                ballot_id="due-gates")
    services.admit_member(uow, WITHOUT_ACCOUNT, "mill", NOW - DAY, name="Newcomer")
    services.set_pay(uow, mandates["mill/delegate"], PERIOD, Decimal("1500.00"), NOW - DAY)
    _dispute(uow)
    variant = _plan(uow)
    from tests.integration.api.plan_world import build_more  # the later plan-cycle steps
    build_more(uow)
    hasher = Passwords(settings("sqlite://"))
    shared = hasher.hash(PASSWORD)
    for mid in MILL + WORKS:
        create_account(uow, None, mid, PASSWORD, T0, password_hash=shared)
    return World("open-mill-safety", "closed-mill-sec", "due-gates", petition.petition_id,
                 motion.motion_id,
                 mandates["mill/delegate"], mandates["mill/secretary"], area, variant=variant)
