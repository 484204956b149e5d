"""Motions and amendments: amendments are decided before the motion they amend.

An :class:`Amendment` replaces one fragment of the motion's text (``old_text``,
which must occur exactly once) by ``new_text`` -- an empty ``new_text`` deletes,
and ``old_text=None`` substitutes the whole text. A carried amendment changes
the motion's text; any pending amendment whose fragment no longer occurs
exactly once then *falls* (``amendment.fallen``). The motion itself can be
decided only when no amendment is pending.

Results come from :func:`~councilplan.councils.decision.evaluate` on the
ballot (or show of hands) for the amendment / the motion.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from councilplan.councils._checks import require_aware, require_id
from councilplan.councils.decision import DecisionResult
from councilplan.councils.event import Event, EventKind
from councilplan.errors import NotFound, PreconditionFailed, Problem

__all__ = [
    "Amendment",
    "AmendmentStatus",
    "Motion",
    "MotionStatus",
    "propose_amendment",
    "resolve_amendment",
    "resolve_motion",
    "table_motion",
    "text_sha256",
]


class MotionStatus(StrEnum):
    TABLED = "tabled"
    CARRIED = "carried"
    LOST = "lost"


class AmendmentStatus(StrEnum):
    PENDING = "pending"
    CARRIED = "carried"
    LOST = "lost"
    FALLEN = "fallen"  # its fragment no longer occurs once after another amendment carried


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 text: events carry this, not the text itself."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Amendment:
    """Replace ``old_text`` (exactly one occurrence; ``None``: the whole text) by ``new_text``."""

    amendment_id: str
    proposed_by: str
    old_text: str | None
    new_text: str
    status: AmendmentStatus = AmendmentStatus.PENDING

    def __post_init__(self) -> None:
        require_id(self.amendment_id, "amendment_id")
        object.__setattr__(self, "status", AmendmentStatus(self.status))

    def applies_to(self, text: str) -> bool:
        return self.old_text is None or (bool(self.old_text) and text.count(self.old_text) == 1)

    def apply(self, text: str) -> str:
        if self.old_text is None:
            return self.new_text
        return text.replace(self.old_text, self.new_text, 1)


@dataclass(frozen=True, slots=True)
class Motion:
    """A motion before ``council_id``; ``text`` is the current (possibly amended) text."""

    motion_id: str
    council_id: str
    proposed_by: str
    text: str
    tabled_at: datetime
    original_text: str = ""
    amendments: tuple[Amendment, ...] = ()
    status: MotionStatus = MotionStatus.TABLED

    def __post_init__(self) -> None:
        require_id(self.motion_id, "motion_id")
        require_aware(self.tabled_at, "tabled_at")
        if not self.original_text:
            object.__setattr__(self, "original_text", self.text)
        object.__setattr__(self, "status", MotionStatus(self.status))

    @property
    def pending(self) -> tuple[Amendment, ...]:
        return tuple(a for a in self.amendments if a.status is AmendmentStatus.PENDING)

    def amendment(self, amendment_id: str) -> Amendment:
        for a in self.amendments:
            if a.amendment_id == amendment_id:
                return a
        raise NotFound(f"motion {self.motion_id} has no amendment {amendment_id}")


def table_motion(
    motion_id: str, council_id: str, proposed_by: str, text: str, at: datetime
) -> tuple[Motion, Event]:
    """Table a motion (non-empty text): the motion and ``motion.tabled``."""
    if not text.strip():
        raise PreconditionFailed("a motion needs a text", [Problem(motion_id, "empty text")])
    motion = Motion(motion_id, council_id, proposed_by, text, at)
    return motion, Event.of(
        EventKind.MOTION_TABLED, at, motion_id=motion_id, council_id=council_id,
        proposed_by=proposed_by, text_sha256=text_sha256(text),
    )


def propose_amendment(
    motion: Motion, amendment: Amendment, at: datetime
) -> tuple[Motion, Event]:
    """Add a pending amendment to a tabled motion whose current text it applies to."""
    require_aware(at, "at")
    problems: list[Problem] = []
    if motion.status is not MotionStatus.TABLED:
        problems.append(Problem(motion.motion_id, f"the motion is {motion.status.value}"))
    if amendment.status is not AmendmentStatus.PENDING:
        problems.append(Problem(amendment.amendment_id, "a new amendment must be pending"))
    if any(a.amendment_id == amendment.amendment_id for a in motion.amendments):
        problems.append(Problem(amendment.amendment_id, "an amendment with this id exists"))
    if not amendment.applies_to(motion.text):
        problems.append(
            Problem(amendment.amendment_id, "the text to replace does not occur exactly once "
                    "in the motion")
        )
    if amendment.old_text is not None and amendment.old_text == amendment.new_text:
        problems.append(Problem(amendment.amendment_id, "the amendment changes nothing"))
    if problems:
        raise PreconditionFailed(f"amendment refused on motion {motion.motion_id}", problems)
    amended = replace(motion, amendments=(*motion.amendments, amendment))
    return amended, Event.of(
        EventKind.AMENDMENT_PROPOSED, at, motion_id=motion.motion_id,
        amendment_id=amendment.amendment_id, proposed_by=amendment.proposed_by,
    )


def resolve_amendment(
    motion: Motion, amendment_id: str, result: DecisionResult, at: datetime
) -> tuple[Motion, tuple[Event, ...]]:
    """Decide a pending amendment: if carried the text changes, and amendments that no
    longer apply fall. Events: carried / lost, then one ``amendment.fallen`` each."""
    require_aware(at, "at")
    target = motion.amendment(amendment_id)
    if motion.status is not MotionStatus.TABLED or target.status is not AmendmentStatus.PENDING:
        raise PreconditionFailed(
            f"amendment {amendment_id} cannot be decided",
            [Problem(amendment_id, f"motion {motion.status.value}, amendment "
                     f"{target.status.value}")],
        )
    if not result.passed:
        updated = tuple(
            replace(a, status=AmendmentStatus.LOST) if a.amendment_id == amendment_id else a
            for a in motion.amendments
        )
        lost = Event.of(EventKind.AMENDMENT_LOST, at, motion_id=motion.motion_id,
                        amendment_id=amendment_id)
        return replace(motion, amendments=updated), (lost,)
    text = target.apply(motion.text)
    events = [Event.of(EventKind.AMENDMENT_CARRIED, at, motion_id=motion.motion_id,
                       amendment_id=amendment_id, text_sha256=text_sha256(text))]
    out: list[Amendment] = []
    for a in motion.amendments:
        if a.amendment_id == amendment_id:
            out.append(replace(a, status=AmendmentStatus.CARRIED))
        elif a.status is AmendmentStatus.PENDING and not a.applies_to(text):
            out.append(replace(a, status=AmendmentStatus.FALLEN))
            events.append(Event.of(EventKind.AMENDMENT_FALLEN, at, motion_id=motion.motion_id,
                                   amendment_id=a.amendment_id))
        else:
            out.append(a)
    return replace(motion, text=text, amendments=tuple(out)), tuple(events)


def resolve_motion(
    motion: Motion, result: DecisionResult, at: datetime
) -> tuple[Motion, Event]:
    """Decide the (amended) motion; refused while any amendment is pending."""
    require_aware(at, "at")
    problems = [
        Problem(a.amendment_id, "amendment not yet decided (amendments are voted first)")
        for a in motion.pending
    ]
    if motion.status is not MotionStatus.TABLED:
        problems.insert(0, Problem(motion.motion_id, f"the motion is {motion.status.value}"))
    if problems:
        raise PreconditionFailed(f"motion {motion.motion_id} cannot be decided yet", problems)
    if result.passed:
        return replace(motion, status=MotionStatus.CARRIED), Event.of(
            EventKind.MOTION_CARRIED, at, motion_id=motion.motion_id,
            text_sha256=text_sha256(motion.text),
        )
    return replace(motion, status=MotionStatus.LOST), Event.of(
        EventKind.MOTION_LOST, at, motion_id=motion.motion_id
    )
