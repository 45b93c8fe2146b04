"""Reading the data directory's files: regular files only, each within a size bound.

A data directory is a place others write to (a clone, a shared folder, a CI checkout), so
nothing in it may hang or exhaust the reader: a FIFO would block ``read`` for ever and a
symlink to ``/dev/zero`` would read until memory runs out. Every file is opened without
blocking, checked to be a regular file on the open descriptor itself (so it cannot be
swapped between the check and the read) and read up to ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Far more than any district's or city's data file; past it the file is not data."""


class UnreadableFile(Exception):
    """A file that is not read: the message says why, in the user's terms."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_data_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``; ``FileNotFoundError`` when it is missing,
    ``UnreadableFile`` for anything else that stops it being read."""
    limit = MAX_FILE_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableFile(f"a symbolic link to '{os.readlink(path)}', which does not exist") from None
        raise
    except IsADirectoryError:
        raise UnreadableFile("a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{kind_of(info.st_mode)}, not a regular file: only regular files are read")
        if info.st_size > limit:
            raise UnreadableFile(f"{info.st_size:,} bytes, more than the {limit:,} a data file may have")
        chunks: list[bytes] = []
        size = 0
        while True:  # read in chunks: the file may grow while it is read
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise UnreadableFile(f"more than the {limit:,} bytes a data file may have")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror}") from None
    finally:
        os.close(fd)


def folder_entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` sorted by name; ``UnreadableFile`` when it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except NotADirectoryError:
        raise UnreadableFile("not a folder") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot list the folder: {exc.strerror}") from None
