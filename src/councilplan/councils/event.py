"""Domain events: what every state transition of the councils core returns.

A transition is a pure function ``(value, ..., at) -> (new value, events)``; the
service layer stores the new value and appends each :class:`Event` to the
hash-chained audit log (:mod:`councilplan.councils.audit`) in the same unit of
work.

An event has a ``kind`` (dotted lower-case text, e.g. ``"mandate.ended"``), the
instant ``at`` it happened (timezone-aware; time is passed in) and a
``payload``: a JSON-like mapping of str keys to str / int / bool / None, tuples
and nested mappings. **No floats** (exact numbers travel as text: ``"1/10"``,
``"2500.00"``) and **no personal data beyond opaque ids**: member ids, council
ids, seat ids... never names, addresses or wage amounts of members.

The kinds the core emits are the members of :class:`EventKind`; other parts of
the project (e.g. disputes) may use their own kinds with the same shape, since
``Event.kind`` is plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

from councilplan.councils._checks import iso, require_aware
from councilplan.errors import InvalidInput

__all__ = ["Event", "EventKind", "JsonValue", "canonical_json", "event_from_json"]

JsonValue: TypeAlias = (
    str | int | bool | tuple["JsonValue", ...] | Mapping[str, "JsonValue"] | None
)

_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\Z")


class EventKind(StrEnum):
    """Every event kind the councils core emits (payload keys in brackets)."""

    COUNCIL_CREATED = "council.created"  # council_id, kind, parent_id
    MEMBER_ADMITTED = "member.admitted"  # member_id, council_id, council_kind
    MEMBER_LEFT = "member.left"  # member_id, council_id
    MEMBER_TRANSFERRED = "member.transferred"  # member_id, from_council_id, to_council_id
    SEAT_DEFINED = "seat.defined"  # seat_id, council_id, kind, delegate_to, term_seconds, ...
    MANDATE_STARTED = "mandate.started"  # mandate_id, seat_id, holder_id, term_start, term_end
    MANDATE_ENDED = "mandate.ended"  # mandate_id, seat_id, holder_id, reason, ended_at
    MANDATE_EXPIRED = "mandate.expired"  # mandate_id, seat_id, holder_id, term_end
    ELECTION_CALLED = "election.called"  # seat_id, reason, due_at, term_start, term_end
    PETITION_OPENED = "petition.opened"  # petition_id, mandate_id, seat_id, opened_by, ...
    PETITION_SIGNED = "petition.signed"  # petition_id, member_id, signatures, required
    PETITION_SUCCEEDED = "petition.succeeded"  # petition_id, mandate_id, signatures, required
    PETITION_FAILED = "petition.failed"  # petition_id, mandate_id, signatures, required
    PETITION_LAPSED = "petition.lapsed"  # petition_id, mandate_id, reason
    RECALL_PASSED = "recall.passed"  # petition_id, mandate_id, ballot_id
    RECALL_REJECTED = "recall.rejected"  # petition_id, mandate_id, ballot_id
    BALLOT_OPENED = "ballot.opened"  # ballot_id, electorate_size, electorate_hash, ...
    BALLOT_CLOSED = "ballot.closed"  # ballot_id, electorate_size, electorate_hash
    WAGE_REPORTED = "wage.reported"  # member_id, period (never the amount)
    PAY_SET = "pay.set"  # mandate_id, period, amount, cap, basis, reports, total
    PAY_CAP_BELOW_CURRENT = "pay.cap_below_current"  # mandate_id, period, current, cap, ...
    MOTION_TABLED = "motion.tabled"  # motion_id, council_id, proposed_by, text_sha256
    MOTION_CARRIED = "motion.carried"  # motion_id, text_sha256
    MOTION_LOST = "motion.lost"  # motion_id
    AMENDMENT_PROPOSED = "amendment.proposed"  # motion_id, amendment_id, proposed_by
    AMENDMENT_CARRIED = "amendment.carried"  # motion_id, amendment_id, text_sha256
    AMENDMENT_LOST = "amendment.lost"  # motion_id, amendment_id
    AMENDMENT_FALLEN = "amendment.fallen"  # motion_id, amendment_id


def _freeze(value: object, where: str) -> JsonValue:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        raise InvalidInput(f"event payload {where} is a float ({value!r}): use text or an int")
    if isinstance(value, tuple | list):
        return tuple(_freeze(v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, Mapping):
        out: dict[str, JsonValue] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InvalidInput(f"event payload {where} has a non-text key {k!r}")
            out[k] = _freeze(v, f"{where}.{k}")
        return MappingProxyType(out)
    raise InvalidInput(
        f"event payload {where} has a {type(value).__name__} ({value!r}): "
        "only text, ints, bools, None, lists and mappings are allowed"
    )


def _thaw(value: JsonValue) -> object:
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened: ``kind``, instant ``at``, JSON-like ``payload``."""

    kind: str
    at: datetime
    payload: Mapping[str, JsonValue]

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not _KIND.match(self.kind):
            raise InvalidInput(f"event kind must be dotted lower-case text, got {self.kind!r}")
        require_aware(self.at, "event.at")
        frozen = _freeze(self.payload, "payload")
        if not isinstance(frozen, Mapping):
            raise InvalidInput("event payload must be a mapping")
        object.__setattr__(self, "kind", str(self.kind))
        object.__setattr__(self, "payload", frozen)

    @classmethod
    def of(cls, kind: str, at: datetime, /, **payload: object) -> Event:
        """``Event.of(EventKind.MEMBER_LEFT, at, member_id="m1", council_id="c1")``."""
        return cls(kind, at, payload)  # type: ignore[arg-type]  # checked in __post_init__

    def to_json_object(self) -> dict[str, object]:
        """``{"at": ISO-8601 UTC, "kind": ..., "payload": {...}}`` (plain lists and dicts)."""
        return {"at": iso(self.at), "kind": self.kind, "payload": _thaw(self.payload)}

    def __hash__(self) -> int:
        return hash(canonical_json(self))


def canonical_json(event: Event) -> str:
    """The canonical JSON text of an event, the exact bytes the audit log hashes.

    ``json.dumps`` of :meth:`Event.to_json_object` with keys sorted, separators
    ``","`` and ``":"``, no ASCII escaping (UTF-8 when encoded), no floats; the
    instant is UTC ISO-8601 with microseconds (``2025-03-01T09:00:00.000000+00:00``).
    """
    return json.dumps(
        event.to_json_object(),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def event_from_json(text: str) -> Event:
    """Parse canonical JSON back into an :class:`Event` (inverse of :func:`canonical_json`)."""
    try:
        obj = json.loads(text, parse_float=_no_float)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"not an event's canonical JSON: {exc}") from exc
    if not isinstance(obj, dict) or set(obj) != {"at", "kind", "payload"}:
        raise InvalidInput("an event's JSON must be an object with exactly at, kind, payload")
    try:
        at = datetime.fromisoformat(obj["at"])
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"event time is not ISO-8601: {obj['at']!r}") from exc
    payload = obj["payload"]
    if not isinstance(payload, dict):
        raise InvalidInput("event payload must be an object")
    return Event(obj["kind"], at, payload)


def _no_float(text: str) -> object:
    raise InvalidInput(f"a float in event JSON: {text}")

