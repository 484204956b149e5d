"""Ranked pairs (Tideman 1987), with margins (default) or winning votes.

Every pairwise majority ``a`` over ``b`` (see :mod:`.pairwise`) is taken in order of
strength, strongest first, and *locked* unless it would make a cycle with those
already locked (then it is *skipped*); each is a stage. Ties are settled by a
tie-breaking ranking of the candidates (TBRC) drawn by lot from the published seed,
as Zavist & Tideman (1989) do: majorities of equal strength go in TBRC order (the
pair whose winner ranks higher first; with the same winner, the pair whose loser
ranks lower); a pair with *no* majority (equal pairwise counts) is taken last, with
strength 0, in the direction the TBRC gives. The locked pairs then order every pair
of candidates: the ranking is that order, the winner its first.
"""

from __future__ import annotations

from fractions import Fraction

from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.pairwise import (
    PairwiseStrength,
    link_strengths,
    matrix_of,
    pairwise_counts,
)
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.report import (
    Action,
    ActionKind,
    CandidateState,
    Count,
    StageReport,
    TieBreak,
)
from councilplan.errors import InvalidInput

__all__ = ["ranked_pairs"]


def ranked_pairs(
    profile: Profile,
    *,
    strength: PairwiseStrength | str = PairwiseStrength.MARGINS,
    seed: str | int = 0,
) -> Count:
    """The ranked-pairs winner of ``profile`` (and its ranking)."""
    strength = PairwiseStrength(strength)
    names = profile.candidates
    c = len(names)
    if not c:
        raise InvalidInput("a count needs at least one candidate")
    lot = Lot(str(seed))
    tbrc = lot.order(names, "ranked-pairs", 0)
    place = {names.index(x): k for k, x in enumerate(tbrc)}
    n = pairwise_counts(profile)
    d = link_strengths(n, strength)
    pairs = [(a, b) for a in range(c) for b in range(c) if d[a][b] > 0]
    # no majority either way: directed by the TBRC, strength 0
    pairs += [
        (a, b)
        for a in range(c)
        for b in range(c)
        if a != b and n[a][b] == n[b][a] and place[a] < place[b]
    ]
    pairs.sort(key=lambda ab: (-d[ab[0]][ab[1]], place[ab[0]], -place[ab[1]]))

    ties: list[TieBreak] = []
    status = {x: CandidateState.CONTINUING for x in names}
    stages: list[StageReport] = [
        StageReport(
            number=1,
            action=Action(ActionKind.PAIRWISE),
            matrix=matrix_of(names, n),
            status=dict(status),
        )
    ]
    reach = [[i == j for j in range(c)] for i in range(c)]  # reach[i][j]: path i -> j
    locked = [[False] * c for _ in range(c)]
    k = 0
    while k < len(pairs):
        s = d[pairs[k][0]][pairs[k][1]]
        group = [ab for ab in pairs[k:] if d[ab[0]][ab[1]] == s]
        if len(group) > 1 or s == 0:
            ties.append(
                TieBreak(
                    len(stages) + 1,
                    "no-majority" if s == 0 else "pair-order",
                    tuple(f"{names[a]}>{names[b]}" for a, b in group),
                    f"{names[group[0][0]]}>{names[group[0][1]]}",
                    "lot",
                )
            )
        for a, b in group:
            if reach[b][a]:
                kind = ActionKind.SKIP
            else:
                kind = ActionKind.LOCK
                locked[a][b] = True
                from_a = [i for i in range(c) if reach[i][a]]
                to_b = [j for j in range(c) if reach[b][j]]
                for i in from_a:
                    for j in to_b:
                        reach[i][j] = True
            stages.append(
                StageReport(
                    number=len(stages) + 1,
                    action=Action(kind, (names[a], names[b]), Fraction(s)),
                    status=dict(status),
                )
            )
        k += len(group)

    # ranking: repeatedly take the unbeaten (nothing locked over it), in tbrc order
    rest = list(range(c))
    order: list[int] = []
    while rest:
        free = [x for x in rest if not any(locked[y][x] for y in rest)]
        free.sort(key=lambda x: place[x])
        if len(free) != 1:  # pragma: no cover - every pair is ordered by now
            raise AssertionError("ranked pairs left candidates unordered")
        order.append(free[0])
        rest.remove(free[0])
    winner = names[order[0]]
    last = stages[-1]
    stages[-1] = StageReport(
        number=last.number,
        action=last.action,
        matrix=last.matrix,
        elected=(winner,),
        status={**status, winner: CandidateState.ELECTED},
        notes=(f"tie-breaking ranking (by lot): {' > '.join(tbrc)}",),
    )
    return Count(
        method="ranked-pairs" if strength is PairwiseStrength.MARGINS else "ranked-pairs-wv",
        candidates=names,
        seats=1,
        elected=(winner,),
        stages=tuple(stages),
        valid_votes=Fraction(profile.total_weight),
        tie_breaks=tuple(ties),
        seed=str(seed),
        ranking=tuple(names[x] for x in order),
        parameters={"strength": strength.value},
    )
