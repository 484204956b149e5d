"""The optimal plan when needs cannot all be met.

Tier by tier (tier 1 first), maximise the largest common share ``theta_t`` of every
need of tier ``t``, with the shares of earlier tiers held::

    max theta_t
    s.t. (B - A) z >= sum_{s<t} theta_s* d_s + theta_t d_t     (net output covers needs)
         l . z <= L                                           (labour available)
         R z <= r                                             (resource caps)
         0 <= z <= c,  0 <= theta_t <= 1                      (capacities)

then, with every share held, the plan that uses the least labour::

    min l . z  s.t. (B - A) z >= sum_t theta_t* d_t, R z <= r, 0 <= z <= c.

Two ways to solve it:

* ``method="leontief"`` (structured, exact, any size): with one technique per
  product and ``A, l, R >= 0``, every feasible ``z`` satisfies
  ``z >= (I - A)^-1 (sum theta_s d_s)``, and all constraints are monotone in ``z``,
  so the least such ``z`` is optimal and ``theta_t`` has a closed form::

      x_t = (I - A)^-1 d_t,   z_0 = sum_{s<t} theta_s x_s
      theta_t = min(1, (L - l.z_0) / l.x_t, min_j (c_j - z_0j) / x_tj,
                    min_k (r_k - R z_0)_k / (R x_t)_k)

  One sparse Leontief solve per tier, plus one transposed solve for the shadow
  prices: national sizes in seconds.
* HiGHS (``"highs"``, ``"highs-simplex"``, ``"highs-ipm"``, ``"pdlp"``): the LPs written
  out, for choice between techniques (``m > n``) and as the check on the structured
  method.

Shadow prices are read at the *critical* tier, the first whose share is below 1:
``shadow_labour`` is the rise of ``theta`` per extra hour, ``shadow_capacity[j]`` per
extra unit of capacity, ``shadow_products[i]`` per unit of product ``i`` needed less.
When every need is met, they come from the least-labour stage: then
``shadow_products`` are the labour values (hours per unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from councilplan.errors import EconomyError, Problem
from councilplan.planning.economy import Economy, FloatArray, IntArray
from councilplan.planning.leontief import leontief_solve
from councilplan.planning.lp import LpResult, LpStatus, solve_lp

__all__ = ["Binding", "Plan", "PlanMethod", "PlanStatus", "optimise_plan"]

PlanMethod = Literal["auto", "leontief", "highs", "highs-simplex", "highs-ipm", "pdlp"]

_HOLD = 1e-9  # relative slack when an earlier tier's share is held (solver tolerance)


class PlanStatus(StrEnum):
    """Normalised status of a plan."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    LIMIT = "limit"


@dataclass(frozen=True, slots=True)
class Binding:
    """A constraint that binds at the plan: its kind, index and name."""

    kind: Literal["labour", "capacity", "resource"]
    index: int
    name: str


@dataclass(frozen=True, eq=False)
class Plan:
    """An optimal plan. Arrays are indexed by technique (``activity``, capacities)
    or product (``net_output``, ``fulfilment``, ``shadow_products``)."""

    status: PlanStatus
    theta: float  # share of every tier-1 need met
    thetas: tuple[float, ...]  # one per tier, in the order of ``tiers``
    tiers: tuple[int, ...]
    activity: FloatArray
    net_output: FloatArray
    fulfilment: FloatArray  # net output / need; nan where nothing is needed
    labour_used: float
    labour_available: float
    shadow_labour: float
    shadow_capacity: FloatArray
    shadow_products: FloatArray
    shadow_resources: FloatArray
    binding: tuple[Binding, ...]
    critical_tier: int | None  # the tier whose stage gives the shadow prices
    method: str
    message: str = ""

    def theta_of(self, tier: int) -> float:
        """The share met of every need in ``tier``."""
        return self.thetas[self.tiers.index(tier)]


