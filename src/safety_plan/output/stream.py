"""Writing to standard output and error, whatever they turn out to be.

- An encoding that cannot take the text (``LC_ALL=C`` without UTF-8 mode, ``PYTHONIOENCODING=gbk``
  or ``ascii``, a Chinese Windows console's code page when redirected): pipes and files get UTF-8
  regardless (the csv's byte-order mark says so too); a terminal whose encoding can show Chinese
  (GBK) keeps it and shows ``?`` for the rest (an emoji light), one that cannot gets UTF-8 and a
  one-line note naming what to set.
- A closed standard output (``>&-``) or a full disk (``/dev/full``): one line, exit 2, as for an
  ``-o`` that cannot be written.
- A reader that went away (``| head -1``): stop quietly, exit 141 (as a tool killed by SIGPIPE).
- A terminal never gets raw control characters: only our own colour codes pass.
"""

from __future__ import annotations

import codecs
import errno
import os
import sys
from typing import TextIO

from safety_plan.output.text import printable, terminal_safe
from safety_plan.problems import SafetyPlanError

BROKEN_PIPE_EXIT = 141
"""128 + SIGPIPE, what a shell reports for a tool whose reader closed the pipe."""

_PROBE = "安全生产—“通报”"
_noted = False


class OutputUnavailable(SafetyPlanError):
    """Standard output cannot take what the command wrote (exit 2, like an unwritable ``-o``)."""

    exit_code = 2


def configure_streams() -> None:
    """Make standard output and error able to take any text (see the module's docstring)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            _prepare(stream)


def write_stdout(text: str) -> None:
    """Write ``text`` (a newline added if missing) and flush it; raises ``OutputUnavailable``."""
    stream = sys.stdout
    if stream is None:
        raise OutputUnavailable(
            "standard output is closed, nothing was written: send it to a terminal, a pipe or a file"
        )
    _prepare(stream)
    if not text.endswith("\n"):
        text += "\n"
    if _isatty(stream):
        text = terminal_safe(text)
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _discard_stdout()
        raise SystemExit(BROKEN_PIPE_EXIT) from None
    except OSError as exc:
        _discard_stdout()
        raise OutputUnavailable(f"cannot write to standard output: {exc.strerror or exc}") from None


def write_stderr(text: str) -> None:
    """Write a message to standard error; control characters shown as symbols; never raises."""
    stream = sys.stderr
    if stream is None:
        return
    _prepare(stream)
    if not text.endswith("\n"):
        text += "\n"
    try:
        stream.write(printable(text))
        stream.flush()
    except (OSError, ValueError):
        pass


def finish_stdout() -> int | None:
    """Flush what others (Click's help) left in standard output before the interpreter exits.

    Returns the exit code to use instead when that fails (the interpreter would otherwise print
    "Exception ignored" and exit 120), else ``None``."""
    stream = sys.stdout
    if stream is None:
        return None
    try:
        stream.flush()
    except BrokenPipeError:
        _discard_stdout()
        return BROKEN_PIPE_EXIT
    except OSError as exc:
        _discard_stdout()
        write_stderr(f"error: cannot write to standard output: {exc.strerror or exc}")
        return OutputUnavailable.exit_code
    except ValueError:  # closed by someone
        return None
    return None


def output_failed(exc: OSError) -> int | None:
    """The exit code for an error that escaped while others (Click) wrote to standard output:
    quiet 141 for a reader gone, one line and 2 for a full or failing device; ``None`` for an
    error that is not about standard output (our own file errors arrive as ``SafetyPlanError``)."""
    if isinstance(exc, BrokenPipeError):
        _discard_stdout()
        return BROKEN_PIPE_EXIT
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO) or finish_stdout() is not None:
        _discard_stdout()
        write_stderr(f"error: cannot write to standard output: {exc.strerror or exc}")
        return OutputUnavailable.exit_code
    return None


def _discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def _encoding(stream: TextIO) -> str:
    try:
        return codecs.lookup(stream.encoding or "ascii").name
    except LookupError:
        return "ascii"


def _prepare(stream: TextIO) -> None:
    """Idempotent: once reconfigured, a stream's encoding is UTF-8 (or it can show Chinese)."""
    global _noted
    encoding = _encoding(stream)
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding == "utf-8" or reconfigure is None:
        return
    try:
        if not _isatty(stream):
            reconfigure(encoding="utf-8")
            return
        try:
            _PROBE.encode(encoding)
        except UnicodeEncodeError:
            reconfigure(encoding="utf-8")
            if not _noted:
                _noted = True
                write_stderr(
                    f"safety-plan: note: this terminal's encoding ({encoding}) cannot show Chinese; "
                    "writing UTF-8 (set LC_ALL=C.UTF-8 or PYTHONUTF8=1 if the text looks garbled)"
                )
        else:
            reconfigure(errors="replace")
    except (OSError, ValueError):
        pass
