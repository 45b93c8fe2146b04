"""The one writer for every ``-o``: checked before any work, written atomically, explained.

Every command that writes a file or a folder of files returns them in its ``Result``; the
command layer hands them here. The checks are the same for all: an empty path, a directory
where a file goes (or the other way round), a missing parent, a target inside the data
directory being read (a bulletin written over ``progress/2025-06.yaml`` would destroy that
month), and any error the system gives while writing (read-only, immutable, a full disk,
``/proc``) are each one line and exit 2. The bytes go through ``write_atomic``, so a target is
either the old file or the whole new one, never half of either.
"""

from __future__ import annotations

import errno
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from safety_plan.files import write_atomic
from safety_plan.problems import UsageError

if TYPE_CHECKING:
    from safety_plan.commands.base import OutputFile

_WHY = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "the file cannot be replaced (immutable or not ours)",
}


def check_output(raw: str | Path, data_dir: Path, *, directory: bool = False) -> Path:
    """The ``-o`` target as a path we may write, or a usage error (exit 2) naming why not."""
    text = str(raw) if isinstance(raw, Path) else raw
    if not text.strip():
        raise UsageError("-o: the path is empty")
    target = Path(text)
    if directory:
        if target.exists() and not target.is_dir():
            raise UsageError(f"-o: '{target}' is a file, not a directory")
    else:
        if target.is_dir():
            raise UsageError(f"-o: '{target}' is a directory, not a file")
        _refuse_special(target)
        parent = target.parent
        if not parent.is_dir():
            raise UsageError(f"-o: directory '{parent}' not found")
    _refuse_inside_data(target, data_dir)
    return target


def _refuse_special(target: Path) -> None:
    """A device, FIFO or socket is not a file we replace (renaming over /dev/full as root
    would destroy the device)."""
    try:
        mode = target.lstat().st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise UsageError(f"-o: '{target}' is not a regular file; write to a file")


def _refuse_inside_data(target: Path, data_dir: Path) -> None:
    try:
        inside = target.resolve().is_relative_to(data_dir.resolve())
    except OSError:
        return
    if inside:
        raise UsageError(
            f"-o: '{target}' is inside the data directory '{data_dir}', whose files this command "
            "reads; write it elsewhere"
        )


def write_outputs(files: Iterable[OutputFile], data_dir: Path) -> None:
    """Write each file atomically, checked like ``-o``; folders are created as needed."""
    for file in files:
        _refuse_inside_data(file.path, data_dir)
        try:
            file.path.parent.mkdir(parents=True, exist_ok=True)
            if file.path.is_dir():
                raise UsageError(f"-o: '{file.path}' is a directory, not a file")
            _refuse_special(file.path)
            write_atomic(file.path, file.content)
        except OSError as exc:
            why = _WHY.get(exc.errno or 0) or exc.strerror or str(exc)
            raise UsageError(f"-o: cannot write '{file.path}': {why}") from None


__all__ = ["check_output", "write_outputs"]
