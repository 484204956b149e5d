"""The councils and the tree they form."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from councilplan.councils.council import Council, CouncilKind, CouncilTree
from councilplan.errors import NotFound
from councilplan.store.tables import councils
from councilplan.store.types import AnyRow

__all__ = ["CouncilRepository"]


def _council(row: AnyRow) -> Council:
    return Council(row[0], row[1], CouncilKind(row[2]), row[3])


class CouncilRepository:
    """Councils by id; :meth:`tree` loads the whole (small) federation tree."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, council: Council, at: datetime) -> None:
        self._conn.execute(councils.insert().values(
            council_id=council.council_id, name=council.name, kind=council.kind.value,
            parent_id=council.parent_id, created_at=at,
        ))

    def add_many(self, new: list[Council], at: datetime) -> None:
        """Insert many councils at once (parents first in the list)."""
        rows = [{"council_id": c.council_id, "name": c.name, "kind": c.kind.value,
                 "parent_id": c.parent_id, "created_at": at} for c in new]
        for k in range(0, len(rows), 20_000):
            self._conn.execute(councils.insert(), rows[k:k + 20_000])

    def get(self, council_id: str) -> Council:
        row = self._conn.execute(
            select(councils.c.council_id, councils.c.name, councils.c.kind, councils.c.parent_id)
            .where(councils.c.council_id == council_id)
        ).first()
        if row is None:
            raise NotFound(f"council {council_id} does not exist")
        return _council(row)

    def all(self) -> list[Council]:
        rows = self._conn.execute(
            select(councils.c.council_id, councils.c.name, councils.c.kind, councils.c.parent_id)
            .order_by(councils.c.council_id)
        )
        return [_council(r) for r in rows]

    def tree(self) -> CouncilTree:
        """Every council as a validated :class:`CouncilTree`."""
        return CouncilTree.of(self.all())
