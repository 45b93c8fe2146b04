"""A city (districts.yaml over districts' data) through the public CLI, and its reader alone.

The city is three copies of examples/demo: every count is three times one district's, every row
names its district, a problem in one district's file is reported at that file's own path.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from safety_plan.city.districts import read_city

DEMO = REPO / "examples" / "demo"
MONTH = ["--month", "2025-06"]
DISTRICTS = {"chongming": "崇明区", "jiading": "嘉定区", "pudong": "浦东新区"}
CITY_YAML = "districts:\n" + "".join(
    f"  - id: {d}\n    name: {name}\n    data: ../{d}/data\n" for d, name in DISTRICTS.items()
)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city")
    for district in DISTRICTS:
        shutil.copytree(DEMO, root / district / "data")
    (root / "city").mkdir()
    (root / "city" / "districts.yaml").write_text(CITY_YAML, encoding="utf-8")
    return root


def _json(run, *args: str):  # type: ignore[no-untyped-def]
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("command", ["overdue", "due", "units"])
def test_every_row_names_its_district_and_counts_are_three_times_one(run, city: Path, command: str) -> None:
    one = _json(run, "--data", str(city / "jiading" / "data"), command, *MONTH)
    whole = _json(run, "--data", str(city / "city"), command, *MONTH)
    one_items = one if command == "units" else one["items"]
    items = whole if command == "units" else whole["items"]
    assert len(one_items) > 0
    assert len(items) == 3 * len(one_items)
    for district in DISTRICTS:
        mine = [i for i in items if i["district"] == district]
        assert [{k: v for k, v in i.items() if k != "district"} for i in mine] == one_items
    assert {i["district"] for i in items} == set(DISTRICTS)


def test_table_csv_and_md_carry_a_district_column(run, city: Path) -> None:
    code, out, _ = run("--data", str(city / "city"), "overdue", *MONTH, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][0] == "区"
    assert {r[0] for r in rows[1:]} == set(DISTRICTS.values())
    code, out, _ = run("--data", str(city / "city"), "overdue", *MONTH, "--format", "md")
    assert code == 0 and "| 区 |" in out and "| 浦东新区 |" in out
    code, out, _ = run("--data", str(city / "city"), "overdue", *MONTH)
    assert code == 0 and "3 个区共" in out and "嘉定区" in out


def test_single_district_output_is_unchanged_and_has_no_district(run, city: Path) -> None:
    one = _json(run, "--data", str(city / "jiading" / "data"), "overdue", *MONTH)
    demo = _json(run, "--data", str(DEMO), "overdue", *MONTH)
    assert one == demo
    assert all("district" not in item for item in one["items"])


def test_district_filters(run, city: Path) -> None:
    one = _json(run, "--data", str(city / "pudong" / "data"), "overdue", *MONTH)
    only = _json(run, "--data", str(city / "city"), "overdue", *MONTH, "--district", "pudong")
    assert len(only["items"]) == len(one["items"])
    assert {i["district"] for i in only["items"]} == {"pudong"}
    units = _json(run, "--data", str(city / "city"), "units", *MONTH, "--district", "chongming")
    assert {u["district"] for u in units} == {"chongming"}


def test_unknown_district_is_one_line_with_a_hint(run, city: Path) -> None:
    code, out, err = run("--data", str(city / "city"), "due", *MONTH, "--district", "jiadin")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0
    assert "no district 'jiadin'" in err and "did you mean 'jiading'?" in err


def test_district_option_on_one_districts_data_is_refused(run, city: Path) -> None:
    code, _, err = run("--data", str(DEMO), "overdue", *MONTH, "--district", "pudong")
    assert code == 2 and "not a city" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["forms", *MONTH], ["import", "x.xlsx"], ["gantt", *MONTH]])
def test_district_only_commands_refuse_a_city(run, city: Path, tmp_path: Path, command: list[str]) -> None:
    code, out, err = run("--data", str(city / "city"), *command)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0
    assert "is a city" in err and "Traceback" not in err
    assert not (tmp_path / "forms").exists()


def test_city_status_ranks_districts_and_totals_three_times_one(run, city: Path) -> None:
    one = _json(run, "--data", str(city / "chongming" / "data"), "status", *MONTH)
    whole = _json(run, "--data", str(city / "city"), "status", *MONTH)
    assert [d["id"] for d in whole["districts"]] == whole["by_overdue_share"]
    assert sorted(whole["by_on_time"]) == sorted(DISTRICTS)
    due = sum(s["due"] for s in one["sections"])
    overdue = sum(s["overdue"] for s in one["sections"])
    assert whole["totals"]["due"] == 3 * due
    assert whole["totals"]["overdue"] == 3 * overdue
    assert whole["totals"]["lights"] == {k: 3 * v for k, v in one["lights"].items()}
    for district in whole["districts"]:
        assert district["phase"] == one["phase"]
        assert district["lights"] == one["lights"]
        assert district["overdue_share"] == round(overdue / due, 4)
    code, out, _ = run("--data", str(city / "city"), "status", *MONTH)
    assert code == 0 and "全市合计：应完成" in out and "按时报送率排名" in out
    assert " 项" not in out.split("全市合计")[1].split("月报")[0], (
        "obligations are counted in 次, as the bulletin does"
    )


def test_city_status_ranks_the_district_behind_first(run, city: Path, tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(city, root)
    # One district whose every progress report is gone: everything it owed is overdue.
    shutil.rmtree(root / "pudong" / "data" / "progress")
    (root / "pudong" / "data" / "progress").mkdir()
    whole = _json(run, "--data", str(root / "city"), "status", *MONTH)
    assert whole["by_overdue_share"][0] == "pudong"
    assert whole["by_on_time"][-1] == "pudong"


def test_check_names_a_problem_at_the_districts_own_path(run, city: Path, tmp_path: Path) -> None:
    code, _, err = run("--data", str(city / "city"), "check")
    assert code == 0, err
    assert err.count("no problems") == 4  # districts.yaml and each district
    root = tmp_path / "c"
    shutil.copytree(city, root)
    units = root / "jiading" / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "bogus_key: 1\n", encoding="utf-8")
    code, out, err = run("--data", str(root / "city"), "check", "--format", "text")
    assert code == 1
    assert f"{root / 'jiading' / 'data' / 'units.yaml'}:" in out
    assert "unknown-key" in out
    assert "chongming" not in out and "pudong" not in out
    code, out, _ = run("--data", str(root / "city"), "check", "--format", "json")
    found = json.loads(out)
    assert found and {p["path"] for p in found} == {str(units)}


def test_a_query_on_a_city_with_a_broken_district_fails_naming_the_file(
    run, city: Path, tmp_path: Path
) -> None:
    root = tmp_path / "c"
    shutil.copytree(city, root)
    (root / "chongming" / "data" / "measures.yaml").write_text("measures: [\n", encoding="utf-8")
    code, _, err = run("--data", str(root / "city"), "overdue", *MONTH)
    assert code == 1 and "Traceback" not in err
    assert str(root / "chongming" / "data" / "measures.yaml") in err


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "districts.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "d1").mkdir(exist_ok=True)
    _, problems = read_city(tmp_path, "city")
    return [f"{p.path}:{p.line}:{p.column}: {p.message} ({p.rule})" for p in problems]


def test_districts_yaml_problems_have_positions(tmp_path: Path) -> None:
    text = (
        "districts:\n  - id: a\n    name: 甲\n    data: d1\n    dta: x\n  - id: b\n    name: 乙\n    data: d1\n"
        "  - id: b\n    name: 丙\n    data: d1\n"
    )
    assert _problems(tmp_path, text) == [
        "city/districts.yaml:5:5: unknown key 'dta' (did you mean 'data'?) (unknown-key)",
        "city/districts.yaml:9:9: duplicate district id 'b' (duplicate-id)",
    ]
    text = "districts:\n  - id: a\n    name: 甲\n    data: nowhere\n  - id: 区\n    name: 乙\n    data: d1\n"
    assert _problems(tmp_path, text) == [
        "city/districts.yaml:4:11: district 'a': data directory 'nowhere' not found (missing-dir)",
        "city/districts.yaml:5:9: district id '区' must be ASCII: lower-case letters, digits, '-' and '_' "
        "(e.g. chongming) (schema)",
    ]
    assert _problems(tmp_path, "districts:\n  - id: a\n    name: 甲\n") == [
        "city/districts.yaml:2:5: missing key 'data' (missing-key)"
    ]
    assert _problems(tmp_path, "district: []\n") == [
        "city/districts.yaml:1:1: missing key 'districts' (the list of the city's districts) (missing-key)",
        "city/districts.yaml:1:1: unknown key 'district' (did you mean 'districts'?) (unknown-key)",
    ]
    dup = _problems(tmp_path, "districts: []\ndistricts: []\n")
    assert any("duplicate-key" in p for p in dup)
    assert any("tag" in p for p in _problems(tmp_path, "districts: !!python/object:os.system []\n"))


def test_a_broken_districts_yaml_fails_every_query_in_one_list(run, tmp_path: Path) -> None:
    (tmp_path / "districts.yaml").write_text(
        "districts:\n  - id: a\n    name: 甲\n    data: gone\n", encoding="utf-8"
    )
    code, _, err = run("--data", str(tmp_path), "overdue", *MONTH)
    assert code == 1 and "Traceback" not in err
    assert f"{tmp_path / 'districts.yaml'}:4:11:" in err and "missing-dir" in err
    code, out, _ = run("--data", str(tmp_path), "check", "--format", "text")
    assert code == 1 and "missing-dir" in out


def test_unit_filter_spans_districts_and_an_unknown_unit_is_one_line(run, city: Path) -> None:
    one = _json(run, "--data", str(city / "jiading" / "data"), "overdue", *MONTH, "--unit", "横沙乡")
    whole = _json(run, "--data", str(city / "city"), "overdue", *MONTH, "--unit", "横沙乡")
    assert one["items"] and len(whole["items"]) == 3 * len(one["items"])
    code, out, err = run("--data", str(city / "city"), "overdue", *MONTH, "--unit", "横沙")
    assert code == 2 and out == "" and err.strip().count("\n") == 0 and "did you mean" in err


def test_city_bulletin_ranks_districts_and_lists_each_ones_units(run, city: Path, tmp_path: Path) -> None:
    code, out, err = run("--data", str(city / "city"), "bulletin", *MONTH)
    assert code == 0, err
    assert out.startswith("# ") and "全市各区推进情况通报" in out
    one = _json(run, "--data", str(city / "jiading" / "data"), "overdue", *MONTH)
    for number, name in zip("一二三", DISTRICTS.values(), strict=True):  # equal shares: by id
        assert f"### （{number}）{name}（逾期未完成 {len(one['items'])} 项）" in out
    status = _json(run, "--data", str(city / "city"), "status", *MONTH)
    assert f"逾期 {status['totals']['overdue']} 次" in out
    target = tmp_path / "city.docx"
    code, out, err = run("--data", str(city / "city"), "bulletin", *MONTH, "-o", str(target))
    assert code == 0, err
    assert target.read_bytes()[:2] == b"PK"
    code, _, err = run("--data", str(city / "city"), "bulletin", *MONTH, "--summary")
    assert code == 2 and "a district's" in err


def test_two_districts_on_one_data_directory_is_an_error(tmp_path: Path) -> None:
    text = "districts:\n  - id: a\n    name: 甲\n    data: d1\n  - id: b\n    name: 乙\n    data: ./d1/\n"
    assert _problems(tmp_path, text) == [
        "city/districts.yaml:7:11: district 'b': data directory './d1/' is district 'a''s already (duplicate-data)"
    ]


def test_check_district_checks_that_one_only(run, city: Path) -> None:
    code, _, err = run("--data", str(city / "city"), "check", "--district", "pudong", "--format", "text")
    assert code == 0, err
    assert "pudong" in err and "jiading" not in err
    code, _, err = run("--data", str(city / "city"), "check", "--district", "pudon")
    assert code == 2 and "did you mean 'pudong'?" in err


def test_a_warm_city_query_does_not_import_pydantic(run, city: Path) -> None:
    """Reading districts.yaml (its parse cached) and the districts' cached plans needs neither
    Pydantic, the models nor PyYAML: a warm city query costs what a district's does, per district."""
    assert run("--data", str(city / "city"), "overdue", *MONTH)[0] == 0  # the cache is warm
    code = (
        "import sys\n"
        "from safety_plan.cli import main\n"
        f"sys.argv = ['safety-plan', '--data', {str(city / 'city')!r}, 'overdue', '--month', '2025-06']\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "loaded = [m for m in ('pydantic', 'safety_plan.models', 'safety_plan.engine.compile', 'yaml') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.fixture(scope="module")
def uneven_city(city: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The city with a unit only Pudong has (a --unit the others lack)."""
    root = tmp_path_factory.mktemp("uneven") / "c"
    shutil.copytree(city, root)
    units = root / "pudong" / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8").replace(
        "\nunits:\n", "\nunits:\n- id: 浦东新区试点单位\n  kind: coordination\n", 1
    )
    units.write_text(text, encoding="utf-8")
    return root


def _both_ways(run, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """The command's exit code and output, the same one district after another and on two processes."""
    from safety_plan.city.parallel import FORKS

    real_fork = os.fork
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "1")
    sequential = run(*args)
    assert forks == []
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "2")
    parallel = run(*args)
    assert forks or not FORKS, "a worker was forked"
    assert parallel == sequential
    return sequential


@pytest.mark.parametrize(
    "command",
    [
        ["overdue", *MONTH, "--format", "json"],
        ["due", *MONTH],
        ["units", *MONTH, "--format", "csv"],
        ["status", *MONTH, "--format", "json"],
        ["check", "--format", "text"],
        ["bulletin", *MONTH],
        ["overdue", *MONTH, "--unit", "浦东新区试点单位", "--format", "json"],
        ["due", *MONTH, "--unit", "横沙"],
    ],
    ids=["overdue", "due", "units", "status", "check", "bulletin", "unit-in-one", "unit-in-none"],
)
def test_districts_in_parallel_answer_as_one_after_another(
    run, monkeypatch: pytest.MonkeyPatch, uneven_city: Path, command: list[str]
) -> None:
    code, out, err = _both_ways(run, monkeypatch, "--data", str(uneven_city / "city"), *command)
    assert code == (2 if "横沙" in command else 0), err
    if "浦东新区试点单位" in command:
        assert json.loads(out)["items"] == []  # Pudong has the unit, with nothing overdue


def test_districts_in_parallel_report_each_problem_at_its_path(
    run, monkeypatch: pytest.MonkeyPatch, city: Path, tmp_path: Path
) -> None:
    root = tmp_path / "c"
    shutil.copytree(city, root)
    units = root / "jiading" / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "bogus_key: 1\n", encoding="utf-8")
    code, out, _ = _both_ways(run, monkeypatch, "--data", str(root / "city"), "check", "--format", "text")
    assert code == 1 and f"{units}:" in out and "unknown-key" in out
    code, _, err = _both_ways(run, monkeypatch, "--data", str(root / "city"), "overdue", *MONTH)
    assert code == 1 and f"{units}:" in err and "Traceback" not in err
    (root / "pudong" / "data" / "measures.yaml").write_text("measures: [\n", encoding="utf-8")
    code, _, err = _both_ways(run, monkeypatch, "--data", str(root / "city"), "status", *MONTH)
    assert code == 1 and f"{units}:" in err and "pudong" not in err  # the first district's error, as before


