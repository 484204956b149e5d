"""Reads of one dispute the web application shows on their own: the rule set in force
for it on a day, and the strike fund's contributions."""

from __future__ import annotations

from datetime import datetime

from councilplan.services.dispute_views import ContributionView, RuleSetView
from councilplan.services.disputes import rule_set_view, rules_in_force
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["contributions_of", "rules_of_dispute"]


def rules_of_dispute(uow: UnitOfWork, dispute_id: str, at: datetime) -> RuleSetView:
    """The rule set a strikers' ballot of ``dispute_id`` opening at ``at`` is held under
    (:class:`~councilplan.errors.NotFound` when none is in force that day)."""
    with uow.reading():
        return rule_set_view(rules_in_force(uow.disputes.get(dispute_id), at))


def contributions_of(uow: UnitOfWork, dispute_id: str) -> tuple[ContributionView, ...]:
    """Money into the strike fund of ``dispute_id``, in the order received."""
    with uow.reading():
        uow.disputes.get(dispute_id)
        return tuple(ContributionView(c.contribution_id, c.dispute_id, c.amount, c.source,
                                      c.received_at)
                     for c in uow.fund.contributions(dispute_id))
