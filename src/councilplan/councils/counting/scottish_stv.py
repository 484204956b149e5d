"""Scottish STV: The Scottish Local Government Elections Order 2011 (SSI 2011/399),
Schedule 1, rules 45-52 -- the default counting method.

- Rule 45, first stage: papers sorted by first preference, one vote each.
- Rule 46, quota: ``floor(valid papers / (seats + 1)) + 1``.
- Rule 47: a candidate whose votes equal or exceed the quota at the end of a stage is
  deemed elected (several at one stage: listed by votes, highest first).
- Rules 48-49, surpluses: while vacancies remain, the largest surplus is transferred
  first, one surplus per stage. *All* papers of the candidate move (weighted
  inclusive Gregory), each at the transfer value ``floor5(value when received x
  surplus / total votes of the candidate)`` -- five decimal places, remainder
  ignored. Papers with no further continuing preference are non-transferable (at
  that value); what truncation loses is the *loss by fraction*. The elected
  candidate keeps the quota. Equal surpluses: the candidate with more votes at the
  most recent preceding stage at which they differed goes first; equal at every
  stage: by lot.
- Rules 50-51, exclusion: when no surplus is left to transfer, the continuing
  candidate with fewest votes is excluded and all their papers move at the value at
  which they were received. Equal lowest: the one lowest at the most recent
  preceding stage at which they differed; equal at every stage: by lot.
- Rule 52: when the continuing candidates are as many as the vacancies left, they
  are deemed elected and no further transfer is made.

Arithmetic is fixed point: every value is an integer number of 1/100000 vote, as the
statute's five decimal places; nothing is ever rounded except the truncation of
transfer values rule 48(3) prescribes. A stage is the first count or one transfer
(a surplus, or an exclusion), so stage numbers are those of a statutory result sheet.

A candidate who reaches exactly the quota has no surplus (rule 48(1): "exceeds"), so
no stage transfers it.

Lots use :class:`~councilplan.councils.counting.lot.Lot` with the published ``seed``.
"""

from __future__ import annotations

from fractions import Fraction

from councilplan.councils.counting.ledger import Ledger
from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.piles import BallotPiles
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.report import Action, ActionKind, Count
from councilplan.errors import InvalidInput, Problem

__all__ = ["DECIMALS", "UNIT", "scottish_quota", "scottish_stv"]

DECIMALS = 5
UNIT = 10**DECIMALS
"""Units per whole vote: values are integers of 1/100000."""

METHOD = "scottish-stv"


def scottish_quota(valid_papers: int, seats: int) -> int:
    """Rule 46: ``floor(valid / (seats + 1)) + 1`` (in whole votes)."""
    return valid_papers // (seats + 1) + 1


def check_seats(seats: int) -> None:
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
        raise InvalidInput(
            "invalid number of seats",
            [Problem("seats", f"must be a whole number >= 1, got {seats!r}")],
        )


def scottish_stv(profile: Profile, seats: int, *, seed: str | int = 0) -> Count:
    """Count ``profile`` for ``seats`` vacancies under the Scottish STV rules.

    ``seed`` is the published seed for any tie that only a lot can break.
    """
    check_seats(seats)
    names = profile.candidates
    valid = profile.total_weight
    quota = scottish_quota(valid, seats) * UNIT
    lot = Lot(str(seed))
    ledger = Ledger(names, UNIT, valid * UNIT, lot)
    piles = BallotPiles(profile, UNIT)

    first = piles.deal_first_preferences()
    ledger.open_stage(Action(ActionKind.FIRST_PREFERENCES), first.received, first.non_transferable)
    pending: list[int] = []  # elected, surplus not yet transferred

    while True:
        # rule 47: deemed elected on reaching the quota
        reached = [c for c in ledger.continuing() if ledger.votes[c] >= quota]
        for c in ledger.by_votes(reached):
            ledger.elect(c)
            piles.set_continuing(c, False)
            if ledger.votes[c] > quota:
                pending.append(c)
        left = seats - len(ledger.elected_order)
        if left <= 0:
            ledger.close_stage()
            break
        continuing = ledger.continuing()
        if len(continuing) <= left:
            # rule 52: the continuing candidates fill the last vacancies
            order = ledger.by_votes(continuing)
            for c in order:
                ledger.elect(c)
                piles.set_continuing(c, False)
            ledger.note(
                "rule 52: continuing candidates equal the vacancies left; deemed elected: "
                + ", ".join(names[c] for c in order)
            )
            ledger.close_stage()
            break
        ledger.close_stage()

        if pending:
            # rules 48-49: the largest surplus first
            top = max(ledger.votes[c] for c in pending)
            c = ledger.choose(
                [x for x in pending if ledger.votes[x] == top], lowest=False, purpose="surplus"
            )
            pending.remove(c)
            total = ledger.votes[c]
            surplus = total - quota
            dealt = piles.transfer(c, (surplus, total))
            ledger.votes[c] = quota
            ledger.open_stage(
                Action(ActionKind.SURPLUS_TRANSFER, (names[c],), Fraction(surplus, UNIT)),
                dealt.received,
                dealt.non_transferable,
                giver=c,
                given=surplus,
                ratio=Fraction(surplus, total),
            )
        else:
            # rules 50-51: exclude the lowest
            cont = ledger.continuing()
            low = min(ledger.votes[x] for x in cont)
            c = ledger.choose(
                [x for x in cont if ledger.votes[x] == low], lowest=True, purpose="exclusion"
            )
            piles.set_continuing(c, False)
            amount = ledger.votes[c]
            dealt = piles.transfer(c)
            ledger.votes[c] = 0
            ledger.open_stage(
                Action(ActionKind.EXCLUSION, (names[c],), Fraction(amount, UNIT)),
                dealt.received,
                dealt.non_transferable,
                giver=c,
                given=amount,
            )
            ledger.exclude(c)

    notes: tuple[str, ...] = ()
    if len(ledger.elected_order) < seats:
        notes = (f"only {len(ledger.elected_order)} candidate(s) for {seats} seat(s)",)
    return Count(
        method=METHOD,
        candidates=names,
        seats=seats,
        elected=tuple(names[c] for c in ledger.elected_order),
        stages=tuple(ledger.stages),
        valid_votes=Fraction(valid),
        quota=Fraction(quota, UNIT),
        decimals=DECIMALS,
        tie_breaks=tuple(ledger.tie_breaks),
        seed=str(seed),
        notes=notes,
    )
