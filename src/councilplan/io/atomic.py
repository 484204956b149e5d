"""Atomic writes: a file or a folder appears whole, or not at all.

A writer fills a temporary file (or folder) *beside* the target, in the same
directory and hence on the same file system, flushes it to disk, and only then
renames it into place. ``rename`` within one file system is atomic, so a reader
sees either the old content or the new, never a half-written bundle. If the
writer fails midway, the temporary is removed and the target is untouched.

A folder cannot be renamed over a non-empty folder, so replacing a folder takes
two renames: the old one is moved aside, the new one moved in, and the old one
deleted; if the second rename fails, the old one is moved back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_file", "atomic_folder"]


def _fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _new_file(parent: Path, name: str) -> tuple[int, Path]:
    """A new, empty temporary file beside ``name`` (permissions as the umask allows)."""
    for _ in range(100):
        tmp = parent / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {parent / name}")


def _new_folder(parent: Path, name: str, kind: str) -> Path:
    """A new, empty temporary folder beside ``name`` (permissions as the umask allows)."""
    for _ in range(100):
        tmp = parent / f".{name}.{secrets.token_hex(6)}.{kind}"
        try:
            tmp.mkdir()
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {parent / name}")


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary binary file beside ``path``; on success rename it to ``path``.

    ``path`` may already exist (it is replaced) but must not be a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_file(parent, path.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(parent)


@contextlib.contextmanager
def atomic_folder(
    path: Path, *, may_replace: Callable[[Path], bool] = lambda p: True
) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``path``; on success it becomes ``path``.

    An existing ``path`` is replaced only if ``may_replace(path)`` says so (the caller
    checks that it is something it may overwrite); otherwise :class:`FileExistsError`
    is raised before anything is written.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.exists() and not (path.is_dir() and may_replace(path)):
        raise FileExistsError(f"{path} exists and is not something this writer may replace")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_folder(parent, path.name, "tmp")
    try:
        yield tmp
        for child in tmp.iterdir():
            if child.is_file():
                with open(child, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(tmp)
        if path.exists():
            old = _new_folder(parent, path.name, "old")
            os.rename(path, old / "content")
            try:
                os.rename(tmp, path)
            except BaseException:
                os.rename(old / "content", path)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(parent)
