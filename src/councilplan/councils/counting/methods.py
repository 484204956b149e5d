"""Method: the counting methods by name, and :func:`run_count` to count by name.

``Method`` values are the names the CLI and the API use
(``--method scottish-stv|meek|irv|schulze|schulze-wv|ranked-pairs|ranked-pairs-wv|
approval``). :data:`DEFAULT_METHOD` is Scottish STV. ``run_count`` takes a ranked
:class:`~councilplan.councils.counting.profile.Profile`; for ``approval`` every
candidate a paper ranks counts as approved on it.
"""

from __future__ import annotations

from enum import StrEnum

from councilplan.councils.counting.approval import ApprovalProfile, approval
from councilplan.councils.counting.irv import instant_runoff
from councilplan.councils.counting.meek import meek_stv
from councilplan.councils.counting.pairwise import PairwiseStrength
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.ranked_pairs import ranked_pairs
from councilplan.councils.counting.report import Count
from councilplan.councils.counting.schulze import schulze
from councilplan.councils.counting.scottish_stv import scottish_stv
from councilplan.errors import InvalidInput, Problem

__all__ = ["DEFAULT_METHOD", "SINGLE_WINNER", "Method", "run_count"]


class Method(StrEnum):
    SCOTTISH_STV = "scottish-stv"
    MEEK = "meek"
    IRV = "irv"
    SCHULZE = "schulze"
    SCHULZE_WV = "schulze-wv"
    RANKED_PAIRS = "ranked-pairs"
    RANKED_PAIRS_WV = "ranked-pairs-wv"
    APPROVAL = "approval"


DEFAULT_METHOD = Method.SCOTTISH_STV

SINGLE_WINNER = frozenset(
    {Method.IRV, Method.SCHULZE, Method.SCHULZE_WV, Method.RANKED_PAIRS, Method.RANKED_PAIRS_WV}
)
"""Methods that fill one seat only."""


def run_count(
    profile: Profile,
    *,
    method: Method | str = DEFAULT_METHOD,
    seats: int = 1,
    seed: str | int = 0,
) -> Count:
    """Count ``profile`` by ``method`` for ``seats`` (single-winner methods: 1)."""
    try:
        m = Method(method)
    except ValueError:
        raise InvalidInput(
            "unknown counting method",
            [Problem("method", f"{method!r}; one of {', '.join(x.value for x in Method)}")],
        ) from None
    if m in SINGLE_WINNER and seats != 1:
        raise InvalidInput(
            "a single-winner method fills one seat",
            [Problem("seats", f"{m.value} elects one candidate, not {seats}")],
        )
    if m is Method.SCOTTISH_STV:
        return scottish_stv(profile, seats, seed=seed)
    if m is Method.MEEK:
        return meek_stv(profile, seats, seed=seed)
    if m is Method.IRV:
        return instant_runoff(profile, seed=seed)
    if m in (Method.SCHULZE, Method.SCHULZE_WV):
        wv = m is Method.SCHULZE_WV
        strength = PairwiseStrength.WINNING_VOTES if wv else PairwiseStrength.MARGINS
        return schulze(profile, strength=strength, seed=seed)
    if m in (Method.RANKED_PAIRS, Method.RANKED_PAIRS_WV):
        wv = m is Method.RANKED_PAIRS_WV
        strength = PairwiseStrength.WINNING_VOTES if wv else PairwiseStrength.MARGINS
        return ranked_pairs(profile, strength=strength, seed=seed)
    return approval(ApprovalProfile.from_ranked(profile), seats, seed=seed)