def optimise_plan(
    eco: Economy,
    d: Any = None,
    *,
    labour_available: float | None = None,
    tiers: Any = None,
    resource_caps: Any = None,
    method: PlanMethod = "auto",
    time_limit: float | None = None,
    tolerance: float | None = None,
) -> Plan:
    """The best plan that can be met: see the module docstring for the LPs.

    ``d`` (needs, length n) and ``tiers`` default to the economy's; ``labour_available``
    ``L`` defaults to unlimited; ``resource_caps`` ``r`` to the economy's. ``method="auto"``
    uses the exact structured method for one technique per product and HiGHS otherwise.
    """
    needs = eco.needs if d is None else np.asarray(d, dtype=np.float64)
    tier = eco.tiers if tiers is None else np.asarray(tiers, dtype=np.int64).reshape(-1)
    problems: list[Problem] = []
    if needs.shape != (eco.n,):
        problems.append(Problem("needs", f"expected length {eco.n}, got shape {needs.shape}"))
    elif not np.all(np.isfinite(needs)) or (needs < 0).any():
        bad = np.flatnonzero(~np.isfinite(needs) | (needs < 0))
        problems += [
            Problem(f"need for {eco.products[int(i)]}", f"{needs[i]} is not a non-negative number")
            for i in bad[:1000]
        ]
    if tier.shape != (eco.n,):
        problems.append(Problem("tiers", f"expected length {eco.n}, got shape {tier.shape}"))
    L = np.inf if labour_available is None else float(labour_available)
    if np.isnan(L) or L < 0:
        problems.append(Problem("labour_available", f"{labour_available!r} is not a number >= 0"))
    caps = _resource_caps(eco, resource_caps, problems)
    if problems:
        raise EconomyError("the plan's inputs are not valid", problems)
    labels = tuple(int(t) for t in np.unique(tier[needs > 0])) or (1,)
    if method == "auto":
        method = "leontief" if eco.is_square else "highs"
    if method == "leontief":
        if not eco.is_square:
            raise EconomyError(
                "the structured method needs one technique per product; use a HiGHS method"
            )
        return _structured(eco, needs, tier, labels, L, caps)
    return _highs(eco, needs, tier, labels, L, caps, method, time_limit, tolerance)


def _resource_caps(eco: Economy, given: Any, problems: list[Problem]) -> FloatArray:
    k = len(eco.resources)
    if given is None:
        return np.full(k, np.inf) if eco.resource_caps is None else eco.resource_caps
    if isinstance(given, dict):
        caps = np.full(k, np.inf)
        for name, value in given.items():
            if name not in eco.resources:
                problems.append(Problem(f"resource {name}", "no such resource in this economy"))
            else:
                caps[eco.resources.index(name)] = float(value)
        return caps
    arr = np.asarray(given, dtype=np.float64)
    if arr.shape != (k,):
        problems.append(Problem("resource_caps", f"expected length {k}, got shape {arr.shape}"))
        return np.full(k, np.inf)
    return arr


def _R(eco: Economy) -> sp.csr_array:
    if eco.R is None:
        return sp.csr_array((0, eco.m))
    return eco.R


# ---------------------------------------------------------------------- structured


