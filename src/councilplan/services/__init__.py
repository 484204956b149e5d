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
Strikes run by the strikers
    :func:`open_dispute`; the roster: :func:`join_strike`, :func:`return_to_work`,
    :func:`record_dismissal`, :func:`record_reinstatement`; the committee:
    :func:`define_committee_seat`, :func:`open_committee_election` (recall it with
    :func:`open_recall_petition`); offers: :func:`record_employer_offer`,
    :func:`list_offers`, :func:`show_offer`, :func:`offers_for_striker`; strikers'
    ballots: :func:`open_strike_ballot` (closed by :func:`close_ballot`),
    :func:`results_notice`; mandates and action: :func:`extend_mandate`,
    :func:`call_action`, :func:`call_action_days`; :func:`settle`; the fund:
    :func:`contribute`, :func:`pay_strike_pay`, :func:`pay_strike_pay_run`,
    :func:`fund_of`; read models:
    :func:`show_dispute`, :func:`list_disputes`, :func:`roster_of`, :func:`rule_sets`
Time and record
    :func:`tick` (expiries, failed and lapsed petitions, expired strike mandates),
    :func:`verify_audit`, :func:`audit_checkpoints`
The plan cycle
    :mod:`councilplan.services.plan_cycle`: catalogue, periods, needs, techniques,
    working time, variants, ratification, targets, reports and re-planning
Read models
    :func:`list_councils`, :func:`show_council`, :func:`list_members`,
    :func:`list_mandates`, :func:`list_ballots`, :func:`show_ballot`,
    :func:`list_petitions`, :func:`show_petition`, :func:`list_motions`,
    :func:`show_motion`, :func:`elections_due_now`, :func:`audit_page`
    :func:`show_mandate` (one mandate: term, pay, cap)
"""

from councilplan.services.audit import (
    audit_checkpoints,
    audit_entries,
    audit_page,
    verify_audit,
)
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
    member_names,
    report_wage,
    show_council,
)
from councilplan.services.disputes import (
    call_action,
    call_action_days,
    define_committee_seat,
    extend_mandate,
    join_strike,
    list_disputes,
    open_committee_election,
    open_dispute,
    open_strike_ballot,
    record_dismissal,
    record_reinstatement,
    results_notice,
    return_to_work,
    roster_of,
    rule_sets,
    settle,
    show_dispute,
    show_strike_ballot,
)
from councilplan.services.elections import elections_due_now, open_election
from councilplan.services.mandates import list_mandates, show_mandate, tick
from councilplan.services.motions import (
    list_motions,
    open_motion_ballot,
    propose_motion_amendment,
    show_motion,
    table_new_motion,
)
from councilplan.services.offers import (
    list_offers,
    offers_for_striker,
    record_employer_offer,
    show_offer,
)
from councilplan.services.papers import KNOWN_METHODS, canonical_paper
from councilplan.services.pay import pay_cap_for, review_mandate_pay, set_pay
from councilplan.services.recall import (
    list_petitions,
    open_recall_ballot,
    open_recall_petition,
    show_petition,
    sign_recall_petition,
)
from councilplan.services.strike_fund import (
    contribute,
    fund_of,
    pay_strike_pay,
    pay_strike_pay_run,
    strike_payments,
)
from councilplan.services.voting import cast_vote, revote_check, verify_receipt

__all__ = [
    "KNOWN_METHODS",
    "admit_member",
    "admit_members",
    "audit_checkpoints",
    "audit_entries",
    "audit_page",
    "call_action",
    "call_action_days",
    "canonical_paper",
    "cast_vote",
    "close_ballot",
    "close_due_ballots",
    "contribute",
    "count_ballot",
    "create_council",
    "create_councils",
    "define_committee_seat",
    "define_seat",
    "elections_due_now",
    "extend_mandate",
    "fund_of",
    "join_strike",
    "leave_council",
    "list_ballots",
    "list_councils",
    "list_disputes",
    "list_mandates",
    "list_members",
    "list_motions",
    "list_offers",
    "list_petitions",
    "member_names",
    "offers_for_striker",
    "open_committee_election",
    "open_dispute",
    "open_election",
    "open_motion_ballot",
    "open_recall_ballot",
    "open_recall_petition",
    "open_strike_ballot",
    "pay_cap_for",
    "pay_strike_pay",
    "pay_strike_pay_run",
    "propose_motion_amendment",
    "published_ballots",
    "record_dismissal",
    "record_employer_offer",
    "record_reinstatement",
    "report_wage",
    "results_notice",
    "return_to_work",
    "review_mandate_pay",
    "revote_check",
    "roster_of",
    "rule_sets",
    "set_pay",
    "settle",
    "show_ballot",
    "show_council",
    "show_dispute",
    "show_mandate",
    "show_motion",
    "show_offer",
    "show_petition",
    "show_strike_ballot",
    "sign_recall_petition",
    "strike_payments",
    "table_new_motion",
    "tick",
    "verify_audit",
    "verify_receipt",
]
