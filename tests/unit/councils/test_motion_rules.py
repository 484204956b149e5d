"""Motions with amendments: amendments are voted first; a carried one changes the text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from councilplan.councils.decision import DecisionRule, Tally, evaluate
from councilplan.councils.event import EventKind
from councilplan.councils.motion import (
    Amendment,
    AmendmentStatus,
    MotionStatus,
    propose_amendment,
    resolve_amendment,
    resolve_motion,
    table_motion,
    text_sha256,
)
from councilplan.errors import NotFound, PreconditionFailed

T0 = datetime(2025, 6, 2, 18, 0, tzinfo=UTC)
RULE = DecisionRule.simple_majority()
CARRIED = evaluate(Tally(yes=12, no=3), 20, RULE)
LOST = evaluate(Tally(yes=3, no=12), 20, RULE)
TEXT = "This council calls for a 35 hour week from January."


def test_tabling_records_a_hash_not_the_text() -> None:
    motion, event = table_motion("mo1", "mill", "m1", TEXT, T0)
    assert motion.status is MotionStatus.TABLED
    assert event.kind == EventKind.MOTION_TABLED
    assert event.payload["text_sha256"] == text_sha256(TEXT)
    with pytest.raises(PreconditionFailed):
        table_motion("mo2", "mill", "m1", "  ", T0)


def test_amendment_is_voted_before_the_motion_and_changes_its_text() -> None:
    motion, _ = table_motion("mo1", "mill", "m1", TEXT, T0)
    motion, event = propose_amendment(motion, Amendment("am1", "m2", "35 hour", "32 hour"), T0)
    assert event.kind == EventKind.AMENDMENT_PROPOSED
    with pytest.raises(PreconditionFailed, match="cannot be decided yet") as info:
        resolve_motion(motion, CARRIED, T0)
    assert [p.where for p in info.value.problems] == ["am1"]
    motion, events = resolve_amendment(motion, "am1", CARRIED, T0)
    assert motion.text == "This council calls for a 32 hour week from January."
    assert motion.original_text == TEXT
    assert [e.kind for e in events] == [EventKind.AMENDMENT_CARRIED]
    assert motion.amendment("am1").status is AmendmentStatus.CARRIED
    motion, event = resolve_motion(motion, CARRIED, T0)
    assert motion.status is MotionStatus.CARRIED
    assert event.payload["text_sha256"] == text_sha256(motion.text)


def test_lost_amendment_leaves_the_text() -> None:
    motion, _ = table_motion("mo1", "mill", "m1", TEXT, T0)
    motion, _ = propose_amendment(motion, Amendment("am1", "m2", " from January", ""), T0)
    motion, events = resolve_amendment(motion, "am1", LOST, T0)
    assert motion.text == TEXT
    assert [e.kind for e in events] == [EventKind.AMENDMENT_LOST]
    motion, event = resolve_motion(motion, LOST, T0)
    assert motion.status is MotionStatus.LOST
    assert event.kind == EventKind.MOTION_LOST


def test_amendments_that_no_longer_apply_fall() -> None:
    motion, _ = table_motion("mo1", "mill", "m1", TEXT, T0)
    motion, _ = propose_amendment(motion, Amendment("am1", "m2", "35 hour", "30 hour"), T0)
    motion, _ = propose_amendment(motion, Amendment("am2", "m3", "35 hour", "32 hour"), T0)
    motion, _ = propose_amendment(motion, Amendment("am3", "m4", "January", "March"), T0)
    motion, events = resolve_amendment(motion, "am1", CARRIED, T0)
    assert [e.kind for e in events] == [EventKind.AMENDMENT_CARRIED, EventKind.AMENDMENT_FALLEN]
    assert motion.amendment("am2").status is AmendmentStatus.FALLEN
    assert [a.amendment_id for a in motion.pending] == ["am3"]
    motion, _ = resolve_amendment(motion, "am3", CARRIED, T0)
    assert motion.text == "This council calls for a 30 hour week from March."
    with pytest.raises(PreconditionFailed):
        resolve_amendment(motion, "am3", CARRIED, T0)  # decided already


def test_amendment_validation() -> None:
    motion, _ = table_motion("mo1", "mill", "m1", "a b a", T0)
    with pytest.raises(PreconditionFailed, match="exactly once"):
        propose_amendment(motion, Amendment("am1", "m2", "a", "c"), T0)
    with pytest.raises(PreconditionFailed, match="exactly once"):
        propose_amendment(motion, Amendment("am1", "m2", "zzz", "c"), T0)
    with pytest.raises(PreconditionFailed, match="changes nothing"):
        propose_amendment(motion, Amendment("am1", "m2", "b", "b"), T0)
    whole, _ = propose_amendment(motion, Amendment("am1", "m2", None, "new text"), T0)
    with pytest.raises(PreconditionFailed, match="exists"):
        propose_amendment(whole, Amendment("am1", "m2", None, "other"), T0)
    whole, _ = resolve_amendment(whole, "am1", CARRIED, T0)
    assert whole.text == "new text"
    with pytest.raises(NotFound):
        whole.amendment("nope")
    done, _ = resolve_motion(whole, CARRIED, T0)
    with pytest.raises(PreconditionFailed):
        propose_amendment(done, Amendment("am9", "m2", None, "late"), T0)
    with pytest.raises(PreconditionFailed):
        resolve_motion(done, CARRIED, T0)
