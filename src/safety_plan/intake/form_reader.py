"""A filled report form read back and validated: every problem a value, none raised.

``read_form`` takes the file's name (for messages) and bytes and returns what the unit
reported, or the problems, each ``FILE!CELL: message`` with the cell the unit must fix. The
form is trusted only as far as its hidden sheet says it was issued: the month and unit come
from there, every locked cell must still hold what was written into it, and only refs that
were on the form are read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from safety_plan.engine.types import CompiledPlan
from safety_plan.intake import layout
from safety_plan.intake.contents import Month
from safety_plan.suggest import did_you_mean
from safety_plan.vocabulary import Status

_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_STATUS_LIST = "/".join(layout.STATUS_WORDS)


@dataclass(frozen=True, order=True)
class FormProblem:
    file: str
    cell: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}!{self.cell}: {self.message}" if self.cell else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class ReportedItem:
    ref: str
    status: Status
    done: dt.date | None
    note: str | None


@dataclass(frozen=True)
class FormReport:
    """One unit's report for one month, as its filled form gives it."""

    file: str
    month: str
    unit: str
    submitted: dt.date
    items: tuple[ReportedItem, ...]


@dataclass
class FormReading:
    file: str
    report: FormReport | None = None
    problems: list[FormProblem] = field(default_factory=list)


@dataclass(frozen=True)
class IntakeFacts:
    """What the reader checks a form against, computed once for many forms."""

    plan: CompiledPlan
    units: frozenset[str]
    held: frozenset[tuple[str, str]]
    """(ref, unit) for every item a unit can report on."""
    reporters: dict[str, frozenset[str]]
    """Month (``2025-07``) → the units that owe that month's report."""

    @classmethod
    def of(cls, plan: CompiledPlan) -> IntakeFacts:
        units = frozenset(name for name, members in plan.members.items() if members == (name,))
        held = frozenset((o.ref, unit) for o in plan.obligations for unit in o.closers | {o.unit})
        reporters: dict[str, set[str]] = {}
        for o in plan.obligations:
            if o.met_by_report and o.window is not None:
                reporters.setdefault(o.window.label, set()).add(o.unit)
        return cls(plan, units, held, {month: frozenset(u) for month, u in reporters.items()})


def read_form(file: str, content: bytes, facts: IntakeFacts, submitted: dt.date | None = None) -> FormReading:
    """Read one filled form; ``submitted`` is the day to use where 报送日期 is empty."""
    reading = FormReading(file)
    try:
        opened = _open(content)
    except Exception as exc:  # a third-party parser on a file anyone can send: any failure is theirs
        reading.problems.append(
            FormProblem(
                file,
                None,
                f"not an .xlsx workbook that can be read ({type(exc).__name__}); "
                "open it in Excel, WPS or Calc and save it as .xlsx",
            )
        )
        return reading
    if opened is None:
        reading.problems.append(
            FormProblem(
                file, None, "not a report form made by `safety-plan forms` (its hidden sheet is missing)"
            )
        )
        return reading
    meta, cells = opened
    if meta.format != layout.FORMAT:
        reading.problems.append(
            FormProblem(file, None, f"form format '{meta.format}' is not {layout.FORMAT}; make the form anew")
        )
        return reading
    _Reader(reading, cells, meta, facts, submitted).read()
    reading.problems.sort(key=_position)
    return reading


def _open(content: bytes) -> tuple[_Meta, dict[str, Any]] | None:
    """The hidden sheet and the form's cells; None when the workbook has no hidden sheet."""
    from openpyxl import load_workbook

    # Read-only: values only, no styles kept; several times faster over 60 forms.
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        if layout.META_SHEET not in book.sheetnames:
            return None
        return _Meta.read(book[layout.META_SHEET]), _values(book.worksheets[0])
    finally:
        book.close()


def _values(sheet: Any) -> dict[str, Any]:
    """Every non-empty cell of the sheet by its name (``E9``)."""
    from openpyxl.utils import get_column_letter

    found: dict[str, Any] = {}
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        for column_number, value in enumerate(row, start=1):
            if value is not None and not (isinstance(value, str) and not value.strip()):
                found[f"{get_column_letter(column_number)}{row_number}"] = value
    return found


