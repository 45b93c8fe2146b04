"""Where everything sits on a report form: the writer lays it out, the reader finds it.

One table of positions so the two can never disagree. The words a unit sees are Chinese;
the statuses map one-to-one onto the ``Status`` values of the progress files.
"""

from __future__ import annotations

from safety_plan.vocabulary import Status

FORMAT = "safety-plan-form/1"
"""Written into the hidden sheet; the reader refuses a form of another format."""

FORM_SHEET_TITLE_MAX = 31
META_SHEET = "_form"
"""The hidden sheet: what the import needs to trust the form."""

STATUS_WORDS: dict[str, Status] = {
    "未开始": Status.not_started,
    "推进中": Status.in_progress,
    "已完成": Status.done,
    "受阻": Status.blocked,
    "不适用": Status.not_applicable,
}
"""The dropdown's words, in the order shown, and what each means in the progress file."""

WORD_OF_STATUS = {status: word for word, status in STATUS_WORDS.items()}

# Labelled cells near the top: (label cell, value cell).
UNIT_LABEL, UNIT_CELL = "A3", "B3"
MONTH_LABEL, MONTH_CELL = "E3", "F3"
DUE_LABEL, DUE_CELL = "A4", "B4"
SUBMITTED_LABEL, SUBMITTED_CELL = "E4", "F4"
TITLE_CELL = "A1"
HINT_CELL = "A5"

HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
COLUMNS = ("编号", "事项", "截止日期", "当前状态", "本月状态", "完成日期", "进展情况")
"""The table's column titles, A to G, exactly as the issue names them."""
REF_COL, WHAT_COL, DUE_COL, CURRENT_COL, STATUS_COL, DONE_COL, NOTE_COL = "ABCDEFG"
INPUT_COLUMNS = (STATUS_COL, DONE_COL, NOTE_COL)
WIDTHS = {"A": 27, "B": 56, "C": 12, "D": 34, "E": 11, "F": 13, "G": 44}
"""Column widths in characters: fits A4 landscape at about 80% scale."""


def is_input(cell: str, last_row: int) -> bool:
    """Whether ``cell`` (``E9``) is one a unit fills in on a form whose table ends at ``last_row``."""
    if cell == SUBMITTED_CELL:
        return True
    column, row = cell.rstrip("0123456789"), int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return column in INPUT_COLUMNS and FIRST_ROW <= row <= last_row


_UNSAFE_IN_NAMES = str.maketrans('/\\:*?"<>|', "_________")
_UNSAFE_IN_TITLES = str.maketrans("[]:*?/\\", "_______")
"""Characters a file name or an Excel sheet title cannot hold."""


def sheet_title(month: str, unit: str) -> str:
    return f"{month} {unit}"[:FORM_SHEET_TITLE_MAX].translate(_UNSAFE_IN_TITLES)


def file_name(month: str, unit: str) -> str:
    """``2025-07-区应急局.xlsx``: the month first, so a folder of forms sorts by month."""
    safe = unit.translate(_UNSAFE_IN_NAMES)
    return f"{month}-{safe}.xlsx"
