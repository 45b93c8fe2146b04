"""The owners-outside-measure rule on tiny data sets: groups compared by their members,
aliases resolved, and a note that names the owner and says it lies outside silences it."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety_plan.loading import load_dataset
from safety_plan.problems import Level
from tiny_plan import write


def _warnings(tmp_path: Path, owners: str, note: str | None = None, measure: str = "demo-2") -> list[str]:
    schedule = f"""\
        deadlines:
          - id: {measure}.1
            measure: {measure}
            due: 2025-06-30
            phrase: 2025年6月底前
            what: 各单位自查
            owners: {owners}
            each: true
        """
    if note is not None:
        schedule += f"    note: {note}\n"
    result = load_dataset(write(tmp_path, schedule=schedule))
    assert result.dataset is not None
    assert all(p.level is Level.warning for p in result.problems)
    return [p.message for p in result.problems if p.rule == "owners-outside-measure"]


def test_owners_inside_the_measure_are_fine(tmp_path: Path) -> None:
    # demo-1 is owned by 区应急局 and 各乡镇: one town of the group is inside
    assert _warnings(tmp_path, "[城桥镇]", measure="demo-1") == []


def test_an_alias_resolves_before_comparing(tmp_path: Path) -> None:
    # demo-4 lists 区团委; the deadline writes its alias 团区委
    assert _warnings(tmp_path, "[团区委]", measure="demo-4") == []


def test_a_group_reaching_beyond_the_measure_warns_with_its_size(tmp_path: Path) -> None:
    # demo-2 is 区应急局's alone; 全区 = 各乡镇 (2 towns) + 区应急局: two units outside
    (message,) = _warnings(tmp_path, "[全区]")
    assert message.startswith("owner '全区' (2 units outside) is not among measure demo-2's owners")


def test_a_single_unit_outside_warns(tmp_path: Path) -> None:
    (message,) = _warnings(tmp_path, "[区应急局, 城桥镇]")
    assert message.startswith("owner '城桥镇' is not among measure demo-2's owners")


def test_a_note_that_only_names_the_owner_is_not_enough(tmp_path: Path) -> None:
    assert len(_warnings(tmp_path, "[城桥镇]", note="城桥镇负责自查。")) == 1


@pytest.mark.parametrize(
    "note",
    [
        "城桥镇不在本措施责任单位之列：原文写明由其自查。",
        "原文点名城桥镇，虽在本措施责任单位之外，仍由其自查。",
    ],
)
def test_a_note_that_names_it_and_says_it_is_outside_silences_it(tmp_path: Path, note: str) -> None:
    assert _warnings(tmp_path, "[城桥镇]", note=note) == []


def test_the_note_must_name_each_outside_owner(tmp_path: Path) -> None:
    (message,) = _warnings(tmp_path, "[城桥镇, 团区委]", note="城桥镇不在本措施责任单位之列。")
    assert message.startswith("owner '团区委' is not among")


def test_a_named_alias_counts_as_naming_the_unit(tmp_path: Path) -> None:
    # written 团区委 in owners, 区团委 (its ID) in the note
    assert _warnings(tmp_path, "[团区委]", note="区团委不在本措施责任单位之列：测试。") == []


def test_items_without_own_owners_or_without_a_measure_are_not_checked(tmp_path: Path) -> None:
    schedule = """\
        deadlines:
          - id: demo-2.1
            measure: demo-2
            due: 2025-06-30
            phrase: 2025年6月底前
            what: 默认由措施的责任单位承担
          - id: demo.1
            plan: demo
            due: 2025-06-30
            phrase: 2025年6月底前
            what: 方案层面的期限没有措施可比
            owners: [全区]
        """
    result = load_dataset(write(tmp_path, schedule=schedule))
    assert _phrases_aside(result.problems) == []


def _phrases_aside(problems: list) -> list:
    """A tiny test plan need not encode every time phrase of its texts (rule phrase-coverage)."""
    return [p for p in problems if p.rule != "phrase-coverage"]
