"""Rendering Jinja templates safely: the sandbox, undefined names as errors, Markdown filters.

The shipped bulletin and any user template (``--template``) render through here against the
same context. A template mistake becomes one line naming the template's file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safety_plan.output.render import md_escape
from safety_plan.output.text import printable
from safety_plan.output.words import LIGHT_ZH, status_zh
from safety_plan.problems import SafetyPlanError

_LIGHT_MARK = {"red": "🔴", "yellow": "🟡", "green": "🟢"}


class TemplateError(SafetyPlanError):
    """A template that does not parse or render (exit 2: the user's template is the bad input)."""

    exit_code = 2


def light_mark(value: str) -> str:
    """The coloured dot that goes before a light's word in Markdown (🔴 before 红灯)."""
    return _LIGHT_MARK.get(value, "")


def _light(value: str | None) -> str:
    if not value:
        return "—"
    return f"{light_mark(value)}{LIGHT_ZH.get(value, value)}"


NON_BREAKING_HYPHEN = "\u2011"


def unbroken_date(value: Any) -> str:
    """A date that a narrow column cannot break at its hyphens (2024‑12‑31 stays one word)."""
    return "" if value is None else str(value).replace("-", NON_BREAKING_HYPHEN)


def _printable(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


def render_template(path: Path, context: dict[str, Any]) -> str:
    from jinja2 import StrictUndefined, TemplateSyntaxError
    from jinja2 import TemplateError as JinjaError

    from safety_plan.output.bounded_templates import (
        BoundedEnvironment,
        TemplateFileError,
        TemplateFolder,
        TemplateLimit,
        bounded_filter,
        render_bounded,
    )

    loader = TemplateFolder(path.parent)
    env = BoundedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,  # Markdown, not HTML: cells are escaped by the `cell` filter instead
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        finalize=_printable,  # every {{ value }}: the data's control characters shown as symbols
    )
    env.filters.update({"cell": md_escape, "light": _light, "status": status_zh, "date": unbroken_date})
    env.filters = {name: bounded_filter(name, function) for name, function in env.filters.items()}
    try:
        template = env.get_template(path.name)
        return render_bounded(env, loader, template, context)
    except TemplateFileError as exc:
        raise TemplateError(str(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or path}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except TemplateLimit as exc:
        file, line = exc.where or _template_line(exc, path, loader.files)
        raise TemplateError(f"{file}:{line}: template stopped: {exc}") from None
    except JinjaError as exc:
        raise TemplateError(_located(exc, path, loader.files, f"template error: {exc}")) from None
    except RecursionError:
        raise TemplateError(f"{path}:?: template stopped: nested too deeply") from None
    except MemoryError:
        raise TemplateError(f"{path}:?: template stopped: it needed more memory than there is") from None
    except (
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        ZeroDivisionError,
        OverflowError,
        IndexError,
    ) as exc:
        # OverflowError: the sandbox's own bound on range(); the message says so
        raise TemplateError(
            _located(exc, path, loader.files, f"template error: {type(exc).__name__}: {exc}")
        ) from None


def _located(exc: BaseException, path: Path, files: dict[str, str], message: str) -> str:
    file, line = _template_line(exc, path, files)
    return f"{file}:{line}: {message}"


def _template_line(exc: BaseException, path: Path, files: dict[str, str]) -> tuple[str, int | str]:
    """The template file and line Jinja attributes the error to (it rewrites tracebacks for
    that): the innermost template frame, an included template's included."""
    found: tuple[str, int | str] = (str(path), "?")
    tb = exc.__traceback__
    wanted = {str(path), path.name, *files}
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in wanted:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
