"""Exact vote counting (pure: no I/O, no clock, no floats for votes)."""

from councilplan.councils.counting.profile import Profile
from councilplan.councils.counting.report import (
    Action,
    ActionKind,
    CandidateState,
    Count,
    StageReport,
    TieBreak,
    format_value,
)
from councilplan.councils.counting.scottish_stv import scottish_quota, scottish_stv

__all__ = [
    "Action",
    "ActionKind",
    "CandidateState",
    "Count",
    "Profile",
    "StageReport",
    "TieBreak",
    "format_value",
    "scottish_quota",
    "scottish_stv",
]
