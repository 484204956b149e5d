"""Terms: the fixed interval a mandate lasts, ``[start, end)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from councilplan.councils._checks import require_aware
from councilplan.errors import InvalidInput

__all__ = ["Term"]


@dataclass(frozen=True, slots=True)
class Term:
    """A half-open interval of time ``[start, end)`` with ``start < end`` (both tz-aware)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "term.start")
        require_aware(self.end, "term.end")
        if not self.start < self.end:
            raise InvalidInput(
                "a term must end after it starts: "
                f"{self.start.isoformat()} .. {self.end.isoformat()}"
            )

    @classmethod
    def starting(cls, start: datetime, length: timedelta) -> Term:
        """The term of ``length`` that starts at ``start``."""
        return cls(start, start + length)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def contains(self, now: datetime) -> bool:
        """``start <= now < end``: at the end instant the term is already over."""
        require_aware(now, "now")
        return self.start <= now < self.end

    def overlaps(self, other: Term) -> bool:
        return self.start < other.end and other.start < self.end
