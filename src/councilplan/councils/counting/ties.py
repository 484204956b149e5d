"""Breaking ties by looking back to earlier stages, then by lot.

SSI 2011/399 Sch. 1 rules 49(2)-(3) (equal surpluses) and 51(2) (equal lowest):
regard is had to the votes of the tied candidates at the end of the most recent
preceding stage at which they had unequal numbers of votes; the highest (surplus) or
lowest (exclusion) at that stage is chosen; if they were equal at every stage, the
choice is made by lot.

When three or more are tied and that stage separates only some of them (two still
equal lowest, say), the look-back continues among those still tied, stage by stage,
until one is left; only if some remain equal at every stage does the lot decide among
them. (The statute does not spell this case out; this is the reading that never lets
an older stage overrule a more recent one.)
"""

from __future__ import annotations

from collections.abc import Sequence

from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.report import TieBreak

__all__ = ["break_tie"]


def break_tie(
    tied: Sequence[int],
    history: Sequence[Sequence[int]],
    *,
    lowest: bool,
    names: Sequence[str],
    lot: Lot | None,
    purpose: str,
    stage: int,
) -> tuple[int, TieBreak | None]:
    """Choose one of ``tied`` (candidate indices).

    ``history[k]`` holds every candidate's votes at the end of stage ``k + 1``; the
    last entry is the current stage, at which ``tied`` are equal. ``lowest`` picks the
    lowest at the deciding stage (exclusion), else the highest (surplus). With
    ``lot=None`` a tie left at every stage goes to the first of ``tied`` in the order
    given (used only where the choice affects nothing but the order of a report).
    Returns the choice and a :class:`TieBreak` record (``None`` when not tied).
    """
    if len(tied) == 1:
        return tied[0], None
    remaining = list(tied)
    by_stage: int | None = None
    for k in range(len(history) - 2, -1, -1):
        row = history[k]
        values = [row[c] for c in remaining]
        extreme = min(values) if lowest else max(values)
        narrowed = [c for c, v in zip(remaining, values, strict=True) if v == extreme]
        if len(narrowed) < len(remaining):
            remaining = narrowed
            by_stage = k + 1
            if len(remaining) == 1:
                break
    label = tuple(names[c] for c in tied)
    if len(remaining) == 1:
        chosen = remaining[0]
        return chosen, TieBreak(stage, purpose, label, names[chosen], "earlier-stage", by_stage)
    if lot is None:
        chosen = remaining[0]
        return chosen, TieBreak(stage, purpose, label, names[chosen], "order", by_stage)
    drawn = lot.draw([names[c] for c in remaining], purpose, stage)
    chosen = next(c for c in remaining if names[c] == drawn)
    return chosen, TieBreak(stage, purpose, label, drawn, "lot", by_stage)
