"""Hypothesis properties of the counts.

- Votes are conserved at every STV stage: the votes of all candidates (elected,
  continuing, excluded) + non-transferable + loss by fraction = valid votes, exactly;
  for Meek, votes + excess = valid (Meek loses nothing by fraction).
- Monotone accounting: non-transferable votes and loss by fraction never fall;
  Scottish STV's loss per stage is under 1/100000 per ballot paper.
- Every elected candidate reached the quota, or was elected under rule 52 at the
  last stage; elected candidates keep exactly the quota once their surplus is
  transferred; excluded candidates end with nothing.
- As many are elected as there are seats (or candidates, if fewer), none twice.
- The transfers of a stage are exactly the change in votes.
- The count does not depend on how ballots are grouped, or on the order of the
  ballots; relabelling candidates relabels the result (when no lot was drawn).
- .blt writing and reading is the identity on profiles.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilplan.councils.counting import (
    ActionKind,
    CandidateState,
    Profile,
    instant_runoff,
    meek_stv,
    scottish_stv,
)
from councilplan.councils.counting.report import Count
from councilplan.io.blt import parse_blt, write_blt

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw: st.DrawFn, max_candidates: int = 7) -> tuple[Profile, int]:
    nc = draw(st.integers(1, max_candidates))
    names = [f"c{i}" for i in range(nc)]
    ranking = st.lists(st.integers(0, nc - 1), min_size=1, max_size=nc, unique=True)
    rows = draw(st.lists(st.tuples(ranking, st.integers(1, 30)), min_size=0, max_size=25))
    seats = draw(st.integers(1, max(1, nc)))
    profile = Profile.from_indices(names, [r for r, _ in rows], [w for _, w in rows])
    return profile, seats


def _check_accounting(count: Count) -> None:
    valid = count.valid_votes
    prev_nt = prev_loss = Fraction(0)
    prev_votes: dict[str, Fraction] = {c: Fraction(0) for c in count.candidates}
    for s in count.stages:
        assert sum(s.votes.values()) + s.non_transferable + s.loss_by_fraction == valid
        assert s.non_transferable >= prev_nt
        assert s.loss_by_fraction >= prev_loss
        assert s.non_transferable - prev_nt == s.non_transferable_change
        assert s.loss_by_fraction - prev_loss == s.loss_by_fraction_change
        for c in count.candidates:
            assert s.votes[c] - prev_votes[c] == s.transfers.get(c, 0), (s.number, c)
            assert s.votes[c] >= 0
        prev_nt, prev_loss, prev_votes = s.non_transferable, s.loss_by_fraction, dict(s.votes)


def _check_elected(count: Count, quota: Fraction | None) -> None:
    seats = min(count.seats, len(count.candidates))
    assert len(count.elected) == seats
    assert len(set(count.elected)) == len(count.elected)
    per_stage = [e for s in count.stages for e in s.elected]
    assert tuple(per_stage) == count.elected
    final = count.stages[-1]
    for c in count.elected:
        assert final.status[c] is CandidateState.ELECTED
    for s in count.stages:
        for c in s.excluded:
            assert s.votes[c] == 0
            assert c not in count.elected
        if quota is not None and s is not final:
            for c in s.elected:
                assert s.votes[c] >= quota


@FAST
@given(elections())
def test_scottish_stv_conserves_votes_at_every_stage(case: tuple[Profile, int]) -> None:
    profile, seats = case
    count = scottish_stv(profile, seats, seed="p")
    assert count.valid_votes == profile.total_weight
    assert count.quota == profile.total_weight // (seats + 1) + 1
    _check_accounting(count)
    _check_elected(count, count.quota)
    for s in count.stages:
        for c in s.votes:
            assert (s.votes[c] * 100000).denominator == 1  # 5-place fixed point
        if s.action.kind is ActionKind.SURPLUS_TRANSFER:
            (giver,) = s.action.candidates
            assert s.votes[giver] == count.quota
            assert s.transfer_ratio is not None
            assert 0 < s.transfer_ratio < 1
            # each paper loses less than 1/100000 by truncation
            assert 0 <= s.loss_by_fraction_change < Fraction(profile.total_weight, 100000)
        else:
            assert s.loss_by_fraction_change == 0


@FAST
@given(elections())
def test_scottish_stv_independent_of_grouping_and_order(case: tuple[Profile, int]) -> None:
    profile, seats = case
    rows = [list(r) for r, w in profile.ballots() for _ in range(w)]
    names = list(profile.candidates)
    idx = [[names.index(c) for c in r] for r in rows]
    ungrouped = Profile.from_indices(names, idx[::-1], group=False)
    assert scottish_stv(ungrouped, seats, seed=1) == scottish_stv(profile, seats, seed=1)


@FAST
@given(elections(), st.randoms(use_true_random=False))
def test_relabelling_candidates_relabels_the_result(case: tuple[Profile, int], rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    profile, seats = case
    count = scottish_stv(profile, seats)
    if count.tie_breaks:
        return
    names = list(profile.candidates)
    new = names[:]
    rnd.shuffle(new)
    rename = dict(zip(names, new, strict=True))
    relabelled = Profile.from_ballots(
        new, [(tuple(rename[c] for c in r), w) for r, w in profile.ballots()]
    )
    other = scottish_stv(relabelled, seats)
    assert other.elected == tuple(rename[c] for c in count.elected)


@FAST
@given(elections())
def test_irv_conserves_votes_and_elects_one(case: tuple[Profile, int]) -> None:
    profile, _ = case
    count = instant_runoff(profile, seed="p")
    _check_accounting(count)
    assert len(count.elected) == 1
    last = count.stages[-1]
    cont = [c for c in count.candidates if last.status[c] is not CandidateState.EXCLUDED]
    winner = count.winner
    active = sum(last.votes[c] for c in cont)
    assert len(cont) == 1 or 2 * last.votes[winner] > active


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(max_candidates=6))
def test_meek_conserves_votes_exactly(case: tuple[Profile, int]) -> None:
    profile, seats = case
    count = meek_stv(profile, seats, seed="p")
    _check_accounting(count)
    _check_elected(count, None)
    for s in count.stages:
        assert s.loss_by_fraction == 0
        for c in count.candidates:
            kf = s.keep_factors[c]
            if s.status[c] is CandidateState.EXCLUDED:
                assert kf == 0
            elif s.status[c] is CandidateState.CONTINUING:
                assert kf == 1


@FAST
@given(elections(), st.text(st.characters(blacklist_characters='"\r\n'), max_size=20))
def test_blt_round_trip(case: tuple[Profile, int], title: str) -> None:
    profile, seats = case
    text = write_blt(profile, seats, title=title)
    back = parse_blt(text)
    assert back.profile == profile
    assert back.seats == seats
    assert back.title == title
