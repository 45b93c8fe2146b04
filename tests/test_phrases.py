"""The date mapping of DESIGN.md, phrase by phrase."""

from __future__ import annotations

import datetime as dt

import pytest

from safety_plan.models import Period, Plan
from safety_plan.rules.phrases import phrase_date

PLAN = Plan(
    id="zbgj",
    title="t",
    short="t",
    issuer="i",
    issued=dt.date(2024, 3, 27),
    period=Period(start=dt.date(2024, 3, 1), end=dt.date(2026, 12, 31)),
    source="zbgj.txt",
    sections=[],
)


@pytest.mark.parametrize(
    ("phrase", "meant"),
    [
        ("2024年底前", dt.date(2024, 12, 31)),
        ("2025年", dt.date(2025, 12, 31)),
        ("3年内", dt.date(2026, 12, 31)),
        ("三年内", dt.date(2026, 12, 31)),
        ("3月31日前", (3, 31)),  # the year is the context's: any of the plan's years
        ("3月底前", (3, 31)),
        ("2月底前", (2, 29)),
        ("2025年一季度", dt.date(2025, 3, 31)),
        ("2025年上半年", dt.date(2025, 6, 30)),
        ("2月30日前", None),
        ("2025年4月1日前", dt.date(2025, 4, 1)),
        ("2025年6月底前", dt.date(2025, 6, 30)),
        ("明年上半年", None),
        ("年内", None),
    ],
)
def test_each_form_of_words_means_one_day(phrase: str, meant: dt.date | None) -> None:
    assert phrase_date(phrase, PLAN) == meant
