"""Events: JSON-like payloads without floats, canonical JSON, round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from councilplan.councils.event import Event, EventKind, canonical_json, event_from_json
from councilplan.errors import InvalidInput

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def test_canonical_json_is_sorted_compact_utc() -> None:
    cet = timezone(timedelta(hours=1))
    e = Event.of(EventKind.MEMBER_LEFT, datetime(2025, 1, 6, 10, 0, tzinfo=cet),
                 member_id="m1", council_id="Zürich")
    assert canonical_json(e) == (
        '{"at":"2025-01-06T09:00:00.000000+00:00","kind":"member.left",'
        '"payload":{"council_id":"Zürich","member_id":"m1"}}'
    )
    assert event_from_json(canonical_json(e)) == e
    assert hash(e) == hash(event_from_json(canonical_json(e)))


def test_payload_is_frozen_and_json_like() -> None:
    e = Event("x.y", T0, {"list": [1, "a", None], "nested": {"b": True}})
    assert e.payload["list"] == (1, "a", None)
    with pytest.raises(TypeError):
        e.payload["nested"]["b"] = False  # type: ignore[index]
    with pytest.raises(InvalidInput, match="float"):
        Event("x.y", T0, {"share": 0.5})
    with pytest.raises(InvalidInput):
        Event("x.y", T0, {"when": T0})  # type: ignore[dict-item]
    with pytest.raises(InvalidInput, match="kind"):
        Event("NoDots", T0, {})
    with pytest.raises(InvalidInput, match="timezone-aware"):
        Event("x.y", datetime(2025, 1, 1), {})


def test_event_json_parsing_refuses_floats_and_junk() -> None:
    with pytest.raises(InvalidInput):
        event_from_json('{"at":"2025-01-06T09:00:00+00:00","kind":"a.b","payload":{"x":1.5}}')
    with pytest.raises(InvalidInput):
        event_from_json("[]")
    with pytest.raises(InvalidInput):
        event_from_json("not json")
