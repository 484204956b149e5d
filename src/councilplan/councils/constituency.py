"""Constituencies: who a council represents, computed through the tree.

The constituency of a council is its own members plus the constituencies of
the councils below it. It is a *set*: a member counted through their
workplace council and again through their residential council counts once.
The constituency is who elects the council's offices and delegates, who may
petition to recall them, and whose wage reports bound their pay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from councilplan.councils.council import CouncilTree
from councilplan.councils.membership import Membership
from councilplan.errors import NotFound

__all__ = ["Constituency", "constituencies", "constituency_of", "own_members"]


@dataclass(frozen=True, slots=True)
class Constituency:
    """The member ids a council represents, directly or through the councils below."""

    council_id: str
    members: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.members)

    def __contains__(self, member_id: object) -> bool:
        return member_id in self.members

    def __len__(self) -> int:
        return len(self.members)


def own_members(memberships: Iterable[Membership]) -> dict[str, frozenset[str]]:
    """Direct members per council id, from a register of memberships."""
    acc: dict[str, set[str]] = {}
    for m in memberships:
        acc.setdefault(m.council_id, set()).add(m.member_id)
    return {k: frozenset(v) for k, v in acc.items()}


def constituencies(
    tree: CouncilTree, own: Mapping[str, Iterable[str]]
) -> dict[str, Constituency]:
    """Every council's constituency, computed once bottom-up.

    ``own`` maps a council id to its direct members (missing: none); an id that
    is not a council of ``tree`` raises :class:`NotFound`.
    """
    unknown = sorted(k for k in own if k not in tree)
    if unknown:
        raise NotFound("members listed for councils that do not exist: " + ", ".join(unknown))
    sets: dict[str, set[str]] = {}
    for council in tree.bottom_up():
        s = sets.setdefault(council.council_id, set())
        s.update(own.get(council.council_id, ()))
        if council.parent_id is not None:
            sets.setdefault(council.parent_id, set()).update(s)
    return {k: Constituency(k, frozenset(v)) for k, v in sets.items()}


def constituency_of(
    tree: CouncilTree, own: Mapping[str, Iterable[str]], council_id: str
) -> Constituency:
    """One council's constituency: its own members and those of every council below it."""
    tree.get(council_id)
    members: set[str] = set(own.get(council_id, ()))
    for c in tree.descendants(council_id):
        members.update(own.get(c.council_id, ()))
    return Constituency(council_id, frozenset(members))
