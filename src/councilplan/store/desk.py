"""The casting desk: a first vote writes both halves of the ballot at once.

The marked register (who) and the ballot box (what) are written together or not
at all, and share nothing (see :mod:`councilplan.store.tables`):

* **PostgreSQL** -- one statement, atomic on its own (run in autocommit: no BEGIN
  or COMMIT round trips)::

      WITH marked AS (INSERT INTO marked_register ... SELECT ... FROM ballot_electorate
                      JOIN ballots ... WHERE <member in electorate> AND status = 'open'
                      FOR SHARE OF ballots RETURNING 1)
      INSERT INTO ballot_box ... SELECT ... FROM marked

  so the paper goes in only if the member was marked just now; the shared lock
  on the ballot's row makes a close wait for it, as for every cast;
* **SQLite** -- the same two inserts in the (group-committed) transaction.

A re-vote likewise moves the register's check to the new receipt, takes the old
paper out and puts the new one in, in one statement on PostgreSQL (each step only
if the one before it happened) and in one transaction on SQLite.

A submission sent again (its answer was lost) finds what the first one wrote with
:meth:`CastingDesk.resubmitted`: whether the paper stored under the token's receipt
code is the one sent, if the member's mark carries that same token's re-vote check --
a lookup only the holder of the token can make, which writes nothing and reads no
paper back.
"""

from __future__ import annotations

from sqlalchemy import (
    Connection,
    String,
    bindparam,
    delete,
    exists,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from councilplan.councils.ballot import BallotStatus
from councilplan.errors import InvalidInput, PreconditionFailed, Problem
from councilplan.store.box import BallotBox
from councilplan.store.prepared import Prepared
from councilplan.store.register import MarkedRegister
from councilplan.store.tables import ballot_box, ballot_electorate, ballots, marked_register

__all__ = ["CastingDesk"]

_marked = (
    insert(marked_register).from_select(
        ["ballot_id", "member_id", "revote_check"],
        select(ballot_electorate.c.ballot_id, ballot_electorate.c.member_id,
               bindparam("c", type_=String()))
        .join(ballots, ballots.c.ballot_id == ballot_electorate.c.ballot_id)
        .where(
            ballot_electorate.c.ballot_id == bindparam("b"),
            ballot_electorate.c.member_id == bindparam("m"),
            ballots.c.status == bindparam("open"),
        )
        .with_for_update(read=True, of=ballots),
    )
    .returning(literal_column("1").label("one"))
    .cte("marked")
)

_FIRST_VOTE = Prepared(
    insert(ballot_box).from_select(
        ["ballot_id", "receipt_code", "paper"],
        select(bindparam("b2", type_=String()), bindparam("code", type_=String()),
               bindparam("p", type_=String())).select_from(_marked),
    )
)


_ok = (
    select(literal_column("1").label("one")).select_from(ballots)
    .where(ballots.c.ballot_id == bindparam("b"), ballots.c.status == bindparam("open"))
    .with_for_update(read=True)
    .cte("open_ballot")
)
_remarked = (
    update(marked_register)
    .where(
        marked_register.c.ballot_id == bindparam("b"),
        marked_register.c.member_id == bindparam("m"),
        marked_register.c.revote_check == bindparam("old"),
        exists(select(_ok.c.one)),
    )
    .values(revote_check=bindparam("new"))
    .returning(literal_column("1").label("one"))
    .cte("remarked")
)
_taken = (
    delete(ballot_box)
    .where(
        ballot_box.c.ballot_id == bindparam("b"),
        ballot_box.c.receipt_code == bindparam("old_code"),
        exists(select(_remarked.c.one)),
    )
    .returning(literal_column("1").label("one"))
    .cte("taken")
)
_REPLACE_VOTE = Prepared(
    insert(ballot_box).from_select(
        ["ballot_id", "receipt_code", "paper"],
        select(bindparam("b2", type_=String()), bindparam("code", type_=String()),
               bindparam("p", type_=String())).select_from(_taken),
    )
)


def token_reused() -> InvalidInput:
    return InvalidInput("this receipt token was used before: draw a fresh random token "
                        "(secrets.token_bytes(32))")


def already_voted(ballot_id: str, member_id: str) -> PreconditionFailed:
    return PreconditionFailed(
        f"member {member_id} has voted in ballot {ballot_id} already",
        [Problem(ballot_id, "to change your vote before the close, present the receipt of "
                 "your last vote: it replaces that paper")],
    )


class CastingDesk:
    def __init__(self, conn: Connection, register: MarkedRegister, box: BallotBox) -> None:
        self._conn = conn
        self._register = register
        self._box = box

    def first_vote(self, ballot_id: str, member_id: str, revote_check: str, code: str,
                   paper: str) -> bool:
        """Mark the member and put the paper; ``False`` (nothing written) when the member
        is not in the electorate or the ballot's status is not open. Raises
        :class:`PreconditionFailed` when the member has voted already."""
        if self._conn.dialect.name == "postgresql":
            params = {"b": ballot_id, "m": member_id, "c": revote_check,
                      "open": BallotStatus.OPEN.value, "b2": ballot_id, "code": code,
                      "p": paper}
            try:
                done = _FIRST_VOTE.execute(self._conn, params)
            except IntegrityError as exc:
                if "ballot_box" in str(exc.orig):
                    raise token_reused() from None
                raise already_voted(ballot_id, member_id) from None
            return done.rowcount == 1
        if not self._register.mark(ballot_id, member_id, revote_check):
            return False
        self._box.put(ballot_id, code, paper)
        return True

    def resubmitted(self, ballot_id: str, member_id: str, check: str, code: str,
                    paper: str) -> bool | None:
        """Whether the member's last vote was cast with the token behind ``check`` and
        ``code``: ``None`` if not; else whether its paper is ``paper``. The comparison
        is made by the database, so no paper is read back (nor logged) while voting."""
        same = self._conn.execute(
            select((ballot_box.c.paper == paper).label("same"))
            .select_from(marked_register.join(
                ballot_box, ballot_box.c.ballot_id == marked_register.c.ballot_id))
            .where(marked_register.c.ballot_id == ballot_id,
                   marked_register.c.member_id == member_id,
                   marked_register.c.revote_check == check,
                   ballot_box.c.receipt_code == code)
        ).scalar_one_or_none()
        return None if same is None else bool(same)

    def replace_vote(self, ballot_id: str, member_id: str, old_check: str, new_check: str,
                     old_code: str, code: str, paper: str) -> bool:
        """Replace the member's last paper (``old_code``, whose token gives ``old_check``) by a
        new one; ``False`` (nothing written) unless the ballot's status is open, the
        register's check is ``old_check`` and that paper is in the box."""
        if self._conn.dialect.name == "postgresql":
            params = {"b": ballot_id, "m": member_id, "open": BallotStatus.OPEN.value,
                      "old": old_check, "new": new_check, "old_code": old_code,
                      "b2": ballot_id, "code": code, "p": paper}
            return _REPLACE_VOTE.execute(self._conn, params).rowcount == 1
        if not self._register.remark(ballot_id, member_id, old_check, new_check):
            return False
        if not self._box.take(ballot_id, old_code):
            raise PreconditionFailed(
                f"the vote in ballot {ballot_id} cannot be replaced",
                [Problem(ballot_id, "the earlier paper is not in the box")],
            )
        self._box.put(ballot_id, code, paper)
        return True
