"""One renderer per output format for the query commands: table, json, csv, md.

A command builds a ``View`` (Chinese headers, rows of text) and a JSON payload (DESIGN.md's
shape); this module turns them into text (the terminal table is laid out by ``output.table``).
Every format shows control characters from the data as visible symbols, and csv cells go
through ``output.spreadsheet`` so that no text becomes a live formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring  # the C one when available, as json.dumps uses
from typing import Any

from safety_plan.output.spreadsheet import spreadsheet_value
from safety_plan.output.text import as_text, json_printable, printable


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    """Chinese header, as the office reads it."""
    wrap: bool = False
    """Long text (what is due, notes): wrapped in the table, never cut."""
    numeric: bool = False
    into: str | None = None
    """In the terminal table only: shown leading that column's text (an ID before what it is)."""
    whole: bool = False
    """In the terminal table, never cut to one line at narrow widths: this text is the answer (show)."""


@dataclass
class View:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    """Lines printed after the table (totals, the as-of day …)."""
    empty: str = "（无）"


def to_json(payload: Any) -> str:
    """``json.dumps(payload, ensure_ascii=False, indent=2, default=str)``, byte for byte.

    With ``indent`` the standard library falls back to its pure-Python encoder, which costs
    a city's overdue list (3,400 rows) a seventh of a second; ``_indented`` writes the same text
    with the C string encoder, and anything it does not know goes to ``json.dumps`` itself."""
    out: list[str] = []
    try:
        _indented(payload, "\n", out)
    except (_NotPlain, RecursionError):
        return json_printable(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return json_printable("".join(out))


class _NotPlain(Exception):
    """A value ``_indented`` leaves to ``json.dumps`` (a dict key that is not a string)."""


_STEP = "  "


def _indented(value: Any, newline: str, out: list[str]) -> None:
    """Append ``value`` encoded as ``json.dumps(..., indent=2)`` would at the line start
    ``newline`` (a newline and the current indentation): the same type tests in the same order."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:  # None and bools are always here: their types have no subclasses
        out.append(scalar(value))
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + _STEP
        separator = "[" + inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            _indented(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + _STEP
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotPlain
            scalar = _SCALARS.get(type(item))
            if scalar is not None:  # a row's field: one piece, no call down
                out.append(f"{separator}{encode_basestring(key)}: {scalar(item)}")
            else:
                out.append(f"{separator}{encode_basestring(key)}: ")
                _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    else:
        _indented(str(value), newline, out)  # default=str


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _null(_: None) -> str:
    return "null"


def _bool(value: bool) -> str:
    return "true" if value else "false"


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: _bool,
    type(None): _null,
    float: _float,
}
"""Each plain scalar type's encoding, looked up by exact type: most of a city's 40,000 values
are one lookup and one call, not the chain of ``isinstance`` tests (which subclasses, such
as the vocabulary's string enums, still go through)."""


def to_csv(view: View) -> str:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly; no live formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_value(c.header) for c in view.columns])
    for row in view.rows:
        writer.writerow([spreadsheet_value(row.get(c.key)) for c in view.columns])
    return "\ufeff" + buffer.getvalue()


def md_escape(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipe, no line break, no stray markup."""
    text = printable(as_text(value))
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    for char in "*_`[]<>":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def to_markdown(view: View) -> str:
    lines = [f"## {md_escape(view.title)}", ""]
    if view.rows:
        lines.append("| " + " | ".join(md_escape(c.header) for c in view.columns) + " |")
        lines.append("| " + " | ".join("---:" if c.numeric else "---" for c in view.columns) + " |")
        for row in view.rows:
            lines.append("| " + " | ".join(md_escape(row.get(c.key)) for c in view.columns) + " |")
    else:
        lines.append(view.empty)
    if view.notes:
        lines.append("")
        lines.extend(md_escape(n) for n in view.notes)
    return "\n".join(lines) + "\n"


def to_table(view: View, width: int | None = None, color: bool | None = None) -> str:
    """The terminal table, fitted to ``width`` (default: ``COLUMNS``, the terminal, else 80)."""
    from safety_plan.output.table import to_table as table

    return table(view, width, color)


def render(view: View, payload: Any, fmt: str) -> str:
    if fmt == "json":
        return to_json(payload)
    if fmt == "csv":
        return to_csv(view)
    if fmt == "md":
        return to_markdown(view)
    return to_table(view)


def render_blocks(title: str, heading: Column, blocks: list[tuple[str, View]], payload: Any, fmt: str) -> str:
    """Views of one shape one after another under ``title``, each headed by its name (a city's
    ``show``: each district's block as the district prints it). csv is one table, ``heading``
    its first column, so that a spreadsheet still gets one header row."""
    if fmt == "json":
        return to_json(payload)
    if fmt == "csv":
        columns = [heading, *(blocks[0][1].columns if blocks else [])]
        return to_csv(
            View(title, columns, [{heading.key: name, **row} for name, view in blocks for row in view.rows])
        )
    named = [replace(view, title=f"{name}：{view.title}") for name, view in blocks]
    if fmt == "md":
        return "\n".join([f"# {md_escape(title)}", "", *(to_markdown(view) for view in named)])
    return "\n".join(
        [to_table(View(title, [], [], empty="")).rstrip("\n"), "", *(to_table(view) for view in named)]
    )
