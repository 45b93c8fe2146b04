"""The command layer: one request in, one result out, one place that runs a command.

``cli.py`` parses the command line and hands ``execute`` the command's ``run`` function with the
options it parsed. ``execute`` builds the ``Request`` (where the data is, the as-of day, the
output format, the ``-o`` target: each checked before any work is done), runs the command,
then writes the ``Result``'s files through the one writer and prints its text. Every mistake a
user can make ends here as one line and the documented exit code (1 for bad data, 2 for a bad
argument); nothing a user types reaches a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safety_plan.problems import InvalidDataError, SafetyPlanError


@dataclass(frozen=True)
class DataLocation:
    path: Path
    shown: str
    """The directory as the user gave it, for messages."""


@dataclass(frozen=True)
class Request:
    """What every command is asked: which data, as of which day, in which format, written where."""

    data: DataLocation
    as_of: dt.date
    """``--month`` (its last day) or ``--as-of``; today when neither was given."""
    fmt: str = "table"
    output: Path | None = None
    """``-o``, already checked to be a place we may write (see ``output.writer``)."""
    day_given: str = ""
    """How the day was given, for a message about it: ``--month 2025-06``, ``--as-of
    2025-06-15``, or empty for today."""

    @property
    def month(self) -> str:
        return f"{self.as_of.year}-{self.as_of.month:02d}"


@dataclass(frozen=True)
class OutputFile:
    path: Path
    content: str | bytes


@dataclass
class Result:
    """What every command returns: text for standard output, files for the one writer."""

    text: str = ""
    files: list[OutputFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Lines for standard error (a summary, what was written)."""
    exit_code: int = 0

    @classmethod
    def document(cls, request: Request, content: str | bytes, written: str) -> Result:
        """A document: printed, or with ``-o`` written to that file and ``written`` said."""
        if request.output is None:
            text = content if isinstance(content, str) else content.decode("utf-8")
            return cls(text=text)
        return cls(text=written, files=[OutputFile(request.output, content)])


Command = Callable[..., Result]


@dataclass(frozen=True)
class Arguments:
    """The common arguments as typed, before they are checked into a ``Request``."""

    data: DataLocation
    month: str | None = None
    as_of: str | None = None
    fmt: str = "table"
    output: str | Path | None = None
    output_is_dir: bool = False
    """``-o`` names a folder the command fills (forms, a dashboard, letters), not one file."""

    def request(self) -> Request:
        """The request, or a usage error naming the bad argument (before any work is done)."""
        from safety_plan.arguments import as_of_day
        from safety_plan.output.writer import check_output

        day = as_of_day(self.month, self.as_of)
        target = None
        if self.output is not None:
            target = check_output(self.output, self.data.path, directory=self.output_is_dir)
        given = f"--month {self.month}" if self.month is not None else ""
        if self.as_of is not None:
            given = f"--as-of {self.as_of}"
        return Request(self.data, day, self.fmt, target, given)


def execute(command: Command, arguments: Arguments, options: dict[str, Any]) -> int:
    """Run ``command`` on the request the arguments describe; the process's exit code."""
    from safety_plan.output.stream import write_stderr, write_stdout

    try:
        request = arguments.request()
        from safety_plan.city import run_command  # one district's data, or a city's

        result = run_command(command, request, options)
        if result.files:
            from safety_plan.output.writer import write_outputs

            write_outputs(result.files, request.data.path)
    except InvalidDataError as exc:
        from safety_plan.output.problems import format_text

        errors = [p for p in exc.problems if p.is_error]
        more = " (first 20 shown)" if len(errors) > 20 else ""
        write_stderr(format_text(errors[:20]))
        write_stderr(f"error: the data has {len(errors)} error(s){more}; `safety-plan check` lists them")
        return exc.exit_code
    except SafetyPlanError as exc:
        write_stderr(f"error: {exc}")
        return exc.exit_code
    if result.text:
        write_stdout(result.text)
    for note in result.notes:
        write_stderr(note)
    return result.exit_code


__all__ = ["Arguments", "Command", "DataLocation", "OutputFile", "Request", "Result", "execute"]
