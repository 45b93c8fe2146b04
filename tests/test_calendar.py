"""Schedule arithmetic by hand: windows, due days, working days, and the calendar-years rule.

Holiday facts used below (国务院办公厅 notices): 2025 National Day and Mid-Autumn run
2025-10-01 (Wed) … 10-08 (Wed) with 09-28 (Sun) and 10-11 (Sat) made working days; 2026
Spring Festival runs 02-15 (Sun) … 02-23 (Mon) with 02-14 (Sat) and 02-28 (Sat) made working
days; 2004-01-01 (Thu) is New Year's Day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safety_plan.engine.calendar import (
    adjusted_due,
    is_working_day,
    known_years,
    month_end,
    nominal_due,
    window_of,
    windows,
)
from safety_plan.engine.types import Window
from safety_plan.loading import LoadResult, load_dataset
from safety_plan.problems import Level, Problem
from safety_plan.rules import RULES
from safety_plan.vocabulary import Adjust, Every
from tiny_plan import day, write

# --- windows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "start", "end", "label"),
    [
        (Every.month, "2024-02-01", "2024-02-29", "2024-02"),
        (Every.quarter, "2024-01-01", "2024-03-31", "2024Q1"),
        (Every.half_year, "2024-01-01", "2024-06-30", "2024H1"),
        (Every.year, "2024-01-01", "2024-12-31", "2024"),
    ],
)
def test_window_of_leap_day(every: Every, start: str, end: str, label: str) -> None:
    assert window_of(every, day("2024-02-29")) == Window(day(start), day(end), label)


def test_month_end_leap_and_common_years() -> None:
    assert month_end(2024, 2) == day("2024-02-29")
    assert month_end(2025, 2) == day("2025-02-28")
    assert month_end(2100, 2) == day("2100-02-28")  # divisible by 100, not by 400
    assert month_end(2000, 2) == day("2000-02-29")
    assert month_end(2025, 12) == day("2025-12-31")
    assert month_end(2025, 4) == day("2025-04-30")


@pytest.mark.parametrize(
    ("every", "on", "start", "end", "label"),
    [
        (Every.quarter, "2025-03-31", "2025-01-01", "2025-03-31", "2025Q1"),
        (Every.quarter, "2025-04-01", "2025-04-01", "2025-06-30", "2025Q2"),
        (Every.quarter, "2025-09-30", "2025-07-01", "2025-09-30", "2025Q3"),
        (Every.quarter, "2025-10-01", "2025-10-01", "2025-12-31", "2025Q4"),
        (Every.half_year, "2025-06-30", "2025-01-01", "2025-06-30", "2025H1"),
        (Every.half_year, "2025-07-01", "2025-07-01", "2025-12-31", "2025H2"),
        (Every.year, "2025-12-31", "2025-01-01", "2025-12-31", "2025"),
        (Every.year, "2026-01-01", "2026-01-01", "2026-12-31", "2026"),
        (Every.month, "2025-01-31", "2025-01-01", "2025-01-31", "2025-01"),
        (Every.month, "2025-12-01", "2025-12-01", "2025-12-31", "2025-12"),
    ],
)
def test_window_boundaries(every: Every, on: str, start: str, end: str, label: str) -> None:
    assert window_of(every, day(on)) == Window(day(start), day(end), label)


def test_window_contains_its_ends_only() -> None:
    q2 = window_of(Every.quarter, day("2025-05-01"))
    assert day("2025-04-01") in q2 and day("2025-06-30") in q2
    assert day("2025-03-31") not in q2 and day("2025-07-01") not in q2


def test_windows_overlapping_a_span() -> None:
    # 2025-02-15 lies in Q1, 2025-07-01 is the first day of Q3: Q1, Q2, Q3.
    labels = [w.label for w in windows(Every.quarter, day("2025-02-15"), day("2025-07-01"))]
    assert labels == ["2025Q1", "2025Q2", "2025Q3"]
    halves = [w.label for w in windows(Every.half_year, day("2024-06-30"), day("2025-07-01"))]
    assert halves == ["2024H1", "2024H2", "2025H1", "2025H2"]
    months = [w.label for w in windows(Every.month, day("2024-11-30"), day("2025-02-01"))]
    assert months == ["2024-11", "2024-12", "2025-01", "2025-02"]


# --- due days -------------------------------------------------------------------------


def test_nominal_due_month_end_and_day_25() -> None:
    feb24 = window_of(Every.month, day("2024-02-10"))
    feb25 = window_of(Every.month, day("2025-02-10"))
    assert nominal_due(feb24, None) == day("2024-02-29")
    assert nominal_due(feb25, None) == day("2025-02-28")
    assert nominal_due(feb24, 25) == day("2024-02-25")
    assert nominal_due(feb25, 25) == day("2025-02-25")
    # a day past the month's end is the month's last day
    assert nominal_due(feb24, 30) == day("2024-02-29")
    # a quarter's day is a day of its last month
    assert nominal_due(window_of(Every.quarter, day("2025-01-05")), 25) == day("2025-03-25")
    assert nominal_due(window_of(Every.half_year, day("2025-08-05")), None) == day("2025-12-31")


def test_working_days_of_2025_national_day() -> None:
    assert is_working_day(day("2025-09-28")) is True  # Sunday, made a working day
    assert is_working_day(day("2025-09-30")) is True  # Tuesday
    for d in range(1, 9):
        assert is_working_day(dt.date(2025, 10, d)) is False
    assert is_working_day(day("2025-10-09")) is True  # Thursday
    assert is_working_day(day("2025-10-11")) is True  # Saturday, made a working day
    assert is_working_day(day("2025-10-12")) is False  # Sunday
    assert is_working_day(day("2027-01-04")) is None  # a year the library does not know


def test_adjust_across_national_day() -> None:
    assert adjusted_due(day("2025-10-05"), Adjust.previous) == day("2025-09-30")
    assert adjusted_due(day("2025-10-05"), Adjust.next) == day("2025-10-09")
    assert adjusted_due(day("2025-10-05"), Adjust.none) == day("2025-10-05")
    # the first and last holidays move the same way as the middle ones
    assert adjusted_due(day("2025-10-01"), Adjust.previous) == day("2025-09-30")
    assert adjusted_due(day("2025-10-08"), Adjust.next) == day("2025-10-09")


@pytest.mark.parametrize("adjust", [Adjust.previous, Adjust.next])
def test_adjust_keeps_a_working_weekend_day(adjust: Adjust) -> None:
    assert adjusted_due(day("2025-09-28"), adjust) == day("2025-09-28")  # 调休 Sunday
    assert adjusted_due(day("2025-10-11"), adjust) == day("2025-10-11")  # 调休 Saturday
    assert adjusted_due(day("2026-02-28"), adjust) == day("2026-02-28")  # 调休 Saturday, month end
    assert adjusted_due(day("2025-09-30"), adjust) == day("2025-09-30")  # plain Tuesday


def test_adjust_an_ordinary_weekend() -> None:
    # 2025-06-28 is a Saturday: back to Friday 06-27, on to Monday 06-30.
    assert adjusted_due(day("2025-06-28"), Adjust.previous) == day("2025-06-27")
    assert adjusted_due(day("2025-06-28"), Adjust.next) == day("2025-06-30")
    # 2026 Spring Festival: Sunday 02-15 … Monday 02-23 off, Saturday 02-14 worked.
    assert adjusted_due(day("2026-02-20"), Adjust.previous) == day("2026-02-14")
    assert adjusted_due(day("2026-02-20"), Adjust.next) == day("2026-02-24")


def test_adjust_leaves_unknown_years_alone() -> None:
    # 2027-01-02 is a Saturday, but the library has no 2027: the day stays.
    assert adjusted_due(day("2027-01-02"), Adjust.previous) == day("2027-01-02")
    assert adjusted_due(day("2027-01-02"), Adjust.next) == day("2027-01-02")
    # New Year's Day 2004 (a holiday) walking back into 2003 (unknown): it stays too.
    assert adjusted_due(day("2004-01-01"), Adjust.previous) == day("2004-01-01")


def test_known_years_of_the_installed_library() -> None:
    # chinesecalendar 1.11 covers 2004 to 2026.
    assert known_years() == range(2004, 2027)


# --- the calendar-years rule ----------------------------------------------------------

DUTY = """\
recurring:
  - id: demo-2.meeting
    measure: demo-2
    every: quarter
    adjust: {adjust}
    phrase: 每季度
    what: 专题研究{until}
