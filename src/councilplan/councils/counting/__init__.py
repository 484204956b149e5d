"""Exact vote counting: pure (no I/O, no clock), no floats for votes.

Ranked ballots are a :class:`Profile`; every method returns a :class:`Count` (the
elected in order of election, a :class:`StageReport` per stage, the ties broken).

============================  ==============================================
:func:`scottish_stv`          SSI 2011/399 Sch. 1 rr. 45-52 (the default)
:func:`meek_stv`              Meek STV, fixed point, stated tolerance
:func:`instant_runoff`        IRV
:func:`schulze`               Schulze, margins or winning votes
:func:`ranked_pairs`          Tideman's ranked pairs
:func:`approval`              approval; k-of-n with ``max_choices``
:func:`count_majority`        yes / no / abstain
:func:`run_count`             any of the ranked methods by :class:`Method` name
============================  ==============================================
"""

from councilplan.councils.counting.approval import ApprovalProfile, approval
from councilplan.councils.counting.irv import instant_runoff
from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.majority import (
    Choice,
    MajorityCount,
    Outcome,
    count_majority,
)
from councilplan.councils.counting.meek import meek_stv
from councilplan.councils.counting.methods import DEFAULT_METHOD, SINGLE_WINNER, Method, run_count
from councilplan.councils.counting.pairwise import PairwiseStrength, pairwise_counts
from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.ranked_pairs import ranked_pairs
from councilplan.councils.counting.report import (
    Action,
    ActionKind,
    CandidateState,
    Count,
    StageReport,
    TieBreak,
    format_value,
)
from councilplan.councils.counting.schulze import schulze
from councilplan.councils.counting.scottish_stv import scottish_quota, scottish_stv

__all__ = [
    "DEFAULT_METHOD",
    "SINGLE_WINNER",
    "Action",
    "ActionKind",
    "ApprovalProfile",
    "CandidateState",
    "Choice",
    "Count",
    "Lot",
    "MajorityCount",
    "Method",
    "Outcome",
    "PairwiseStrength",
    "Profile",
    "StageReport",
    "TieBreak",
    "approval",
    "count_majority",
    "format_value",
    "instant_runoff",
    "meek_stv",
    "pairwise_counts",
    "ranked_pairs",
    "run_count",
    "schulze",
    "scottish_quota",
    "scottish_stv",
]
