"""Small argument checks shared by the councils core (private).

These guard the edges of the pure rules against programming mistakes (a naive
``datetime``, a float where an exact number belongs, an empty id); rule
breaches proper are reported with :class:`~councilplan.errors.RuleViolation`
and its subclasses by the modules themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from councilplan.errors import InvalidInput, Problem

__all__: list[str] = []


def require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` if it is a timezone-aware ``datetime``; raise otherwise."""
    if not isinstance(value, datetime):
        raise InvalidInput(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{name} must be timezone-aware (time is passed in, never read from a clock)",
            [Problem(name, f"naive datetime {value.isoformat()}")],
        )
    return value


def iso(value: datetime) -> str:
    """Canonical text of an instant: UTC, microseconds, ``+00:00`` suffix."""
    return require_aware(value, "time").astimezone(UTC).isoformat(timespec="microseconds")


def require_id(value: str, name: str) -> str:
    """An opaque id: a non-empty string without line breaks or surrounding blanks."""
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{name} must be a non-empty string, got {value!r}")
    if value != value.strip() or "\n" in value or "\r" in value:
        raise InvalidInput(f"{name} must not contain line breaks or surrounding blanks: {value!r}")
    return value


def require_fraction(value: Fraction, name: str, *, low: int = 0, high: int = 1) -> Fraction:
    """An exact share in ``[low, high]``; ints are accepted, floats are refused."""
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise InvalidInput(
            f"{name} must be an exact Fraction (no floats for votes or shares), "
            f"got {type(value).__name__} {value!r}"
        )
    frac = Fraction(value)
    if not low <= frac <= high:
        raise InvalidInput(f"{name} must lie in [{low}, {high}], got {frac}")
    return frac


def require_decimal(value: Decimal, name: str) -> Decimal:
    """A finite, non-negative ``Decimal`` (money); floats are refused."""
    if not isinstance(value, Decimal):
        raise InvalidInput(
            f"{name} must be a Decimal (no floats for money), got {type(value).__name__} {value!r}"
        )
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{name} must be a finite, non-negative amount, got {value}")
    return value


def require_count(value: int, name: str, *, minimum: int = 0) -> int:
    """A whole number ``>= minimum`` (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}, got {value}")
    return value


def fraction_text(value: Fraction) -> str:
    """``"1/10"``, ``"2/3"``, ``"1"``: how exact shares appear in event payloads."""
    return str(value)
