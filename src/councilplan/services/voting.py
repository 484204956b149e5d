"""Casting a vote, replacing it before the close, and "did my vote count?".

The receipt scheme is :mod:`councilplan.councils.receipt`: the voter keeps a
random token; the box stores the paper under ``receipt_code(ballot, token)``.
The marked register, in the same transaction, marks the member once.

Replacing a vote: the voter presents the token of their last vote. To make sure
only *their* last token can replace a paper (a token someone showed you must
not let you delete their paper), the register keeps
:func:`revote_check` -- ``sha256("councilplan-revote-v1" NUL ballot NUL member NUL
token)``: a different hash of the same token, bound to the member. Without the
token it cannot be tied to any receipt code, so the register still says nothing
about what anybody voted. The check is dropped when the ballot closes.

Idempotent submission: the voter's device may draw the token itself
(``secrets.token_bytes(32)``, never reused) and keep it *before* it submits, then
pass it as ``token``. If the answer is lost -- the connection dropped, the server
died after the commit -- the device still holds the receipt: ``verify_receipt`` says
whether the vote is in the box, and sending the very same submission again (same
token, same paper, same ``previous``) returns the same receipt and writes nothing,
however often it is sent and however the copies race. The same token with another
paper is refused: a change of mind is a re-vote, with the last receipt as
``previous`` and a fresh token. A token older than the member's last vote is refused
like any stale receipt.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from councilplan.councils.ballot import Ballot, BallotStatus, cast_problems
from councilplan.councils.receipt import MIN_TOKEN_BYTES, Receipt, issue_receipt, receipt_code
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.services.papers import canonical_paper, read_paper
from councilplan.services.views import ReceiptCheck
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["cast_vote", "revote_check", "verify_receipt"]

_REVOTE = b"councilplan-revote-v1\x00"


def revote_check(ballot_id: str, member_id: str, token: bytes) -> str:
    """The register's check that a presented token is the member's last receipt."""
    data = _REVOTE + ballot_id.encode("utf-8") + b"\x00" + member_id.encode("utf-8") + b"\x00"
    return hashlib.sha256(data + token).hexdigest()


def _token(value: object, field: str) -> bytes:
    """A receipt token given as bytes, hex text or a :class:`Receipt`."""
    if isinstance(value, Receipt):
        value = value.token_hex
    if isinstance(value, str):
        try:
            value = bytes.fromhex(value.strip())
        except ValueError:
            raise InvalidInput("not a receipt token",
                               [Problem(field, "expected hexadecimal digits")]) from None
    if not isinstance(value, bytes):
        raise InvalidInput("not a receipt token",
                           [Problem(field, f"expected bytes or hex text, not "
                                           f"{type(value).__name__}")])
    if len(value) < MIN_TOKEN_BYTES:
        raise InvalidInput("not a receipt token", [Problem(
            field, f"too short: a receipt token is at least {MIN_TOKEN_BYTES} random bytes")])
    return value


def _ensure_open(uow: UnitOfWork, ballot_id: str, member_id: str, now: datetime) -> None:
    """Refuse unless the ballot is open at ``now`` (holding its row in share mode)."""
    view = uow.ballots.casting_view(ballot_id)
    if not (view.status is BallotStatus.OPEN and view.opens_at <= now < view.closes_at):
        probe = Ballot(ballot_id, "-", "-", view.options, view.method, view.opens_at,
                       view.closes_at, seats=view.seats, status=view.status)
        raise PreconditionFailed(f"no vote in ballot {ballot_id} now",
                                 cast_problems(probe, member_id, now))


def _refusal(uow: UnitOfWork, ballot_id: str, member_id: str, now: datetime) -> Exception:
    """Why a first vote marked nobody: the ballot is not open, or not their ballot."""
    _ensure_open(uow, ballot_id, member_id, now)
    return PreconditionFailed(f"no vote in ballot {ballot_id} now",
                              [Problem(ballot_id, "not in this ballot's electorate")])


def _resubmitted(uow: UnitOfWork, ballot_id: str, member_id: str, check: str,
                 receipt: Receipt, paper: str) -> bool:
    """Whether this submission was stored already (its answer lost): the member's last
    vote carries this token. Refused when that vote holds another paper."""
    same = uow.desk.resubmitted(ballot_id, member_id, check, receipt.code, paper)
    if same is None:
        return False
    if not same:
        raise InvalidInput(
            f"this receipt token was used for another paper in ballot {ballot_id}",
            [Problem("token", "a submission sent again must carry the same paper; to change "
                     "your vote, present this receipt as the previous one with a fresh token")],
        )
    return True


def cast_vote(
    uow: UnitOfWork,
    ballot_id: str,
    member_id: str,
    choice: Any,
    now: datetime,
    *,
    previous: Receipt | str | bytes | None = None,
    token: bytes | str | None = None,
) -> Receipt:
    """Cast ``member_id``'s paper ``choice`` (see :mod:`councilplan.services.papers`).

    Returns the receipt (keep ``token_hex``: it is the only way to check the vote or
    replace it). A second vote must present ``previous`` (the last receipt or its
    token): it replaces that paper, never adds one. Refused when the ballot is not
    open at ``now``, the member is not in its electorate, or the paper is invalid.

    ``token``: the receipt token the voter's device drew (bytes or hex, at least 16
    random bytes, never used before); by default the server draws one. Sending the
    same submission again returns the same receipt and changes nothing (see the
    module docstring).
    """
    token = secrets.token_bytes(32) if token is None else _token(token, "token")
    old = None if previous is None else _token(previous, "previous")
    if old == token:
        raise InvalidInput("a re-vote needs a fresh receipt token",
                           [Problem("token", "the same as the previous receipt's token")])
    receipt = issue_receipt(ballot_id, token)
    with uow.casting(single_statement=True):
        shape = uow.ballots.shape(ballot_id)
        if not shape.opens_at <= now < shape.closes_at:
            _ensure_open(uow, ballot_id, member_id, now)
        paper = canonical_paper(shape.method, shape.options, choice)
        check = revote_check(ballot_id, member_id, token)
        if old is None:
            try:
                done = uow.desk.first_vote(ballot_id, member_id, check, receipt.code, paper)
            except PreconditionFailed:  # marked already: this very vote, sent again?
                if _resubmitted(uow, ballot_id, member_id, check, receipt, paper):
                    return receipt
                raise
            if not done:
                raise _refusal(uow, ballot_id, member_id, now)
        elif not uow.desk.replace_vote(ballot_id, member_id,
                                       revote_check(ballot_id, member_id, old), check,
                                       receipt_code(ballot_id, old), receipt.code, paper):
            if _resubmitted(uow, ballot_id, member_id, check, receipt, paper):
                return receipt
            _ensure_open(uow, ballot_id, member_id, now)
            raise PreconditionFailed(
                f"the vote in ballot {ballot_id} cannot be replaced",
                [Problem(ballot_id, "that receipt is not the member's last vote in this "
                         "ballot (or the member has not voted)")],
            )
    return receipt


def verify_receipt(uow: UnitOfWork, ballot_id: str, receipt: Receipt | str | bytes) -> ReceiptCheck:
    """Did my vote count? Finds the receipt's paper in the box (the paper itself is shown
    only after the close, when the whole anonymised set is published)."""
    token = _token(receipt, "receipt")
    code = receipt_code(ballot_id, token)
    with uow.reading():
        record = uow.ballots.get(ballot_id)
        closed = record.ballot.status is BallotStatus.CLOSED
        # before the close the paper is not even read (so never logged): only whether it is in
        paper = uow.box.find(ballot_id, code) if closed else None
        found = paper is not None if closed else uow.box.holds(ballot_id, code)
        return ReceiptCheck(
            ballot_id=ballot_id, code=code, status=record.ballot.status.value,
            found=found, counted=closed and found,
            paper=read_paper(paper) if paper is not None else None,
        )
