"""Legal thresholds for strike ballots: versioned, dated rule sets (:class:`ThresholdRules`).

A rule set says, for the ballots of one jurisdiction that open inside its dates and
whose strikers work in a sector it covers:

* the **decision rule** of a ballot on taking or continuing action
  (:attr:`ThresholdRules.action_rule`: turnout, majority, support among those
  entitled) and of a ballot on an offer or a settlement
  (:attr:`ThresholdRules.internal_rule`: the union's own rule);
* how long a **mandate** lasts (:attr:`mandate`, :attr:`mandate_by_agreement` when the
  employer agrees a longer one) and whether the action must take place within it or
  only *begin* within it (:class:`MandateKind`);
* how much **notice** of action the employer must be given (:attr:`notice`,
  :attr:`notice_by_agreement`);
* the **time zone** whose calendar dates count (a ballot's opening date chooses the
  rule set; its last voting day starts the mandate).

Rule sets are chosen, never edited: a change in the law is a new rule set (or a new
version of one) with its own dates, and every ballot keeps a copy of the set it was
opened under. :func:`select_rules` returns the one set in force for a jurisdiction,
a sector and a date, or raises :class:`~councilplan.errors.NotFound` naming what is
known, so nobody ever balloted under a rule that did not apply.

The rule book shipped (:data:`RULE_BOOK`):

=============================  ==============================================================
``gb-tulrca-1992@v1``          Great Britain, ballots opening 18 Sep 2000 .. 28 Feb 2017: a
                               simple majority of votes cast; the action must *begin* within
                               4 weeks beginning with the date of the ballot (8 by agreement);
                               7 days' notice.
``gb-tua-2016@v1``             Great Britain, ballots opening from 1 Mar 2017 (Trade Union Act
                               2016): at least 50% of those entitled must vote, a majority of
                               votes cast yes; the action must take place within 6 months
                               beginning with the date of the ballot (9 by agreement); 14 days'
                               notice (7 by agreement).
``gb-tua-2016-ips@v1``         as above where most of those entitled work in important public
                               services: yes votes also at least 40% of those entitled.
``union-rules@v1``             no statute, the union's own rules: a simple majority of votes
                               cast, the union's own mandate period (6 months unless the
                               dispute records another), no notice period.
=============================  ==============================================================

Sector codes of the important public services (Trade Union Act 2016 s.3 and the 2017
regulations): ``health``, ``education``, ``fire``, ``transport``, ``border-security``,
``nuclear-decommissioning``. A dispute names the sector in which *most of those
entitled to vote* are normally engaged; any other code (``manufacturing``,
``retail``...) is an ordinary sector.

Periods "beginning with" a date include that date: 6 months beginning with 15 March
end with 14 September. When the corresponding date does not exist (6 months
beginning with 31 August: there is no 31 February) the period ends with the last day
of that month (:meth:`Period.end_after`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from councilplan.councils._checks import require_count, require_id
from councilplan.councils.decision import DecisionRule, MajorityBasis, TieRule
from councilplan.errors import InvalidInput, NotFound, Problem

__all__ = [
    "GB",
    "IMPORTANT_PUBLIC_SERVICES",
    "RULE_BOOK",
    "UNION_RULES",
    "MandateKind",
    "Period",
    "RuleBook",
    "ThresholdRules",
    "local_date",
    "normalise_sector",
    "select_rules",
    "start_of_day",
    "zone",
]

GB = "GB"  # Great Britain: England, Wales and Scotland (the Trade Union Act 2016's extent)
UNION_RULES = "union-rules"  # no statutory regime: the union's own rules only

IMPORTANT_PUBLIC_SERVICES = frozenset({
    "health", "education", "fire", "transport", "border-security", "nuclear-decommissioning",
})

_FOREVER = date(1, 1, 1)


def normalise_sector(sector: str) -> str:
    """Sector codes compare in lower case without surrounding blanks."""
    if not isinstance(sector, str) or not sector.strip():
        raise InvalidInput("a sector must be named (e.g. health, transport, manufacturing)")
    return sector.strip().lower()


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (reference data, not a clock)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("unknown time zone",
                           [Problem("timezone", f"{name!r} is not an IANA zone name, e.g. "
                                    "Europe/London or UTC")]) from None


def local_date(instant: datetime, tz: str) -> date:
    """The calendar date of ``instant`` in zone ``tz``."""
    return instant.astimezone(zone(tz)).date()


def start_of_day(day: date, tz: str) -> datetime:
    """The instant a calendar day begins in zone ``tz`` (aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone(tz))


