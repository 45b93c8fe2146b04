"""One unit's report form as an .xlsx workbook (openpyxl), ready for Excel, WPS or Calc.

The unit fills only the yellow cells: 报送日期, and per row 本月状态 (a dropdown), 完成日期 (a
date) and 进展情况. Everything else is locked (sheet protection without a password: it guards
against accidents, not people), and a hidden sheet records what was issued so the import can
tell a filled form from an edited one. Prints on A4 landscape, fitted to the width, with the
header row repeated on every page.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from copy import copy
from typing import Any

from safety_plan.intake import layout
from safety_plan.intake.contents import FormContent
from safety_plan.output.spreadsheet import spreadsheet_value
from safety_plan.output.text import display_width
from safety_plan.output.xlsx import FONT_NAME

_INPUT_FILL = "FFF2CC"
_HEADER_FILL = "DDEBF7"
_DATE_FORMAT = "yyyy-mm-dd"


def form_workbook(content: FormContent, tool_version: str) -> bytes:
    """The form as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
    from openpyxl.utils.indexed_list import IndexedList
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    # 宋体 as the workbook's default font, like every other workbook the tool writes.
    book._fonts = IndexedList([_font()])
    ws = book.active
    ws.title = layout.sheet_title(content.month.label, content.unit)
    book.properties.title = f"{content.unit}{content.month.zh}工作开展情况报送表"
    book.properties.creator = f"safety-plan {tool_version}"

    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    dated = Alignment(horizontal="center", vertical="top")
    bold = _font(bold=True)
    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    unlocked = Protection(locked=False)
    last_row = layout.FIRST_ROW + len(content.rows) - 1
    issued: list[tuple[str, str]] = []

    def put(cell: str, value: Any, *, record: bool = True) -> None:
        if isinstance(value, dt.date):  # a real date cell, so Excel's date filters work
            ws[cell] = value
            ws[cell].number_format = _DATE_FORMAT
            if record:
                issued.append((cell, value.isoformat()))
            return
        value = spreadsheet_value(value)  # no live formula, no control character from the data
        ws[cell] = value
        if record and value is not None:
            issued.append((cell, str(value)))

    title = f"{content.unit} {content.month.zh} 安全生产工作开展情况及任务清单完成情况报送表"
    put(layout.TITLE_CELL, title)
    ws.merge_cells(f"{layout.TITLE_CELL}:G1")
    ws[layout.TITLE_CELL].font = _font(bold=True, size=14)
    ws[layout.TITLE_CELL].alignment = centre
    ws.row_dimensions[1].height = 28

    for label_cell, label, value_cell, value in (
        (layout.UNIT_LABEL, "单位", layout.UNIT_CELL, content.unit),
        (layout.MONTH_LABEL, "月份", layout.MONTH_CELL, content.month.label),
        (layout.DUE_LABEL, "报送截止", layout.DUE_CELL, content.due),
        (layout.SUBMITTED_LABEL, "报送日期", layout.SUBMITTED_CELL, None),
    ):
        put(label_cell, label)
        ws[label_cell].font = bold
        put(value_cell, value)
        ws[value_cell].alignment = Alignment(horizontal="left")
    ws.merge_cells(f"{layout.UNIT_CELL}:D3")
    ws.merge_cells(f"{layout.DUE_CELL}:D4")
    submitted = ws[layout.SUBMITTED_CELL]
    submitted.protection, submitted.fill, submitted.number_format = unlocked, input_fill, _DATE_FORMAT
    submitted.border = box

    hint = (
        "填写说明：只填浅黄色单元格。本月状态从下拉列表中选择（未开始/推进中/已完成/受阻/不适用），"
        "不报送的事项留空；已完成的须填完成日期（不晚于报送日期），日期写作 2025-07-10；"
        "进展情况写明本月做了什么。编号和事项请勿改动。"
    )
    put(layout.HINT_CELL, hint)
    ws.merge_cells(f"{layout.HINT_CELL}:G5")
    ws[layout.HINT_CELL].alignment = wrap
    ws.row_dimensions[5].height = _height(_lines(hint, sum(layout.WIDTHS.values())))

    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for column, header in zip("ABCDEFG", layout.COLUMNS, strict=True):
        cell = f"{column}{layout.HEADER_ROW}"
        put(cell, header)
        ws[cell].font, ws[cell].fill, ws[cell].alignment, ws[cell].border = bold, header_fill, centre, box

    styled: dict[tuple[str, bool], Any] = {}
    for row_number, row in enumerate(content.rows, start=layout.FIRST_ROW):
        put(f"{layout.REF_COL}{row_number}", row.ref)
        put(f"{layout.WHAT_COL}{row_number}", row.what)
        put(f"{layout.DUE_COL}{row_number}", row.due)
        put(f"{layout.CURRENT_COL}{row_number}", row.current)
        for column in "ABCDEFG":
            cell = ws[f"{column}{row_number}"]
            kind = (column, row.overdue and column == layout.DUE_COL)
            if kind in styled:
                # A copy of a styled cell's style: assigning style objects cell by cell
                # costs most of the time of writing 60 forms.
                cell._style = copy(styled[kind])
                continue
            cell.alignment, cell.border = (dated if column == layout.DUE_COL else wrap), box
            if column in layout.INPUT_COLUMNS:
                cell.protection, cell.fill = unlocked, input_fill
            if column in (layout.DONE_COL, layout.DUE_COL):
                cell.number_format = _DATE_FORMAT
            if kind[1]:
                cell.font = _font(bold=True, color="C00000")
            styled[kind] = cell._style
        # Spreadsheet programs do not grow a row to fit wrapped text they did not type:
        # size it for the longest cell, and leave room for a few lines of 进展情况.
        ws.row_dimensions[row_number].height = _height(
            max(
                3,
                *(
                    _lines(text, layout.WIDTHS[c])
                    for c, text in zip("ABD", (row.ref, row.what, row.current), strict=True)
                ),
            )
        )
    if not content.rows:
        put(f"A{layout.FIRST_ROW}", "本月没有需要报送进展的事项，请填写报送日期后报送本表。")
        ws.merge_cells(f"A{layout.FIRST_ROW}:G{layout.FIRST_ROW}")

    for column, width in layout.WIDTHS.items():
        ws.column_dimensions[column].width = width

    if content.rows:
        statuses = DataValidation(
            type="list",
            formula1='"' + ",".join(layout.STATUS_WORDS) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="本月状态",
            error="请从下拉列表中选择：" + "/".join(layout.STATUS_WORDS),
        )
        statuses.add(f"{layout.STATUS_COL}{layout.FIRST_ROW}:{layout.STATUS_COL}{last_row}")
        ws.add_data_validation(statuses)
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2099,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # a date typed as text (2025年7月10日) is still read on import
        errorTitle="日期",
        error="请填写日期，例如 2025-07-10",
    )
    dates.add(layout.SUBMITTED_CELL)
    if content.rows:
        dates.add(f"{layout.DONE_COL}{layout.FIRST_ROW}:{layout.DONE_COL}{last_row}")
    ws.add_data_validation(dates)

    ws.freeze_panes = f"A{layout.FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # a unit may make a row taller to read a long note
    ws.protection.formatColumns = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    meta = book.create_sheet(layout.META_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["format", layout.FORMAT])
    meta.append(["tool", f"safety-plan {tool_version}"])
    meta.append(["plan", ",".join(content.plans)])
    meta.append(["month", content.month.label])
    meta.append(["unit", content.unit])
    meta.append(["last_row", str(last_row)])
    for ref in content.refs:
        meta.append(["ref", ref])
    for cell, value in issued:
        meta.append(["cell", cell, value])
    meta.protection.sheet = True

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _font(*, bold: bool = False, size: int = 11, color: str | None = None) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, sz=size, b=bold, color=color, family=3, charset=134)  # GB2312


def _lines(text: str, width: int) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (CJK counted double)."""
    return max(1, math.ceil(display_width(text) / max(1, width - 2)))


def _height(lines: int) -> float:
    return 15.0 * lines + 3