def test_a_bad_jobs_value_is_one_line(run, monkeypatch: pytest.MonkeyPatch, city: Path) -> None:
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "0")
    code, out, err = run("--data", str(city / "city"), "overdue", *MONTH)
    assert code == 2 and out == "" and err.strip().count("\n") == 0
    assert "SAFETY_PLAN_JOBS: '0'" in err


def test_a_cached_districts_yaml_still_reports_each_problem_at_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse comes from the cache the second time; a district's directory gone since is
    still reported at the line and column of its ``data``, as a fresh parse reports it."""
    import safety_plan.loading as loading

    text = "districts:\n  - id: a\n    name: 甲\n    data: d1\n  - id: b\n    name: 乙\n    data: d2\n"
    (tmp_path / "d2").mkdir()
    assert _problems(tmp_path, text) == []  # parsed, and remembered
    parses: list[str] = []
    real = loading.parse_yaml
    monkeypatch.setattr(
        loading, "parse_yaml", lambda raw, path, **o: parses.append(path) or real(raw, path, **o)
    )
    city, problems = read_city(tmp_path, "city")
    assert city.ids == ["a", "b"] and problems == [] and parses == []
    (tmp_path / "d2").rmdir()
    _, problems = read_city(tmp_path, "city")
    assert [f"{p.line}:{p.column} {p.rule}" for p in problems] == ["7:11 missing-dir"]
    assert parses == ["city/districts.yaml"]  # parsed again for the position alone
