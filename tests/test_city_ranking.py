"""The city ranking's ties (并列): districts with equal figures share a rank, numbered 1, 1, 3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO
from safety_plan.city.standing import shared_ranks, shown_rank

DEMO = REPO / "examples" / "demo"


def test_equal_values_share_the_first_position_they_hold() -> None:
    rows = [{"v": 0.5}, {"v": 0.3}, {"v": 0.3}, {"v": 0.1}, {"v": None}, {"v": None}]
    assert shared_ranks(rows, "v") == [1, 2, 2, 4, 5, 5]
    assert shared_ranks([], "v") == []
    assert shown_rank(2, [1, 2, 2, 4]) == "2（并列）"
    assert shown_rank(4, [1, 2, 2, 4]) == "4"


def _city(root: Path) -> Path:
    """Four districts: two with every report gone (equally behind), two as the demo."""
    text = "districts:\n"
    for district in ("a", "b", "c", "d"):
        shutil.copytree(DEMO, root / district)
        if district in "ab":
            shutil.rmtree(root / district / "progress")
            (root / district / "progress").mkdir()
        text += f"  - id: {district}\n    name: {district.upper()}区\n    data: {district}\n"
    (root / "districts.yaml").write_text(text, encoding="utf-8")
    return root


def test_status_and_bulletin_of_a_city_show_shared_ranks(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    city = _city(tmp_path)
    code, out, err = run("--data", str(city), "status", "--month", "2025-06", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    by_id = {d["id"]: d for d in payload["districts"]}
    assert by_id["a"]["overdue_share"] == by_id["b"]["overdue_share"] > by_id["c"]["overdue_share"]
    assert [by_id[i]["rank"] for i in "abcd"] == [1, 1, 3, 3]
    assert [by_id[i]["on_time_rank"] for i in "abcd"] == [3, 3, 1, 1]
    assert payload["by_overdue_share"] == ["a", "b", "c", "d"]  # equal ones by id
    assert payload["by_on_time"] == ["c", "d", "a", "b"]

    code, out, err = run("--data", str(city), "status", "--month", "2025-06", "--format", "csv")
    assert code == 0, err
    lines = out.lstrip("\ufeff").splitlines()
    ranks = [(line.split(",")[0], line.split(",")[1], line.split(",")[7]) for line in lines[1:]]
    assert ranks == [
        ("1（并列）", "A区", "3（并列）"),
        ("1（并列）", "B区", "3（并列）"),
        ("3（并列）", "C区", "1（并列）"),
        ("3（并列）", "D区", "1（并列）"),
    ]

    code, out, err = run("--data", str(city), "bulletin", "--month", "2025-06")
    assert code == 0, err
    assert "| 1（并列） | A区 |" in out and "| 3（并列） | D区 |" in out
