"""A cache of loaded data, so a query costs little more than Python's start-up.

Keyed on every data file's path, size and modification time (and this program's version),
so an edited file is never answered from stale data. A missing, unreadable or corrupted
cache entry is simply rebuilt; a cache that cannot be written is skipped. Only data that
passed every check is cached: the compiled plan (all ``overdue``/``due``/``status`` need, no
Pydantic) and the validated dataset (for ``show``, ``owners``, the bulletin …). Set ``SAFETY_PLAN_NO_CACHE=1`` to bypass it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TypeVar

from safety_plan import __version__
from safety_plan.gcpause import paused_gc

T = TypeVar("T")

_MAGIC = "safety-plan-compiled-plan/1"


def cache_dir() -> Path:
    explicit = os.environ.get("SAFETY_PLAN_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safety-plan"


def enabled() -> bool:
    return not os.environ.get("SAFETY_PLAN_NO_CACHE")


def fingerprint(root: Path) -> str:
    """A digest of every file under ``root`` by path, size and modification time."""
    digest = hashlib.sha256(f"{_MAGIC}|{__version__}|{sys.version_info[:2]}".encode())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            rel = os.path.relpath(path, root)
            digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _entry(root: Path, kind: str) -> Path:
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.{kind}.pickle"


def load(root: Path, key: str, kind: type[T]) -> T | None:
    """The cached ``kind`` of object for ``root`` if it was stored under ``key``; else None."""
    try:
        raw = _entry(root, kind.__name__).read_bytes()
        with paused_gc():
            magic, stored_key, value = pickle.loads(raw)
    except Exception:  # missing, truncated, corrupted or from another version: rebuild
        return None
    if magic != _MAGIC or stored_key != key or not isinstance(value, kind):
        return None
    return value


def store(root: Path, key: str, value: object) -> None:
    """Best effort: a read-only or full disk only costs the next query its speed."""
    from safety_plan.output.files import write_atomic

    try:
        target = _entry(root, type(value).__name__)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(target, pickle.dumps((_MAGIC, key, value), protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass
