"""Plain file I/O below everything that writes: output/, the cache and the import.

Writing files so that a crash or a full disk never leaves one half-written.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path


def write_atomic(target: Path, content: str | bytes, *, durable: bool = True, sweep: bool = True) -> None:
    """Write to a temporary file beside ``target``, then rename it over ``target``.

    The temporary file's name carries our process ID, so one left behind by a write that was
    killed is recognised, and removed, the next time anything writes ``target`` (``sweep``;
    a writer of many files in one folder, the cache, sweeps the folder once instead:
    ``remove_stale_temporaries``). ``durable`` waits for the disk (fsync) before the rename;
    the cache, whose entries are rebuilt when lost and refused when torn, does without.
    """
    target = Path(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if sweep:
        _remove_stale_temporaries(target)
    fd, tmp = _new_temporary(target)
    try:
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)  # not yet the file object's to close
            raise
        with handle:
            os.chmod(tmp, _mode_for(target))
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMPORARY_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOINHERIT", 0)
)


def _new_temporary(target: Path) -> tuple[int, Path]:
    """A file of our own beside ``target``, ``.<name>.<pid>.<random>.tmp``, open for writing.

    What ``tempfile.mkstemp`` does (a random name, created only if it does not exist, readable
    by us alone until ``write_atomic`` gives it the target's mode), without importing
    ``tempfile``, and ``random`` with it, into every run that writes: the query run after a
    month's reports were corrected writes two cache entries and nothing else."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
        try:
            return os.open(tmp, _TEMPORARY_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(target.parent))


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual ones (0666 less umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale_temporaries(target: Path) -> None:
    """Delete ``.<name>.<pid>.*.tmp`` files beside ``target`` whose writer no longer runs."""
    _sweep(target.parent or Path("."), f".{target.name}.")


def remove_stale_temporaries(folder: Path) -> None:
    """Delete every ``write_atomic`` temporary in ``folder`` whose writer no longer runs."""
    _sweep(folder, ".")


def _sweep(folder: Path, prefix: str) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        parts = name[len(prefix) :].split(".")
        # .<name>.<pid>.<random>.tmp: the pid is the third part from the end
        pid = parts[-3] if len(parts) >= 3 else ""
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours
        return True
    return True
