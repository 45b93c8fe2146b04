"""Templates within bounds: time, output size, value size and macro depth.

Jinja's sandbox keeps a template away from Python's internals, not from running for ever or
filling memory: nested loops, ``'x' * 10**9`` or a macro that calls itself are all allowed
by it. A user's ``--template`` is input like any other, so here:

* time: a trace function on the templates' own frames looks at the clock on every line they
  run (nothing else is traced) and names that line when the time is up;
* depth: template frames (macro calls, includes) nested past ``MAX_DEPTH`` stop;
* values: ``*`` and ``**`` are refused before they build a huge text, list or number, a text
  method is refused a width past ``MAX_VALUE``, and what every call and filter returns is
  measured;
* output: the text is counted as it is generated;
* files: templates are read as regular files within a size bound, as UTF-8, a bad byte
  reported at its line and column.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from jinja2 import BaseLoader, Environment, Template, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from safety_plan.loading.files import UnreadableFile, read_data_file

MAX_SECONDS = 10.0
"""The shipped bulletin renders in milliseconds; a user's template gets far more, not for ever."""
MAX_OUTPUT = 20_000_000
"""Characters of output: a city's bulletin is a few hundred thousand."""
MAX_VALUE = 5_000_000
"""Characters (or items) in any one value a template builds."""
MAX_DEPTH = 50
"""Template frames nested in each other: macros calling macros, includes including."""
MAX_POWER_BITS = 100_000
"""The largest number ``**`` may build, in bits (``10**10**10`` would compute for ever)."""
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
MAX_MEMORY_GROWTH = 256 * 1024 * 1024
"""Bytes the process may grow by while a template renders (a text doubled in a loop)."""
_MEMORY_EVERY = 0.005
"""Seconds between two looks at the memory used (the clock is looked at on every line)."""


class TemplateLimit(Exception):
    """A bound was reached; ``where`` is the template file and line, when known."""

    def __init__(self, message: str, where: tuple[str, int] | None = None) -> None:
        super().__init__(message)
        self.where = where


class TemplateFileError(Exception):
    """A template file that cannot be read as a template: the message names file, line and column."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict | set | bytes) else 0


def _checked(value: Any, what: str) -> Any:
    if _size(value) > MAX_VALUE:
        raise TemplateLimit(
            f"{what} builds a value of {_size(value):,} characters or items (at most {MAX_VALUE:,})"
        )
    return value


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, with its operators, calls and filters held to ``MAX_VALUE``."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        powers = operator == "**" and isinstance(left, int) and isinstance(right, int)
        if powers and abs(left) > 1 and right > 0 and right * left.bit_length() > MAX_POWER_BITS:
            raise TemplateLimit(f"{left} ** {right} is too large a number")
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if _size(sized) and isinstance(times, int) and _size(sized) * times > MAX_VALUE:
                    raise TemplateLimit(
                        f"repeating a value {times:,} times builds more than {MAX_VALUE:,} characters or items"
                    )
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(getattr(__obj, "__self__", None), str):  # 'x'.ljust(10**9), 'x'.center(…)
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, int) and arg > MAX_VALUE:
                    raise TemplateLimit(f"a width of {arg:,} is more than {MAX_VALUE:,}")
        return _checked(super().call(__context, __obj, *args, **kwargs), "a call")


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` refusing widths past ``MAX_VALUE`` and results larger than it."""

    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args[1:], *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and arg > MAX_VALUE:
                raise TemplateLimit(f"filter '{name}' given {arg:,}, more than {MAX_VALUE:,}")
        return _checked(function(*args, **kwargs), f"filter '{name}'")

    return bounded


class TemplateFolder(BaseLoader):
    """Templates from one folder (and below): regular files, bounded, UTF-8 with a position."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, str] = {}
        """Each loaded template's file name (as its code objects carry it) → template name."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        try:
            raw = read_data_file(path, MAX_TEMPLATE_BYTES)
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except UnreadableFile as exc:
            raise TemplateFileError(f"{path}:1:1: template not read: {exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
            raise TemplateFileError(
                f"{path}:{line}:{column}: template not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; "
                "save it as UTF-8"
            ) from None
        self.files[str(path)] = template
        return text, str(path), lambda: False


def render_bounded(
    env: Environment, loader: TemplateFolder, template: Template, context: dict[str, Any]
) -> str:
    """``template`` rendered with ``context``; ``TemplateLimit`` when a bound is reached."""
    deadline = time.monotonic() + MAX_SECONDS
    depth = 0
    memory_checked = 0.0
    memory_cap = _peak_memory() + MAX_MEMORY_GROWTH

    def where(frame: FrameType) -> tuple[str, int] | None:
        name = loader.files.get(frame.f_code.co_filename)
        if name is None:
            return None
        return frame.f_code.co_filename, env.get_template(name).get_corresponding_lineno(frame.f_lineno)

    def on_line(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal depth, memory_checked
        if event == "line":
            now = time.monotonic()
            if now > deadline:
                raise TemplateLimit(
                    f"still running after {MAX_SECONDS:g} s (a loop too large?)", where(frame)
                )
            if now - memory_checked > _MEMORY_EVERY:
                memory_checked = now
                if _peak_memory() > memory_cap:
                    grown = MAX_MEMORY_GROWTH >> 20
                    raise TemplateLimit(
                        f"it took more than {grown} MB of memory (a text growing in a loop?)", where(frame)
                    )
        elif event == "return":
            depth -= 1
        return on_line

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal depth
        if frame.f_code.co_filename not in loader.files:
            return None  # only the templates' own code is traced
        depth += 1
        if depth > MAX_DEPTH:
            raise TemplateLimit(
                f"macros or includes nested more than {MAX_DEPTH} deep (one calls itself?)", where(frame)
            )
        return on_line

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        return "".join(_counted(template.generate(**context)))
    finally:
        sys.settrace(previous)


def _peak_memory() -> int:
    """This process's peak memory in bytes, where the platform tells (else 0: no memory bound)."""
    try:
        import resource
    except ImportError:  # Windows: the time bound still holds
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _counted(chunks: Iterator[str]) -> Iterator[str]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise TemplateLimit(f"the output passed {MAX_OUTPUT:,} characters")
        yield chunk
