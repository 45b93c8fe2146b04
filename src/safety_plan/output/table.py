"""The terminal table: a ``View`` laid out in fixed-width columns, without Rich (fast to import).

Two layouts, chosen per view and width:

- **one line per item** when every row fits (nothing cut), or when the long text would get
  fewer than ``WIDE_MIN`` columns: an ID shown above the text (``Column.into``) leads its text on
  the line, and the text is cut with ``…`` (``show ID`` prints it in full);
- **two lines per item** when even that leaves the text fewer than ``NARROW_MIN`` columns: the
  short columns, then the ID and the cut text indented below;
- **wrapped**, otherwise: long texts wrap in their column (``output.text.wrap``: never inside an
  ID or a unit's name, no closing punctuation at a line start), led by their ID.

A text that is the point (``Column.whole``, as in ``show``) always wraps, never cut. Short columns
keep their natural width, Chinese counted double; their headers split over two lines when the
table is tight. Lines carry no trailing spaces. The width is ``COLUMNS`` when set, else the
terminal's, else 80.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from safety_plan.output.render import Column, View
from safety_plan.output.text import as_text, cut, display_width, printable, wrap

WIDE_MIN = 40
"""Columns the long text needs for the wrapped layout; below it, one line per item."""
NARROW_MIN = 12
"""Below this (or below its widest ID), the long text moves to a line of its own under each item."""
FULL_MIN = 12
"""Columns a never-cut text (``show``) gets at least, even if lines then run over."""
GAP = "  "
_SGR = {"red": "\033[31m", "yellow": "\033[33m", "bold": "\033[1m"}
_RESET = "\033[0m"


def terminal_width() -> int:
    """``COLUMNS`` when set (piped output too), else the terminal's width, else 80."""
    value = os.environ.get("COLUMNS", "")
    if value.strip().isdigit() and int(value) > 0:
        columns = int(value)
    else:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
        except (OSError, ValueError):
            columns = 80
    return max(20, min(columns, 1000))


@dataclass
class _Col:
    column: Column
    stacked: list[str]
    """Keys of the columns shown above this one's text (``into``)."""
    header: list[str]
    cells: list[str]
    width: int = 0
    leads: list[str] = field(default_factory=list)
    """Per row: what leads the text on its line (the stacked columns' values)."""


def to_table(view: View, width: int | None = None, color: bool | None = None) -> str:
    if width is None:
        width = terminal_width()
    if color is None:
        from safety_plan.output.problems import use_color

        color = use_color(sys.stdout)
    lines = wrap(printable(view.title), width)
    if view.rows:
        lines.append("")
        lines.extend(_table(view, width, color))
    else:
        lines.extend(wrap(printable(view.empty), width))
    for note in view.notes:
        lines.extend(wrap(printable(note), width))
    return "\n".join(lines) + "\n"


def to_definitions(entries: dict[str, str], width: int | None = None) -> str:
    """Terms and what they mean (``check --list-rules``): each term on the left, its text
    wrapped beside it (Chinese counted double), continuation lines indented under the text, so
    every line that starts a term starts with it. Too narrow for both: the text under the term."""
    if width is None:
        width = terminal_width()
    term_width = max(map(display_width, entries), default=0)
    indent = term_width + len(GAP)
    beside = width - indent >= NARROW_MIN * 2
    if not beside:
        indent = 4
    lines: list[str] = []
    for term, text in entries.items():
        wrapped = wrap(printable(text), width - indent)
        if beside:
            pad = " " * (term_width - display_width(term))
            lines.append(f"{term}{pad}{GAP}{wrapped[0]}".rstrip())
        else:
            lines.append(term)
            lines.append(" " * indent + wrapped[0])
        lines.extend((" " * indent + line).rstrip() for line in wrapped[1:])
    return "\n".join(lines) + "\n"


