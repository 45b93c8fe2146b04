"""The city editions of ``reports`` and ``escalations`` through the public CLI, on the city of
three copies of examples/demo (``test_city``): every count is three times one district's, every
row names its district, each district is answered by its own data and its own ``rules.yaml``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli_support import Run
from safety_plan.output.text import display_width
from test_city import DEMO, DISTRICTS, MONTH, _both_ways
from test_city import city as city  # the three-district city, one per module

QUARTER = ["--quarter", "2025Q2"]


def _json(run: Run, *args: str) -> Any:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _without_district(rows: list[dict[str, Any]], district: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "district"} for row in rows if row["district"] == district]


def _fits(out: str, width: int = 80) -> bool:
    return all(display_width(line) <= width for line in out.splitlines())


@pytest.mark.parametrize(
    ("command", "rows"),
    [
        (["reports", *MONTH], "units"),
        (["escalations", *MONTH], "items"),
        (["escalations", *QUARTER], "items"),
    ],
    ids=["reports", "escalations", "visits"],
)
def test_each_districts_rows_are_its_own_and_counts_three_times_one(
    run: Run, city: Path, command: list[str], rows: str
) -> None:
    one = _json(run, "--data", str(city / "jiading" / "data"), *command)
    whole = _json(run, "--data", str(city / "city"), *command)
    assert one[rows] and len(whole[rows]) == 3 * len(one[rows])
    assert [row["district"] for row in whole[rows]] == [d for d in DISTRICTS for _ in one[rows]]
    for district in DISTRICTS:
        assert _without_district(whole[rows], district) == one[rows]
    assert all("district" not in row for row in one[rows])


def test_city_reports_totals_and_ranks_the_district_reporting_worst_first(
    run: Run, city: Path, tmp_path: Path
) -> None:
    one = _json(run, "--data", str(city / "chongming" / "data"), "reports", *MONTH)
    whole = _json(run, "--data", str(city / "city"), "reports", *MONTH)
    assert whole["month"] == "2025-06" and whole["as_of"] == "2025-06-30"
    assert {k: whole["summary"][k] for k in one["summary"]} == {k: 3 * v for k, v in one["summary"].items()}
    reports_due = sum(u["reports_due"] for u in one["units"])
    on_time = sum(u["reports_on_time"] for u in one["units"])
    assert whole["summary"]["reports_due"] == 3 * reports_due
    assert whole["summary"]["on_time_rate"] == round(on_time / reports_due, 4)
    for row in whole["districts"]:
        assert {k: row[k] for k in one["summary"]} == one["summary"]
        assert row["rank"] == 1  # three equal copies share the first place
    assert [d["id"] for d in whole["districts"]] == list(DISTRICTS)  # equal rates: by ID

    root = tmp_path / "c"
    shutil.copytree(city, root)
    # Jiading's units reported nothing in June: it is the one to urge first.
    (root / "jiading" / "data" / "progress" / "2025-06.yaml").unlink()
    ranked = _json(run, "--data", str(root / "city"), "reports", *MONTH)
    assert ranked["districts"][0]["id"] == "jiading" and ranked["districts"][0]["rank"] == 1
    assert ranked["districts"][0]["not_yet"] == ranked["districts"][0]["due"]
    assert [d["rank"] for d in ranked["districts"][1:]] == [2, 2]
    code, out, _ = run("--data", str(root / "city"), "reports", *MONTH)
    assert code == 0
    ranking = next(line for line in out.splitlines() if line.startswith("各区按时报送率（由低到高）：嘉定区"))
    assert ranking
    assert f"嘉定区催报名单（{ranked['districts'][0]['due']}）：" in out


def test_city_reports_table_csv_and_md(run: Run, city: Path) -> None:
    code, out, err = run("--data", str(city / "city"), "reports", *MONTH)
    assert code == 0, err
    assert out.startswith("2025年6月报送情况：3 个区应报 177 个单位，按时 162，逾期 3，未报 12")
    assert _fits(out) and "浦东新区  横沙乡" in out
    for name in DISTRICTS.values():
        assert f"{name}催报名单（4）：区民族宗教办、区科委、区统计局、横沙乡" in out
    assert "全市按时报送率 88%" in out
    code, out, _ = run("--data", str(city / "city"), "reports", *MONTH, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][:3] == ["区", "单位", "报送情况"] and len(rows) == 1 + 177
    assert {r[0] for r in rows[1:]} == set(DISTRICTS.values())
    code, out, _ = run("--data", str(city / "city"), "reports", *MONTH, "--format", "md")
    assert code == 0 and "| 区 | 单位 |" in out and "| 嘉定区 | 横沙乡 |" in out


def test_city_escalations_table_names_each_district_and_fits(run: Run, city: Path) -> None:
    code, out, err = run("--data", str(city / "city"), "escalations", *MONTH)
    assert code == 0, err
    assert out.startswith("督办事项：截至 2025-06-30，3 个区共 354 条")
    assert _fits(out)
    assert "共 354 条，涉及 3 个区、117 个单位，本月新增 0 条。" in out
    assert "各区按本区 rules.yaml 评定：崇明区 118 条、嘉定区 118 条、浦东新区 118 条。" in out
    code, out, err = run("--data", str(city / "city"), "escalations", *QUARTER)
    assert code == 0, err
    assert out.startswith("2025年第2季度专项督导建议名单：截至 2025-06-30，3 个区共 15 个单位")
    assert _fits(out) and "候选单位：崇明区 43 个、嘉定区 43 个、浦东新区 43 个。" in out
    code, out, _ = run("--data", str(city / "city"), "escalations", *QUARTER, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][:3] == ["区", "名次", "单位"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(n, str(k)) for n in DISTRICTS.values() for k in range(1, 6)]
    visits = _json(run, "--data", str(city / "city"), "escalations", *QUARTER, "--visits", "2")
    assert visits["candidates"] == 3 * 43 and visits["visits"] == 2 and len(visits["items"]) == 6
    assert visits["districts"] == [{"id": d, "name": n, "candidates": 43} for d, n in DISTRICTS.items()]


def test_each_district_is_supervised_by_its_own_rules(run: Run, city: Path, tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(city, root)
    (root / "pudong" / "data" / "rules.yaml").unlink()
    whole = _json(run, "--data", str(root / "city"), "escalations", *MONTH)
    one = _json(run, "--data", str(city / "chongming" / "data"), "escalations", *MONTH)
    assert {i["district"] for i in whole["items"]} == {"chongming", "jiading"}
    assert len(whole["items"]) == 2 * len(one["items"])
    code, out, _ = run("--data", str(root / "city"), "escalations", *MONTH)
    assert code == 0 and "浦东新区 无督办规则" in out
    code, out, _ = run("--data", str(root / "city"), "escalations", *QUARTER)
    assert code == 0 and "浦东新区没有督办规则" in out and "仅按逾期情况排序" in out
    code, out, _ = run("--data", str(root / "city"), "escalations", *MONTH, "--district", "pudong")
    assert code == 0 and "没有督办规则" in out and "1 个区共 0 条" in out


@pytest.mark.parametrize("command", [["reports", *MONTH], ["escalations", *MONTH], ["escalations", *QUARTER]])
def test_district_filters_and_an_unknown_one_is_one_line_with_a_hint(
    run: Run, city: Path, command: list[str]
) -> None:
    rows = "units" if command[0] == "reports" else "items"
    one = _json(run, "--data", str(city / "pudong" / "data"), *command)
    only = _json(run, "--data", str(city / "city"), *command, "--district", "pudong")
    assert _without_district(only[rows], "pudong") == one[rows]
    assert [d["id"] for d in only["districts"]] == ["pudong"]
    code, out, err = run("--data", str(city / "city"), *command, "--district", "pudon")
    assert code == 2 and out == "" and err.strip().count("\n") == 0
    assert "no district 'pudon'" in err and "did you mean 'pudong'?" in err
    code, _, err = run("--data", str(DEMO), *command, "--district", "pudong")
    assert code == 2 and "not a city" in err


def test_escalations_unit_spans_districts_and_an_unknown_unit_is_one_line(run: Run, city: Path) -> None:
    one = _json(run, "--data", str(city / "jiading" / "data"), "escalations", *MONTH, "--unit", "横沙乡")
    whole = _json(run, "--data", str(city / "city"), "escalations", *MONTH, "--unit", "横沙乡")
    assert one["items"] and len(whole["items"]) == 3 * len(one["items"])
    code, out, err = run("--data", str(city / "city"), "escalations", *MONTH, "--unit", "横沙")
    assert code == 2 and out == "" and err.strip().count("\n") == 0 and "did you mean '横沙乡'" in err


def test_a_units_place_on_each_districts_visit_list(run: Run, city: Path) -> None:
    one = _json(run, "--data", str(city / "jiading" / "data"), "escalations", *QUARTER, "--unit", "横沙乡")
    whole = _json(run, "--data", str(city / "city"), "escalations", *QUARTER, "--unit", "横沙乡")
    assert len(one["items"]) == 1 and len(whole["items"]) == 3
    assert all(_without_district([row], row["district"]) == one["items"] for row in whole["items"])
    code, out, _ = run("--data", str(city / "city"), "escalations", *QUARTER, "--unit", "横沙乡")
    rank = one["items"][0]["rank"]
    assert code == 0 and "专项督导建议名单（横沙乡）" in out
    assert out.count(f"：横沙乡 排第 {rank} 名。") == len(DISTRICTS)


def test_letters_stay_a_districts_and_the_list_options_are_checked(
    run: Run, city: Path, tmp_path: Path
) -> None:
    target = tmp_path / "letters"
    code, out, err = run("--data", str(city / "city"), "escalations", *MONTH, "--letters", str(target))
    assert code == 2 and out == "" and err.strip().count("\n") == 0
    assert "a district's own" in err and "--data" in err and not target.exists()
    code, _, err = run("--data", str(city / "city"), "escalations", *MONTH, "--format", "docx")
    assert code == 2 and "only with --letters" in err
    code, _, err = run("--data", str(city / "city"), "reports", "--month", "2023-01")
    assert code == 2 and "no unit owes a monthly report for 2023-01" in err


@pytest.mark.parametrize(
    "command",
    [
        ["reports", *MONTH, "--format", "json"],
        ["escalations", *MONTH],
        ["escalations", *QUARTER, "-f", "json"],
    ],
    ids=["reports", "escalations", "visits"],
)
def test_districts_in_parallel_answer_as_one_after_another(
    run: Run, monkeypatch: pytest.MonkeyPatch, city: Path, command: list[str]
) -> None:
    code, _, err = _both_ways(run, monkeypatch, "--data", str(city / "city"), *command)
    assert code == 0, err