def _structured(
    eco: Economy,
    needs: FloatArray,
    tier: IntArray,
    labels: tuple[int, ...],
    L: float,
    r: FloatArray,
) -> Plan:
    A, lab = eco.A, eco.labour
    R = _R(eco)
    c = eco.capacity
    z = np.zeros(eco.m)
    thetas: list[float] = []
    critical: tuple[int, str, int, FloatArray] | None = None  # tier, kind, index, x_t
    for t in labels:
        d_t = np.where(tier == t, needs, 0.0)
        x_t = leontief_solve(A, d_t).x if d_t.any() else np.zeros(eco.n)
        x_t = np.maximum(x_t, 0.0)
        candidates: list[tuple[float, str, int]] = [(1.0, "", -1)]
        lx = float(lab @ x_t)
        if lx > 0 and np.isfinite(L):
            candidates.append((max(0.0, (L - float(lab @ z)) / lx), "labour", 0))
        pos = np.flatnonzero((x_t > 0) & np.isfinite(c))
        if pos.size:
            ratios = (c[pos] - z[pos]) / x_t[pos]
            j = int(np.argmin(ratios))
            candidates.append((max(0.0, float(ratios[j])), "capacity", int(pos[j])))
        if R.shape[0]:
            Rx = R @ x_t
            Rz = R @ z
            kpos = np.flatnonzero((Rx > 0) & np.isfinite(r))
            if kpos.size:
                ratios = (r[kpos] - Rz[kpos]) / Rx[kpos]
                k = int(np.argmin(ratios))
                candidates.append((max(0.0, float(ratios[k])), "resource", int(kpos[k])))
        theta, kind, index = min(candidates, key=lambda cand: cand[0])
        thetas.append(theta)
        z = z + theta * x_t
        if kind and critical is None:
            critical = (t, kind, index, x_t)
    n, m = eco.n, eco.m
    shadow_labour = 0.0
    shadow_capacity = np.zeros(m)
    shadow_resources = np.zeros(len(eco.resources))
    if critical is None:
        shadow_products = leontief_solve(A, lab, transpose=True).x  # labour values
        critical_tier = None
    else:
        critical_tier, kind, index, x_t = critical
        if kind == "labour":
            shadow_labour = 1.0 / float(lab @ x_t)
            shadow_products = shadow_labour * leontief_solve(A, lab, transpose=True).x
        elif kind == "capacity":
            shadow_capacity[index] = 1.0 / float(x_t[index])
            e = np.zeros(n)
            e[index] = 1.0
            shadow_products = shadow_capacity[index] * leontief_solve(A, e, transpose=True).x
        else:
            row = np.asarray(R[[index], :].toarray()).ravel()
            shadow_resources[index] = 1.0 / float(row @ x_t)
            shadow_products = shadow_resources[index] * leontief_solve(A, row, transpose=True).x
    return _finish(
        eco,
        needs,
        labels,
        thetas,
        z,
        L,
        r,
        shadow_labour,
        shadow_capacity,
        np.maximum(shadow_products, 0.0),
        shadow_resources,
        critical_tier,
        "leontief",
        PlanStatus.OPTIMAL,
        "",
    )


# ---------------------------------------------------------------------- HiGHS


def _highs(
    eco: Economy,
    needs: FloatArray,
    tier: IntArray,
    labels: tuple[int, ...],
    L: float,
    r: FloatArray,
    method: str,
    time_limit: float | None,
    tolerance: float | None,
) -> Plan:
    n, m = eco.n, eco.m
    R = _R(eco)
    k = R.shape[0]
    net = sp.csc_array(eco.B - eco.A)
    lab_row = sp.csr_array(eco.labour.reshape(1, -1))
    body = sp.vstack([net, lab_row, R], format="csc")  # rows: products, labour, resources
    row_upper = np.concatenate([np.full(n, np.inf), [L], r])
    held = np.zeros(n)
    thetas: list[float] = []
    critical: tuple[int, LpResult] | None = None
    status = PlanStatus.OPTIMAL
    message = ""
    solver: Any = method

    for t in labels:
        d_t = np.where(tier == t, needs, 0.0)
        theta_col = sp.csc_array(np.concatenate([-d_t, [0.0], np.zeros(k)]).reshape(-1, 1))
        M = sp.hstack([body, theta_col], format="csc")
        row_lower = np.concatenate([held, [-np.inf], np.full(k, -np.inf)])
        cost = np.zeros(m + 1)
        cost[m] = 1.0
        res = solve_lp(
            cost,
            M,
            row_lower,
            row_upper,
            np.zeros(m + 1),
            np.concatenate([eco.capacity, [1.0]]),
            maximise=True,
            solver=solver,
            time_limit=time_limit,
            tolerance=tolerance,
        )
        if res.status is not LpStatus.OPTIMAL:
            status, message = _plan_status(res.status), f"tier {t}: {res.message}"
            thetas.append(float(res.x[m]) if res.x.size else 0.0)
            break
        theta = float(np.clip(res.x[m], 0.0, 1.0))
        thetas.append(theta)
        if theta < 1.0 - 1e-7 and critical is None:
            critical = (t, res)
        held = held + theta * (1.0 - _HOLD) * d_t
    thetas += [0.0] * (len(labels) - len(thetas))

    z = np.zeros(m)
    final: LpResult | None = None
    if status is PlanStatus.OPTIMAL:
        final = solve_lp(
            eco.labour,
            body,
            np.concatenate([held, [-np.inf], np.full(k, -np.inf)]),
            row_upper,
            np.zeros(m),
            eco.capacity,
            maximise=False,
            solver=solver,
            time_limit=time_limit,
            tolerance=tolerance,
        )
        if final.status is LpStatus.OPTIMAL:
            z = np.maximum(final.x, 0.0)
        else:
            status, message = _plan_status(final.status), f"least-labour stage: {final.message}"
    source = critical[1] if critical is not None else final
    if source is not None and source.row_dual.size >= n + 1 + k:
        shadow_products = np.abs(source.row_dual[:n])
        shadow_labour = abs(float(source.row_dual[n])) if critical is not None else 0.0
        shadow_resources = np.abs(source.row_dual[n + 1 : n + 1 + k])
        finite_c = np.where(np.isfinite(eco.capacity), eco.capacity, np.inf)
        with np.errstate(invalid="ignore"):
            at_upper = source.x[:m] >= finite_c - 1e-9 * np.maximum(1.0, finite_c)
        shadow_capacity = np.where(at_upper, np.abs(source.col_dual[:m]), 0.0)
    else:
        shadow_products, shadow_labour = np.zeros(n), 0.0
        shadow_resources, shadow_capacity = np.zeros(k), np.zeros(m)
    return _finish(
        eco,
        needs,
        labels,
        thetas,
        z,
        L,
        r,
        shadow_labour,
        shadow_capacity,
        shadow_products,
        shadow_resources,
        critical[0] if critical else None,
        method,
        status,
        message,
    )


