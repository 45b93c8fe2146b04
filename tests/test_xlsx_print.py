"""Workbooks print as an office expects: the page setup, font, borders, dates and lights that
``output.xlsx`` gives every sheet, read back with openpyxl (pure: no CLI, no data set)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from safety_plan.output.render import Column, View
from safety_plan.output.xlsx import DATE_FORMAT, FONT_NAME, Sheet, workbook

COLUMNS = [
    Column("ref", "编号"),
    Column("due", "截止日期"),
    Column("light", "灯号"),
    Column("what", "事项", wrap=True),
]
ROWS = [
    {"ref": "zbgj-16.1", "due": "2024-12-31", "light": "红灯", "what": "建成监测分析系统" * 12},
    {"ref": "zbgj-17.1", "due": "2025-07-15", "light": "黄灯", "what": "试点"},
    {"ref": "zbgj-18.1", "due": "2026-12-31", "light": "绿灯", "what": "不是日期 2025-13-40"},
]


def _book(*sheets: Sheet):
    return load_workbook(io.BytesIO(workbook(list(sheets), "区应急局 任务清单")))


def test_every_sheet_prints_a4_landscape_one_page_wide_with_the_header_repeated() -> None:
    ws = _book(Sheet("逾期", View("t", COLUMNS, ROWS))).active
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == "$1:$1"
    assert "区应急局 任务清单" in ws.oddHeader.center.text
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_a_sheet_too_wide_for_a_page_repeats_its_leading_columns_instead() -> None:
    ws = _book(Sheet("任务分工表", View("t", COLUMNS, ROWS), freeze_columns=2, grid_width=12)).active
    assert ws.print_title_cols == "$A:$B"
    assert ws.print_title_rows == "$1:$1"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.orientation == "landscape"


def test_cells_have_borders_and_a_chinese_font_with_the_gb2312_charset() -> None:
    book = _book(Sheet("逾期", View("t", COLUMNS, ROWS)))
    ws = book.active
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(COLUMNS)):
        for cell in row:
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", cell.coordinate
            assert cell.font.name == FONT_NAME and int(cell.font.charset) == 134, cell.coordinate
    assert ws["A1"].font.b is True
    # The workbook's default font, which new cells and Excel's Normal style start from.
    assert book._fonts[0].name == FONT_NAME


def test_iso_days_become_date_cells_and_other_text_stays_text() -> None:
    ws = _book(Sheet("逾期", View("t", COLUMNS, ROWS))).active
    assert ws["B2"].value == dt.datetime(2024, 12, 31)  # openpyxl reads date cells back as datetimes
    assert ws["B2"].is_date and ws["B2"].number_format == DATE_FORMAT
    assert ws["D4"].value == "不是日期 2025-13-40"
    assert ws["A2"].value == "zbgj-16.1"


def test_the_light_column_is_coloured_by_its_light() -> None:
    ws = _book(Sheet("逾期", View("t", COLUMNS, ROWS))).active
    fills = [ws.cell(row=r, column=3).fill.fgColor.rgb[-6:] for r in (2, 3, 4)]
    assert len(set(fills)) == 3
    assert fills[0] != "000000" and ws["C1"].fill.fgColor.rgb[-6:] == "DDEBF7"


def test_wrapped_rows_are_tall_enough_for_their_text() -> None:
    ws = _book(Sheet("逾期", View("t", COLUMNS, ROWS))).active
    assert ws.row_dimensions[2].height and ws.row_dimensions[2].height >= 30
    assert ws.row_dimensions[3].height is None


def test_an_empty_sheet_says_so() -> None:
    ws = _book(Sheet("到期", View("t", COLUMNS, [], empty="30 天内没有到期未完成的事项。"))).active
    assert [c.value for c in ws[1]] == ["编号", "截止日期", "灯号", "事项"]
    assert ws["A2"].value == "30 天内没有到期未完成的事项。"
    assert ws.max_row == 2
    ws = _book(Sheet("到期", View("t", COLUMNS, [], empty=""))).active
    assert ws["A2"].value == "无"
