"""What a cached answer depends on, as one digest: the data files' contents and this code.

Contents, not size and modification time: ``cp -p``, ``rsync -t`` or a restored backup keep
the old mtime on an edited file of the same size. The code: an engine edited in a checkout
(same version number) must not answer with a plan compiled by the old one. Hashing costs
about a millisecond per megabyte, far less than the parsing it saves.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from safety_plan import __version__

_CHUNK = 1 << 20


def data_fingerprint(root: Path) -> str:
    """A digest of ``root``: every file's relative path and contents, and the code.

    Symlinked folders (``progress/ -> elsewhere``) are followed, as the loader follows them,
    each real folder once (a link back up is recorded, not walked). Only regular files are
    read; anything else (a FIFO, a device, a dangling link, an unreadable entry) enters the
    digest by its kind, so adding or removing it changes the key without the walk reading it.
    """
    return Fingerprint.of(root).whole


@dataclass(frozen=True)
class Fingerprint:
    """The digest of a data directory, and the same split in two: the month files' contents
    apart from everything else, so that a run after one month's reports were edited (or a
    new month added) can reuse what was built from the rest (``opening.incremental``)."""

    whole: str
    """Every entry and the code: the key of the whole data set's cache entries."""
    static: str
    """Every entry but the month files under ``progress/``, and the code."""
    months: dict[str, str]
    """Each month file (``progress/2025-06.yaml``) → the digest of its contents."""

    @classmethod
    def of(cls, root: Path) -> Fingerprint:
        code = code_fingerprint().encode()
        whole = hashlib.blake2b(code, digest_size=32)
        static = hashlib.blake2b(code, digest_size=32)
        months: dict[str, str] = {}
        for name, token in _entries(Path(root)):
            line = f"{name}\0{token}\n".encode()
            whole.update(line)
            if token.startswith("file\0") and _is_month_file(name):
                months[name] = token[len("file\0") :]
            else:
                static.update(line)
        return cls(whole.hexdigest(), static.hexdigest(), months)


def _is_month_file(name: str) -> bool:
    """A report file as the loader reads it (``progress/2025-06.yaml``), by its relative path."""
    from safety_plan.loading import PROGRESS_DIR, is_month_file

    folder, _, file = name.partition("/")
    return folder == PROGRESS_DIR and "/" not in file and is_month_file(file)


def _entries(root: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    _walk(root, "", found, set())
    return found


def _walk(folder: Path, rel: str, found: list[tuple[str, str]], seen: set[tuple[int, int]]) -> None:
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        found.append((rel, f"unreadable folder {exc.errno}"))
        return
    if (info.st_dev, info.st_ino) in seen:
        found.append((rel, "loop"))
        return
    seen.add((info.st_dev, info.st_ino))
    for entry in entries:
        name = f"{rel}/{entry.name}" if rel else entry.name
        try:
            mode = entry.stat().st_mode  # follows symlinks
        except OSError as exc:
            found.append((name, f"unstatable {exc.errno}"))
            continue
        if stat.S_ISDIR(mode):
            found.append((name, "folder"))
            _walk(Path(entry.path), name, found, seen)
        elif stat.S_ISREG(mode):
            found.append((name, f"file\0{_file_digest(entry.path)}"))
        else:
            found.append((name, f"special {stat.S_IFMT(mode)}"))


def _new_digest() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=32)


def contents_digest(raw: bytes) -> str:
    """The digest the fingerprint takes of a file holding ``raw``."""
    digest = _new_digest()
    digest.update(raw)
    return digest.hexdigest()


def _file_digest(path: str) -> str:
    try:
        # O_NONBLOCK: if the entry became a FIFO since it was checked, opening does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return f"unreadable {exc.errno}"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return "special"
        digest = _new_digest()
        try:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        except OSError as exc:
            return f"unreadable {exc.errno}"
        return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """A digest of this package's Python sources, its version and the interpreter's."""
    return sources_digest(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sources_digest(package: str) -> str:
    """Every ``.py`` file under ``package`` by relative path and contents (data aside)."""
    digest = hashlib.blake2b(f"{__version__}|{sys.version_info[:2]}".encode(), digest_size=32)
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d not in ("_shipped", "__pycache__"))
        for name in sorted(n for n in names if n.endswith(".py")):
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                source = handle.read()
            digest.update(f"{os.path.relpath(path, package)}\0{len(source)}\0".encode())
            digest.update(source)
    return digest.hexdigest()
