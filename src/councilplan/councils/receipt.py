"""Receipts: a voter checks that their ballot is in the published set, which names nobody.

Scheme (version 1):

1. At cast time the caller draws a fresh random **token** (at least 16 bytes,
   e.g. ``secrets.token_bytes(32)``; randomness is passed in, the core draws
   none) and hands it to the voter, and only to the voter, as their receipt
   (:attr:`Receipt.token_hex`). The token is never stored.
2. The ballot box stores, beside the marked paper, only the **receipt code**
   ``sha256(b"councilplan-receipt-v1\\x00" + ballot_id.encode() + b"\\x00" +
   token).hexdigest()``. The marked register (who voted) stores neither token
   nor code, so nothing links a name to a paper.
3. After close the anonymised ballot set is published as ``(code, paper)``
   pairs sorted by code (:func:`published_ballot_set`): the order is that of
   uniformly random hashes, revealing nothing about time or voter.
4. The voter recomputes the code from their token (:func:`receipt_code`) and
   finds their paper (:func:`find_receipt`). Nobody without the token can tie
   a code to a voter; a code cannot be turned back into a token.
5. Re-voting before close: the voter presents the previous token; the service
   deletes the box row with its code and stores the new paper with a new code.
   (The register's "has voted" mark is unchanged, so the count never doubles.)

Trade-off, documented on purpose: a voter *can* show their receipt to
somebody else, who can then see the paper; receipts prove inclusion, they do
not prevent a voter from revealing their own vote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from councilplan.councils._checks import require_id
from councilplan.errors import InvalidInput

__all__ = [
    "MIN_TOKEN_BYTES",
    "Receipt",
    "find_receipt",
    "issue_receipt",
    "published_ballot_set",
    "receipt_code",
]

MIN_TOKEN_BYTES = 16
_PREFIX = b"councilplan-receipt-v1\x00"

P = TypeVar("P")


def receipt_code(ballot_id: str, token: bytes) -> str:
    """The public code of a receipt token for one ballot (64 hex digits)."""
    require_id(ballot_id, "ballot_id")
    if not isinstance(token, bytes) or len(token) < MIN_TOKEN_BYTES:
        raise InvalidInput(
            f"a receipt token must be at least {MIN_TOKEN_BYTES} random bytes "
            "(e.g. secrets.token_bytes(32))"
        )
    return hashlib.sha256(_PREFIX + ballot_id.encode("utf-8") + b"\x00" + token).hexdigest()


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the voter keeps: the ballot, the secret token (hex) and the public code."""

    ballot_id: str
    token_hex: str
    code: str

    def verify(self) -> bool:
        """The code follows from the token for this ballot."""
        try:
            token = bytes.fromhex(self.token_hex)
        except ValueError:
            return False
        return len(token) >= MIN_TOKEN_BYTES and receipt_code(self.ballot_id, token) == self.code


def issue_receipt(ballot_id: str, token: bytes) -> Receipt:
    """The receipt for a paper cast in ``ballot_id`` with the caller's random ``token``."""
    return Receipt(ballot_id, token.hex(), receipt_code(ballot_id, token))


def published_ballot_set(papers: Iterable[tuple[str, P]]) -> tuple[tuple[str, P], ...]:
    """The anonymised ballot set: ``(code, paper)`` pairs sorted by code; codes must be unique."""
    out = sorted(papers, key=lambda cp: cp[0])
    for a, b in pairwise(out):
        if a[0] == b[0]:
            raise InvalidInput(f"receipt code {a[0]} appears twice in one ballot box")
    return tuple(out)


def find_receipt(published: Sequence[tuple[str, P]], receipt: Receipt) -> P | None:
    """The voter's paper in the published set, or ``None`` if it is not there.

    ``published`` must be sorted by code (as :func:`published_ballot_set` returns it).
    """
    if not receipt.verify():
        raise InvalidInput("the receipt's code does not follow from its token")
    lo, hi = 0, len(published)
    while lo < hi:
        mid = (lo + hi) // 2
        if published[mid][0] < receipt.code:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(published) and published[lo][0] == receipt.code:
        return published[lo][1]
    return None