def _position(problem: FormProblem) -> tuple[int, str]:
    """Problems in reading order: by row, then column (the file's own first)."""
    if problem.cell is None:
        return (0, "")
    column = problem.cell.rstrip("0123456789")
    return (int(problem.cell[len(column) :]), column.rjust(3))


@dataclass
class _Meta:
    format: str = ""
    month: str = ""
    unit: str = ""
    last_row: int = layout.FIRST_ROW - 1
    refs: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, sheet: Any) -> _Meta:
        meta = cls()
        for row in sheet.iter_rows(values_only=True):
            cells: list[Any] = [*row, None, None, None]
            key, value, extra = cells[0], "" if cells[1] is None else str(cells[1]), cells[2]
            if key == "format":
                meta.format = value
            elif key == "month":
                meta.month = value
            elif key == "unit":
                meta.unit = value
            elif key == "last_row" and value.isdigit():
                meta.last_row = int(value)
            elif key == "ref":
                meta.refs.append(value)
            elif key == "cell":
                meta.cells[value] = "" if extra is None else str(extra)
        return meta


class _Reader:
    def __init__(
        self,
        reading: FormReading,
        cells: dict[str, Any],
        meta: _Meta,
        facts: IntakeFacts,
        submitted: dt.date | None,
    ) -> None:
        self.reading, self.cells, self.meta, self.facts, self.default_submitted = (
            reading,
            cells,
            meta,
            facts,
            submitted,
        )

    def problem(self, cell: str | None, message: str) -> None:
        self.reading.problems.append(FormProblem(self.reading.file, cell, message))

    def value(self, cell: str) -> Any:
        value = self.cells.get(cell)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def read(self) -> None:
        self.check_locked_cells()
        month, unit = self.check_month_and_unit()
        submitted = self.read_submitted(month)
        items = list(self.read_rows(submitted))
        if not self.reading.problems and month is not None and unit is not None and submitted is not None:
            self.reading.report = FormReport(
                self.reading.file, month.label, unit, submitted, tuple(i for i in items if i is not None)
            )

    # --- the form as issued --------------------------------------------------------

    def check_locked_cells(self) -> None:
        """Every locked cell still holds what was issued; nothing was typed outside the inputs."""
        for cell, issued in self.meta.cells.items():
            now = self.value(cell)
            now_text = "" if now is None else _as_text(now)
            if now_text != issued.strip():
                shown = f"'{now_text}'" if now_text else "empty"
                self.problem(
                    cell,
                    f"edited outside the input cells: was '{_short(issued)}', now {_short(shown)} "
                    "(only the yellow cells may be filled)",
                )
        for name, value in self.cells.items():
            if name in self.meta.cells or layout.is_input(name, self.meta.last_row):
                continue
            column, row = name.rstrip("0123456789"), int(name.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            if column == layout.REF_COL and row > self.meta.last_row:
                ref = _as_text(value)
                self.problem(
                    name, f"ref '{ref}' was not on the form as issued{did_you_mean(ref, self.meta.refs)}"
                )
            else:
                self.problem(
                    name,
                    f"a value outside the input cells: '{_as_text(value)}' (only the yellow cells may be filled)",
                )

    def check_month_and_unit(self) -> tuple[Month | None, str | None]:
        month: Month | None = None
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", self.meta.month):
            month = Month.parse(self.meta.month)
        else:
            self.problem(layout.MONTH_CELL, f"the form's month '{self.meta.month}' is not a month (YYYY-MM)")
        name_month = re.match(r"^(\d{4}-\d{2})-", self.reading.file.rsplit("/", 1)[-1])
        if month is not None and name_month and name_month[1] != month.label:
            self.problem(
                layout.MONTH_CELL,
                f"the form is for {month.label} but the file is named for {name_month[1]}: "
                "a form for another month cannot be renamed into this one",
            )
        plan = self.facts.plan
        unit = plan.names.get(self.meta.unit)
        if unit is None:
            near = did_you_mean(self.meta.unit, plan.names)
            self.problem(layout.UNIT_CELL, f"unknown unit '{self.meta.unit}'{near}")
            return month, None
        if unit not in self.facts.units:
            self.problem(
                layout.UNIT_CELL, f"'{self.meta.unit}' is a group, not a unit: each member reports for itself"
            )
            return month, None
        if month is not None and unit not in self.facts.reporters.get(month.label, ()):
            self.problem(
                layout.MONTH_CELL,
                f"{unit} owes no monthly report for {month.label}: a form for the wrong month",
            )
        return month, unit

    # --- what the unit filled in ---------------------------------------------------

    def read_submitted(self, month: Month | None) -> dt.date | None:
        cell = layout.SUBMITTED_CELL
        raw = self.value(cell)
        if raw is None:
            if self.default_submitted is None:
                self.problem(cell, "报送日期 is empty: fill it in, or give --submitted YYYY-MM-DD")
            submitted = self.default_submitted
        else:
            submitted = self.date(cell, raw, "报送日期")
        if submitted is not None and month is not None and submitted < month.start:
            self.problem(
                cell,
                f"报送日期 {submitted} is before the form's month {month.label}: a form for the wrong month?",
            )
        return submitted

    def read_rows(self, submitted: dt.date | None) -> Iterable[ReportedItem | None]:
        for row, ref in enumerate(self.meta.refs, start=layout.FIRST_ROW):
            yield self.read_row(row, ref, submitted)

    def read_row(self, row: int, ref: str, submitted: dt.date | None) -> ReportedItem | None:
        status_cell, done_cell, note_cell = (f"{c}{row}" for c in layout.INPUT_COLUMNS)
        raw_status, raw_done, raw_note = (self.value(c) for c in (status_cell, done_cell, note_cell))
        if raw_status is None:
            if raw_done is not None or raw_note is not None:
                self.problem(
                    status_cell,
                    "本月状态 is empty but the row has a 完成日期 or 进展情况: choose a status, or clear the row",
                )
            return None
        word = _as_text(raw_status)
        status = layout.STATUS_WORDS.get(word) or _english(word)
        if status is None:
            near = did_you_mean(word, layout.STATUS_WORDS)
            self.problem(status_cell, f"status '{word}' is not one of {_STATUS_LIST}{near}")
        plan = self.facts.plan
        unit = plan.names.get(self.meta.unit)
        if ref not in plan.refs:
            self.problem(
                f"{layout.REF_COL}{row}", f"ref '{ref}' is no longer in the plan: make the form anew"
            )
        elif unit in self.facts.units and (ref, unit) not in self.facts.held:
            self.problem(f"{layout.REF_COL}{row}", f"{unit} does not hold '{ref}': make the form anew")
        done = None if raw_done is None else self.date(done_cell, raw_done, "完成日期")
        if status is Status.done:
            if raw_done is None:
                self.problem(done_cell, "已完成 needs a 完成日期")
            elif done is not None and submitted is not None and done > submitted:
                self.problem(done_cell, f"完成日期 {done} is after the 报送日期 {submitted}")
        elif status is not None and raw_done is not None:
            self.problem(
                done_cell, f"a 完成日期 is given but 本月状态 is {word}: choose 已完成, or clear the date"
            )
        note = None if raw_note is None else _as_text(raw_note)
        if status is None:
            return None
        return ReportedItem(ref, status, done if status is Status.done else None, note)

    def date(self, cell: str, raw: Any, what: str) -> dt.date | None:
        day = _as_date(raw)
        if day is None:
            self.problem(
                cell, f"{what} '{_as_text(raw)}' is not a date: write it as 2025-07-10 or 2025年7月10日"
            )
        return day


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_date(value: Any) -> dt.date | None:
    """A real date cell, or text such as ``2025-07-10``, ``2025/7/10`` or ``2025年7月10日``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 36526 <= value <= 73050:
        # A date cell saved without its date format: days since 1899-12-30 (2000 … 2099).
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    match = _DATE_TEXT.match(str(value))
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _english(word: str) -> Status | None:
    """The progress file's own words are accepted too (``done``, ``in_progress``)."""
    try:
        return Status(word.lower())
    except ValueError:
        return None
