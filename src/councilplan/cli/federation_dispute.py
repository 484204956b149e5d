"""The demo's strike: a dispute in the third workplace council with its strikers, their
elected strike committee, a won action ballot and a call to action, the strike fund with
contributions and strike pay, the employer's offer and an open strikers' ballot on it --
all made through the services, so the audit log records every step.

    seed_dispute(uow, members, logins, now) -> DemoDispute

``members`` are the workplaces' members (``wid -> [(member id, name)]``); the logins of a
striker who has not voted yet and of the committee's chair are appended to ``logins``.
History starts thirty days before ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from councilplan import services
from councilplan.store import UnitOfWork

__all__ = ["DemoDispute", "seed_dispute"]

DAY = timedelta(days=1)
WORKPLACE = "wp3"
DISPUTE = "wp3-pay"


@dataclass
class DemoDispute:
    dispute: str = ""
    offer: str = ""
    strike_ballot: str = ""  # open: the strikers' ballot on the offer
    action_ballot: str = ""  # closed: the strikers' mandate for a strike
    striker: str = ""  # on strike, has not voted on the offer yet
    chair: str = ""  # the strike committee's chair (a striker)
    strikers: list[str] = field(default_factory=list)
    non_strikers: list[str] = field(default_factory=list)  # of the same council
    voted: list[str] = field(default_factory=list)  # strikers who voted on the offer already


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def seed_dispute(uow: UnitOfWork, members: dict[str, list[tuple[str, str]]],
                 logins: list[Any], now: datetime) -> DemoDispute:
    """Seed the strike (see the module docstring)."""
    from councilplan.cli.federation import DemoLogin

    ids = [m for m, _ in members[WORKPLACE]]
    names = dict(members[WORKPLACE])
    strikers = ids[2:11]
    out = DemoDispute(dispute=DISPUTE, strikers=strikers,
                      non_strikers=[m for m in ids if m not in strikers])
    start = now - 30 * DAY
    services.open_dispute(uow, DISPUTE, [WORKPLACE], "Northfield Components Ltd",
                          ["6% on all rates from April", "no compulsory redundancies"],
                          "GB", "manufacturing", start)
    services.join_strike(uow, DISPUTE, strikers, start)
    seat = f"{DISPUTE}/chair"
    services.define_committee_seat(uow, DISPUTE, seat, "Strike committee chair", start,
                                   term_length=90 * DAY, election_lead=14 * DAY)
    election = services.open_committee_election(uow, DISPUTE, [seat], strikers[2:4],
                                                 start + DAY, start + 3 * DAY)
    for k, voter in enumerate(strikers):
        ranking = strikers[2:4] if k % 3 else strikers[3:1:-1]
        services.cast_vote(uow, election.ballot_id, voter, ranking, start + 2 * DAY)
    out.chair = services.close_ballot(uow, election.ballot_id, start + 3 * DAY).elected[0]
    # the strikers' mandate: 8 of the 9 return a paper
    action = services.open_strike_ballot(uow, DISPUTE, "action", start + 3 * DAY,
                                         start + 10 * DAY, form="strike")
    out.action_ballot = action.ballot_id
    for voter, choice in zip(strikers[:8], ["yes"] * 6 + ["no", "spoilt"], strict=True):
        services.cast_vote(uow, action.ballot_id, voter, choice, start + 5 * DAY)
    services.close_ballot(uow, action.ballot_id, start + 10 * DAY)
    services.call_action(uow, DISPUTE, "strike", start + 25 * DAY, start + 40 * DAY,
                         start + 11 * DAY)
    for days, amount, source in ((4, "1500.00", "Branch levy"),
                                 (12, "2000.00", "Donation from the dock workers' council"),
                                 (24, "750.00", "Collection at the factory gates")):
        services.contribute(uow, DISPUTE, Decimal(amount), source, start + days * DAY)
    services.pay_strike_pay_run(uow, DISPUTE, _week(now - 7 * DAY), Decimal("60.00"),
                                now - 2 * DAY)
    offer = services.record_employer_offer(
        uow, DISPUTE, "Northfield Components offers 3% on all basic rates from 1 April "
        "and a further 2% from 1 April next year; no compulsory redundancies for 18 months; "
        "the strike days are not paid.", "3% now, 2% next year, 18 months' job security",
        now - 2 * DAY)
    out.offer = offer.offer_id
    ballot = services.open_strike_ballot(uow, DISPUTE, "offer", now - DAY, now + 6 * DAY,
                                         offer_id=offer.offer_id)
    out.strike_ballot = ballot.ballot_id
    out.voted = [m for m in strikers if m != out.chair][:3]
    for voter, choice in zip(out.voted, ["no", "yes", "no"], strict=True):
        services.cast_vote(uow, ballot.ballot_id, voter, choice, now - DAY)
    out.striker = next(m for m in strikers if m not in out.voted and m != out.chair)
    logins += [DemoLogin(out.striker, names[out.striker], "a striker: votes on the "
                         "employer's offer"),
               DemoLogin(out.chair, names[out.chair], "chair of the strike committee: "
                         "records offers, opens ballots, pays strike pay")]
    return out
