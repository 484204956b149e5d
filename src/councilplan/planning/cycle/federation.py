"""The councils of a planning period's scope, as plain data.

The planning core does not import the councils core (an import-linter contract keeps
the two apart); the services hand it the federation as ids, parents and kinds. Kind
names are the councils core's (``workplace``, ``residential``, ``consumer`` at the
base; ``industry``, ``area``, ``regional``, ``national``, ``international`` above).

The **scope** of a period owned by council ``o`` is ``o`` and every council below it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from councilplan.errors import InvalidInput, Problem

__all__ = ["BASE_KINDS", "WORKPLACE", "Federation"]

WORKPLACE = "workplace"
BASE_KINDS = frozenset({"workplace", "residential", "consumer"})


@dataclass(frozen=True, eq=False)
class Federation:
    """``parents`` and ``kinds`` of every council (a tree); ``owner`` is the period's."""

    owner: str
    parents: Mapping[str, str | None]
    kinds: Mapping[str, str]
    _children: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.owner not in self.parents:
            raise InvalidInput(f"council {self.owner} does not exist",
                               [Problem(self.owner, "no such council")])
        for c, p in self.parents.items():
            if p is not None:
                self._children.setdefault(p, []).append(c)

    @cached_property
    def scope(self) -> frozenset[str]:
        """The owner and every council below it."""
        out = {self.owner}
        stack = [self.owner]
        while stack:
            for c in self._children.get(stack.pop(), ()):
                out.add(c)
                stack.append(c)
        return frozenset(out)

    @cached_property
    def _branch(self) -> dict[str, str]:
        """For each council of the scope: the owner's child whose subtree holds it
        (the owner itself for the owner)."""
        out = {self.owner: self.owner}
        for child in self._children.get(self.owner, ()):
            stack = [child]
            while stack:
                c = stack.pop()
                out[c] = child
                stack.extend(self._children.get(c, ()))
        return out

    def in_scope(self, council_id: str) -> bool:
        return council_id in self.scope

    def kind(self, council_id: str) -> str:
        return self.kinds[council_id]

    def is_base(self, council_id: str) -> bool:
        return self.kinds.get(council_id) in BASE_KINDS

    def is_workplace(self, council_id: str) -> bool:
        return self.kinds.get(council_id) == WORKPLACE

    def branch(self, council_id: str) -> str:
        """The owner's child whose subtree holds ``council_id`` (the owner for itself)."""
        return self._branch[council_id]

    def path(self, council_id: str) -> tuple[str, ...]:
        """``council_id``, its parent, ..., up to a top of the tree."""
        out = [council_id]
        p = self.parents.get(council_id)
        while p is not None:
            out.append(p)
            p = self.parents.get(p)
        return tuple(out)

    def children(self, council_id: str) -> tuple[str, ...]:
        return tuple(sorted(self._children.get(council_id, ())))

    def under(self, council_id: str) -> frozenset[str]:
        """``council_id`` and every council below it."""
        out = {council_id}
        stack = [council_id]
        while stack:
            for c in self._children.get(stack.pop(), ()):
                out.add(c)
                stack.append(c)
        return frozenset(out)

    def workplaces(self) -> tuple[str, ...]:
        """The workplace councils of the scope, by id."""
        return tuple(sorted(c for c in self.scope if self.kinds.get(c) == WORKPLACE))

    def scope_problem(self, council_id: str, where: str) -> Problem | None:
        if council_id not in self.parents:
            return Problem(where, f"council {council_id} does not exist")
        if council_id not in self.scope:
            return Problem(where, f"council {council_id} is outside the scope of the "
                                  f"period (council {self.owner} and the councils below it)")
        return None
