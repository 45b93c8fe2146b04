"""Schedule arithmetic: the windows of a recurring duty, due days, and working days.

A recurring duty's occurrences are calendar windows (a month, a quarter, a half-year, a
year). An occurrence is due on the window's last day, or on ``day`` of the window's last
month when the duty names one (the monthly report by the 25th). A duty may ask for a due day
that is not a working day in mainland China to move to the previous or next working day;
statutory holidays and the weekend days made working days (调休) come from the maintained
``chinesecalendar`` library, which knows a fixed range of years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from safety_plan.engine.types import Window
from safety_plan.vocabulary import Adjust, Every

_MONTHS = {Every.month: 1, Every.quarter: 3, Every.half_year: 6, Every.year: 12}


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def window_of(every: Every, day: dt.date) -> Window:
    """The window of frequency ``every`` that contains ``day``."""
    size = _MONTHS[every]
    first_month = (day.month - 1) // size * size + 1
    start = dt.date(day.year, first_month, 1)
    end = month_end(day.year, first_month + size - 1)
    index = (first_month - 1) // size + 1
    label = {
        Every.month: f"{day.year}-{first_month:02d}",
        Every.quarter: f"{day.year}Q{index}",
        Every.half_year: f"{day.year}H{index}",
        Every.year: f"{day.year}",
    }[every]
    return Window(start, end, label)


def windows(every: Every, start: dt.date, end: dt.date) -> Iterator[Window]:
    """The windows of ``every`` that overlap ``start`` … ``end``, in order."""
    window = window_of(every, start)
    while window.start <= end:
        yield window
        window = window_of(every, window.end + dt.timedelta(days=1))


def nominal_due(window: Window, day: int | None) -> dt.date:
    """Due on ``day`` of the window's last month, else on the window's last day."""
    if day is None:
        return window.end
    return window.end.replace(day=min(day, window.end.day))


@lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool | None:
    """Whether ``day`` is a working day in mainland China; None for a year the library lacks."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def known_years() -> range:
    """The years the working-day calendar knows (inclusive range as a ``range``)."""
    import chinese_calendar

    years = {d.year for d in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def adjusted_due(day: dt.date, adjust: Adjust) -> dt.date:
    """Move ``day`` to the previous or next working day when it is not one.

    A day in a year the calendar does not know stays where it is (``check`` warns about it).
    """
    if adjust is Adjust.none:
        return day
    step = dt.timedelta(days=-1 if adjust is Adjust.previous else 1)
    moved = day
    for _ in range(31):  # the longest holiday run is well under a month
        working = is_working_day(moved)
        if working is None:
            return day
        if working:
            return moved
        moved += step
    return day  # pragma: no cover - no month without a working day
