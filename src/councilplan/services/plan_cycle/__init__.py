"""The democratic plan cycle as use cases: one function per step, one transaction each,
every step in the audit log.

Catalogue and periods
    :func:`add_products`, :func:`open_period`, :func:`show_period`, :func:`list_periods`
Registrations (all or nothing)
    :func:`register_needs`, :func:`withdraw_needs`, :func:`needs_summary`,
    :func:`register_techniques`, :func:`decide_working_time`,
    :func:`decide_working_times`, :func:`labour_available`
Variants
    :func:`compute_variants`, :func:`show_variant`, :func:`variant_detail` (labour
    values, fulfilment by council, binding capacities), :func:`list_variants`,
    :func:`verify_variant`
Ratification
    :func:`open_plan_ballot`, :func:`cast_plan_vote`, :func:`show_plan_ballot`; the
    ballot closes through :func:`councilplan.services.close_ballot`
Targets, reports, re-planning
    :func:`publish_targets`, :func:`workplace_targets`, :func:`trace_target`,
    :func:`report_output`, :func:`plan_progress`, :func:`start_replan`
"""

from councilplan.services.plan_cycle.periods import (
    add_products,
    catalogue,
    list_periods,
    open_period,
    show_period,
)
from councilplan.services.plan_cycle.ratify import (
    NONE_OPTION,
    cast_plan_vote,
    close_roll_call,
    delegate_electorate,
    open_plan_ballot,
    show_plan_ballot,
)
from councilplan.services.plan_cycle.registration import (
    decide_working_time,
    decide_working_times,
    labour_available,
    needs_summary,
    register_needs,
    register_techniques,
    withdraw_needs,
)
from councilplan.services.plan_cycle.targets import (
    plan_progress,
    publish_targets,
    report_output,
    start_replan,
    trace_target,
    workplace_targets,
)
from councilplan.services.plan_cycle.variants import (
    compute_variants,
    list_variants,
    show_variant,
    variant_detail,
    verify_variant,
)

__all__ = [
    "NONE_OPTION",
    "add_products",
    "cast_plan_vote",
    "catalogue",
    "close_roll_call",
    "compute_variants",
    "decide_working_time",
    "decide_working_times",
    "delegate_electorate",
    "labour_available",
    "list_periods",
    "list_variants",
    "needs_summary",
    "open_period",
    "open_plan_ballot",
    "plan_progress",
    "publish_targets",
    "register_needs",
    "register_techniques",
    "report_output",
    "show_period",
    "show_plan_ballot",
    "show_variant",
    "start_replan",
    "trace_target",
    "variant_detail",
    "verify_variant",
    "withdraw_needs",
    "workplace_targets",
]
