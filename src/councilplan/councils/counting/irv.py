"""Instant-runoff voting (IRV, alternative vote): one seat, whole votes.

Stage 1 counts first preferences. A candidate with more than half of the votes still
in the count (papers not exhausted) is elected. Otherwise the candidate with fewest
votes is excluded and each of their papers goes, whole, to its next continuing
preference (or is exhausted: non-transferable). Equal lowest: the one lowest at the
most recent earlier stage at which they differed, else by lot from the published
seed (as in Scottish STV). When one candidate is left, that candidate is elected.
"""

from __future__ import annotations

from fractions import Fraction

from councilplan.councils.counting.ledger import Ledger
from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.piles import BallotPiles
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.report import Action, ActionKind, Count
from councilplan.errors import InvalidInput

__all__ = ["instant_runoff"]

METHOD = "irv"


def instant_runoff(profile: Profile, *, seed: str | int = 0) -> Count:
    """Count ``profile`` by instant runoff (one seat)."""
    names = profile.candidates
    if not names:
        raise InvalidInput("a count needs at least one candidate")
    valid = profile.total_weight
    ledger = Ledger(names, 1, valid, Lot(str(seed)))
    piles = BallotPiles(profile, 1)
    first = piles.deal_first_preferences()
    ledger.open_stage(Action(ActionKind.FIRST_PREFERENCES), first.received, first.non_transferable)
    while True:
        cont = ledger.continuing()
        active = sum(ledger.votes[c] for c in cont)
        top = max(ledger.votes[c] for c in cont)
        leaders = [c for c in cont if ledger.votes[c] == top]
        if len(cont) == 1 or (2 * top > active and len(leaders) == 1):
            winner = leaders[0]
            ledger.elect(winner)
            if len(cont) == 1:
                ledger.note(f"{names[winner]} is the last continuing candidate")
            else:
                ledger.note(f"{names[winner]} has {top} of {active} continuing votes: a majority")
            ledger.close_stage()
            break
        ledger.close_stage()
        low = min(ledger.votes[c] for c in cont)
        c = ledger.choose(
            [x for x in cont if ledger.votes[x] == low], lowest=True, purpose="exclusion"
        )
        piles.set_continuing(c, False)
        amount = ledger.votes[c]
        dealt = piles.transfer(c)
        ledger.votes[c] = 0
        ledger.open_stage(
            Action(ActionKind.EXCLUSION, (names[c],), Fraction(amount)),
            dealt.received,
            dealt.non_transferable,
            giver=c,
            given=amount,
        )
        ledger.exclude(c)
    return Count(
        method=METHOD,
        candidates=names,
        seats=1,
        elected=tuple(names[c] for c in ledger.elected_order),
        stages=tuple(ledger.stages),
        valid_votes=Fraction(valid),
        decimals=0,
        tie_breaks=tuple(ledger.tie_breaks),
        seed=str(seed),
    )
