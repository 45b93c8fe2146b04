"""Plain file I/O below everything that writes: output/, the cache and the import.

Writing files so that a crash or a full disk never leaves one half-written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``target``, then rename it over ``target``."""
    target = Path(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual ones (0666 less umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
