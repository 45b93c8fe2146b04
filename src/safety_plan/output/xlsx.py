"""Excel workbooks from the same ``View``s the text formats render: one sheet per view.

Offices print and forward task lists as .xlsx, so each sheet gets Chinese headers in a frozen,
bold first row, an autofilter, and column widths fitted to the text (CJK counted double). Each
sheet also prints as an office expects (``_print_ready``): A4 landscape, fitted to the page
width, the header row repeated on every page, borders, 宋体 as the workbook's font (GB2312
charset, so Excel and WPS take it for East Asian text), ISO dates as real date cells (so
Excel's date filters work), the light column coloured, and an empty sheet saying so.
openpyxl is imported only here, and only when a workbook is asked for. Every other cell's value
comes from ``output.spreadsheet.spreadsheet_value``: no live formulas, no control characters.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from safety_plan.output.render import View
from safety_plan.output.spreadsheet import spreadsheet_value
from safety_plan.output.text import display_width, printable
from safety_plan.output.words import LIGHT_ZH

_MAX_WIDTH, _WRAP_WIDTH = 24, 60
_INVALID_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FONT_NAME = "宋体"
"""On every Chinese Windows and the East Asian font of openpyxl's default theme; 等线 is not
on machines older than Office 2016, and LibreOffice substitutes a CJK font for either."""
_GB2312_CHARSET, _MODERN_FAMILY = 134, 3
_LIGHT_FILL = {LIGHT_ZH["red"]: "F4B6B6", LIGHT_ZH["yellow"]: "FCE8A6", LIGHT_ZH["green"]: "C9E7C2"}
DATE_FORMAT = "yyyy-mm-dd"
_LINE_HEIGHT = 15  # points: one line of 11-point text
_WIDE_SCALE = 60
"""Percent a sheet too wide for one page prints at: 11-point text stays legible (about 6.6 pt)."""


@dataclass(frozen=True)
class Sheet:
    name: str
    """At most 31 characters, as Excel requires."""
    view: View
    freeze_columns: int = 0
    """Also keep this many leading columns in view (the matrix's measure columns). Such a
    sheet is too wide for one page: it prints them again on every page across, unscaled."""
    grid_width: int | None = None
    """The short columns after the frozen ones are a grid (the matrix's units): this narrow, wrapped."""


def as_date(value: Any) -> dt.date | None:
    """A date cell's value for an ISO day (``2025-06-30``) or a date; None for anything else."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _value(value: Any) -> Any:
    if (day := as_date(value)) is not None:
        return day
    return spreadsheet_value(value)


def workbook(sheets: Sequence[Sheet], title: str) -> bytes:
    """The workbook as .xlsx bytes, for ``write_atomic``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.indexed_list import IndexedList

    book = Workbook()
    book.remove(book.active)
    # The default font (index 0) is what every cell, and Excel's Normal style, starts from.
    base_font = Font(name=FONT_NAME, sz=11, family=_MODERN_FAMILY, charset=_GB2312_CHARSET)
    book._fonts = IndexedList([base_font])
    title = printable(title)
    book.properties.title = title
    book.properties.creator = "safety-plan"
    header_font = Font(name=FONT_NAME, sz=11, b=True, family=_MODERN_FAMILY, charset=_GB2312_CHARSET)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = book.create_sheet(printable(sheet.name).translate(_INVALID_TITLE)[:31])
        view = sheet.view
        ws.append([spreadsheet_value(c.header) for c in view.columns])
        for row in view.rows:
            ws.append([_value(row.get(c.key)) for c in view.columns])
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        for index, column in enumerate(view.columns, start=1):
            letter = get_column_letter(index)
            texts = [column.header, *(str(row.get(column.key) or "") for row in view.rows)]
            widest = max(display_width(t) for t in texts)
            limit = _WRAP_WIDTH if column.wrap else _MAX_WIDTH
            grid = sheet.grid_width is not None and index > sheet.freeze_columns and not column.wrap
            if grid:
                assert sheet.grid_width is not None
                limit = sheet.grid_width
            ws.column_dimensions[letter].width = min(widest, limit) + 2
            if widest > limit or column.wrap or grid:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = wrap
        ws.freeze_panes = ws.cell(row=2, column=sheet.freeze_columns + 1)
        if view.rows:
            ws.auto_filter.ref = ws.dimensions
        _print_ready(ws, sheet, title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _print_ready(ws: Any, sheet: Sheet, title: str) -> None:
    """Borders, date cells, coloured lights, the empty case, and the page setup for printing."""
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.utils import get_column_letter

    view = sheet.view
    if not view.rows:
        ws.cell(row=2, column=1, value=spreadsheet_value(view.empty or "无"))
        ws.cell(row=2, column=1).alignment = Alignment(wrap_text=False, vertical="top")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    light_columns = {i for i, c in enumerate(view.columns, start=1) if c.key == "light"}
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(view.columns)):
        for cell in row:
            cell.border = border
            if not cell.alignment.wrap_text:
                cell.alignment = Alignment(vertical="top")
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            if cell.column in light_columns and cell.row > 1 and cell.value in _LIGHT_FILL:
                cell.fill = PatternFill("solid", fgColor=_LIGHT_FILL[cell.value])
    widths: dict[int, float] = {}
    for index, column in enumerate(view.columns, start=1):
        letter = get_column_letter(index)
        if any(as_date(row.get(column.key)) for row in view.rows):
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 12)
        widths[index] = ws.column_dimensions[letter].width or 10
    # Heights of wrapped rows, set here: Excel and LibreOffice do not grow a row on opening.
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(view.columns)):
        lines = max((_lines(c.value, widths[c.column]) for c in row if c.alignment.wrap_text), default=1)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = _LINE_HEIGHT * lines
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    if sheet.freeze_columns:
        ws.print_title_cols = f"A:{get_column_letter(sheet.freeze_columns)}"
        setup.pageOrder = "overThenDown"
        setup.scale = _WIDE_SCALE
    else:
        setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages long as needed
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddHeader.center.text = _header_text(title)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _lines(value: Any, width: float) -> int:
    """How many lines ``value`` wraps onto in a column ``width`` characters wide."""
    if value is None or isinstance(value, dt.date | int | float):
        return 1
    usable = max(int(width) - 1, 2)
    return sum(max(1, -(-display_width(part) // usable)) for part in str(value).split("\n"))


def _header_text(title: str) -> str:
    """The page header: the workbook's title, with the ``&`` that starts a header code doubled."""
    return title.replace("&", "&&")
