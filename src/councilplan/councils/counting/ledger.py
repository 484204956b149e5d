"""Ledger: the running account of a transferable-vote count, stage by stage.

Methods that transfer papers (Scottish STV, IRV) keep their numbers in integer units
(``unit`` per whole vote) in a ledger; it records each stage as a
:class:`~councilplan.councils.counting.report.StageReport` in exact fractions, keeps
the history of votes that the tie rules look back on, and checks at every stage that
no vote was created or lost unaccounted: votes of all candidates + non-transferable +
loss by fraction = valid votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from councilplan.councils.counting.lot import Lot
from councilplan.councils.counting.report import (
    Action,
    CandidateState,
    StageReport,
    TieBreak,
)
from councilplan.councils.counting.ties import break_tie
from councilplan.errors import SolverError

__all__ = ["Ledger"]


@dataclass
class _Draft:
    action: Action
    transfers: dict[int, int] = field(default_factory=dict)
    nt_change: int = 0
    loss_change: int = 0
    elected: list[int] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    ratio: Fraction | None = None
    notes: list[str] = field(default_factory=list)
    quota: Fraction | None = None
    keep_factors: dict[str, Fraction] = field(default_factory=dict)


class Ledger:
    """Votes (units), states, history and stage reports of one count."""

    def __init__(self, names: Sequence[str], unit: int, total_units: int, lot: Lot) -> None:
        self.names = tuple(names)
        self.unit = unit
        self.total = total_units
        self.lot = lot
        n = len(self.names)
        self.votes = [0] * n
        self.state = [CandidateState.CONTINUING] * n
        self.non_transferable = 0
        self.loss = 0
        self.history: list[list[int]] = []
        self.stages: list[StageReport] = []
        self.tie_breaks: list[TieBreak] = []
        self.elected_order: list[int] = []
        self._draft: _Draft | None = None
        self._next_notes: list[str] = []

    # -- queries ----------------------------------------------------------------------

    @property
    def stage_number(self) -> int:
        """The number of the stage being drafted (or the last one closed)."""
        return len(self.history)

    def continuing(self) -> list[int]:
        return [c for c, s in enumerate(self.state) if s is CandidateState.CONTINUING]

    def fraction(self, units: int) -> Fraction:
        return Fraction(units, self.unit)

    # -- stages -----------------------------------------------------------------------

    def open_stage(
        self,
        action: Action,
        received: Sequence[int],
        non_transferable: int,
        *,
        giver: int | None = None,
        given: int = 0,
        ratio: Fraction | None = None,
        quota: Fraction | None = None,
        keep_factors: dict[str, Fraction] | None = None,
    ) -> None:
        """Record a transfer: ``received[c]`` units to each candidate, ``non_transferable``
        units to none, ``given`` units out of ``giver`` (whose votes are set by the
        caller before). The loss by fraction of the stage is what was given and did
        not arrive anywhere."""
        if self._draft is not None:
            raise SolverError("stage opened before the last one was closed")
        draft = _Draft(
            action=action,
            ratio=ratio,
            notes=self._next_notes,
            quota=quota,
            keep_factors=dict(keep_factors or {}),
        )
        self._next_notes = []
        if giver is not None:
            draft.transfers[giver] = -given
        for c, r in enumerate(received):
            if r:
                self.votes[c] += r
                draft.transfers[c] = draft.transfers.get(c, 0) + r
        if giver is not None and draft.transfers.get(giver) == 0:
            del draft.transfers[giver]
        self.non_transferable += non_transferable
        draft.nt_change = non_transferable
        draft.loss_change = given - sum(received) - non_transferable if giver is not None else 0
        self.loss += draft.loss_change
        self.history.append(list(self.votes))
        self._draft = draft
        self._check()

    def note(self, text: str) -> None:
        assert self._draft is not None
        self._draft.notes.append(text)

    def elect(self, c: int) -> None:
        assert self._draft is not None
        self.state[c] = CandidateState.ELECTED
        self.elected_order.append(c)
        self._draft.elected.append(c)

    def exclude(self, c: int) -> None:
        assert self._draft is not None
        self.state[c] = CandidateState.EXCLUDED
        self._draft.excluded.append(c)

    def close_stage(self) -> None:
        d = self._draft
        if d is None:
            return
        self._draft = None
        f = self.fraction
        names = self.names
        self.stages.append(
            StageReport(
                number=len(self.history),
                action=d.action,
                votes={names[c]: f(v) for c, v in enumerate(self.votes)},
                transfers={names[c]: f(v) for c, v in sorted(d.transfers.items())},
                non_transferable=f(self.non_transferable),
                non_transferable_change=f(d.nt_change),
                loss_by_fraction=f(self.loss),
                loss_by_fraction_change=f(d.loss_change),
                elected=tuple(names[c] for c in d.elected),
                excluded=tuple(names[c] for c in d.excluded),
                status={names[c]: s for c, s in enumerate(self.state)},
                transfer_ratio=d.ratio,
                quota=d.quota,
                keep_factors=d.keep_factors,
                notes=tuple(d.notes),
            )
        )

    # -- ties ---------------------------------------------------------------------------

    def choose(
        self, tied: Sequence[int], *, lowest: bool, purpose: str, use_lot: bool = True
    ) -> int:
        """One of ``tied`` by the look-back rule, then by lot (see :mod:`.ties`).

        Between stages the choice belongs to the stage about to open (its number is
        the next one, and its report carries the note)."""
        stage = self.stage_number if self._draft is not None else self.stage_number + 1
        chosen, record = break_tie(
            tied,
            self.history,
            lowest=lowest,
            names=self.names,
            lot=self.lot if use_lot else None,
            purpose=purpose,
            stage=stage,
        )
        if record is not None and use_lot:
            self.tie_breaks.append(record)
            how = (
                f"by lot (seed {self.lot.seed!r})"
                if record.resolved_by == "lot"
                else f"by the votes at stage {record.by_stage}"
            )
            text = (
                f"tie for {purpose} between {', '.join(record.tied)} broken {how}: {record.chosen}"
            )
            (self._draft.notes if self._draft is not None else self._next_notes).append(text)
        return chosen

    def by_votes(self, cands: Sequence[int]) -> list[int]:
        """Candidates in descending order of votes; equal votes by the look-back rule,
        then in profile order (this order only says who is listed first)."""
        rest = list(cands)
        out: list[int] = []
        while rest:
            top = max(self.votes[c] for c in rest)
            tied = [c for c in rest if self.votes[c] == top]
            c = self.choose(tied, lowest=False, purpose="ordering", use_lot=False)
            out.append(c)
            rest.remove(c)
        return out

    def _check(self) -> None:
        accounted = sum(self.votes) + self.non_transferable + self.loss
        if accounted != self.total or self.loss < 0 or self.non_transferable < 0:
            raise SolverError(
                f"votes not conserved at stage {len(self.history)}: "
                f"{accounted} units accounted for, {self.total} valid"
            )
