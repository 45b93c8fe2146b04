"""The city editions of the look-ups (``list``, ``owners``, ``show``) through the public CLI.

On the three-district city of ``test_city`` (three copies of examples/demo): every count is three
times one district's, every row or block names its district, ``--district`` filters, and a name
no district knows is one line suggesting the nearest over all districts' names.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from safety_plan.output.text import display_width
from test_city import DISTRICTS, MONTH, _both_ways, city, uneven_city  # noqa: F401 (fixtures)

LOOKUPS = {
    "list": ["list"],
    "list-filtered": ["list", "--plan", "m81", "--section", "2"],
    "list-unit": ["list", "--unit", "横沙乡"],
    "owners-unit": ["owners", "城桥镇"],
    "owners-measure": ["owners", "--measure", "m81-62"],
    "show-measure": ["show", "m81-62", *MONTH],
    "show-deadline": ["show", "zbgj-10.1", *MONTH],
    "show-duty": ["show", "zbgj.report", *MONTH],
    "show-unit": ["show", "区应急局", *MONTH],
}


def _json(run, *args: str) -> Any:  # type: ignore[no-untyped-def]
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _district_answers(whole: Any) -> list[Any]:
    """The city's answer as each district's own: ``list`` rows, or one payload per district."""
    return whole if isinstance(whole, list) else whole["items"]


@pytest.mark.parametrize("command", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_each_district_answers_as_alone_and_names_itself(run, city: Path, command: list[str]) -> None:  # noqa: F811
    one = _json(run, "--data", str(city / "jiading" / "data"), *command)
    whole = _json(run, "--data", str(city / "city"), *command)
    answers = _district_answers(whole)
    if command[0] == "list":
        assert len(one) > 0 and len(answers) == 3 * len(one)
        for district in DISTRICTS:
            assert [
                {k: v for k, v in i.items() if k != "district"} for i in answers if i["district"] == district
            ] == one
    else:
        assert whole["districts"] == [{"id": d, "name": name} for d, name in DISTRICTS.items()]
        assert [a["district"] for a in answers] == list(DISTRICTS)
        assert all({k: v for k, v in a.items() if k != "district"} == one for a in answers)
        assert all(next(iter(a)) == "district" for a in answers)


@pytest.mark.parametrize("command", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_table_csv_and_md_name_each_district_and_fit_80_columns(run, city: Path, command: list[str]) -> None:  # noqa: F811
    data = ["--data", str(city / "city")]
    code, out, err = run(*data, *command)
    assert code == 0, err
    assert "3 个区" in out.splitlines()[0]
    assert all(display_width(line) <= 80 for line in out.splitlines()), out
    for name in DISTRICTS.values():
        assert name in out
    code, out, _ = run(*data, *command, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert code == 0 and rows[0][0] == "区"
    assert [r[0] for r in rows[1:]] == sorted((r[0] for r in rows[1:]), key=list(DISTRICTS.values()).index)
    assert {r[0] for r in rows[1:]} == set(DISTRICTS.values())
    code, out, _ = run(*data, *command, "--format", "md")
    assert code == 0 and "3 个区" in out
    if command[0] == "show":  # one block per district, headed by its name
        assert [line.split("：")[0] for line in out.splitlines() if line.startswith("## ")] == [
            f"## {name}" for name in DISTRICTS.values()
        ]
    else:
        assert "| 区 |" in out and "| 浦东新区 |" in out


def test_show_prints_each_districts_block_as_the_district_does(run, city: Path) -> None:  # noqa: F811
    code, alone, _ = run("--data", str(city / "pudong" / "data"), "show", "zbgj-10.1", *MONTH)
    assert code == 0
    code, whole, _ = run("--data", str(city / "city"), "show", "zbgj-10.1", *MONTH)
    assert code == 0
    assert whole.startswith("zbgj-10.1：3 个区，截至 2025-06-30\n\n崇明区：zbgj-10.1（截至 2025-06-30）\n")
    block = whole[whole.index("浦东新区：") :]
    assert block == "浦东新区：" + alone


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--plan", "zbgj"],
        ["owners", "横沙乡"],
        ["owners", "--measure", "zbgj-10"],
        ["show", "zbgj-10", *MONTH],
    ],
    ids=["list", "owners-unit", "owners-measure", "show"],
)
def test_district_filters_and_an_unknown_one_gets_a_hint(run, city: Path, command: list[str]) -> None:  # noqa: F811
    whole = _json(run, "--data", str(city / "city"), *command, "--district", "pudong")
    assert {a["district"] for a in _district_answers(whole)} == {"pudong"}
    one = _json(run, "--data", str(city / "pudong" / "data"), *command)
    assert len(_district_answers(whole)) == (len(one) if command[0] == "list" else 1)
    code, out, err = run("--data", str(city / "city"), *command, "--district", "pudon")
    assert code == 2 and out == "" and err.strip().count("\n") == 0
    assert "no district 'pudon'" in err and "did you mean 'pudong'?" in err
    code, _, err = run("--data", str(city / "pudong" / "data"), *command, "--district", "pudong")
    assert code == 2 and "not a city" in err


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["list", "--unit", "横沙"], "--unit: unknown unit '横沙' (did you mean '横沙乡'?)"),
        (["list", "--section", "99"], "--section: no section 99"),
        (["owners", "横沙"], "UNIT: unknown unit '横沙' (did you mean '横沙乡'?)"),
        (["owners", "--measure", "m81-6x"], "--measure: unknown measure 'm81-6x' (did you mean"),
        (["owners"], "give a UNIT or --measure ID"),
        (["show", "zbgj-10.x", *MONTH], "ID: unknown ID 'zbgj-10.x' (did you mean 'zbgj-10.1'?)"),
    ],
    ids=["list-unit", "list-section", "owners-unit", "owners-measure", "owners-neither", "show"],
)
def test_a_name_no_district_knows_is_one_line(run, city: Path, command: list[str], message: str) -> None:  # noqa: F811
    code, out, err = run("--data", str(city / "city"), *command)
    assert code == 2 and out == "" and err.strip().count("\n") == 0
    assert message in err and "Traceback" not in err


def test_a_name_one_district_knows_answers_there_alone(run, uneven_city: Path) -> None:  # noqa: F811
    data = ["--data", str(uneven_city / "city")]
    shown = _json(run, *data, "show", "浦东新区试点单位", *MONTH)
    assert [a["district"] for a in shown["items"]] == ["pudong"] and len(shown["districts"]) == 3
    code, out, _ = run(*data, "show", "浦东新区试点单位", *MONTH)
    assert code == 0 and out.startswith("浦东新区试点单位：1 个区（共 3 个区），截至 2025-06-30\n")
    owned = _json(run, *data, "owners", "浦东新区试点单位")
    assert [(a["district"], a["lead"], a["support"]) for a in owned["items"]] == [("pudong", [], [])]
    code, out, _ = run(*data, "owners", "浦东新区试点单位")
    assert code == 0 and "1 个区共牵头 0 项" in out and "该单位没有直接或经分组承担的措施。" in out
    listed = _json(run, *data, "list", "--unit", "浦东新区试点单位")
    assert listed == []


def test_the_hint_is_the_nearest_over_all_districts(run, uneven_city: Path) -> None:  # noqa: F811
    """Only Pudong has a name near it: the first district's own hint would miss it."""
    code, _, first = run("--data", str(uneven_city / "chongming" / "data"), "show", "浦东新区试点单", *MONTH)
    assert code == 2 and "浦东新区试点单位" not in first
    for command in (
        ["show", "浦东新区试点单", *MONTH],
        ["owners", "浦东新区试点单"],
        ["list", "-u", "浦东新区试点单"],
    ):
        code, out, err = run("--data", str(uneven_city / "city"), *command)
        assert code == 2 and out == "" and err.strip().count("\n") == 0
        assert "(did you mean '浦东新区试点单位'?)" in err


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--format", "json"],
        ["owners", "横沙乡", "--format", "csv"],
        ["show", "zbgj-10", *MONTH],
        ["show", "浦东新区试点单", *MONTH],
    ],
    ids=["list", "owners", "show", "show-unknown"],
)
def test_lookups_in_parallel_answer_as_one_after_another(
    run,
    monkeypatch: pytest.MonkeyPatch,
    uneven_city: Path,  # noqa: F811
    command: list[str],
) -> None:
    code, _, err = _both_ways(run, monkeypatch, "--data", str(uneven_city / "city"), *command)
    assert code == (2 if "浦东新区试点单" in command else 0), err


def test_a_kept_answer_is_the_answer(run, city: Path) -> None:  # noqa: F811
    """Asked again on unchanged files, each district's view is read back, not worked out: the same text."""
    for command in (["show", "横沙乡", *MONTH], ["owners", "--measure", "zbgj-10"], ["list", "-s", "3"]):
        first = run("--data", str(city / "city"), *command)
        assert first == run("--data", str(city / "city"), *command)


@pytest.mark.parametrize(
    "command",
    [["show", "zbgj-10.1", *MONTH], ["owners", "城桥镇"], ["list", "-p", "m81"]],
    ids=["show", "owners", "list"],
)
def test_a_warm_lookup_does_not_import_pydantic(run, city: Path, command: list[str]) -> None:  # noqa: F811
    """Asked again, each district's kept answer is read back: no models, no Pydantic, no PyYAML."""
    args = ["--data", str(city / "city"), *command]
    assert run(*args)[0] == 0  # the answers are kept
    code = (
        "import sys\n"
        "from safety_plan.cli import main\n"
        f"sys.argv = ['safety-plan', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "loaded = [m for m in ('pydantic', 'safety_plan.models', 'yaml') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
