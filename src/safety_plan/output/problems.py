"""One formatter per output format for problems, as yamllint does."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from safety_plan.output.text import json_printable, printable
from safety_plan.problems import Level, Problem

_RESET, _BOLD, _DIM, _RED, _YELLOW = "\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[33m"


def format_text(problems: Sequence[Problem], color: bool = False) -> str:
    """``path:line:col: level: message [rule]``; control characters in a message (a quoted bad
    value) shown as symbols, so only our own colour codes reach the terminal."""
    lines = []
    for p in problems:
        path, message = printable(p.path), printable(p.message)
        if color:
            level_color = _RED if p.level is Level.error else _YELLOW
            lines.append(
                f"{_BOLD}{path}:{p.line}:{p.column}:{_RESET} {level_color}{p.level.value}:{_RESET} "
                f"{message} {_DIM}[{p.rule}]{_RESET}"
            )
        else:
            lines.append(f"{path}:{p.line}:{p.column}: {p.level.value}: {message} [{p.rule}]")
    return "\n".join(lines)


def format_json(problems: Sequence[Problem]) -> str:
    return json_printable(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))


def _escape_data(text: str) -> str:
    text = printable(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line."""
    return "\n".join(
        f"::{p.level.value} file={_escape_property(p.path)},line={p.line},col={p.column},"
        f"title={_escape_property(p.rule)}::{_escape_data(p.message)}"
        for p in problems
    )


def use_color(stream: TextIO | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):  # closed
        return False


def resolve_format(fmt: str, stream: TextIO = sys.stdout) -> str:
    """``auto`` → github under GitHub Actions, colour on a terminal, plain text otherwise."""
    if fmt != "auto":
        return fmt
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "colored" if use_color(stream) else "text"


FORMATTERS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": format_text,
    "colored": lambda ps: format_text(ps, color=True),
    "json": format_json,
    "github": format_github,
}
