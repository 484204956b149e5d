"""Fresh opaque ids for objects the services create (mandates, ballots, petitions...)."""

from __future__ import annotations

import secrets

__all__ = ["new_id", "new_seed"]


def new_id(prefix: str) -> str:
    """``prefix-`` and 16 random hex digits, e.g. ``md-3f9c0a1be27d4c55``."""
    return f"{prefix}-{secrets.token_hex(8)}"


def new_seed() -> str:
    """A lot seed for one ballot: 32 random hex digits, committed to at opening."""
    return secrets.token_hex(16)
