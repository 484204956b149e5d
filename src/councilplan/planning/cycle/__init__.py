"""The democratic plan cycle, pure: catalogue, periods, needs, techniques, working time,
variants, targets, tracing and reports (no storage, no clock, no councils core).

==================  ==============================================================
``catalogue``       products with stable codes, units, official classifications
``period``          planning periods with sub-periods, owned by a council
``federation``      the councils of a period's scope, as plain data
``need``            needs by tier and category, aggregated up the tree
``technique``       techniques and capacities, versioned, validated
``working_time``    working-time decisions -> labour available
``inputs``          registrations assembled into the arrays of a plan
``variant``         one plan variant: ``optimise_plan`` under stated settings
``consequences``    what a variant means, stated plainly
``target``          targets per workplace: output, inputs by supplier, needs served
``trace``           every unit of a target traced to the needs it serves
``report``          output reports, progress, what a re-plan starts from
``digest``          canonical JSON and array digests: the variant hash
==================  ==============================================================

The services (``councilplan.services.plan_cycle``) join these to the councils core
(ballots, electorates, the audit log) and the store.
"""

from councilplan.planning.cycle.catalogue import CLASSIFICATIONS, Catalogue, Product
from councilplan.planning.cycle.consequences import Consequences, consequences
from councilplan.planning.cycle.federation import Federation
from councilplan.planning.cycle.inputs import PlanInputs, assemble_inputs
from councilplan.planning.cycle.need import AggregateNeed, NeedCategory, NeedTable, aggregate_needs
from councilplan.planning.cycle.period import (
    ElectorateRule,
    PeriodStatus,
    PlanningPeriod,
    SubPeriod,
    VotingMethod,
    split_period,
)
from councilplan.planning.cycle.report import OutputReport, TargetProgress, allocate_delivered
from councilplan.planning.cycle.target import TargetSet, plan_targets
from councilplan.planning.cycle.technique import TechniqueTable
from councilplan.planning.cycle.trace import TargetTrace, trace_councils, trace_target
from councilplan.planning.cycle.variant import (
    LabourRule,
    VariantResult,
    VariantSpec,
    compute_variant,
)
from councilplan.planning.cycle.working_time import Workforce, WorkingTime, resolve_workforce

__all__ = [
    "CLASSIFICATIONS",
    "AggregateNeed",
    "Catalogue",
    "Consequences",
    "ElectorateRule",
    "Federation",
    "LabourRule",
    "NeedCategory",
    "NeedTable",
    "OutputReport",
    "PeriodStatus",
    "PlanInputs",
    "PlanningPeriod",
    "Product",
    "SubPeriod",
    "TargetProgress",
    "TargetSet",
    "TargetTrace",
    "TechniqueTable",
    "VariantResult",
    "VariantSpec",
    "VotingMethod",
    "Workforce",
    "WorkingTime",
    "aggregate_needs",
    "allocate_delivered",
    "assemble_inputs",
    "compute_variant",
    "consequences",
    "plan_targets",
    "resolve_workforce",
    "split_period",
    "trace_councils",
    "trace_target",
]
