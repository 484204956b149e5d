"""The one place where the CLI turns project errors into messages and exit codes.

Exit codes: 0 success; 1 a rule refused the action or the check failed;
2 bad input (file, row, field); 3 a numerical method failed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from councilplan.errors import CouncilplanError, InvalidInput, SolverError

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True)


def exit_code_for(exc: CouncilplanError) -> int:
    if isinstance(exc, InvalidInput):
        return 2
    if isinstance(exc, SolverError):
        return 3
    return 1


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command: a :class:`CouncilplanError` becomes a clear message on
    stderr listing every problem, and a non-zero exit code; no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CouncilplanError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            for p in exc.problems[:200]:
                err_console.print(f"  - {p}", highlight=False, markup=False)
            if len(exc.problems) > 200:
                err_console.print(f"  ... and {len(exc.problems) - 200} more", highlight=False)
            raise typer.Exit(exit_code_for(exc)) from None

    return wrapper
