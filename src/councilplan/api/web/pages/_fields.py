"""Reading form fields: each refusal names the field at fault (``InvalidInput``, 422)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from councilplan.api.schemas import ID_PATTERN, PLAIN
from councilplan.errors import InvalidInput, Problem

__all__ = ["amount", "days", "gather", "identifier", "name", "period", "whole_days"]

_PERIOD = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")


def identifier(value: str, field: str) -> str:
    text = value.strip()
    if not re.fullmatch(ID_PATTERN, text):
        raise InvalidInput("not an identifier", [Problem(field, f"{text!r}: letters, digits "
                                                  "and . _ : / @ - (at most 64), e.g. mill/t")])
    return text


def name(value: str, field: str, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput("a name is missing", [Problem(field, "write it")])
    if len(text) > 200 or (text and not re.fullmatch(PLAIN, text)):
        raise InvalidInput("not a plain name", [Problem(field, "at most 200 characters, no "
                                                 "control characters")])
    return text


def period(value: str, field: str = "period") -> str:
    text = value.strip()
    if not _PERIOD.fullmatch(text):
        raise InvalidInput("not a pay period", [Problem(field, f"{text!r}: e.g. 2025-03")])
    return text


def amount(value: str, field: str = "amount") -> Decimal:
    try:
        found = Decimal(value.strip())
    except InvalidOperation:
        found = Decimal("NaN")
    if not found.is_finite() or found < 0 or found.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput("not an amount", [Problem(field, f"{value!r}: e.g. 2400.00")])
    return found


def days(value: str, field: str = "days", *, most: float = 366) -> float:
    try:
        found = float(value.strip())
    except ValueError:
        raise InvalidInput("not a number of days", [Problem(field, f"{value!r}: e.g. 7")]
                           ) from None
    if not 0 < found <= most:
        raise InvalidInput("not a number of days",
                           [Problem(field, f"more than 0 and at most {most:g} days")])
    return found


def whole_days(value: str, field: str, *, least: int, most: int) -> int:
    text = value.strip()
    if not re.fullmatch(r"[0-9]{1,6}", text) or not least <= int(text) <= most:
        raise InvalidInput("not a whole number of days",
                           [Problem(field, f"{value!r}: a whole number from {least} to {most}")])
    return int(text)


def gather(refusal: str, /, **readers: Callable[[], Any]) -> dict[str, Any]:
    """Read every field; refuse with every fault at once (``refusal``) if any is bad."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for field, read in readers.items():
        try:
            values[field] = read()
        except InvalidInput as exc:
            problems += exc.problems
    if problems:
        raise InvalidInput(refusal, problems)
    return values