class MandateKind(StrEnum):
    """What a mandate's period limits."""

    ACTION_WITHIN = "action_within"  # every day of action must fall inside the period
    ACTION_BEGINS_WITHIN = "action_begins_within"  # action must begin inside it, then may go on


@dataclass(frozen=True, slots=True)
class Period:
    """A period of calendar months, weeks and days, counted "beginning with" a date."""

    months: int = 0
    weeks: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        for name in ("months", "weeks", "days"):
            require_count(getattr(self, name), name)
        if not (self.months or self.weeks or self.days):
            raise InvalidInput("a period must last at least a day")

    def end_after(self, first: date) -> date:
        """The first day *after* the period beginning with ``first`` (exclusive end).

        Months go to the corresponding date; when the target month has no such date the
        period ends with that month's last day. Weeks and days are then added.
        """
        end = first
        if self.months:
            y, m = divmod(first.month - 1 + self.months, 12)
            year, month = first.year + y, m + 1
            last = calendar.monthrange(year, month)[1]
            if first.day <= last:
                end = date(year, month, first.day)
            else:  # no corresponding date: the period ends with the month's last day
                end = date(year, month, last) + timedelta(days=1)
        return end + timedelta(weeks=self.weeks, days=self.days)

    def last_day(self, first: date) -> date:
        """The last day inside the period beginning with ``first``."""
        return self.end_after(first) - timedelta(days=1)

    def describe(self) -> str:
        parts = []
        for n, word in ((self.months, "month"), (self.weeks, "week"), (self.days, "day")):
            if n:
                parts.append(f"{n} {word}{'s' if n != 1 else ''}")
        return " ".join(parts)

    def to_payload(self) -> dict[str, int]:
        return {"months": self.months, "weeks": self.weeks, "days": self.days}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> Period:
        return cls(int(data.get("months", 0)), int(data.get("weeks", 0)), int(data.get("days", 0)))


def _simple_majority(name: str) -> DecisionRule:
    return DecisionRule.simple_majority(name=name)


