"""Memberships: which councils a member belongs to directly.

Rule: **every member belongs to exactly one workplace council**, and may in
addition belong to residential and consumer councils (and, where a higher
council admits individual members of its own, to those). A member joins
their workplace council first; a change of workplace is a
:func:`transfer_workplace`, never a second workplace membership; the workplace
membership is left last.

The functions take only the memberships of the one member concerned (what a
store loads for that member), so a service never needs the whole register in
memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from councilplan.councils._checks import require_aware, require_id
from councilplan.councils.council import Council, CouncilKind
from councilplan.councils.event import Event, EventKind
from councilplan.errors import InvalidInput, PreconditionFailed, Problem, RuleViolation

__all__ = [
    "Membership",
    "admit_member",
    "leave_council",
    "membership_problems",
    "transfer_workplace",
    "workplace_of",
]


@dataclass(frozen=True, slots=True)
class Membership:
    """``member_id`` belongs directly to ``council_id`` (a ``council_kind``) since ``joined_at``."""

    member_id: str
    council_id: str
    council_kind: CouncilKind
    joined_at: datetime

    def __post_init__(self) -> None:
        require_id(self.member_id, "member_id")
        require_id(self.council_id, "council_id")
        require_aware(self.joined_at, "joined_at")
        if not isinstance(self.council_kind, CouncilKind):
            object.__setattr__(self, "council_kind", CouncilKind(self.council_kind))


def _own(member_id: str, memberships: Iterable[Membership]) -> list[Membership]:
    own = list(memberships)
    strangers = [m for m in own if m.member_id != member_id]
    if strangers:
        raise InvalidInput(
            f"memberships of other members passed for member {member_id}",
            [Problem(m.council_id, f"membership of {m.member_id}") for m in strangers],
        )
    return own


def membership_problems(memberships: Iterable[Membership]) -> list[Problem]:
    """Every breach of the membership rules in a register (any number of members).

    One problem per member without a workplace council, with more than one, or
    listed twice in one council.
    """
    by_member: dict[str, list[Membership]] = {}
    for m in memberships:
        by_member.setdefault(m.member_id, []).append(m)
    problems: list[Problem] = []
    for member_id in sorted(by_member):
        ms = by_member[member_id]
        workplaces = sorted(m.council_id for m in ms if m.council_kind is CouncilKind.WORKPLACE)
        if not workplaces:
            problems.append(Problem(member_id, "belongs to no workplace council"))
        elif len(workplaces) > 1:
            problems.append(
                Problem(member_id, f"belongs to {len(workplaces)} workplace councils: "
                        + ", ".join(workplaces))
            )
        seen: set[str] = set()
        for m in ms:
            if m.council_id in seen:
                problems.append(Problem(member_id, f"listed twice in council {m.council_id}"))
            seen.add(m.council_id)
    return problems


def workplace_of(member_id: str, memberships: Iterable[Membership]) -> Membership | None:
    """The member's workplace membership, or ``None`` if they have none yet."""
    for m in _own(member_id, memberships):
        if m.council_kind is CouncilKind.WORKPLACE:
            return m
    return None


def admit_member(
    member_id: str, council: Council, memberships: Iterable[Membership], at: datetime
) -> tuple[Membership, Event]:
    """Admit ``member_id`` (whose current memberships are ``memberships``) to ``council``.

    Refused with :class:`PreconditionFailed` when the member is already in that
    council, already has a workplace council (a change of workplace is a
    :func:`transfer_workplace`) or, for any other council, has no workplace
    council yet.
    """
    require_id(member_id, "member_id")
    own = _own(member_id, memberships)
    problems: list[Problem] = []
    if any(m.council_id == council.council_id for m in own):
        problems.append(Problem(member_id, f"already a member of council {council.council_id}"))
    has_workplace = any(m.council_kind is CouncilKind.WORKPLACE for m in own)
    if council.kind is CouncilKind.WORKPLACE and has_workplace:
        current = next(m.council_id for m in own if m.council_kind is CouncilKind.WORKPLACE)
        problems.append(
            Problem(member_id, f"already belongs to workplace council {current}: a member "
                    "belongs to exactly one workplace council (transfer instead)")
        )
    if council.kind is not CouncilKind.WORKPLACE and not has_workplace:
        problems.append(
            Problem(member_id, "must first belong to a workplace council")
        )
    if problems:
        raise PreconditionFailed(
            f"member {member_id} cannot join council {council.council_id}", problems
        )
    membership = Membership(member_id, council.council_id, council.kind, at)
    event = Event.of(
        EventKind.MEMBER_ADMITTED,
        at,
        member_id=member_id,
        council_id=council.council_id,
        council_kind=council.kind.value,
    )
    return membership, event


def leave_council(
    member_id: str, council_id: str, memberships: Iterable[Membership], at: datetime
) -> tuple[tuple[Membership, ...], Event]:
    """The member leaves ``council_id``: their remaining memberships and a ``member.left`` event.

    The workplace membership can only be left last (when it is the only one),
    so nobody is left in councils without a workplace council.
    """
    require_aware(at, "at")
    own = _own(member_id, memberships)
    leaving = [m for m in own if m.council_id == council_id]
    if not leaving:
        raise RuleViolation(f"member {member_id} is not a member of council {council_id}")
    rest = tuple(m for m in own if m.council_id != council_id)
    if leaving[0].council_kind is CouncilKind.WORKPLACE and rest:
        raise PreconditionFailed(
            f"member {member_id} cannot leave workplace council {council_id} while belonging "
            "to other councils (transfer to another workplace council, or leave those first)",
            [Problem(m.council_id, "still a member") for m in rest],
        )
    return rest, Event.of(EventKind.MEMBER_LEFT, at, member_id=member_id, council_id=council_id)


def transfer_workplace(
    member_id: str, to_council: Council, memberships: Iterable[Membership], at: datetime
) -> tuple[tuple[Membership, ...], Event]:
    """Move the member to another workplace council: new memberships and one event."""
    own = _own(member_id, memberships)
    if to_council.kind is not CouncilKind.WORKPLACE:
        raise RuleViolation(
            f"council {to_council.council_id} is a {to_council.kind.value} council, "
            "not a workplace council"
        )
    current = [m for m in own if m.council_kind is CouncilKind.WORKPLACE]
    if not current:
        raise PreconditionFailed(f"member {member_id} has no workplace council to transfer from")
    if current[0].council_id == to_council.council_id:
        raise RuleViolation(
            f"member {member_id} already belongs to workplace council {to_council.council_id}"
        )
    new = Membership(member_id, to_council.council_id, CouncilKind.WORKPLACE, at)
    rest = tuple(m for m in own if m.council_kind is not CouncilKind.WORKPLACE)
    event = Event.of(
        EventKind.MEMBER_TRANSFERRED,
        at,
        member_id=member_id,
        from_council_id=current[0].council_id,
        to_council_id=to_council.council_id,
    )
    return (new, *rest), event
