"""The marked register: *who* voted in a ballot, never *what*.

One row per ballot and member (primary key ``(ballot_id, member_id)``): a member
is marked once however often they re-vote, so a count can never double. The row
has no timestamp and no sequence, and nothing in it names a paper in the ballot
box. ``revote_check`` is a keyed hash of the voter's latest receipt token
(:func:`councilplan.services.voting.revote_check`): it lets only the holder of that
receipt replace the vote, and without the token it cannot be tied to a receipt code.
"""

from __future__ import annotations

from sqlalchemy import Connection, String, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from councilplan.councils.ballot import BallotStatus
from councilplan.errors import PreconditionFailed, Problem
from councilplan.store.prepared import Prepared
from councilplan.store.tables import ballot_electorate, ballots, marked_register

__all__ = ["MarkedRegister"]


# mark a member of the electorate while the ballot is open (0 rows otherwise), holding
# the ballot's row in share mode like any cast (the caller checks the ballot's fixed
# times)
_MARK = Prepared(insert(marked_register).from_select(
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
))

_REMARK = Prepared(update(marked_register).where(
    marked_register.c.ballot_id == bindparam("b"),
    marked_register.c.member_id == bindparam("m"),
    marked_register.c.revote_check == bindparam("old"),
).values(revote_check=bindparam("new")))


class MarkedRegister:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def mark(self, ballot_id: str, member_id: str, revote_check: str) -> bool:
        """Mark ``member_id`` as having voted; ``False`` when they are not in the electorate
        or the ballot's status is not open (the caller finds out which, and checks the
        ballot's times).

        Raises :class:`PreconditionFailed` when they are marked already (a re-vote must
        present the earlier receipt, see :meth:`remark`).
        """
        params = {"b": ballot_id, "m": member_id, "c": revote_check,
                  "open": BallotStatus.OPEN.value}
        try:
            done = _MARK.execute(self._conn, params)
        except IntegrityError:
            raise PreconditionFailed(
                f"member {member_id} has voted in ballot {ballot_id} already",
                [Problem(ballot_id, "to change your vote before the close, present the "
                         "receipt of your last vote: it replaces that paper")],
            ) from None
        return done.rowcount == 1

    def remark(self, ballot_id: str, member_id: str, old_check: str, new_check: str) -> bool:
        """Move the member's mark to a new receipt; ``False`` unless ``old_check`` is theirs."""
        done = _REMARK.execute(self._conn, {"b": ballot_id, "m": member_id, "old": old_check,
                                            "new": new_check})
        return done.rowcount == 1

    def has_voted(self, ballot_id: str, member_id: str) -> bool:
        row = self._conn.execute(select(marked_register.c.member_id).where(
            marked_register.c.ballot_id == ballot_id, marked_register.c.member_id == member_id,
        )).first()
        return row is not None

    def count(self, ballot_id: str) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(marked_register)
            .where(marked_register.c.ballot_id == ballot_id)
        ).scalar_one())

    def voters(self, ballot_id: str) -> list[str]:
        """Who voted (the marked register is not secret; the box is), by member id."""
        return list(self._conn.execute(
            select(marked_register.c.member_id).where(marked_register.c.ballot_id == ballot_id)
            .order_by(marked_register.c.member_id)
        ).scalars().all())

    def seal(self, ballot_id: str) -> int:
        """Rewrite the ballot's marks in member order within the closing transaction, so
        on PostgreSQL no mark keeps the transaction id (``xmin``) or heap position of
        the cast that wrote it; the re-vote checks are dropped (voting is over)."""
        ids = self.voters(ballot_id)
        self._conn.execute(delete(marked_register).where(marked_register.c.ballot_id == ballot_id))
        if ids:
            self._conn.execute(insert(marked_register), [
                {"ballot_id": ballot_id, "member_id": m, "revote_check": "sealed"} for m in ids
            ])
        return len(ids)
