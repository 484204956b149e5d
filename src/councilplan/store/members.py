"""Members, their memberships and their wage reports (personal data stays here)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, insert, select

from councilplan.councils.council import CouncilKind
from councilplan.councils.member import Member
from councilplan.councils.membership import Membership
from councilplan.councils.wage import WageReport
from councilplan.errors import NotFound, PreconditionFailed, Problem
from councilplan.store.tables import members, memberships, wage_reports

__all__ = ["MemberRepository"]

_CHUNK = 1000  # ids per IN (...) list


class MemberRepository:
    """Members by id, who belongs where, and who was paid what in which period."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- members ---------------------------------------------------------------

    def find(self, member_id: str) -> Member | None:
        row = self._conn.execute(
            select(members.c.member_id, members.c.name).where(members.c.member_id == member_id)
        ).first()
        return None if row is None else Member(row[0], row[1])

    def get(self, member_id: str) -> Member:
        found = self.find(member_id)
        if found is None:
            raise NotFound(f"member {member_id} does not exist")
        return found

    def names(self, member_ids: Iterable[str]) -> dict[str, str]:
        """The display names of those of ``member_ids`` who are members."""
        ids = sorted(set(member_ids))
        out: dict[str, str] = {}
        for i in range(0, len(ids), _CHUNK):
            rows = self._conn.execute(select(members.c.member_id, members.c.name)
                                      .where(members.c.member_id.in_(ids[i:i + _CHUNK])))
            out.update({r[0]: r[1] for r in rows})
        return out

    def add(self, member: Member) -> None:
        self._conn.execute(insert(members).values(member_id=member.member_id, name=member.name))

    def add_many(self, new: list[Member]) -> None:
        rows = [{"member_id": m.member_id, "name": m.name} for m in new]
        for k in range(0, len(rows), 20_000):
            self._conn.execute(insert(members), rows[k:k + 20_000])

    def existing(self, member_ids: Iterable[str]) -> set[str]:
        """Which of ``member_ids`` are members (in chunks: any number of ids)."""
        ids = sorted(set(member_ids))
        found: set[str] = set()
        for k in range(0, len(ids), 900):
            found |= set(self._conn.execute(select(members.c.member_id).where(
                members.c.member_id.in_(ids[k:k + 900]))).scalars())
        return found

    def memberships_of_many(self, member_ids: Iterable[str]) -> dict[str, list[Membership]]:
        ids = sorted(set(member_ids))
        out: dict[str, list[Membership]] = {}
        for k in range(0, len(ids), 900):
            rows = self._conn.execute(
                select(memberships.c.member_id, memberships.c.council_id,
                       memberships.c.council_kind, memberships.c.joined_at)
                .where(memberships.c.member_id.in_(ids[k:k + 900])))
            for r in rows:
                out.setdefault(r[0], []).append(Membership(r[0], r[1], CouncilKind(r[2]), r[3]))
        return out

    def add_memberships(self, new: list[Membership]) -> None:
        rows = [{"member_id": m.member_id, "council_id": m.council_id,
                 "council_kind": m.council_kind.value, "joined_at": m.joined_at} for m in new]
        for k in range(0, len(rows), 20_000):
            self._conn.execute(insert(memberships), rows[k:k + 20_000])

    def rename(self, member_id: str, name: str) -> None:
        self._conn.execute(
            members.update().where(members.c.member_id == member_id).values(name=name)
        )

    # -- memberships -----------------------------------------------------------

    def memberships_of(self, member_id: str) -> list[Membership]:
        rows = self._conn.execute(
            select(memberships.c.member_id, memberships.c.council_id,
                   memberships.c.council_kind, memberships.c.joined_at)
            .where(memberships.c.member_id == member_id)
            .order_by(memberships.c.council_id)
        )
        return [Membership(r[0], r[1], CouncilKind(r[2]), r[3]) for r in rows]

    def add_membership(self, membership: Membership) -> None:
        self._conn.execute(insert(memberships).values(
            member_id=membership.member_id, council_id=membership.council_id,
            council_kind=membership.council_kind.value, joined_at=membership.joined_at,
        ))

    def remove_membership(self, member_id: str, council_id: str) -> None:
        self._conn.execute(delete(memberships).where(
            memberships.c.member_id == member_id, memberships.c.council_id == council_id,
        ))

    def own_members(self, council_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        """Direct members of each of ``council_ids`` (missing: none)."""
        ids = sorted(set(council_ids))
        acc: dict[str, set[str]] = {}
        if not ids:
            return {}
        rows = self._conn.execute(
            select(memberships.c.council_id, memberships.c.member_id)
            .where(memberships.c.council_id.in_(ids))
        )
        for council_id, member_id in rows:
            acc.setdefault(council_id, set()).add(member_id)
        return {k: frozenset(v) for k, v in acc.items()}

    def members_of(self, council_id: str) -> list[tuple[Member, Membership]]:
        """Direct members of one council, by member id."""
        rows = self._conn.execute(
            select(members.c.member_id, members.c.name, memberships.c.council_kind,
                   memberships.c.joined_at)
            .join(memberships, memberships.c.member_id == members.c.member_id)
            .where(memberships.c.council_id == council_id)
            .order_by(members.c.member_id)
        )
        return [
            (Member(r[0], r[1]), Membership(r[0], council_id, CouncilKind(r[2]), r[3]))
            for r in rows
        ]

    def count_direct(self) -> dict[str, int]:
        """Direct members per council id."""
        rows = self._conn.execute(
            select(memberships.c.council_id, func.count()).group_by(memberships.c.council_id)
        )
        return {r[0]: int(r[1]) for r in rows}

    # -- wage reports ----------------------------------------------------------

    def add_wage(self, report: WageReport) -> None:
        """Store one report; a second report for the same period is refused."""
        exists = self._conn.execute(
            select(wage_reports.c.member_id).where(
                wage_reports.c.member_id == report.member_id,
                wage_reports.c.period == report.period,
            )
        ).first()
        if exists is not None:
            raise PreconditionFailed(
                f"member {report.member_id} has already reported a wage for {report.period}",
                [Problem(report.member_id, "one wage report per member and pay period")],
            )
        self._conn.execute(insert(wage_reports).values(
            member_id=report.member_id, period=report.period, amount=report.amount,
        ))

    def wage_reports(
        self, period: str, member_ids: Iterable[str] | None = None
    ) -> list[WageReport]:
        """Reports for ``period`` (of ``member_ids`` only, when given), by member id."""
        stmt = select(wage_reports.c.member_id, wage_reports.c.period, wage_reports.c.amount).where(
            wage_reports.c.period == period
        )
        rows = list(self._conn.execute(stmt.order_by(wage_reports.c.member_id)))
        wanted = None if member_ids is None else set(member_ids)
        return [WageReport(r[0], r[1], r[2]) for r in rows if wanted is None or r[0] in wanted]
