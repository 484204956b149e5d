"""Counting closed ballots through the counting package, exactly.

Ranked methods go through :func:`councilplan.councils.counting.run_count` (Scottish
STV by default, Meek, IRV, Schulze, ranked pairs), approval through
:func:`~councilplan.councils.counting.approval`, yes/no/abstain through
:func:`~councilplan.councils.counting.count_majority` and the ballot's decision
rule (:func:`councilplan.councils.decision.evaluate`), and a strikers' ballot's
yes/no/spoilt papers through the same rule with the spoilt papers in the tally.
Ties by lot use the ballot's seed, committed to (its SHA-256 published) when the
ballot opened.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from councilplan.councils.ballot import Ballot
from councilplan.councils.counting import (
    ApprovalProfile,
    Count,
    Method,
    Profile,
    approval,
    count_majority,
    run_count,
)
from councilplan.councils.decision import DecisionResult, Tally, evaluate
from councilplan.councils.strike_ballot import SPOILT, STRIKE_METHOD
from councilplan.errors import InvalidInput
from councilplan.services.papers import YES_NO, read_paper
from councilplan.store.types import canonical_text

__all__ = ["CountOutcome", "count_papers", "seed_commitment"]


def seed_commitment(seed: str) -> str:
    """What is published at opening: ``sha256("councilplan-seed-v1:" + seed)``; the seed
    itself is published with the count, so anyone can check it was fixed in advance."""
    return hashlib.sha256(("councilplan-seed-v1:" + seed).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CountOutcome:
    """The count of a closed ballot: ``result`` is what is stored and published."""

    method: str
    papers: int
    result: dict[str, Any]
    elected: tuple[str, ...] = ()
    passed: bool | None = None
    count: Count | None = None
    decision: DecisionResult | None = None

    @property
    def result_sha256(self) -> str:
        return hashlib.sha256(canonical_text(self.result).encode("utf-8")).hexdigest()


def count_papers(
    ballot: Ballot, papers: Sequence[str], *, entitled: int, seed: str
) -> CountOutcome:
    """Count the canonical ``papers`` of ``ballot`` (``entitled``: the electorate's size)."""
    marks = [read_paper(p) for p in papers]
    n = len(marks)
    if ballot.method == YES_NO:
        mc = count_majority(marks)
        tally = Tally(yes=mc.yes, no=mc.no, abstain=mc.abstain)
        decision = evaluate(tally, entitled, ballot.rule, lot_seed=seed)
        result: dict[str, Any] = {
            "method": YES_NO, "papers": n, "entitled": entitled, "seed": seed,
            "majority": mc.to_dict(), "decision": decision.to_payload(),
            "statement": decision.statement(), "passed": decision.passed,
            "rule": ballot.rule.describe(),
        }
        return CountOutcome(YES_NO, n, result, passed=decision.passed, decision=decision)
    if ballot.method == STRIKE_METHOD:
        tally = Tally(yes=marks.count("yes"), no=marks.count("no"), spoilt=marks.count(SPOILT))
        if tally.papers != n:
            raise InvalidInput(f"ballot {ballot.ballot_id}: a paper is not yes, no or spoilt")
        decision = evaluate(tally, entitled, ballot.rule, lot_seed=seed)
        result = {
            "method": STRIKE_METHOD, "papers": n, "entitled": entitled, "seed": seed,
            "tally": {"yes": tally.yes, "no": tally.no, "spoilt": tally.spoilt},
            "decision": decision.to_payload(), "statement": decision.statement(),
            "passed": decision.passed, "rule": ballot.rule.describe(),
        }
        return CountOutcome(STRIKE_METHOD, n, result, passed=decision.passed,
                            decision=decision)
    if n == 0:
        empty = {"method": ballot.method, "papers": 0, "entitled": entitled, "seed": seed,
                 "candidates": list(ballot.options), "seats": ballot.seats, "elected": [],
                 "stages": [], "notes": ["no papers were cast: nobody is elected"]}
        return CountOutcome(ballot.method, 0, empty)
    if ballot.method == Method.APPROVAL.value:
        profile = ApprovalProfile.from_ballots(ballot.options, [set(m) for m in marks])
        count = approval(profile, ballot.seats, seed=seed)
    else:
        ranked = Profile.from_ballots(ballot.options, [tuple(m) for m in marks])
        count = run_count(ranked, method=ballot.method, seats=ballot.seats, seed=seed)
    result = {**count.to_dict(), "papers": n, "entitled": entitled}
    return CountOutcome(ballot.method, n, result, elected=count.elected, count=count)
