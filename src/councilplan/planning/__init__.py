"""The planning core: pure numerics on sparse matrices (numpy, scipy, highspy).

Notation follows Miller and Blair: ``A`` inputs per unit, ``l`` labour per unit,
``x`` gross output, ``d`` needs (final demand), ``v`` labour values.
"""

from councilplan.planning.economy import Economy, SequentialIds
from councilplan.planning.leontief import (
    LeontiefSolution,
    gross_output,
    labour_values,
    leontief_solve,
    solve_gross_output,
    solve_labour_values,
)
from councilplan.planning.plan import Binding, Plan, PlanMethod, PlanStatus, optimise_plan
from councilplan.planning.productive import (
    PerronEstimate,
    check_productive,
    perron_root,
    spectral_radius,
)
from councilplan.planning.synthetic import generate_economy

__all__ = [
    "Binding",
    "Economy",
    "LeontiefSolution",
    "PerronEstimate",
    "Plan",
    "PlanMethod",
    "PlanStatus",
    "SequentialIds",
    "check_productive",
    "generate_economy",
    "gross_output",
    "labour_values",
    "leontief_solve",
    "optimise_plan",
    "perron_root",
    "solve_gross_output",
    "solve_labour_values",
    "spectral_radius",
]
