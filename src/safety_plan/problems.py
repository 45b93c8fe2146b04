"""Problems as values: what ``check`` reports and what every loader step returns.

Modelled on yamllint: a problem knows its file, line, column, level, message and the
rule that found it; formatting them is the job of ``safety_plan.output.problems``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    level: Level
    message: str
    rule: str

    @property
    def is_error(self) -> bool:
        return self.level is Level.error

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": self.level.value,
            "message": self.message,
            "rule": self.rule,
        }


class SafetyPlanError(Exception):
    """Base for the errors the CLI turns into a one-line message and an exit code."""

    exit_code = 1


class UsageError(SafetyPlanError):
    """A bad argument: a malformed month, an unknown unit or ID (exit 2)."""

    exit_code = 2


class InvalidDataError(SafetyPlanError):
    """The data files have errors; carries them so the CLI can print each one."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the data has {sum(p.is_error for p in problems)} error(s)")
        self.problems = problems
