"""Use cases: one function each, taking a unit of work and the time ``now``.

Every governance function runs in one transaction of its
:class:`~councilplan.store.unit_of_work.UnitOfWork` and appends its events to the
hash-chained audit log in that same transaction: a failure leaves nothing
half-done. Read models return frozen views with ``to_dict()``.

Forming the federation
    :func:`create_council`, :func:`create_councils` (a register in one go),
    :func:`admit_member`, :func:`admit_members`, :func:`leave_council`,
    :func:`report_wage`, :func:`define_seat`
Elections and ballots
    :func:`open_election`, :func:`cast_vote` (returns the receipt),
    :func:`verify_receipt`, :func:`close_ballot` (seal, count, apply),
    :func:`close_due_ballots`, :func:`count_ballot` (recount: elected + stages),
    :func:`published_ballots`
Recall
    :func:`open_recall_petition`, :func:`sign_recall_petition` (opens the recall
    ballot at the threshold), :func:`open_recall_ballot`; closing a passed recall
    ballot ends the mandate and calls a by-election
Pay
    :func:`set_pay` (refused above the cap), :func:`review_mandate_pay`,
    :func:`pay_cap_for`
Motions
    :func:`table_new_motion`, :func:`propose_motion_amendment`, :func:`open_motion_ballot`
Time and record
    :func:`tick` (expiries, failed and lapsed petitions), :func:`verify_audit`,
    :func:`audit_checkpoints`
The plan cycle
    :mod:`councilplan.services.plan_cycle`: catalogue, periods, needs, techniques,
    working time, variants, ratification, targets, reports and re-planning
Read models
    :func:`list_councils`, :func:`show_council`, :func:`list_members`,
    :func:`list_mandates`, :func:`list_ballots`, :func:`show_ballot`,
    :func:`list_petitions`, :func:`elections_due_now`
"""

from councilplan.services.audit import audit_checkpoints, audit_entries, verify_audit
from councilplan.services.ballots import list_ballots, published_ballots, show_ballot
from councilplan.services.closing import close_ballot, close_due_ballots, count_ballot
from councilplan.services.councils import (
    admit_member,
    admit_members,
    create_council,
    create_councils,
    define_seat,
    leave_council,
    list_councils,
    list_members,
    report_wage,
    show_council,
)
from councilplan.services.elections import elections_due_now, open_election
from councilplan.services.mandates import list_mandates, tick
from councilplan.services.motions import (
    list_motions,
    open_motion_ballot,
    propose_motion_amendment,
    table_new_motion,
)
from councilplan.services.papers import KNOWN_METHODS, canonical_paper
from councilplan.services.pay import pay_cap_for, review_mandate_pay, set_pay
from councilplan.services.recall import (
    list_petitions,
    open_recall_ballot,
    open_recall_petition,
    sign_recall_petition,
)
from councilplan.services.voting import cast_vote, revote_check, verify_receipt

__all__ = [
    "KNOWN_METHODS",
    "admit_member",
    "admit_members",
    "audit_checkpoints",
    "audit_entries",
    "canonical_paper",
    "cast_vote",
    "close_ballot",
    "close_due_ballots",
    "count_ballot",
    "create_council",
    "create_councils",
    "define_seat",
    "elections_due_now",
    "leave_council",
    "list_ballots",
    "list_councils",
    "list_mandates",
    "list_members",
    "list_motions",
    "list_petitions",
    "open_election",
    "open_motion_ballot",
    "open_recall_ballot",
    "open_recall_petition",
    "pay_cap_for",
    "propose_motion_amendment",
    "published_ballots",
    "report_wage",
    "review_mandate_pay",
    "revote_check",
    "set_pay",
    "show_ballot",
    "show_council",
    "sign_recall_petition",
    "table_new_motion",
    "tick",
    "verify_audit",
    "verify_receipt",
]
