"""The one exception tree of councilplan.

Every error the project raises on purpose is a :class:`CouncilplanError`.
The CLI and the API each translate these to messages / status codes in one
place; nothing returns ``None`` to signal failure.

::

    CouncilplanError
    ├── InvalidInput                 bad data from a person or a file
    │   ├── EconomyError             an Economy that cannot be built
    │   │   └── NotProductiveError   spectral radius of A not below 1
    │   ├── BundleError              a malformed economy bundle (file, line, field)
    │   ├── ImportError_             a real IO table that cannot be read
    │   └── BallotFileError          a malformed .blt file (line)
    ├── SolverError                  a numerical method failed
    │   └── ConvergenceError         an iterative solve missed its tolerance
    └── RuleViolation                a domain rule refuses an action
        ├── PreconditionFailed       an action whose preconditions do not hold
        └── NotFound                 a named object does not exist

Each error carries ``problems``: a tuple of :class:`Problem` values, one per
offending row, field or product, so that a person sees every fault at once,
not only the first. A message quotes the offending value with :func:`quoted`, which
cuts it short: a hostile value is never echoed whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BallotFileError",
    "BundleError",
    "ConvergenceError",
    "CouncilplanError",
    "EconomyError",
    "ImportError_",
    "InvalidInput",
    "NotFound",
    "NotProductiveError",
    "PreconditionFailed",
    "Problem",
    "RuleViolation",
    "SolverError",
    "quoted",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault: where it is (``where``: a product id, row, file:line:field) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def quoted(value: object, limit: int = 40) -> str:
    """``value``'s repr for a problem's message, cut short after about ``limit`` characters."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + "..."
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class CouncilplanError(Exception):
    """Root of every error councilplan raises on purpose."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self, limit: int = 50) -> str:
        if not self.problems:
            return self.message
        lines = [f"{self.message} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        return "\n".join(lines)


class InvalidInput(CouncilplanError):
    """Bad data from a person or a file."""


class EconomyError(InvalidInput):
    """An Economy that cannot be built: NaN, negative inputs, wrong shapes, unknown ids..."""


class NotProductiveError(EconomyError):
    """The input matrix has spectral radius >= 1: some products consume more of
    themselves (through their strongly connected group) than they yield.

    ``products`` names every product in the offending groups; ``spectral_radius``
    is the estimate for the worst group.
    """

    def __init__(
        self,
        message: str,
        products: Iterable[str],
        spectral_radius: float,
        problems: Iterable[Problem] = (),
    ) -> None:
        self.products: tuple[str, ...] = tuple(products)
        self.spectral_radius = spectral_radius
        super().__init__(message, problems)


class BundleError(InvalidInput):
    """A malformed economy bundle on disk; each problem names file, line and field."""


class ImportError_(InvalidInput):
    """A real input-output table that cannot be read or converted."""


class BallotFileError(InvalidInput):
    """A malformed ballot file (.blt); each problem names the line."""


class SolverError(CouncilplanError):
    """A numerical method failed."""


class ConvergenceError(SolverError):
    """An iterative solve did not reach its tolerance within its iteration limit."""

    def __init__(self, message: str, iterations: int, residual: float) -> None:
        self.iterations = iterations
        self.residual = residual
        super().__init__(message)


class RuleViolation(CouncilplanError):
    """A domain rule refuses an action (pay above the cap, vote after close...)."""


class PreconditionFailed(RuleViolation):
    """An action whose preconditions do not hold; ``problems`` lists each unmet one."""


class NotFound(RuleViolation):
    """A named object does not exist."""
