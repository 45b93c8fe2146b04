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
    digest = hashlib.blake2b(code_fingerprint().encode(), digest_size=32)
    _walk(Path(root), "", digest, set())
    return digest.hexdigest()


def _walk(folder: Path, rel: str, digest: hashlib.blake2b, seen: set[tuple[int, int]]) -> None:
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        digest.update(f"{rel}\0unreadable folder {exc.errno}\n".encode())
        return
    if (info.st_dev, info.st_ino) in seen:
        digest.update(f"{rel}\0loop\n".encode())
        return
    seen.add((info.st_dev, info.st_ino))
    for entry in entries:
        name = f"{rel}/{entry.name}" if rel else entry.name
        try:
            mode = entry.stat().st_mode  # follows symlinks
        except OSError as exc:
            digest.update(f"{name}\0unstatable {exc.errno}\n".encode())
            continue
        if stat.S_ISDIR(mode):
            digest.update(f"{name}\0folder\n".encode())
            _walk(Path(entry.path), name, digest, seen)
        elif stat.S_ISREG(mode):
            digest.update(f"{name}\0file\0{_file_digest(entry.path)}\n".encode())
        else:
            digest.update(f"{name}\0special {stat.S_IFMT(mode)}\n".encode())


def _file_digest(path: str) -> str:
    try:
        # O_NONBLOCK: if the entry became a FIFO since it was checked, opening does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return f"unreadable {exc.errno}"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return "special"
        digest = hashlib.blake2b(digest_size=32)
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
