"""Ratification: the variants go to a ballot of the owning council; the adopted variant
is frozen and its hash written to the audit log.

The ballot is ranked (Schulze, by default) or approval, among the variants' keys, in
the order of the keys (and ``none`` last, when asked for: "none of these, compute
others"). Its electorate is the one
the period's rule gives:

* ``members``: every member of the owner's constituency, one vote each, by **secret
  ballot** -- the ordinary machinery (:func:`councilplan.services.cast_vote` with its
  receipts, the sealed box, the count at the close);
* ``delegates``: the holders of delegate seats to the owner, each weighted by the
  members they represent (:mod:`councilplan.councils.weighted`), frozen at opening.
  A weight identifies a delegate, so this is an **open, recorded vote**: each
  delegate's paper is kept with their name and weight (``plan_roll_call``), logged
  in the audit log, and published with the count, so the members can hold their
  delegates to account. The ballot's ``ballot_electorate`` stays empty: nobody can
  cast a secret paper in it.

At the close (:func:`councilplan.services.close_ballot`, which hands plan ballots of
delegates to :func:`close_roll_call`) the winner is adopted: its stored arrays are
re-hashed and checked against its recorded hash (a changed variant is refused), it
is frozen as ``adopted``, the period's targets come from it, and ``plan.adopted``
with its hash goes to the audit log. The other variants are ``rejected``. When the
count elects nobody (no papers) or ``none`` wins, no variant is adopted: every one is
rejected, and the period is open again for other variants.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from fractions import Fraction
from typing import Any

from councilplan.councils.ballot import Ballot, BallotPurpose, BallotStatus
from councilplan.councils.ballot import close_ballot as core_close
from councilplan.councils.constituency import constituencies
from councilplan.councils.counting import ApprovalProfile, Method, Profile, approval, run_count
from councilplan.councils.event import Event
from councilplan.councils.mandate import active_mandate
from councilplan.councils.seat import SeatKind
from councilplan.councils.weighted import Delegation, WeightedElectorate, delegate_weights
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.planning.cycle.digest import num
from councilplan.planning.cycle.period import ElectorateRule, PeriodStatus, VotingMethod
from councilplan.services.ballots import ballot_view, open_new_ballot
from councilplan.services.closing import BALLOT_COUNTED
from councilplan.services.constituency import load_constituency
from councilplan.services.ids import new_id, new_seed
from councilplan.services.papers import canonical_paper, read_paper
from councilplan.services.plan_cycle._common import (
    PLAN_ADOPTED,
    PLAN_NONE_ADOPTED,
    PLAN_PUT_TO_VOTE,
    PLAN_VARIANT_REJECTED,
    PLAN_VOTE_RECORDED,
)
from councilplan.services.plan_cycle.variants import load_variant
from councilplan.services.plan_cycle.views import PlanBallotView, VoteRecorded
from councilplan.services.views import BallotView
from councilplan.services.voting import cast_vote
from councilplan.store.ballots import BallotRecord
from councilplan.store.types import canonical_text
from councilplan.store.unit_of_work import UnitOfWork

__all__ = [
    "NONE_OPTION",
    "apply_plan_result",
    "cast_plan_vote",
    "close_roll_call",
    "delegate_electorate",
    "is_roll_call",
    "open_plan_ballot",
    "recount_roll_call",
    "show_plan_ballot",
]

NONE_OPTION = "none"


def delegate_electorate(uow: UnitOfWork, council_id: str, now: datetime
                        ) -> tuple[WeightedElectorate, tuple[str, ...]]:
    """The delegates to ``council_id`` at ``now``, weighted by the members they represent,
    and the councils directly below it whose members no delegate represents."""
    tree = uow.councils.tree()
    seats = [s for s in uow.seats.all()
             if s.kind is SeatKind.DELEGATE and s.delegate_to == council_id]
    mandates = uow.mandates.of_seats(s.seat_id for s in seats)
    delegations = []
    for s in seats:
        held = active_mandate(s.seat_id, mandates, now)
        if held is not None:
            delegations.append(Delegation(held.holder_id, s.council_id, s.seat_id))
    ids = [council_id, *(c.council_id for c in tree.descendants(council_id))]
    sizes = {k: v.size for k, v in
             constituencies(tree, uow.members.own_members(ids)).items()}
    weights, _shares = delegate_weights(delegations, sizes)
    sending = {d.from_council for d in delegations}
    unrepresented = tuple(c.council_id for c in tree.children(council_id)
                          if c.council_id not in sending and sizes.get(c.council_id, 0) > 0)
    return weights, unrepresented


def _method(m: VotingMethod) -> str:
    return Method.SCHULZE.value if m is VotingMethod.SCHULZE else Method.APPROVAL.value


def open_plan_ballot(uow: UnitOfWork, period_id: str, now: datetime, closes_at: datetime, *,
                     keys: Sequence[str] | None = None, include_none: bool = False,
                     method: VotingMethod | str | None = None,
                     electorate: ElectorateRule | str | None = None,
                     ballot_id: str | None = None, seed: str | None = None) -> PlanBallotView:
    """Put the variants of the period's current revision (all computed ones, or those of
    ``keys``) to the vote of the owning council (see the module docstring)."""
    bid = ballot_id or new_id("pb")
    with uow:
        period = uow.plans.get_period(period_id, lock=True)
        period.ensure_status(PeriodStatus.OPEN, "putting the variants to the vote")
        rule = ElectorateRule(electorate) if electorate is not None else period.electorate
        how = VotingMethod(method) if method is not None else period.method
        variants = [v for v in uow.variants.of_period(period_id, period.revision)
                    if v.status == "computed"]
        if keys is not None:
            by_key = {v.key: v for v in variants}
            missing = [k for k in keys if k not in by_key]
            if missing:
                raise PreconditionFailed("the variants cannot be put to the vote",
                                         [Problem(k, f"no computed variant of revision "
                                                     f"{period.revision} has this key")
                                          for k in missing])
            variants = [by_key[k] for k in keys]
        problems = [Problem(v.key, f"the plan could not be computed "
                                   f"({v.document['results']['status']}): it cannot be put "
                                   "to the vote")
                    for v in variants if v.document["results"]["status"] != "optimal"]
        if not variants:
            problems.append(Problem(period_id, f"revision {period.revision} has no computed "
                                               "variant to vote on"))
        if include_none and any(v.key == NONE_OPTION for v in variants):
            problems.append(Problem(NONE_OPTION, "a variant's key is the 'none' option"))
        if problems:
            raise PreconditionFailed("the variants cannot be put to the vote", problems)
        options = tuple(v.key for v in variants) + ((NONE_OPTION,) if include_none else ())
        draft = Ballot(
            ballot_id=bid, council_id=period.council_id,
            question=f"Which plan for {period.name} ({period.period_id}, revision "
                     f"{period.revision})? " + "; ".join(f"{v.key}: {v.name}"
                                                          for v in variants)
                     + ("; none: none of these" if include_none else ""),
            options=options, method=_method(how), opens_at=now, closes_at=closes_at,
            purpose=BallotPurpose.PLAN, subject_id=period_id)
        weights: WeightedElectorate | None = None
        unrepresented: tuple[str, ...] = ()
        if rule is ElectorateRule.DELEGATES:
            weights, unrepresented = delegate_electorate(uow, period.council_id, now)
            members: Sequence[str] = [m for m, _ in weights.weights]
        else:
            members = sorted(load_constituency(uow, period.council_id).members)
        put = Event.of(
            PLAN_PUT_TO_VOTE, now, period_id=period_id, revision=period.revision,
            ballot_id=bid, method=how.value, electorate=rule.value,
            options=[[v.key, v.variant_id, v.variant_sha256] for v in variants],
            none_option=include_none, open_vote=weights is not None,
            weights=None if weights is None else weights.to_payload(),
            unrepresented=list(unrepresented))
        open_new_ballot(uow, draft, members, now, seed=seed or new_seed(), events_after=[put],
                        store_electorate=weights is None)
        uow.variants.add_plan_ballot(bid, period_id, period.revision, rule.value, weights,
                                     unrepresented)
        uow.variants.set_status([v.variant_id for v in variants], "on_ballot", ballot_id=bid)
        uow.plans.save_period(replace(period, status=PeriodStatus.VOTING))
        return _plan_ballot_view(uow, bid)


def is_roll_call(uow: UnitOfWork, ballot_id: str) -> bool:
    rec = uow.variants.find_plan_ballot(ballot_id)
    return rec is not None and rec.weights_sha256 is not None


def cast_plan_vote(uow: UnitOfWork, ballot_id: str, member_id: str, choice: Any,
                   now: datetime, *, previous: str | None = None) -> VoteRecorded:
    """A vote on a plan ballot: recorded openly with the delegate's weight, or cast
    secretly (with its receipt) when all members vote."""
    with uow.reading():
        rec = uow.variants.find_plan_ballot(ballot_id)
    if rec is None:
        raise PreconditionFailed(f"ballot {ballot_id} is not a plan ballot")
    if rec.weights_sha256 is None:
        receipt = cast_vote(uow, ballot_id, member_id, choice, now, previous=previous)
        return VoteRecorded(ballot_id, member_id, choice, None, previous is not None,
                            receipt.token_hex, receipt.code)
    with uow:
        record = uow.ballots.get(ballot_id, lock="share")
        b = record.ballot
        problems: list[Problem] = []
        if not b.accepting_votes(now):
            problems.append(Problem(ballot_id, f"the ballot is {b.status.value} and takes votes "
                                               f"from {b.opens_at.isoformat()} to "
                                               f"{b.closes_at.isoformat()}"))
        weights = uow.variants.weights(ballot_id)
        weight = dict(weights.weights).get(member_id)
        if weight is None:
            problems.append(Problem(member_id, "not a delegate to this council when the vote "
                                               "opened"))
        if problems:
            raise PreconditionFailed(f"no vote in ballot {ballot_id} now", problems)
        paper = canonical_paper(b.method, b.options, choice)
        replaced = uow.variants.cast_open(ballot_id, member_id, paper, now)
        uow.audit.append([Event.of(PLAN_VOTE_RECORDED, now, ballot_id=ballot_id,
                                   member_id=member_id, weight=str(weight),
                                   paper=read_paper(paper), replaces=replaced)])
        return VoteRecorded(ballot_id, member_id, read_paper(paper), str(weight), replaced)


def _weighted_count(ballot: Ballot, roll: Sequence[tuple[str, str, datetime]],
                    weights: WeightedElectorate, seed: str) -> dict[str, Any]:
    ints, scale = weights.scaled()
    papers = [(read_paper(p), ints[m]) for m, p, _ in roll]
    base: dict[str, Any] = {
        "method": ballot.method, "papers": len(papers), "entitled": weights.size,
        "seed": seed, "open_vote": True, "weights_scale": scale,
        "total_weight": str(weights.total),
        "weight_cast": str(sum((dict(weights.weights)[m] for m, _, _ in roll), Fraction(0))),
        "roll_call": [[m, str(dict(weights.weights)[m]), read_paper(p)] for m, p, _ in roll],
    }
    if not papers:
        return {**base, "candidates": list(ballot.options), "seats": 1, "elected": [],
                "stages": [], "notes": ["no delegate voted: nothing is adopted"]}
    if ballot.method == Method.APPROVAL.value:
        profile = ApprovalProfile.from_ballots(ballot.options, [(set(m), w) for m, w in papers])
        count = approval(profile, 1, seed=seed)
    else:
        ranked = Profile.from_ballots(ballot.options, [(tuple(m), w) for m, w in papers])
        count = run_count(ranked, method=ballot.method, seats=1, seed=seed)
    return {**count.to_dict(), **base,
            "notes": [f"each delegate's paper counts with their weight times {scale} (the "
                      "least common multiple of the weights' denominators), which changes "
                      "no result"]}


def close_roll_call(uow: UnitOfWork, record: BallotRecord, now: datetime) -> BallotView:
    """Close an open, recorded delegate vote inside the caller's transaction: count the
    roll call with the frozen weights, store and log the result, adopt the winner."""
    ballot_id = record.ballot.ballot_id
    weights = uow.variants.weights(ballot_id)
    electorate = weights.electorate()
    if electorate.digest != record.electorate_hash or electorate.size != record.electorate_size:
        raise PreconditionFailed(f"ballot {ballot_id} cannot close",
                                 [Problem(ballot_id, "the weighted electorate does not match "
                                                     "the electorate published at opening")])
    closed, closed_event = core_close(replace(record.ballot, electorate=electorate), now)
    if uow.box.count(ballot_id):
        raise PreconditionFailed(f"ballot {ballot_id} cannot close",
                                 [Problem(ballot_id, "a delegate vote is open: the secret "
                                                     "ballot box must be empty")])
    roll = uow.variants.roll_call(ballot_id)
    result = _weighted_count(closed, roll, weights, record.seed)
    digest = hashlib.sha256(canonical_text(result["roll_call"]).encode("utf-8")).hexdigest()
    uow.ballots.save_closed(closed, len(roll), digest)
    uow.ballots.save_result(ballot_id, result)
    result_sha = hashlib.sha256(canonical_text(result).encode("utf-8")).hexdigest()
    elected = tuple(result.get("elected", ()))
    events = [closed_event,
              Event.of(BALLOT_COUNTED, now, ballot_id=ballot_id, method=closed.method,
                       papers=len(roll), seed=record.seed, elected=elected, passed=None,
                       result_sha256=result_sha, open_vote=True, roll_call_sha256=digest)]
    events += apply_plan_result(uow, closed, elected, now)
    uow.audit.append(events)
    uow.audit.take_checkpoint(ballot_id, "closed")
    return ballot_view(uow, uow.ballots.get(ballot_id))


def recount_roll_call(uow: UnitOfWork, ballot_id: str) -> dict[str, Any]:
    """Recount a closed delegate vote from its roll call (inside a transaction)."""
    record = uow.ballots.get(ballot_id)
    if record.ballot.status is not BallotStatus.CLOSED:
        raise PreconditionFailed(f"ballot {ballot_id} is {record.ballot.status.value}",
                                 [Problem(ballot_id, "it is counted at the close")])
    return _weighted_count(record.ballot, uow.variants.roll_call(ballot_id),
                           uow.variants.weights(ballot_id), record.seed)


def apply_plan_result(uow: UnitOfWork, ballot: Ballot, elected: Sequence[str],
                      now: datetime) -> list[Event]:
    """Adopt the winning variant (frozen, re-hashed, logged) and reject the others; or,
    when nobody was elected or ``none`` won, reject all and open the period again."""
    rec = uow.variants.find_plan_ballot(ballot.ballot_id)
    if rec is None:
        raise InvalidInput(f"ballot {ballot.ballot_id} is not a plan ballot")
    period = uow.plans.get_period(rec.period_id, lock=True)
    on_ballot = [v for v in uow.variants.of_period(rec.period_id, rec.revision)
                 if v.ballot_id == ballot.ballot_id]
    winner = elected[0] if elected else None
    chosen = next((v for v in on_ballot if v.key == winner), None)
    events: list[Event] = []
    if chosen is not None:
        record, inputs, result = load_variant(uow, chosen.variant_id)
        uow.variants.set_status([chosen.variant_id], "adopted", decided_at=now)
        events.append(Event.of(
            PLAN_ADOPTED, now, period_id=rec.period_id, revision=rec.revision,
            variant_id=chosen.variant_id, key=chosen.key, name=chosen.name,
            variant_sha256=record.variant_sha256, inputs_sha256=inputs.digest,
            ballot_id=ballot.ballot_id,
            thetas={str(t): num(th) for t, th in zip(result.tiers, result.thetas,
                                                     strict=True)},
            covers=list(inputs.sub_periods)))
        uow.plans.save_period(replace(period, status=PeriodStatus.ADOPTED,
                                      adopted_variant=chosen.variant_id,
                                      in_force=chosen.variant_id))
    else:
        reason = "no papers were cast" if winner is None else "'none of these' won"
        events.append(Event.of(PLAN_NONE_ADOPTED, now, period_id=rec.period_id,
                               revision=rec.revision, ballot_id=ballot.ballot_id,
                               reason=reason))
        uow.plans.save_period(replace(period, status=PeriodStatus.OPEN))
    rejected = [v for v in on_ballot if chosen is None or v.variant_id != chosen.variant_id]
    uow.variants.set_status([v.variant_id for v in rejected], "rejected", decided_at=now)
    events += [Event.of(PLAN_VARIANT_REJECTED, now, period_id=rec.period_id,
                        revision=rec.revision, variant_id=v.variant_id, key=v.key,
                        variant_sha256=v.variant_sha256, ballot_id=ballot.ballot_id)
               for v in rejected]
    return events


def _plan_ballot_view(uow: UnitOfWork, ballot_id: str) -> PlanBallotView:
    rec = uow.variants.find_plan_ballot(ballot_id)
    if rec is None:
        raise PreconditionFailed(f"ballot {ballot_id} is not a plan ballot")
    record = uow.ballots.get(ballot_id)
    b = record.ballot
    closed = b.status is BallotStatus.CLOSED
    weights: tuple[tuple[str, str], ...] = ()
    roll: tuple[dict[str, Any], ...] = ()
    if rec.weights_sha256 is not None:
        w = uow.variants.weights(ballot_id)
        weights = tuple((m, str(x)) for m, x in w.weights)
        if closed:
            roll = tuple({"member_id": m, "weight": str(dict(w.weights)[m]),
                          "paper": read_paper(p), "cast_at": at.isoformat()}
                         for m, p, at in uow.variants.roll_call(ballot_id))
    adopted = None
    if closed:
        adopted = next((v.key for v in uow.variants.of_period(rec.period_id, rec.revision)
                        if v.ballot_id == ballot_id and v.status == "adopted"), None)
    return PlanBallotView(
        ballot_id, rec.period_id, rec.revision, rec.electorate, b.method, b.options,
        b.status.value, b.closes_at, record.electorate_size, rec.total_weight, weights,
        tuple(rec.unrepresented), roll, record.result if closed else None, adopted)


def show_plan_ballot(uow: UnitOfWork, ballot_id: str) -> PlanBallotView:
    with uow.reading():
        return _plan_ballot_view(uow, ballot_id)
