"""Excel workbooks from the same ``View``s the text formats render: one sheet per view.

Offices print and forward task lists as .xlsx, so each sheet gets Chinese headers in a frozen,
bold first row, an autofilter, and column widths fitted to the text (CJK counted double).
openpyxl is imported only here, and only when a workbook is asked for.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from safety_plan.output.render import View

_MAX_WIDTH, _WRAP_WIDTH = 24, 60
_INVALID_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True)
class Sheet:
    name: str
    """At most 31 characters, as Excel requires."""
    view: View
    freeze_columns: int = 0
    """Also keep this many leading columns in view (the matrix's measure columns)."""


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width view: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "、".join(str(v) for v in value)
    return str(value)


def workbook(sheets: Sequence[Sheet], title: str) -> bytes:
    """The workbook as .xlsx bytes, for ``write_atomic``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = "safety-plan"
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = book.create_sheet(sheet.name.translate(_INVALID_TITLE)[:31])
        view = sheet.view
        ws.append([c.header for c in view.columns])
        for row in view.rows:
            ws.append([_value(row.get(c.key)) for c in view.columns])
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        for index, column in enumerate(view.columns, start=1):
            letter = get_column_letter(index)
            texts = [column.header, *(str(row.get(column.key) or "") for row in view.rows)]
            widest = max(display_width(t) for t in texts)
            ws.column_dimensions[letter].width = min(widest, _WRAP_WIDTH if column.wrap else _MAX_WIDTH) + 2
            if widest > _MAX_WIDTH or column.wrap:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = wrap
        ws.freeze_panes = ws.cell(row=2, column=sheet.freeze_columns + 1)
        if view.rows:
            ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
