"""Parsing the arguments users type: months, days, units, IDs. Errors name the bad value
and, where one is close, the nearest valid one."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from safety_plan.problems import UsageError
from safety_plan.suggest import nearest

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(value: str, option: str = "--month") -> dt.date:
    """``2025-06`` → the month's last day (2025-06-30), the as-of day DESIGN.md defines."""
    match = _MONTH.match(value)
    if match is None:
        raise UsageError(f"{option} '{value}' is not a month: write it as YYYY-MM, e.g. {_month_hint(value)}")
    year, month = int(match[1]), int(match[2])
    _check_year(year, value, option)
    if not 1 <= month <= 12:
        near = f"{year}-12" if month > 12 else f"{year}-01"
        raise UsageError(f"{option} '{value}' has no month {month} (did you mean {near}?)")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_day(value: str, option: str = "--as-of") -> dt.date:
    match = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        _check_year(year, value, option)
        near_month = min(max(month, 1), 12)
        last = calendar.monthrange(year, near_month)[1]
        near_day = min(max(day, 1), last)
        if (near_month, near_day) == (month, day):
            return dt.date(year, month, day)
        raise UsageError(
            f"{option} '{value}' is not a real day (did you mean {year}-{near_month:02d}-{near_day:02d}?)"
        )
    raise UsageError(f"{option} '{value}' is not a day: write it as YYYY-MM-DD, e.g. 2025-06-30")


MIN_YEAR, MAX_YEAR = 1900, 2999
"""Days a plan can be about; beyond them date arithmetic (as-of + 30 days) would overflow."""


def _check_year(year: int, value: str, option: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"{option} '{value}': year {year} is out of range ({MIN_YEAR} to {MAX_YEAR})")


def as_of_day(month: str | None, as_of: str | None, today: dt.date | None = None) -> dt.date:
    """The as-of day from ``--month`` or ``--as-of`` (not both); today when neither is given."""
    if month is not None and as_of is not None:
        raise UsageError("give either --month or --as-of, not both")
    if month is not None:
        return parse_month(month)
    if as_of is not None:
        return parse_day(as_of)
    return today or dt.date.today()


def choose(value: str, valid: list[str], what: str, option: str) -> str:
    """``value`` if it is one of ``valid``, else a usage error naming the nearest."""
    if value in valid:
        return value
    hint = nearest(value, valid)
    near = f" (did you mean '{hint}'?)" if hint else ""
    raise UsageError(f"{option}: unknown {what} '{value}'{near}")


def _month_hint(value: str) -> str:
    digits = re.findall(r"\d+", value)
    if len(digits) >= 2 and len(digits[0]) == 4 and 1 <= int(digits[1]) <= 12:
        return f"{digits[0]}-{int(digits[1]):02d}"
    return "2025-06"


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def parse_quarter(value: str, option: str = "--quarter") -> tuple[int, int]:
    """``2025Q2`` → (2025, 2); a usage error naming the bad value otherwise."""
    match = _QUARTER.match(value)
    if match is None:
        digits = re.findall(r"\d+", value)
        year = digits[0] if digits and len(digits[0]) == 4 else "2025"
        raise UsageError(f"{option} '{value}' is not a quarter: write it as YYYYQN, e.g. {year}Q2")
    year = int(match[1])
    _check_year(year, value, option)
    return year, int(match[2])
