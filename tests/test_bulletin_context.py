"""The bulletin's context on its own (no CLI): counts that agree with each other, ties, the
first month, sections with nothing due, the footer's source."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from conftest import REPO
from safety_plan.dataset import Dataset
from safety_plan.engine.types import CompiledPlan
from safety_plan.opening import open_both
from safety_plan.output.templating import unbroken_date
from safety_plan.problems import UsageError
from safety_plan.reports.bulletin import build_context


@pytest.fixture(scope="module")
def demo() -> tuple[Dataset, CompiledPlan]:
    return open_both(REPO / "examples" / "demo", "examples/demo")


@pytest.fixture(scope="module")
def june(demo: tuple[Dataset, CompiledPlan]) -> dict[str, Any]:
    return build_context(*demo, "2025-06", data_shown="examples/demo")


def test_red_lights_are_the_occurrences_behind_the_overdue_list(june: dict[str, Any]) -> None:
    """次 and 项: the header's red count is the overdue list's missed occurrences, the list's
    total its rows; 一、's per-section overdue adds up to the same red count."""
    assert june["overdue_occurrences"] == june["lights"]["red"]
    assert june["overdue_total"] == sum(len(g["rows"]) for g in june["overdue"])
    assert sum(g["occurrences"] for g in june["overdue"]) == june["lights"]["red"]
    assert sum(s["overdue"] for s in june["sections"]) == june["lights"]["red"]
    assert june["overdue_total"] < june["overdue_occurrences"]  # the demo has repeat misses


def test_a_units_overdue_in_the_ranking_is_its_occurrences_in_the_list(june: dict[str, Any]) -> None:
    by_unit = {g["unit"]: g["occurrences"] for g in june["overdue"]}
    for row in june["ranking"]:
        assert row["overdue"] == by_unit.get(row["unit"], 0), row["unit"]


def test_equal_units_share_a_rank(june: dict[str, Any]) -> None:
    ranking = june["ranking"]
    for before, after in pairwise(ranking):
        same = (before["done"] / before["due"], before["days_overdue"]) == (
            after["done"] / after["due"],
            after["days_overdue"],
        )
        assert (after["rank"] == before["rank"]) is same
        if not same:
            assert after["rank"] == ranking.index(after) + 1  # 1, 1, 3: the next rank skips
        if same:
            assert before["tied"] and after["tied"] and before["unit"] < after["unit"]
    assert ranking[0]["rank"] == 1 and any(r["tied"] for r in ranking)
    assert [r for r in ranking if not r["tied"]], "some ranks are a unit's own"


def test_a_month_before_the_plan_began_is_refused(demo: tuple[Dataset, CompiledPlan]) -> None:
    with pytest.raises(UsageError, match=r"--month '2024-02': the plan began in 2024-03"):
        build_context(*demo, "2024-02")
    assert build_context(*demo, "2024-03")["issue"] == 1


def test_sections_with_nothing_due_say_so(june: dict[str, Any]) -> None:
    empty = [s for s in june["sections"] if s["nothing_due"]]
    assert empty, "the demo has sections with nothing due yet"
    for s in empty:
        assert s["due"] == 0 and s["overdue"] == 0 and s["soon"] == 0
    assert not any(s["nothing_due"] for s in june["sections"] if s["due"])


def test_the_source_is_the_data_it_was_made_from(june: dict[str, Any]) -> None:
    assert june["source"] == {
        "data": "examples/demo",
        "reports_from": "2024-04",
        "reports_until": "2025-06",
        "report_months": 15,
    }


def test_dates_keep_their_hyphens_together() -> None:
    assert unbroken_date("2024-12-31") == "2024\u201112\u201131"
    assert unbroken_date(None) == ""