@dataclass(frozen=True, slots=True)
class ThresholdRules:
    """One version of one rule set (see the module docstring)."""

    rules_id: str
    version: int
    title: str
    jurisdiction: str
    applies_from: date  # first opening date it applies to (inclusive)
    applies_until: date | None  # first opening date it no longer applies to (None: still)
    action_rule: DecisionRule
    internal_rule: DecisionRule
    mandate: Period
    mandate_by_agreement: Period | None
    mandate_kind: MandateKind
    notice: Period | None
    notice_by_agreement: Period | None
    sectors: frozenset[str] | None = None  # only these sectors (None: every sector ...)
    excluded_sectors: frozenset[str] = frozenset()  # ... except these
    timezone: str | None = "Europe/London"  # None: the dispute's own zone
    mandate_set_by_union: bool = False  # a dispute may record the union's own period
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        require_id(self.rules_id, "rules_id")
        require_count(self.version, "version", minimum=1)
        if self.applies_until is not None and self.applies_until <= self.applies_from:
            raise InvalidInput(f"rule set {self.key}: it must stop applying after it starts")
        object.__setattr__(self, "mandate_kind", MandateKind(self.mandate_kind))
        if self.sectors is not None:
            object.__setattr__(self, "sectors",
                               frozenset(normalise_sector(s) for s in self.sectors))
        object.__setattr__(self, "excluded_sectors",
                           frozenset(normalise_sector(s) for s in self.excluded_sectors))
        object.__setattr__(self, "notes", tuple(self.notes))
        if self.timezone is not None:
            zone(self.timezone)

    @property
    def key(self) -> str:
        """``rules_id@vN``: how a ballot names the set it was opened under."""
        return f"{self.rules_id}@v{self.version}"

    def covers_sector(self, sector: str) -> bool:
        s = normalise_sector(sector)
        if s in self.excluded_sectors:
            return False
        return self.sectors is None or s in self.sectors

    def in_force(self, on: date) -> bool:
        return self.applies_from <= on and (self.applies_until is None or on < self.applies_until)

    def applies(self, jurisdiction: str, sector: str, on: date) -> bool:
        return (self.jurisdiction == jurisdiction and self.covers_sector(sector)
                and self.in_force(on))

    def dates_text(self) -> str:
        """When it applies, by the date a ballot opens."""
        last = None if self.applies_until is None else self.applies_until - timedelta(days=1)
        if self.applies_from == _FOREVER:
            return "always" if last is None else f"ballots opening up to {last}"
        if last is None:
            return f"ballots opening on or after {self.applies_from}"
        return f"ballots opening {self.applies_from} to {last}"

    def sector_text(self) -> str:
        if self.sectors is not None:
            return "sectors " + ", ".join(sorted(self.sectors))
        if self.excluded_sectors:
            return "every sector except " + ", ".join(sorted(self.excluded_sectors))
        return "every sector"

    def mandate_text(self) -> str:
        verb = ("action must take place within" if self.mandate_kind is MandateKind.ACTION_WITHIN
                else "action must begin within")
        text = f"{verb} {self.mandate.describe()} beginning with the date of the ballot"
        if self.mandate_by_agreement is not None:
            text += f" ({self.mandate_by_agreement.describe()} if the employer agrees)"
        return text

    def notice_text(self) -> str:
        if self.notice is None:
            return "no notice period"
        text = f"{self.notice.describe()}' notice of action to the employer"
        if self.notice_by_agreement is not None:
            text += f" ({self.notice_by_agreement.describe()} if the employer agrees)"
        return text

    def describe(self) -> str:
        return (f"{self.title} [{self.key}]: {self.jurisdiction}, {self.sector_text()}, "
                f"{self.dates_text()}; action ballots: {self.action_rule.describe()}; offers "
                f"and settlements: {self.internal_rule.describe()}; {self.mandate_text()}; "
                f"{self.notice_text()}")

    def with_union_mandate(self, months: int) -> ThresholdRules:
        """This set with the union's own mandate period (only where the set allows it)."""
        if not self.mandate_set_by_union:
            raise InvalidInput(
                f"the mandate period of {self.key} is fixed by law",
                [Problem("mandate", f"{self.mandate_text()}; only the union-rules set takes "
                         "the union's own period")],
            )
        return replace(self, mandate=Period(months=require_count(months, "months", minimum=1)))

    def to_payload(self) -> dict[str, object]:
        """The whole set as data: a ballot stores the copy it was opened under."""
        return {
            "rules_id": self.rules_id, "version": self.version, "key": self.key,
            "title": self.title, "jurisdiction": self.jurisdiction,
            "applies_from": self.applies_from.isoformat(),
            "applies_until": None if self.applies_until is None else self.applies_until.isoformat(),
            "action_rule": self.action_rule.to_payload(),
            "internal_rule": self.internal_rule.to_payload(),
            "mandate": self.mandate.to_payload(),
            "mandate_by_agreement": (None if self.mandate_by_agreement is None
                                     else self.mandate_by_agreement.to_payload()),
            "mandate_kind": self.mandate_kind.value,
            "notice": None if self.notice is None else self.notice.to_payload(),
            "notice_by_agreement": (None if self.notice_by_agreement is None
                                    else self.notice_by_agreement.to_payload()),
            "sectors": None if self.sectors is None else sorted(self.sectors),
            "excluded_sectors": sorted(self.excluded_sectors),
            "timezone": self.timezone, "mandate_set_by_union": self.mandate_set_by_union,
            "source": self.source, "notes": list(self.notes),
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> ThresholdRules:
        """The inverse of :meth:`to_payload`."""
        try:
            def period(x: Any) -> Period | None:
                return None if x is None else Period.from_payload(x)

            mandate = period(data["mandate"])
            assert mandate is not None
            until = data.get("applies_until")
            sectors = data.get("sectors")
            return cls(
                rules_id=str(data["rules_id"]), version=int(data["version"]),
                title=str(data["title"]), jurisdiction=str(data["jurisdiction"]),
                applies_from=date.fromisoformat(data["applies_from"]),
                applies_until=None if until is None else date.fromisoformat(until),
                action_rule=rule_from_payload(data["action_rule"]),
                internal_rule=rule_from_payload(data["internal_rule"]),
                mandate=mandate, mandate_by_agreement=period(data.get("mandate_by_agreement")),
                mandate_kind=MandateKind(data["mandate_kind"]),
                notice=period(data.get("notice")),
                notice_by_agreement=period(data.get("notice_by_agreement")),
                sectors=None if sectors is None else frozenset(sectors),
                excluded_sectors=frozenset(data.get("excluded_sectors", ())),
                timezone=data.get("timezone"),
                mandate_set_by_union=bool(data.get("mandate_set_by_union", False)),
                source=str(data.get("source", "")), notes=tuple(data.get("notes", ())),
            )
        except (KeyError, TypeError, ValueError, AssertionError) as exc:
            raise InvalidInput(f"a stored rule set cannot be read: {exc!r}") from exc


def rule_from_payload(data: Mapping[str, Any]) -> DecisionRule:
    """The inverse of :meth:`DecisionRule.to_payload`."""
    yes = data.get("yes_of_entitled")
    return DecisionRule(
        quorum=Fraction(data["quorum"]), majority=Fraction(data["majority"]),
        basis=MajorityBasis(data["basis"]), strict=bool(data["strict"]),
        yes_of_entitled=None if yes is None else Fraction(yes), tie=TieRule(data["tie"]),
        spoilt_in_turnout=bool(data.get("spoilt_in_turnout", True)),
        name=str(data.get("name", "")),
    )


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The rule sets known, validated: no two of one jurisdiction may both apply to the
    same sector on the same date, and a key names one set."""

    sets: tuple[ThresholdRules, ...]

    @classmethod
    def of(cls, sets: Iterable[ThresholdRules]) -> RuleBook:
        items = tuple(sets)
        problems: list[Problem] = []
        keys: set[str] = set()
        for r in items:
            if r.key in keys:
                problems.append(Problem(r.key, "listed twice"))
            keys.add(r.key)
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if a.jurisdiction != b.jurisdiction or not _dates_overlap(a, b):
                    continue
                shared = _sectors_overlap(a, b)
                if shared:
                    problems.append(Problem(a.key, f"overlaps {b.key} ({shared}) in "
                                            f"{a.jurisdiction}"))
        if problems:
            raise InvalidInput("the rule sets contradict each other", problems)
        return cls(items)

    def get(self, key: str) -> ThresholdRules:
        for r in self.sets:
            if r.key == key:
                return r
        raise NotFound(f"no rule set {key}",
                       [Problem("rules", "known: " + ", ".join(r.key for r in self.sets))])

    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({r.jurisdiction for r in self.sets}))

    def select(self, jurisdiction: str, sector: str, on: date) -> ThresholdRules:
        """The one set in force for ``jurisdiction`` and ``sector`` on ``on``, or
        :class:`NotFound` listing the sets of that jurisdiction and when they apply."""
        sector = normalise_sector(sector)
        found = [r for r in self.sets if r.applies(jurisdiction, sector, on)]
        if len(found) == 1:
            return found[0]
        known = [r for r in self.sets if r.jurisdiction == jurisdiction]
        if not known:
            raise NotFound(
                f"no rule set for jurisdiction {jurisdiction!r}",
                [Problem("jurisdiction", "known: " + ", ".join(self.jurisdictions())
                         + f" ({UNION_RULES}: no statute, the union's own rules only)")],
            )
        raise NotFound(
            f"no rule set of {jurisdiction} is in force for sector {sector} on {on}",
            [Problem(r.key, f"{r.title}: {r.dates_text()}, {r.sector_text()}") for r in known],
        )


def _dates_overlap(a: ThresholdRules, b: ThresholdRules) -> bool:
    a_end = a.applies_until or date.max
    b_end = b.applies_until or date.max
    return a.applies_from < b_end and b.applies_from < a_end


def _sectors_overlap(a: ThresholdRules, b: ThresholdRules) -> str:
    """A description of the sectors both cover ("" when none)."""
    if a.sectors is not None and b.sectors is not None:
        common = (a.sectors & b.sectors) - a.excluded_sectors - b.excluded_sectors
        return ", ".join(sorted(common))
    if a.sectors is None and b.sectors is None:
        return "every sector"
    listed, other = (a, b) if a.sectors is not None else (b, a)
    assert listed.sectors is not None
    common = listed.sectors - other.excluded_sectors - listed.excluded_sectors
    if common:
        return ", ".join(sorted(common))
    return ""


_TULRCA = ("Trade Union and Labour Relations (Consolidation) Act 1992 (TULRCA) ss.226, 229, "
           "231, 234, 234A")
_SPOILT = ("spoilt papers are counted as voting for the turnout (the member returned a "
           "paper) and are reported apart; they are neither yes nor no")

GB_1992 = ThresholdRules(
    rules_id="gb-tulrca-1992", version=1,
    title="Great Britain: TULRCA 1992 before the Trade Union Act 2016",
    jurisdiction=GB, applies_from=date(2000, 9, 18), applies_until=date(2017, 3, 1),
    action_rule=_simple_majority("TULRCA 1992 s.226: a majority of votes cast yes"),
    internal_rule=_simple_majority("union rules: a majority of votes cast"),
    mandate=Period(weeks=4), mandate_by_agreement=Period(weeks=8),
    mandate_kind=MandateKind.ACTION_BEGINS_WITHIN,
    notice=Period(days=7), notice_by_agreement=None,
    source=_TULRCA + ", as amended by the Employment Relations Act 1999 (the 4 weeks "
           "extendable to 8 by agreement) and before the Trade Union Act 2016",
    notes=("no turnout threshold: a simple majority of the votes cast carries",
           "once action has begun within the period, the mandate lasts while the dispute "
           "goes on",
           "ballots opening before 18 September 2000 are outside this rule book",
           _SPOILT),
)

GB_2016 = ThresholdRules(
    rules_id="gb-tua-2016", version=1,
    title="Great Britain: Trade Union Act 2016",
    jurisdiction=GB, applies_from=date(2017, 3, 1), applies_until=None,
    action_rule=DecisionRule(
        quorum=Fraction(1, 2),
        name="Trade Union Act 2016 s.2: at least 50% of those entitled vote; a majority of "
             "votes cast yes"),
    internal_rule=_simple_majority("union rules: a majority of votes cast"),
    mandate=Period(months=6), mandate_by_agreement=Period(months=9),
    mandate_kind=MandateKind.ACTION_WITHIN,
    notice=Period(days=14), notice_by_agreement=Period(days=7),
    excluded_sectors=IMPORTANT_PUBLIC_SERVICES,
    source=_TULRCA + ", as amended by the Trade Union Act 2016 ss.2, 8, 9 (ballots opening on "
           "or after 1 March 2017)",
    notes=("a ballot opens on the first day a voting paper is sent: that date chooses the set",
           "the date of the ballot is its last voting day: the mandate period begins with it",
           _SPOILT),
)

GB_2016_IPS = replace(
    GB_2016,
    rules_id="gb-tua-2016-ips",
    title="Great Britain: Trade Union Act 2016, important public services",
    action_rule=DecisionRule(
        quorum=Fraction(1, 2), yes_of_entitled=Fraction(2, 5),
        name="Trade Union Act 2016 ss.2-3: at least 50% of those entitled vote; a majority of "
             "votes cast yes; yes at least 40% of those entitled"),
    sectors=IMPORTANT_PUBLIC_SERVICES, excluded_sectors=frozenset(),
    source=_TULRCA + ", as amended by the Trade Union Act 2016 ss.2, 3, 8, 9 and the Important "
           "Public Services Regulations 2017 (ballots opening on or after 1 March 2017)",
    notes=(*GB_2016.notes,
           "applies where most of those entitled to vote are normally engaged in an "
           "important public service (health, education, fire, transport, border security, "
           "nuclear decommissioning)"),
)

UNION_RULES_V1 = ThresholdRules(
    rules_id="union-rules", version=1,
    title="Union rules only (no statutory thresholds)",
    jurisdiction=UNION_RULES, applies_from=_FOREVER, applies_until=None,
    action_rule=_simple_majority("union rules: a majority of votes cast yes"),
    internal_rule=_simple_majority("union rules: a majority of votes cast"),
    mandate=Period(months=6), mandate_by_agreement=None,
    mandate_kind=MandateKind.ACTION_WITHIN, notice=None, notice_by_agreement=None,
    timezone=None, mandate_set_by_union=True,
    source="the union's own rules",
    notes=("a simple majority of the votes cast carries; no turnout threshold",
           "the mandate lasts the union's own period (6 months unless the dispute records "
           "another)", _SPOILT),
)

RULE_BOOK = RuleBook.of([GB_1992, GB_2016, GB_2016_IPS, UNION_RULES_V1])
"""The rule sets councilplan ships (see the module docstring)."""


def select_rules(jurisdiction: str, sector: str, on: date, *,
                 book: RuleBook = RULE_BOOK) -> ThresholdRules:
    """The rule set in force for ``jurisdiction`` and ``sector`` on ``on`` (the date a
    ballot opens), or :class:`NotFound` naming the sets known."""
    return book.select(jurisdiction, sector, on)
