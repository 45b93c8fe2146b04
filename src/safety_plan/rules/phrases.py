"""A deadline's time phrase and its due day agree, by the mapping DESIGN.md states.

``YYYY年底前`` and a bare ``YYYY年`` target → YYYY-12-31; ``3年内`` / ``三年内`` → the plan's
end; ``M月D日前`` → that day and ``M月底前`` → that month's last day, in the year the phrase names
or else the plan's first year (``3月31日前`` in the 2024–2026 plan → 2024-03-31). A phrase outside the mapping is named, so
that a new form of words is added here, with its meaning, before a date is guessed for it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.models import Deadline, Plan
from safety_plan.problems import Problem
from safety_plan.rules import problem, rule

_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_YEAR_END = re.compile(r"(20\d\d)年(底前|底)?")
_WITHIN_YEARS = re.compile(r"([1-5一二两三四五])年内")
_DAY = re.compile(r"(?:(20\d\d)年)?(1[0-2]|[1-9])月([1-9]|[12]\d|3[01])日前?")
_MONTH_END = re.compile(r"(?:(20\d\d)年)?(1[0-2]|[1-9])月底前?")
_QUARTER = re.compile(r"(20\d\d)年(?:第)?([一二三四1-4])季度(?:末|底)?前?")
_HALF = re.compile(r"(20\d\d)年(上|下)半年(?:前)?")
FORMS = "YYYY年底前, YYYY年, N年内, [YYYY年]M月D日前, [YYYY年]M月底前, YYYY年N季度, YYYY年上/下半年"
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}

Meaning = dt.date | tuple[int, int]
"""A day, or a month and day in whichever of the plan's years (``3月31日前`` says no year)."""


def phrase_date(phrase: str, plan: Plan) -> Meaning | None:
    """The due day ``phrase`` means in ``plan``, or None when the mapping has no such form."""
    if found := _YEAR_END.fullmatch(phrase):
        return dt.date(int(found.group(1)), 12, 31)
    if found := _WITHIN_YEARS.fullmatch(phrase):
        years = _CHINESE_DIGITS.get(found.group(1)) or int(found.group(1))
        start, end = plan.period.start, plan.period.end
        return end if years == end.year - start.year + 1 else dt.date(start.year + years - 1, 12, 31)
    if found := _DAY.fullmatch(phrase):
        month, day = int(found.group(2)), int(found.group(3))
        try:
            dt.date(int(found.group(1) or 2024), month, day)  # 2024: a leap year, so 2月29日 exists
        except ValueError:
            return None
        return dt.date(int(found.group(1)), month, day) if found.group(1) else (month, day)
    if found := _MONTH_END.fullmatch(phrase):
        month = int(found.group(2))
        if not found.group(1):
            return (month, 29 if month == 2 else calendar.monthrange(2023, month)[1])
        year = int(found.group(1))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if found := _QUARTER.fullmatch(phrase):
        year, quarter = int(found.group(1)), _QUARTERS.get(found.group(2)) or int(found.group(2))
        return dt.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
    if found := _HALF.fullmatch(phrase):
        return (
            dt.date(int(found.group(1)), 6, 30)
            if found.group(2) == "上"
            else dt.date(int(found.group(1)), 12, 31)
        )
    return None


def _agrees(meant: Meaning, due: dt.date) -> bool:
    if isinstance(meant, dt.date):
        return meant == due
    month, day = meant
    last = calendar.monthrange(due.year, month)[1]
    return (due.month, due.day) == (month, min(day, last))


def _shown(meant: Meaning) -> str:
    return str(meant) if isinstance(meant, dt.date) else f"{meant[0]}月{meant[1]}日 of a year in the plan"


@rule("deadline-phrase", f"a deadline's due day is what its phrase means ({FORMS})")
def deadline_phrases(dataset: Dataset) -> Iterator[Problem]:
    for deadline in dataset.schedule_file.deadlines:
        plan = _plan(dataset, deadline)
        if plan is None:
            continue  # the deadline rule reports the unknown measure or plan
        meant = phrase_date(deadline.phrase, plan)
        if meant is None:
            yield problem(
                dataset,
                deadline,
                "phrase",
                message=f"phrase '{deadline.phrase}' is not one the date mapping knows ({FORMS}); "
                "state what it means before a due day is set for it",
            )
        elif not _agrees(meant, deadline.due):
            yield problem(
                dataset,
                deadline,
                "due",
                message=f"due {deadline.due}, but '{deadline.phrase}' means {_shown(meant)}",
            )


def _plan(dataset: Dataset, deadline: Deadline) -> Plan | None:
    if deadline.measure is not None:
        measure = dataset.measures.get(deadline.measure)
        return dataset.plans.get(measure.plan) if measure is not None else None
    return dataset.plans.get(deadline.plan) if deadline.plan is not None else None