def _plan_status(s: LpStatus) -> PlanStatus:
    if s is LpStatus.ERROR:
        return PlanStatus.LIMIT
    return PlanStatus(s.value)


# ---------------------------------------------------------------------- common


def _finish(
    eco: Economy,
    needs: FloatArray,
    labels: tuple[int, ...],
    thetas: list[float],
    z: FloatArray,
    L: float,
    r: FloatArray,
    shadow_labour: float,
    shadow_capacity: FloatArray,
    shadow_products: FloatArray,
    shadow_resources: FloatArray,
    critical_tier: int | None,
    method: str,
    status: PlanStatus,
    message: str,
) -> Plan:
    net = np.asarray(eco.B @ z - eco.A @ z, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        fulfilment = np.where(needs > 0, net / np.where(needs > 0, needs, 1.0), np.nan)
    used = float(eco.labour @ z)
    binding: list[Binding] = []
    tol = 1e-7
    if np.isfinite(L) and used >= L - tol * max(L, 1.0):
        binding.append(Binding("labour", 0, "labour"))
    cap = eco.capacity
    cap_f = np.where(np.isfinite(cap), cap, 0.0)
    at_cap = np.flatnonzero(
        np.isfinite(cap) & (cap > 0) & (z >= cap_f - tol * np.maximum(cap_f, 1.0))
    )
    binding += [Binding("capacity", int(j), str(eco.techniques[int(j)])) for j in at_cap]
    if eco.R is not None and len(eco.resources):
        Rz = eco.R @ z
        r_f = np.where(np.isfinite(r), r, 0.0)
        for kk in np.flatnonzero(np.isfinite(r) & (Rz >= r_f - tol * np.maximum(r_f, 1.0))):
            binding.append(Binding("resource", int(kk), eco.resources[int(kk)]))
    return Plan(
        status=status,
        theta=thetas[0] if thetas else 1.0,
        thetas=tuple(thetas),
        tiers=labels,
        activity=z,
        net_output=net,
        fulfilment=fulfilment,
        labour_used=used,
        labour_available=L,
        shadow_labour=shadow_labour,
        shadow_capacity=shadow_capacity,
        shadow_products=shadow_products,
        shadow_resources=shadow_resources,
        binding=tuple(binding),
        critical_tier=critical_tier,
        method=method,
        message=message,
    )
