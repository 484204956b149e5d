"""Electorates: who may vote in one ballot, frozen when it opens, published as hash and size.

Hash scheme (version 1), reproducible by anyone holding the list::

    ids    = sorted(set(member_ids))            # by Unicode code point (Python str order)
    data   = "councilplan-electorate-v1\\n" + "".join(i + "\\n" for i in ids)
    digest = sha256(data.encode("utf-8")).hexdigest()   # 64 lower-case hex digits

Member ids are opaque, non-empty and contain no line breaks, so the encoding is
unambiguous. The digest and ``size`` are published when the ballot opens (and
in its ``ballot.opened`` event); the list itself stays with the register.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from councilplan.councils._checks import require_id
from councilplan.errors import InvalidInput

__all__ = ["ELECTORATE_HASH_PREFIX", "Electorate", "electorate_hash"]

ELECTORATE_HASH_PREFIX = "councilplan-electorate-v1\n"


def electorate_hash(sorted_ids: Iterable[str]) -> str:
    """SHA-256 (hex) of the version-1 encoding of ids already sorted and distinct."""
    h = hashlib.sha256(ELECTORATE_HASH_PREFIX.encode("utf-8"))
    for member_id in sorted_ids:
        h.update(member_id.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Electorate:
    """A frozen electorate: ``member_ids`` sorted and distinct, their ``digest`` and ``size``.

    Build with :meth:`freeze`; constructing one directly (e.g. from a store)
    re-checks order and digest, so a tampered list is refused.
    """

    member_ids: tuple[str, ...]
    digest: str
    size: int

    def __post_init__(self) -> None:
        ids = self.member_ids
        if any(b <= a for a, b in pairwise(ids)):
            raise InvalidInput("electorate member ids must be sorted and distinct")
        if self.size != len(ids):
            raise InvalidInput(f"electorate size {self.size} but {len(ids)} member ids")
        if electorate_hash(ids) != self.digest:
            raise InvalidInput("electorate digest does not match its member ids")

    @classmethod
    def freeze(cls, member_ids: Iterable[str]) -> Electorate:
        """The electorate of these members (any order; duplicates collapse)."""
        ids = tuple(sorted({require_id(m, "member_id") for m in member_ids}))
        frozen = object.__new__(cls)  # sorted and hashed just now: skip the re-check
        object.__setattr__(frozen, "member_ids", ids)
        object.__setattr__(frozen, "digest", electorate_hash(ids))
        object.__setattr__(frozen, "size", len(ids))
        return frozen

    def __contains__(self, member_id: object) -> bool:
        if not isinstance(member_id, str):
            return False
        i = bisect_left(self.member_ids, member_id)
        return i < len(self.member_ids) and self.member_ids[i] == member_id

    def __len__(self) -> int:
        return self.size

    def published(self) -> dict[str, object]:
        """What is published at opening: ``{"size": ..., "sha256": ...}``."""
        return {"size": self.size, "sha256": self.digest}
