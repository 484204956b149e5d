"""The Schulze method (beatpath), with margins or winning votes.

From the pairwise counts ``n`` (see :mod:`.pairwise`), ``d[a][b]`` is the strength of
``a``'s majority over ``b`` (margin, or winning votes; 0 when ``a`` has no majority
over ``b``). The strength of a path is its weakest link; ``p[a][b]`` is the strength
of the strongest path from ``a`` to ``b`` (Floyd-Warshall widest paths, exact
integers). ``a`` beats ``b`` when ``p[a][b] > p[b][a]``; this relation is a strict
partial order (Schulze 2011, section 4.1), and the winners are the candidates no one
beats. The ranking lists the candidates layer by layer (those beaten by no one left);
candidates in one layer are equal under the method and are ordered by lot from the
published seed, as is the winner when there are several (each such draw is a
:class:`~councilplan.councils.counting.report.TieBreak`). For ballots that rank every
candidate, margins and winning votes give the same result.

Stages: 1, the pairwise counts (``matrix``); 2, the strongest paths (``matrix``), with
the winner elected.
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

__all__ = ["schulze", "strongest_paths"]


def strongest_paths(d: list[list[int]]) -> list[list[int]]:
    """``p[a][b]``: the strength of the strongest path from ``a`` to ``b``."""
    c = len(d)
    p = [row[:] for row in d]
    for k in range(c):
        pk = p[k]
        for i in range(c):
            if i == k:
                continue
            pik = p[i][k]
            if pik == 0:
                continue
            pi = p[i]
            for j in range(c):
                if j != i and j != k:
                    via = pik if pik < pk[j] else pk[j]
                    if via > pi[j]:
                        pi[j] = via
    return p


def layered_ranking(
    beats: list[list[bool]], names: tuple[str, ...], lot: Lot, purpose: str, stage: int
) -> tuple[list[int], list[TieBreak]]:
    """Order candidates by a strict partial order: each layer is the candidates no
    remaining one beats; ties inside a layer are drawn by lot."""
    rest = list(range(len(names)))
    order: list[int] = []
    ties: list[TieBreak] = []
    while rest:
        layer = [a for a in rest if not any(beats[b][a] for b in rest if b != a)]
        if not layer:  # pragma: no cover - impossible for a strict partial order
            raise AssertionError("the beat relation has a cycle")
        if len(layer) > 1:
            drawn = lot.order([names[a] for a in layer], purpose, stage)
            ties.append(
                TieBreak(
                    stage,
                    "winner" if not order else "ranking",
                    tuple(names[a] for a in layer),
                    drawn[0],
                    "lot",
                )
            )
            layer = [names.index(x) for x in drawn]
        order.extend(layer)
        rest = [a for a in rest if a not in layer]
    return order, ties


def schulze(
    profile: Profile,
    *,
    strength: PairwiseStrength | str = PairwiseStrength.MARGINS,
    seed: str | int = 0,
) -> Count:
    """The Schulze winner of ``profile`` (and the Schulze ranking)."""
    strength = PairwiseStrength(strength)
    names = profile.candidates
    if not names:
        raise InvalidInput("a count needs at least one candidate")
    n = pairwise_counts(profile)
    d = link_strengths(n, strength)
    p = strongest_paths(d)
    c = len(names)
    beats = [[i != j and p[i][j] > p[j][i] for j in range(c)] for i in range(c)]
    winners = [a for a in range(c) if not any(beats[b][a] for b in range(c))]
    order, ties = layered_ranking(beats, names, Lot(str(seed)), "schulze", 2)
    winner = order[0]
    status = {x: CandidateState.CONTINUING for x in names}
    stages = (
        StageReport(
            number=1,
            action=Action(ActionKind.PAIRWISE),
            matrix=matrix_of(names, n),
            status=dict(status),
        ),
        StageReport(
            number=2,
            action=Action(ActionKind.STRONGEST_PATHS),
            matrix=matrix_of(names, p),
            elected=(names[winner],),
            status={**status, names[winner]: CandidateState.ELECTED},
            notes=(
                "potential winners (beaten by no one): " + ", ".join(names[a] for a in winners),
            ),
        ),
    )
    return Count(
        method="schulze" if strength is PairwiseStrength.MARGINS else "schulze-wv",
        candidates=names,
        seats=1,
        elected=(names[winner],),
        stages=stages,
        valid_votes=Fraction(profile.total_weight),
        tie_breaks=tuple(ties),
        seed=str(seed),
        ranking=tuple(names[a] for a in order),
        parameters={"strength": strength.value},
    )
