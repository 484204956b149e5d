"""Rich progress for long CLI runs: one line per stage, on stderr, gone when done."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

T = TypeVar("T")

_console = Console(stderr=True)


class Stages:
    """Run named stages under a progress display."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def run(self, label: str, fn: Callable[[], T]) -> T:
        task = self._progress.add_task(label, total=1)
        result = fn()
        self._progress.update(task, completed=1, description=f"{label} [green]done")
        return result


@contextmanager
def stages(quiet: bool = False) -> Iterator[Stages]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=_console,
        transient=True,
        disable=quiet or not _console.is_terminal,
    )
    with progress:
        yield Stages(progress)
