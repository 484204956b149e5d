"""One small interface to HiGHS (highspy): an LP in, a normalised result out.

The LP is ``max/min c.x  s.t.  row_lower <= M x <= row_upper,  col_lower <= x <= col_upper``
with ``M`` sparse. :func:`solve_lp` returns an :class:`LpResult` whose status is one
of the normalised :class:`LpStatus` values, with primal values, row duals and
column duals (HiGHS's sign convention: for a maximisation, a binding ``<=`` row
has a non-negative dual).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import highspy
import numpy as np
import scipy.sparse as sp

from councilplan.planning.economy import FloatArray

__all__ = ["LpResult", "LpStatus", "Solver", "solve_lp"]

Solver = Literal["highs", "highs-simplex", "highs-ipm", "pdlp"]

INF = float(highspy.kHighsInf)


class LpStatus(StrEnum):
    """Normalised outcome of a solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    LIMIT = "limit"  # a time or iteration limit stopped it: the values are the best found
    ERROR = "error"


_STATUS = {
    highspy.HighsModelStatus.kOptimal: LpStatus.OPTIMAL,
    highspy.HighsModelStatus.kModelEmpty: LpStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: LpStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: LpStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: LpStatus.UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: LpStatus.LIMIT,
    highspy.HighsModelStatus.kIterationLimit: LpStatus.LIMIT,
    highspy.HighsModelStatus.kSolutionLimit: LpStatus.LIMIT,
    highspy.HighsModelStatus.kInterrupt: LpStatus.LIMIT,
    highspy.HighsModelStatus.kObjectiveBound: LpStatus.LIMIT,
    highspy.HighsModelStatus.kObjectiveTarget: LpStatus.LIMIT,
}


@dataclass(frozen=True, eq=False)
class LpResult:
    status: LpStatus
    objective: float
    x: FloatArray
    row_dual: FloatArray
    col_dual: FloatArray
    iterations: int
    solver: str
    message: str


def solve_lp(
    cost: FloatArray,
    M: sp.csc_array,
    row_lower: FloatArray,
    row_upper: FloatArray,
    col_lower: FloatArray,
    col_upper: FloatArray,
    *,
    maximise: bool,
    solver: Solver = "highs",
    time_limit: float | None = None,
    tolerance: float | None = None,
    threads: int | None = None,
) -> LpResult:
    """Solve the LP with HiGHS. ``solver``: HiGHS's own choice, dual simplex, interior
    point (with crossover), or PDLP (first-order). ``tolerance`` sets the optimality and
    feasibility tolerances of the chosen method."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    choice = {"highs": "choose", "highs-simplex": "simplex", "highs-ipm": "ipm", "pdlp": "pdlp"}
    h.setOptionValue("solver", choice[solver])
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if tolerance is not None:
        for opt in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
            h.setOptionValue(opt, float(tolerance))
        if solver == "highs-ipm":
            h.setOptionValue("ipm_optimality_tolerance", float(tolerance))
        if solver == "pdlp":
            h.setOptionValue("pdlp_optimality_tolerance", float(tolerance))
    lp = highspy.HighsLp()
    nrow, ncol = (int(s) for s in M.shape)
    lp.num_col_ = ncol
    lp.num_row_ = nrow
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(col_lower, dtype=np.float64)
    lp.col_upper_ = np.where(np.isinf(col_upper), INF, col_upper).astype(np.float64)
    lp.row_lower_ = np.where(np.isneginf(row_lower), -INF, row_lower).astype(np.float64)
    lp.row_upper_ = np.where(np.isinf(row_upper), INF, row_upper).astype(np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = M.indptr.astype(np.int32)
    lp.a_matrix_.index_ = M.indices.astype(np.int32)
    lp.a_matrix_.value_ = M.data.astype(np.float64)
    h.passModel(lp)
    h.run()
    model_status = h.getModelStatus()
    status = _STATUS.get(model_status, LpStatus.ERROR)
    sol = h.getSolution()
    info = h.getInfo()
    iterations = int(info.simplex_iteration_count) + int(info.ipm_iteration_count)
    iterations += int(getattr(info, "pdlp_iteration_count", 0))
    x = np.asarray(sol.col_value, dtype=np.float64)
    if x.shape != (ncol,):
        x = np.zeros(ncol)
    row_dual = np.asarray(sol.row_dual, dtype=np.float64)
    if row_dual.shape != (nrow,):
        row_dual = np.zeros(nrow)
    col_dual = np.asarray(sol.col_dual, dtype=np.float64)
    if col_dual.shape != (ncol,):
        col_dual = np.zeros(ncol)
    return LpResult(
        status=status,
        objective=float(info.objective_function_value),
        x=x,
        row_dual=row_dual,
        col_dual=col_dual,
        iterations=iterations,
        solver=solver,
        message=h.modelStatusToString(model_status),
    )
