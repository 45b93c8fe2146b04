"""Pydantic's validation errors as problems at ``line:column``, worded for the office."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from safety_plan.positions import Loc, SourceMap
from safety_plan.problems import Level, Problem
from safety_plan.suggest import did_you_mean


def problems_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    path: str,
    source_map: SourceMap,
    broken: set[Loc],
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Loc, str]] = set()
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if any(loc[: len(b)] == b for b in broken):
            continue  # already reported while parsing (a bad date, a duplicate key)
        message, rule, at_key = _describe(error, loc, model)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        pos = source_map.locate(loc, key=at_key)
        problems.append(Problem(path, pos.line, pos.column, Level.error, message, rule))
    return problems


def _describe(error: Any, loc: Loc, model: type[BaseModel]) -> tuple[str, str, bool]:
    kind = error["type"]
    field = str(loc[-1]) if loc else "document"
    where = _dotted(loc[:-1])
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(field, allowed) if allowed else ""
        suggestion = hint or (f" (expected one of: {', '.join(allowed)})" if allowed else "")
        return f"unknown key '{field}'{_in(where)}{suggestion}", "unknown-key", True
    if kind == "missing":
        return f"missing key '{field}'{_in(where)}", "missing-key", False
    value = error.get("input")
    shown = _show(value)
    text = error["msg"]
    if kind == "value_error":
        text = text.removeprefix("Value error, ")
        return f"{_dotted(loc) or 'document'}: {text}", "schema", False
    if kind in {"date_type", "date_from_datetime_inexact", "date_parsing"}:
        text = "expected a date written as YYYY-MM-DD, unquoted"
    elif kind in _PLAIN:
        text = _PLAIN[kind]
    elif kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        text = f"expected one of {expected}"
    elif kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        text = PATTERN_WORDS.get(pattern) or f"does not match the pattern {pattern}"
    elif kind == "string_too_long":
        text = f"must be at most {error.get('ctx', {}).get('max_length', '')} characters long"
    elif kind in _BOUNDS:
        ctx = error.get("ctx", {})
        bound = next((ctx[key] for key in ("ge", "gt", "le", "lt") if key in ctx), "")
        text = f"{_BOUNDS[kind]} {bound}"
    return f"{_dotted(loc) or 'document'}: {text}, got {shown}", "schema", False


PATTERN_WORDS = {
    r"^\S(.*\S)?$": "must not begin or end with a space",
    r"^[a-z][a-z0-9]*$": "expected a plan ID: lower-case letters and digits, a letter first (zbgj)",
    r"^[a-z][a-z0-9]*-[1-9][0-9]*$": "expected a measure ID: the plan's ID, a hyphen and a number (zbgj-1)",
    r"^[a-z][a-z0-9]*(-[1-9][0-9]*)?\.[1-9][0-9]*$": (
        "expected a deadline ID: a measure's or plan's ID, a dot and a number (zbgj-1.1, zbgj.1)"
    ),
    r"^[a-z][a-z0-9]*(-[1-9][0-9]*)?\.[a-z][a-z0-9-]*$": (
        "expected a duty ID: a measure's or plan's ID, a dot and a name (zbgj-1.meeting, zbgj.report)"
    ),
    r"^[0-9]{4}-(0[1-9]|1[0-2])$": "expected a month written as YYYY-MM (2025-06)",
    r"^[a-z][a-z0-9-]*$": "expected lower-case letters, digits and hyphens, a letter first",
    r"^[a-z][a-z0-9]*-g[1-9][0-9]*$": "expected a goal ID: the plan's ID, -g and a number (zbgj-g1)",
    r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$": (
        "expected a domain name in lower case (example.gov.cn)"
    ),
    r"^report$": "the only value allowed is 'report'",
}
"""Each pattern of ``models`` in the office's words (a test holds every pattern to one)."""

_BOUNDS = {
    "greater_than_equal": "must be at least",
    "greater_than": "must be more than",
    "less_than_equal": "must be at most",
    "less_than": "must be less than",
}


_PLAIN = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "model_type": "expected a mapping (key: value lines)",
    "dict_type": "expected a mapping (key: value lines)",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
}


def _in(where: str) -> str:
    return f" in {where}" if where else ""


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, following lists and nested models."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part)) or next(
                (f for f in current.model_fields.values() if f.alias == part), None
            )
            current = info.annotation if info else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Annotated wrappers down to the model or list type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