"""
PHASES_TO_2027 = """\
phases:
  - {id: first, name: 第一阶段, start: 2026-01-01, end: 2027-12-31}
"""


def _load(tmp_path: Path, adjust: str, end: str = "2027-12-31", until: str = "") -> tuple[Path, LoadResult]:
    until_line = f"\n    until: {until}" if until else ""
    data = write(
        tmp_path,
        schedule=DUTY.format(adjust=adjust, until=until_line),
        period=("2026-01-01", end),
        phases=PHASES_TO_2027,
    )
    return data, load_dataset(data)


def test_rule_warns_about_due_days_in_an_unknown_year(tmp_path: Path) -> None:
    data, result = _load(tmp_path, "next")
    # The schedule's line 1-2 are the phases; the duty's `adjust` key is line 7, column 5.
    expected = Problem(
        str(data / "schedule.yaml"),
        7,
        5,
        Level.warning,
        "due days in 2027 fall outside the years the holiday calendar knows (2004–2026): they are not moved",
        "calendar-years",
    )
    assert _phrases_aside(result.problems) == [expected]
    assert not result.errors  # a warning: check still exits 0
    assert result.dataset is not None
    assert list(RULES["calendar-years"].run(result.dataset)) == [expected]


def test_rule_names_every_unknown_year(tmp_path: Path) -> None:
    _, result = _load(tmp_path, "previous", end="2028-12-31")
    assert [p.message for p in _phrases_aside(result.problems)] == [
        "due days in 2027, 2028 fall outside the years the holiday calendar knows (2004–2026): "
        "they are not moved"
    ]


def test_rule_is_quiet_without_adjust(tmp_path: Path) -> None:
    _, result = _load(tmp_path, "none")
    assert _phrases_aside(result.problems) == []


def test_rule_is_quiet_when_until_stops_in_a_known_year(tmp_path: Path) -> None:
    # Quarters of 2026 only: due 03-31, 06-30, 09-30, 12-31, all in 2026.
    _, result = _load(tmp_path, "next", until="2026-12-31")
    assert _phrases_aside(result.problems) == []


def _phrases_aside(problems: list) -> list:
    """A tiny test plan need not encode every time phrase of its texts (rule phrase-coverage)."""
    return [p for p in problems if p.rule != "phrase-coverage"]
