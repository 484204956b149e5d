"""Password hashes: Argon2id through argon2-cffi; nothing else ever sees a password."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from councilplan.api.settings import Settings

__all__ = ["MIN_PASSWORD", "Passwords"]

MIN_PASSWORD = 10


class Passwords:
    """Hash and check passwords at the cost the settings ask for."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(time_cost=settings.argon2_time_cost,
                                      memory_cost=settings.argon2_memory_kib,
                                      parallelism=settings.argon2_parallelism)
        # checked against when the username is unknown, so a miss costs what a hit costs
        self._decoy = self._hasher.hash("councilplan decoy password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def check(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored`` (``None``: no such account; still costs
        one verification)."""
        try:
            return self._hasher.verify(stored or self._decoy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)
