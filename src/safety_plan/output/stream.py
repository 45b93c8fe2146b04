"""Standard output and error: the only place the program writes text to a stream."""

from __future__ import annotations

import sys


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_stderr(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
