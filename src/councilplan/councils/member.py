"""Members: the people councils are made of.

A :class:`Member` carries the one piece of personal data the core knows, a
display name; everywhere else (events, electorates, petitions, receipts) a
member appears only by the opaque ``member_id``.
"""

from __future__ import annotations

from dataclasses import dataclass

from councilplan.councils._checks import require_id

__all__ = ["Member"]


@dataclass(frozen=True, slots=True)
class Member:
    """A member: opaque ``member_id`` and a display ``name`` (personal: never in events)."""

    member_id: str
    name: str = ""

    def __post_init__(self) -> None:
        require_id(self.member_id, "member_id")
