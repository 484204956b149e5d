"""The tables of councilplan (SQLAlchemy Core), one :data:`metadata` for the ORM-free store.

One module per area registers its tables with :data:`metadata`; importing this package
imports them all, so ``metadata`` always holds the whole schema (for Alembic's
``compare_metadata`` and the migration tests):

* :mod:`.democracy` -- councils, members, seats, mandates, pay, ballots, the marked
  register and the ballot box, petitions, motions, the audit log.
* :mod:`.accounts` -- the web application's accounts, sessions and failed logins.
* :mod:`.disputes` -- disputes, their councils and roster events, the strike
  committee's seats, offers and their recipients, strike ballots and mandates, calls
  to action, settlements, the strike fund.
* :mod:`.plans` -- the plan cycle: catalogue, periods, needs, techniques, working time,
  snapshots, variants, plan ballots, targets, output reports.
"""

from __future__ import annotations

from councilplan.store.tables._meta import metadata
from councilplan.store.tables.accounts import *  # noqa: F403
from councilplan.store.tables.accounts import __all__ as _accounts
from councilplan.store.tables.democracy import *  # noqa: F403
from councilplan.store.tables.democracy import __all__ as _democracy
from councilplan.store.tables.disputes import *  # noqa: F403
from councilplan.store.tables.disputes import __all__ as _disputes
from councilplan.store.tables.plans import *  # noqa: F403
from councilplan.store.tables.plans import __all__ as _plans

__all__ = ["metadata", *_democracy, *_accounts, *_disputes, *_plans]
