"""Disputes: a strike run by the strikers.

A :class:`Dispute` belongs to one or more councils (those whose members are called
out), names the employer and the demands, and chooses the legal thresholds its
ballots are held under by ``jurisdiction`` and ``sector`` (see
:mod:`councilplan.councils.threshold`; the date of each ballot picks the version in
force). Its strikers are the :mod:`~councilplan.councils.roster`; its committee is
elected by and from them and recallable by them (seats linked to the dispute, whose
constituency is the roster); employer offers are :mod:`~councilplan.councils.offer`;
the strikers' ballots and their mandates are :mod:`~councilplan.councils.strike_ballot`;
calls to action are :mod:`~councilplan.councils.action`; the strike fund is
:mod:`~councilplan.councils.strike_fund`.

Lifecycle (:class:`DisputeStatus`): ``open`` -> ``settled``. A dispute is settled only
on an offer that a strikers' ballot accepted (:mod:`~councilplan.councils.settlement`):
negotiators have no power to accept, and recording a settlement without such a
ballot is refused.

Event kind: ``dispute.opened`` (texts appear as SHA-256 digests; the full texts are
in the dispute's record).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import iso, require_aware, require_count, require_id
from councilplan.councils.council import CouncilTree
from councilplan.councils.event import Event
from councilplan.councils.threshold import ThresholdRules, local_date, normalise_sector, zone
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "DISPUTE_OPENED",
    "Dispute",
    "DisputeStatus",
    "demands_sha256",
    "ensure_open",
    "open_dispute",
    "text_sha256",
]

DISPUTE_OPENED = "dispute.opened"


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def demands_sha256(demands: Iterable[str]) -> str:
    """SHA-256 of the demands, one per line, in order."""
    return text_sha256("".join(d + "\n" for d in demands))


class DisputeStatus(StrEnum):
    OPEN = "open"
    SETTLED = "settled"


@dataclass(frozen=True, slots=True)
class Dispute:
    """A dispute with ``employer`` over ``demands``, of the councils ``council_ids``
    (the first is where its committee's seats are kept)."""

    dispute_id: str
    council_ids: tuple[str, ...]
    employer: str
    demands: tuple[str, ...]
    jurisdiction: str
    sector: str
    timezone: str
    opened_at: datetime
    union_mandate_months: int | None = None  # the union's own period (union-rules only)
    currency: str = "GBP"
    status: DisputeStatus = DisputeStatus.OPEN
    settled_at: datetime | None = None

    def __post_init__(self) -> None:
        require_id(self.dispute_id, "dispute_id")
        object.__setattr__(self, "council_ids", tuple(self.council_ids))
        object.__setattr__(self, "demands", tuple(self.demands))
        for c in self.council_ids:
            require_id(c, "council_id")
        require_id(self.jurisdiction, "jurisdiction")
        object.__setattr__(self, "sector", normalise_sector(self.sector))
        zone(self.timezone)
        require_aware(self.opened_at, "opened_at")
        if self.union_mandate_months is not None:
            require_count(self.union_mandate_months, "union_mandate_months", minimum=1)
        if not (len(self.currency) == 3 and self.currency.isascii() and self.currency.isupper()
                and self.currency.isalpha()):
            raise InvalidInput("a currency is its three-letter ISO 4217 code",
                               [Problem("currency", f"{self.currency!r}, e.g. GBP or EUR")])
        object.__setattr__(self, "status", DisputeStatus(self.status))
        if (self.status is DisputeStatus.SETTLED) != (self.settled_at is not None):
            raise InvalidInput("a settled dispute has a settlement time, an open one none")

    @property
    def primary_council(self) -> str:
        return self.council_ids[0]

    def is_open(self) -> bool:
        return self.status is DisputeStatus.OPEN

    def rules_for(self, rules: ThresholdRules) -> ThresholdRules:
        """``rules`` as this dispute applies them (the union's own mandate period, when
        the dispute recorded one and the set takes it)."""
        if self.union_mandate_months is not None:
            return rules.with_union_mandate(self.union_mandate_months)
        return rules

    def local_date(self, instant: datetime) -> str:
        return local_date(instant, self.timezone).isoformat()


def ensure_open(dispute: Dispute, what: str) -> None:
    """Refuse ``what`` on a settled dispute."""
    if not dispute.is_open():
        assert dispute.settled_at is not None
        raise PreconditionFailed(
            f"{what}: dispute {dispute.dispute_id} is settled",
            [Problem(dispute.dispute_id, f"settled at {iso(dispute.settled_at)}")],
        )


def open_dispute(dispute: Dispute, tree: CouncilTree, rules: ThresholdRules,
                 at: datetime) -> Event:
    """Check a new dispute and return its ``dispute.opened`` event.

    ``rules`` is the rule set in force for the dispute's jurisdiction and sector at
    opening (the service selects it; selecting is what refuses an unknown jurisdiction
    or a date no rule set covers). Refused with :class:`PreconditionFailed` listing
    every problem: no council, a council twice or unknown, no employer, no demand, a
    blank demand, a zone other than the rule set's.
    """
    require_aware(at, "at")
    where = dispute.dispute_id
    problems: list[Problem] = []
    if not dispute.council_ids:
        problems.append(Problem(where, "a dispute belongs to at least one council"))
    seen: set[str] = set()
    for c in dispute.council_ids:
        if c in seen:
            problems.append(Problem(c, "council listed twice"))
        seen.add(c)
        if c not in tree:
            problems.append(Problem(c, "no such council"))
    if not dispute.employer.strip():
        problems.append(Problem(where, "name the employer"))
    if not dispute.demands:
        problems.append(Problem(where, "state at least one demand"))
    for i, d in enumerate(dispute.demands, start=1):
        if not d.strip():
            problems.append(Problem(f"demand {i}", "is blank"))
    if rules.jurisdiction != dispute.jurisdiction or not rules.covers_sector(dispute.sector):
        problems.append(Problem(rules.key, f"is not a rule set of {dispute.jurisdiction}, "
                                f"sector {dispute.sector}"))
    if rules.timezone is not None and rules.timezone != dispute.timezone:
        problems.append(Problem("timezone", f"{rules.key} counts dates in {rules.timezone}, "
                                f"not {dispute.timezone}"))
    if dispute.union_mandate_months is not None and not rules.mandate_set_by_union:
        problems.append(Problem("mandate", f"the mandate period of {rules.key} is fixed by "
                                f"law: {rules.mandate_text()}"))
    if problems:
        raise PreconditionFailed(f"dispute {where} cannot be opened", problems)
    return Event.of(
        DISPUTE_OPENED, at,
        dispute_id=where, council_ids=dispute.council_ids,
        employer_sha256=text_sha256(dispute.employer),
        demands_sha256=demands_sha256(dispute.demands), demands=len(dispute.demands),
        jurisdiction=dispute.jurisdiction, sector=dispute.sector, timezone=dispute.timezone,
        rules=rules.key, union_mandate_months=dispute.union_mandate_months,
    )
