"""Decision rules: when does a yes/no question carry? Exact rational arithmetic throughout.

A :class:`DecisionRule` combines

* a **turnout quorum** -- at least ``quorum`` of those entitled must vote
  (abstentions count as voting; spoilt papers too unless
  ``spoilt_in_turnout=False``);
* a **majority** -- ``yes / basis`` must be more than (``strict``) or at least
  (not strict) ``majority``, where the basis is the votes cast for or against
  (:attr:`MajorityBasis.CAST`), those plus abstentions
  (:attr:`MajorityBasis.CAST_WITH_ABSTENTIONS`) or everybody entitled
  (:attr:`MajorityBasis.ENTITLED`); a qualified majority is e.g. ``2/3`` not strict;
* an optional **support threshold** -- yes votes at least ``yes_of_entitled`` of
  those entitled (UK Trade Union Act 2016, important public services: 40%);
* a **tie rule** for a strict majority met exactly at the boundary (``yes ==
  no`` for a simple majority): the question fails, the status quo holds, or a lot
  is drawn from a published seed. A rule that is not strict has no tie: "at
  least" includes the boundary.

:func:`evaluate` returns a :class:`DecisionResult` with every threshold met or
missed and the exact figures behind it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from councilplan.councils._checks import require_count, require_fraction
from councilplan.errors import InvalidInput, PreconditionFailed, Problem

__all__ = [
    "DecisionResult",
    "DecisionRule",
    "MajorityBasis",
    "Tally",
    "ThresholdCheck",
    "TieRule",
    "evaluate",
    "format_share",
    "lot_favours_yes",
]


class MajorityBasis(StrEnum):
    CAST = "cast"  # yes + no
    CAST_WITH_ABSTENTIONS = "cast_with_abstentions"  # yes + no + abstain
    ENTITLED = "entitled"  # everyone in the electorate


class TieRule(StrEnum):
    FAILS = "fails"
    STATUS_QUO = "status_quo"
    LOT = "lot"


@dataclass(frozen=True, slots=True)
class DecisionRule:
    """Quorum, majority (basis, strictness, share), optional support threshold, tie rule."""

    quorum: Fraction = Fraction(0)
    majority: Fraction = Fraction(1, 2)
    basis: MajorityBasis = MajorityBasis.CAST
    strict: bool = True
    yes_of_entitled: Fraction | None = None
    tie: TieRule = TieRule.FAILS
    spoilt_in_turnout: bool = True
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "quorum", require_fraction(self.quorum, "quorum"))
        object.__setattr__(self, "majority", require_fraction(self.majority, "majority"))
        if self.yes_of_entitled is not None:
            object.__setattr__(
                self, "yes_of_entitled", require_fraction(self.yes_of_entitled, "yes_of_entitled")
            )
        if self.strict and self.majority == 1:
            raise InvalidInput("a strict majority of more than 100% can never be met")
        if not self.strict and self.majority == 0:
            raise InvalidInput("a majority of at least 0% is met by nobody voting yes")
        object.__setattr__(self, "basis", MajorityBasis(self.basis))
        object.__setattr__(self, "tie", TieRule(self.tie))

    @classmethod
    def simple_majority(cls, *, quorum: Fraction = Fraction(0), tie: TieRule = TieRule.FAILS,
                        name: str = "simple majority") -> DecisionRule:
        """More yes than no among the votes cast (abstentions do not count against)."""
        return cls(quorum=quorum, tie=tie, name=name)

    @classmethod
    def qualified(cls, share: Fraction, *, basis: MajorityBasis = MajorityBasis.CAST,
                  quorum: Fraction = Fraction(0), name: str = "") -> DecisionRule:
        """At least ``share`` (e.g. 2/3) of the basis must vote yes."""
        return cls(quorum=quorum, majority=share, basis=basis, strict=False,
                   name=name or f"qualified majority of {share}")

    def describe(self) -> str:
        parts = []
        if self.quorum:
            parts.append(f"turnout at least {format_share(self.quorum)} of those entitled")
        word = "more than" if self.strict else "at least"
        parts.append(f"yes {word} {format_share(self.majority)} of {_BASIS_TEXT[self.basis]}")
        if self.yes_of_entitled is not None:
            parts.append(f"yes at least {format_share(self.yes_of_entitled)} of those entitled")
        if self.strict:
            parts.append(f"tie: {self.tie.value}")
        return "; ".join(parts)

    def to_payload(self) -> dict[str, object]:
        """The rule as event-payload data (exact shares as text)."""
        return {
            "name": self.name,
            "quorum": str(self.quorum),
            "majority": str(self.majority),
            "basis": self.basis.value,
            "strict": self.strict,
            "yes_of_entitled": None if self.yes_of_entitled is None else str(self.yes_of_entitled),
            "tie": self.tie.value,
            "spoilt_in_turnout": self.spoilt_in_turnout,
        }


_BASIS_TEXT = {
    MajorityBasis.CAST: "the votes cast for or against",
    MajorityBasis.CAST_WITH_ABSTENTIONS: "the votes cast including abstentions",
    MajorityBasis.ENTITLED: "those entitled to vote",
}


@dataclass(frozen=True, slots=True)
class Tally:
    """Counted papers of a yes/no question: yes, no, abstain, spoilt (invalid)."""

    yes: int
    no: int
    abstain: int = 0
    spoilt: int = 0

    def __post_init__(self) -> None:
        for name in ("yes", "no", "abstain", "spoilt"):
            require_count(getattr(self, name), name)

    @property
    def cast(self) -> int:
        """Votes for or against."""
        return self.yes + self.no

    @property
    def papers(self) -> int:
        """Every paper returned, spoilt included."""
        return self.yes + self.no + self.abstain + self.spoilt


@dataclass(frozen=True, slots=True)
class ThresholdCheck:
    """One threshold: ``count / base`` against ``required``; ``required_count`` is the
    smallest count that meets it for this base."""

    name: str  # "turnout", "majority", "support"
    count: int
    base: int
    share: Fraction  # count / base (0 when base is 0)
    required: Fraction
    strict: bool
    required_count: int
    met: bool

    def statement(self) -> str:
        word = "more than" if self.strict else "at least"
        verdict = "met" if self.met else "missed"
        return (
            f"{self.name}: {self.count} of {self.base} = {format_share(self.share)}; "
            f"{word} {format_share(self.required)} required ({self.required_count}): {verdict}"
        )


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """The verdict and every figure behind it."""

    passed: bool
    rule: DecisionRule
    tally: Tally
    entitled: int
    voted: int  # counted towards turnout
    turnout: Fraction
    yes_share: Fraction  # of the majority basis
    checks: tuple[ThresholdCheck, ...]
    tie: bool
    tie_resolution: str | None  # how a tie was resolved ("fails", "status_quo", "lot: yes")

    def check(self, name: str) -> ThresholdCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def missed(self) -> tuple[ThresholdCheck, ...]:
        return tuple(c for c in self.checks if not c.met)

    def statement(self) -> str:
        """A results notice: the figures, each threshold met or missed, the verdict."""
        t = self.tally
        lines = [
            f"entitled {self.entitled}; yes {t.yes}, no {t.no}, abstain {t.abstain}, "
            f"spoilt {t.spoilt}; turnout {format_share(self.turnout)}",
            *(c.statement() for c in self.checks),
        ]
        if self.tie:
            lines.append(f"tie resolved: {self.tie_resolution}")
        lines.append("CARRIED" if self.passed else "NOT CARRIED")
        return "\n".join(lines)

    def to_payload(self) -> dict[str, object]:
        """The result as event-payload data (exact shares as text, no floats)."""
        return {
            "passed": self.passed,
            "entitled": self.entitled,
            "yes": self.tally.yes,
            "no": self.tally.no,
            "abstain": self.tally.abstain,
            "spoilt": self.tally.spoilt,
            "turnout": str(self.turnout),
            "checks": [
                {"name": c.name, "count": c.count, "base": c.base, "required": str(c.required),
                 "strict": c.strict, "required_count": c.required_count, "met": c.met}
                for c in self.checks
            ],
            "tie": self.tie,
            "tie_resolution": self.tie_resolution,
        }


def format_share(value: Fraction, places: int = 1) -> str:
    """A share as a percentage, rounded half-even to ``places`` decimals: ``"41.6%"``.

    Exact: the rounding is done in integers from the Fraction, never in floats.
    """
    require_count(places, "places")
    exact = Fraction(value) * 100 * 10**places
    whole, rem = divmod(exact.numerator, exact.denominator)
    if 2 * rem > exact.denominator or (2 * rem == exact.denominator and whole % 2 == 1):
        whole += 1
    return f"{Decimal(whole).scaleb(-places):f}%"


def _check(name: str, count: int, base: int, required: Fraction, strict: bool) -> ThresholdCheck:
    share = Fraction(count, base) if base else Fraction(0)
    if strict:  # smallest count c with c > required * base
        met = base > 0 and count > required * base
        needed = math.floor(required * base) + 1
    else:  # smallest count c with c >= required * base
        met = base > 0 and count >= required * base
        needed = math.ceil(required * base)
    return ThresholdCheck(name, count, base, share, required, strict, needed, met)


def lot_favours_yes(seed: str) -> bool:
    """The published lot: yes wins iff the first byte of SHA-256("councilplan-lot-v1:" + seed)
    is even. Anyone can redo it from the seed."""
    digest = hashlib.sha256(("councilplan-lot-v1:" + seed).encode("utf-8")).digest()
    return digest[0] % 2 == 0


def evaluate(
    tally: Tally,
    entitled: int,
    rule: DecisionRule,
    *,
    status_quo_is_yes: bool = False,
    lot_seed: str | None = None,
) -> DecisionResult:
    """Evaluate a yes/no ``tally`` of an electorate of ``entitled`` members against ``rule``.

    ``status_quo_is_yes`` says what the status quo is for the tie rule
    :attr:`TieRule.STATUS_QUO` (for a recall or a new motion it is "no"; for
    "continue the strike?" the caller may say it is "yes"). ``lot_seed`` is
    required when a tie is to be resolved by lot.
    """
    require_count(entitled, "entitled", minimum=1)
    voted = tally.papers if rule.spoilt_in_turnout else tally.papers - tally.spoilt
    if tally.papers > entitled:
        raise InvalidInput(
            f"{tally.papers} papers counted but only {entitled} members are entitled to vote"
        )
    checks: list[ThresholdCheck] = []
    if rule.quorum:
        checks.append(_check("turnout", voted, entitled, rule.quorum, strict=False))
    base = {
        MajorityBasis.CAST: tally.cast,
        MajorityBasis.CAST_WITH_ABSTENTIONS: tally.cast + tally.abstain,
        MajorityBasis.ENTITLED: entitled,
    }[rule.basis]
    majority = _check("majority", tally.yes, base, rule.majority, rule.strict)
    tie = rule.strict and base > 0 and tally.yes == rule.majority * base
    checks.append(majority)
    if rule.yes_of_entitled is not None:
        checks.append(_check("support", tally.yes, entitled, rule.yes_of_entitled, strict=False))
    others_met = all(c.met for c in checks if c.name != "majority")
    passed = all(c.met for c in checks)
    resolution: str | None = None
    if tie:
        if rule.tie is TieRule.FAILS:
            resolution = "fails"
            passed = False
        elif rule.tie is TieRule.STATUS_QUO:
            resolution = f"status quo ({'yes' if status_quo_is_yes else 'no'})"
            passed = others_met and status_quo_is_yes
        else:
            if lot_seed is None:
                raise PreconditionFailed(
                    "the tie is to be resolved by lot, but no seed was given",
                    [Problem("lot_seed", "publish a seed and pass it in")],
                )
            yes = lot_favours_yes(lot_seed)
            resolution = f"lot ({'yes' if yes else 'no'}; seed {lot_seed!r})"
            passed = others_met and yes
    return DecisionResult(
        passed=passed,
        rule=rule,
        tally=tally,
        entitled=entitled,
        voted=voted,
        turnout=Fraction(voted, entitled),
        yes_share=majority.share,
        checks=tuple(checks),
        tie=tie,
        tie_resolution=resolution,
    )
