"""Writing a command's ``-o FILE``: checked first, then atomically (never half a file)."""

from __future__ import annotations

from pathlib import Path

from safety_plan.output.files import write_atomic
from safety_plan.problems import UsageError


def check_target(output: Path) -> None:
    """A usage error (exit 2) before any work when ``output`` cannot be a file we write."""
    if not output.parent.is_dir():
        raise UsageError(f"-o: directory '{output.parent}' not found")
    if output.is_dir():
        raise UsageError(f"-o: '{output}' is a directory, not a file")


def save(output: Path, content: str | bytes) -> None:
    check_target(output)
    try:
        write_atomic(output, content)
    except OSError as exc:
        raise UsageError(f"-o: cannot write '{output}': {exc.strerror or exc}") from None
