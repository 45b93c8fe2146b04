"""One renderer per output format for the query commands: table (Rich), json, csv, md.

A command builds a ``View`` (Chinese headers, rows of text) and a JSON payload (DESIGN.md's
shape); this module turns them into text. Rich is imported only for the table format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    """Chinese header, as the office reads it."""
    wrap: bool = False
    """Long text (what is due, notes): wrapped in the table, never cut."""
    numeric: bool = False
    into: str | None = None
    """In the terminal table only: shown as the first line of that column's cell, to fit 80 columns."""


@dataclass
class View:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    """Lines printed after the table (totals, the as-of day …)."""
    empty: str = "（无）"


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def to_csv(view: View) -> str:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in view.columns])
    for row in view.rows:
        writer.writerow([_cell(row.get(c.key)) for c in view.columns])
    return "\ufeff" + buffer.getvalue()


def md_escape(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipe, no line break, no stray markup."""
    text = _cell(value)
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
    """A Rich table that fits the terminal (80 columns when not one), Chinese aligned."""
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    if color is None:
        from safety_plan.output.problems import use_color

        color = use_color(__import__("sys").stdout)
    console = Console(
        file=io.StringIO(),
        width=width,
        no_color=not color,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
    )
    if width is None and not _stdout_is_terminal():
        console.width = 80
    table = Table(title=view.title, box=box.SIMPLE_HEAD, expand=False, title_justify="left", pad_edge=False)
    shown = [c for c in view.columns if c.into is None]
    cells = [[_stacked(view.columns, column, row) for column in shown] for row in view.rows]
    for i, column in enumerate(shown):
        # Short columns keep their width (CJK counted double); long texts wrap in the rest.
        widest = max([cell_len(column.header), *(cell_len(r[i]) for r in cells)])
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            overflow="fold",
            no_wrap=not column.wrap,
            min_width=None if column.wrap else min(widest, 24),
            ratio=1 if column.wrap else None,
        )
    for row, values in zip(view.rows, cells, strict=True):
        table.add_row(*values, style=row.get("_style"))
    if view.rows:
        console.print(table)
    else:
        console.print(view.title)
        console.print(view.empty)
    for note in view.notes:
        console.print(note)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return str(output)


def _stacked(columns: list[Column], column: Column, row: dict[str, Any]) -> str:
    above = [_cell(row.get(c.key)) for c in columns if c.into == column.key]
    return "\n".join([*(a for a in above if a), _cell(row.get(column.key))])


def _stdout_is_terminal() -> bool:
    import sys

    return sys.stdout.isatty()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "、".join(_cell(v) for v in value)
    return str(value)


def render(view: View, payload: Any, fmt: str) -> str:
    if fmt == "json":
        return to_json(payload)
    if fmt == "csv":
        return to_csv(view)
    if fmt == "md":
        return to_markdown(view)
    return to_table(view)
