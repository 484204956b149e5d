"""Councils and the tree they federate into.

Workplace councils (factory committees) federate upward into industry or area
councils, those into regional, national and international councils.
Residential and consumer councils sit at the base beside workplace councils
(a member belongs to exactly one workplace council and may belong to any
number of residential / consumer councils; see
:mod:`councilplan.councils.membership`).

Kind ordering: every kind has a :attr:`CouncilKind.rank`; **a parent ranks
strictly above its child** (so the tree has no cycles and, for example, an
area council cannot sit under an industry council of the same rank). A
council without a parent is a top of the tree; there may be several tops
while the federation grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from councilplan.councils._checks import require_id
from councilplan.councils.event import Event, EventKind
from councilplan.errors import InvalidInput, NotFound, PreconditionFailed, Problem

__all__ = ["Council", "CouncilKind", "CouncilTree", "create_council"]


class CouncilKind(StrEnum):
    """What a council federates; :attr:`rank` orders the tree (parent above child)."""

    WORKPLACE = "workplace"
    RESIDENTIAL = "residential"
    CONSUMER = "consumer"
    INDUSTRY = "industry"
    AREA = "area"
    REGIONAL = "regional"
    NATIONAL = "national"
    INTERNATIONAL = "international"

    @property
    def rank(self) -> int:
        """0 at the base (workplace, residential, consumer), 4 at the top (international)."""
        return _RANK[self]

    @property
    def is_base(self) -> bool:
        """Base councils are the ones members join directly as their primary bodies."""
        return self.rank == 0


_RANK: dict[CouncilKind, int] = {
    CouncilKind.WORKPLACE: 0,
    CouncilKind.RESIDENTIAL: 0,
    CouncilKind.CONSUMER: 0,
    CouncilKind.INDUSTRY: 1,
    CouncilKind.AREA: 1,
    CouncilKind.REGIONAL: 2,
    CouncilKind.NATIONAL: 3,
    CouncilKind.INTERNATIONAL: 4,
}


@dataclass(frozen=True, slots=True)
class Council:
    """A council: opaque ``council_id``, a ``name`` (public), its ``kind`` and ``parent_id``."""

    council_id: str
    name: str
    kind: CouncilKind
    parent_id: str | None = None

    def __post_init__(self) -> None:
        require_id(self.council_id, "council_id")
        if self.parent_id is not None:
            require_id(self.parent_id, "parent_id")
            if self.parent_id == self.council_id:
                raise InvalidInput(f"council {self.council_id} cannot be its own parent")
        if not isinstance(self.kind, CouncilKind):
            object.__setattr__(self, "kind", CouncilKind(self.kind))


def _placement_problems(council: Council, parent: Council | None) -> list[Problem]:
    problems: list[Problem] = []
    if council.parent_id is not None and parent is None:
        problems.append(
            Problem(council.council_id, f"parent council {council.parent_id} does not exist")
        )
    if parent is not None and parent.kind.rank <= council.kind.rank:
        problems.append(
            Problem(
                council.council_id,
                f"a {council.kind.value} council (rank {council.kind.rank}) cannot sit under "
                f"the {parent.kind.value} council {parent.council_id} (rank {parent.kind.rank}):"
                " a parent must rank above its child",
            )
        )
    return problems


@dataclass(frozen=True, slots=True)
class CouncilTree:
    """An immutable, validated tree of councils keyed by id.

    Build one with :meth:`of` (validates every council at once) or grow one with
    :func:`create_council` (returns a new tree and a ``council.created`` event).
    """

    councils: Mapping[str, Council] = field(default_factory=lambda: MappingProxyType({}))
    _children: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    @classmethod
    def of(cls, councils: Iterable[Council]) -> CouncilTree:
        """A tree of ``councils`` (any order); raises :class:`PreconditionFailed` listing
        every duplicate id, missing parent and rank violation."""
        by_id: dict[str, Council] = {}
        problems: list[Problem] = []
        for c in councils:
            if c.council_id in by_id:
                problems.append(Problem(c.council_id, "duplicate council id"))
            by_id[c.council_id] = c
        for c in by_id.values():
            parent = by_id.get(c.parent_id) if c.parent_id is not None else None
            problems.extend(_placement_problems(c, parent))
        if problems:
            raise PreconditionFailed("the councils do not form a valid tree", problems)
        return cls._build(by_id)

    @classmethod
    def _build(cls, by_id: dict[str, Council]) -> CouncilTree:
        children: dict[str, list[str]] = {}
        for c in by_id.values():
            if c.parent_id is not None:
                children.setdefault(c.parent_id, []).append(c.council_id)
        frozen_children = {k: tuple(sorted(v)) for k, v in children.items()}
        return cls(MappingProxyType(dict(by_id)), MappingProxyType(frozen_children))

    def __contains__(self, council_id: object) -> bool:
        return council_id in self.councils

    def __iter__(self) -> Iterator[Council]:
        return iter(self.councils.values())

    def __len__(self) -> int:
        return len(self.councils)

    def get(self, council_id: str) -> Council:
        """The council with this id; :class:`NotFound` otherwise."""
        try:
            return self.councils[council_id]
        except KeyError:
            raise NotFound(f"council {council_id} does not exist") from None

    def parent(self, council_id: str) -> Council | None:
        """The parent council, or ``None`` at a top of the tree."""
        c = self.get(council_id)
        return None if c.parent_id is None else self.councils[c.parent_id]

    def children(self, council_id: str) -> tuple[Council, ...]:
        """Councils directly below, ordered by id."""
        self.get(council_id)
        return tuple(self.councils[k] for k in self._children.get(council_id, ()))

    def descendants(self, council_id: str) -> tuple[Council, ...]:
        """Every council below (children first, depth-first, ordered by id)."""
        out: list[Council] = []
        stack = list(reversed(self.children(council_id)))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(reversed([self.councils[k] for k in self._children.get(c.council_id, ())]))
        return tuple(out)

    def ancestors(self, council_id: str) -> tuple[Council, ...]:
        """Councils above, nearest first, ending at a top of the tree."""
        out: list[Council] = []
        p = self.parent(council_id)
        while p is not None:
            out.append(p)
            p = self.parent(p.council_id)
        return tuple(out)

    def roots(self) -> tuple[Council, ...]:
        """Councils without a parent, ordered by id."""
        return tuple(
            sorted((c for c in self.councils.values() if c.parent_id is None),
                   key=lambda c: c.council_id)
        )

    def bottom_up(self) -> tuple[Council, ...]:
        """Every council, each after all councils below it (lowest rank first, then id)."""
        return tuple(sorted(self.councils.values(), key=lambda c: (c.kind.rank, c.council_id)))


def create_council(tree: CouncilTree, council: Council, at: datetime) -> tuple[CouncilTree, Event]:
    """Add ``council`` to ``tree``: a new tree and a ``council.created`` event.

    Refused (:class:`PreconditionFailed`, one problem each) when the id exists,
    the parent does not, or the parent does not rank above the new council.
    """
    problems: list[Problem] = []
    if council.council_id in tree.councils:
        problems.append(Problem(council.council_id, "a council with this id already exists"))
    parent = tree.councils.get(council.parent_id) if council.parent_id is not None else None
    problems.extend(_placement_problems(council, parent))
    if problems:
        raise PreconditionFailed(f"council {council.council_id} cannot be created", problems)
    by_id = dict(tree.councils)
    by_id[council.council_id] = council
    event = Event.of(
        EventKind.COUNCIL_CREATED,
        at,
        council_id=council.council_id,
        kind=council.kind.value,
        parent_id=council.parent_id,
    )
    return CouncilTree._build(by_id), event