def _table(view: View, width: int, color: bool) -> list[str]:
    texts = {c.key: [printable(as_text(row.get(c.key))) for row in view.rows] for c in view.columns}
    cols = [
        _Col(c, [s.key for s in view.columns if s.into == c.key], [c.header], texts[c.key])
        for c in view.columns
        if c.into is None
    ]
    rows = range(len(view.rows))
    for col in cols:
        col.leads = [
            " ".join(" ".join(t for t in (texts[k][i] for k in col.stacked) if t).split()) for i in rows
        ]
    fixed = [c for c in cols if not c.column.wrap]
    long = [c for c in cols if c.column.wrap]
    gaps = len(GAP) * (len(cols) - 1)
    if sum(_natural(c) for c in cols) + gaps > width:  # tight: headers wider than their values split
        for col in fixed:
            col.header = _split_header(col.column.header, _natural(col, header=False))
    for col in fixed:
        col.width = _natural(col)
    room = width - gaps - sum(c.width for c in fixed)
    singles = [_single_width(c) for c in long]
    layout = "compact"
    if sum(singles) > room:
        shares = _share(room, singles)
        leads = [max(map(display_width, c.leads), default=0) for c in long]
        if any(c.column.whole for c in long):
            layout, shares = (
                "wrapped",
                [max(s, FULL_MIN, lead) for s, lead in zip(shares, leads, strict=True)],
            )
        elif all(s >= max(WIDE_MIN, lead) for s, lead in zip(shares, leads, strict=True)):
            layout = "wrapped"
        elif any(s < max(NARROW_MIN, lead) for s, lead in zip(shares, leads, strict=True)):
            layout = "narrow"
        singles = shares
    for col, single in zip(long, singles, strict=True):
        col.width = single
        if layout == "compact":
            col.header = [cut(col.column.header, col.width)]
    shown = [c for c in cols if not (layout == "narrow" and c.column.wrap)]
    height = max(len(c.header) for c in shown)
    out = [
        _paint(
            _line(
                shown,
                [c.header[r - height + len(c.header)] if r >= height - len(c.header) else "" for c in shown],
            ),
            "bold",
            color,
        )
        for r in range(height)
    ]
    if layout == "narrow":
        out.extend(_paint(GAP + c.column.header, "bold", color) for c in long)
    table_width = sum(c.width for c in shown) + len(GAP) * (len(shown) - 1)
    out.append("─" * min(width, table_width))
    for i, row in enumerate(view.rows):
        style = row.get("_style")
        if layout == "narrow":
            lines = [_line(shown, [c.cells[i].replace("\n", " ") for c in shown])]
            lines += [GAP + _one_line(c, i, width - len(GAP)) for c in long]
        else:
            lines = _row_lines(cols, i, layout)
        out.extend(_paint(line, style, color) for line in lines)
    return out


def _natural(col: _Col, header: bool = True) -> int:
    widths = [display_width(line) for cell in col.cells for line in cell.split("\n")]
    if header:
        widths += [display_width(h) for h in col.header]
    return max(widths, default=0)


def _single_width(col: _Col) -> int:
    """The widest of the column's cells on one line, its lead (an ID) included."""
    widths = [
        display_width(" ".join(p for p in (lead, " ".join(cell.split())) if p))
        for lead, cell in zip(col.leads, col.cells, strict=True)
    ]
    return max([display_width(col.column.header), *widths])


def _one_line(col: _Col, i: int, width: int) -> str:
    """A long cell on one line: its lead (an ID) whole, then the text cut to what is left."""
    lead, text = col.leads[i], " ".join(col.cells[i].split())
    if not lead:
        return cut(text, width)
    rest = width - display_width(lead) - 1
    return f"{lead} {cut(text, rest)}" if text and rest >= 2 else lead


def _row_lines(cols: list[_Col], i: int, layout: str) -> list[str]:
    blocks: list[list[str]] = []
    for col in cols:
        if not col.column.wrap:
            blocks.append(col.cells[i].split("\n"))
        elif layout == "compact":
            blocks.append([_one_line(col, i, col.width)])
        else:
            lead = col.leads[i]
            blocks.append(wrap(f"{lead} {col.cells[i]}" if lead else col.cells[i], col.width))
    height = max(len(b) for b in blocks)
    return [_line(cols, [b[r] if r < len(b) else "" for b in blocks]) for r in range(height)]


def _line(cols: list[_Col], cells: list[str]) -> str:
    parts = []
    for col, cell in zip(cols, cells, strict=True):
        pad = " " * max(0, col.width - display_width(cell))
        parts.append(pad + cell if col.column.numeric else cell + pad)
    return GAP.join(parts).rstrip()


def _paint(line: str, style: object, color: bool) -> str:
    code = _SGR.get(style) if color and isinstance(style, str) else None
    return f"{code}{line}{_RESET}" if code and line else line


def _split_header(header: str, values: int) -> list[str]:
    """A header wider than its values (逾期天数 over 3 digits) in two lines (逾期 / 天数)."""
    if display_width(header) <= max(values, 4) or " " in header or len(header) < 4:
        return [header]
    half = (len(header) + 1) // 2
    return (
        [header[:half], header[half:]] if len(header) % 2 == 0 else [header[: half - 1], header[half - 1 :]]
    )


def _share(room: int, wants: list[int]) -> list[int]:
    """Split ``room`` between long columns: equal parts, a column wanting less gives the rest up."""
    shares = [0] * len(wants)
    left = list(range(len(wants)))
    while left:
        part = max(room, 0) // len(left)
        small = [i for i in left if wants[i] <= part]
        if not small:
            for i in left:
                shares[i] = part
            break
        for i in small:
            shares[i] = wants[i]
            room -= wants[i]
        left = [i for i in left if i not in small]
    return shares
