"""A cache of opened data sets, so a query costs little more than Python's start-up.

An entry holds a pickled value (the compiled plan, or the validated dataset) under the
fingerprint of the files and code it was built from (``fingerprint``). Unpickling can run
code, and the cache folder is a place others can write (a CI cache restored from shared
storage), so every entry carries an HMAC-SHA256 made with a key this user alone can read,
kept outside the cache folder (``cache_key_path``, mode 0600): an entry that was not written
by this user's own runs is never unpickled. A missing, corrupted, forged or stale entry is
rebuilt; a cache that cannot be written, or a key that cannot be trusted, is skipped.
Set ``SAFETY_PLAN_NO_CACHE=1`` to bypass it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from safety_plan.gcpause import paused_gc

if TYPE_CHECKING:
    from pydantic import BaseModel

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")

_MAGIC = b"safety-plan-cache/2\n"
_MAC_SIZE = 32
_KEY_SIZE = 32


def cache_dir() -> Path:
    explicit = os.environ.get("SAFETY_PLAN_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safety-plan"


def cache_key_path() -> Path:
    """Where the key lives: ``SAFETY_PLAN_CACHE_KEY``, else the user's state folder."""
    explicit = os.environ.get("SAFETY_PLAN_CACHE_KEY")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "safety-plan" / "cache.key"


def enabled() -> bool:
    return not os.environ.get("SAFETY_PLAN_NO_CACHE")


def load(root: Path, key: str, kind: type[T], *, slot: str = "") -> T | None:
    """The cached ``kind`` of value for ``root`` if it was stored under ``key`` by this user.
    A ``slot`` names one of several entries of the same kind (one answer per command)."""
    name = _kind_name(kind.__name__, slot)
    value = _read(_entry(root, name), _header(key, name))
    return value if isinstance(value, kind) else None


def store(root: Path, key: str, value: object, *, slot: str = "") -> None:
    """Best effort: a read-only or full disk only costs the next query its speed."""
    name = _kind_name(type(value).__name__, slot)
    _write(_entry(root, name), _header(key, name), value)


def _kind_name(kind: str, slot: str) -> str:
    return f"{kind}-{slot}" if slot else kind


def last_written(root: Path) -> float | None:
    """When the newest of ``root``'s entries (its plan, its answers …) was written, or None."""
    prefix = _root_name(root) + "."
    newest: float | None = None
    try:
        with os.scandir(cache_dir()) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".cache"):
                    written = entry.stat(follow_symlinks=False).st_mtime
                    newest = written if newest is None else max(newest, written)
    except OSError:
        return None
    return newest


def load_part(file: Path, key: str, kind: type[T]) -> T | None:
    """What was built from ``file`` alone, if stored under ``key`` by this user."""
    value = _read(_file_entry(file, kind.__name__), _header(key, kind.__name__))
    return value if isinstance(value, kind) else None


def store_part(file: Path, key: str, value: object) -> None:
    _write(_file_entry(file, type(value).__name__), _header(key, type(value).__name__), value)


class FileCache:
    """One entry per data file, keyed on its contents and the code: after editing one month,
    only that file is parsed again (``loading.FileMemo``)."""

    def recall(self, file: Path, raw: bytes, model: type[M]) -> M | None:
        return recall_file(file, raw, model)

    def remember(self, file: Path, raw: bytes, value: BaseModel) -> None:
        remember_file(file, raw, value)


def recall_file(file: Path, raw: bytes, kind: type[T]) -> T | None:
    """What was made of ``file`` when it held ``raw`` (with this code), if this user stored it."""
    return load_part(file, _contents_key(raw), kind)


def remember_file(file: Path, raw: bytes, value: object) -> None:
    store_part(file, _contents_key(raw), value)


def _read(entry: Path, header: bytes) -> object | None:
    secret = _secret()
    if secret is None:
        return None
    mac_end = len(_MAGIC) + _MAC_SIZE
    try:
        with open(entry, "rb") as handle:
            raw = handle.read(mac_end + len(header))
            if raw[: len(_MAGIC)] != _MAGIC or raw[mac_end:] != header:
                # Another format, another data set's state or another kind: not ours to read,
                # nor to read on (after an edit, the whole plan's entry is half a megabyte).
                return None
            raw += handle.read()
    except OSError:
        return None
    expected = hmac.digest(secret, raw[mac_end:], hashlib.sha256)
    if not hmac.compare_digest(raw[len(_MAGIC) : mac_end], expected):
        return None  # forged, corrupted or written with another key: never unpickled
    try:
        with paused_gc():
            value: object = pickle.loads(raw[mac_end + len(header) :])
    except Exception:  # authentic but unreadable (a changed class): rebuild
        return None
    return value


def _write(entry: Path, header: bytes, value: object) -> None:
    secret = _secret()
    if secret is None:
        return
    from safety_plan.files import write_atomic  # only when writing

    try:
        with paused_gc():  # pickling a large plan with the collector on takes twice as long
            body = header + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _sweep_once(entry.parent)
        # No fsync: a lost entry is rebuilt and a torn one fails its MAC. A city writes a
        # thousand entries on its first run; waiting for the disk each time cost seconds.
        write_atomic(
            entry, _MAGIC + hmac.digest(secret, body, hashlib.sha256) + body, durable=False, sweep=False
        )
    except (OSError, pickle.PicklingError):
        pass


@cache
def _sweep_once(folder: Path) -> None:
    """Remove a killed run's temporaries once per run and folder, not once per entry written
    (the files folder holds an entry per data file: scanning it for each would be quadratic)."""
    from safety_plan.files import remove_stale_temporaries

    remove_stale_temporaries(folder)


def _header(key: str, kind: str) -> bytes:
    return f"{kind}\0{key}\n".encode()


def _contents_key(raw: bytes) -> str:
    """A file's own key: its contents and the code."""
    from safety_plan.opening.fingerprint import code_fingerprint, contents_digest

    return f"{contents_digest(raw)}\0{code_fingerprint()}"


def _file_entry(file: Path, kind: str) -> Path:
    name = hashlib.sha256(os.path.abspath(file).encode()).hexdigest()[:24]
    return cache_dir() / "files" / f"{name}.{kind}.cache"


def _entry(root: Path, kind: str) -> Path:
    return cache_dir() / f"{_root_name(root)}.{kind}.cache"


def _root_name(root: Path) -> str:
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]


def _secret() -> bytes | None:
    """This user's cache key, made on first use; None when it cannot be trusted or made."""
    return _secret_at(cache_key_path(), cache_dir())


@cache
def _secret_at(path: Path, folder: Path) -> bytes | None:
    try:
        if _is_within(path, folder):
            return None  # a key inside the cache would travel with it
        return _read_key(path) or _make_key(path)
    except (OSError, RuntimeError):
        return None


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            raise RuntimeError("cache key readable by others or not this user's")
        secret = handle.read(_KEY_SIZE + 1)
    if len(secret) != _KEY_SIZE:
        raise RuntimeError("cache key of the wrong size")
    return secret


def _make_key(path: Path) -> bytes | None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    import secrets

    secret = secrets.token_bytes(_KEY_SIZE)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:  # another run made it first
        return _read_key(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return secret


def _private(info: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):  # Windows: the profile folder's ACL protects it
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
