"""The query commands through the public CLI: every command answers in every format on both data
sets, the JSON shapes DESIGN.md promises, facts about the demo worked out by hand from
examples/demo/progress/, and the cache never answering from stale or corrupted entries.

Speed: every test runs against a private cache (SAFETY_PLAN_CACHE in a tmp dir), never the
user's. The format grid runs ~100 commands, so ``cli`` parses each unchanged data directory only
once per test session (keyed on the same contents-and-code fingerprint the product's own cache
uses); the loader itself is exercised for real by ``check``, test_check_cases.py and the cache
tests at the end of this file, which use the plain ``run`` fixture.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from cli_support import Run, parse_once, private_cache
from conftest import REPO, TOWNS

DATA = str(REPO / "data")
DEMO = str(REPO / "examples" / "demo")
DATA_SETS = {"data": DATA, "demo": DEMO}
FORMATS = ["table", "json", "csv", "md"]
MONTH = ["--month", "2025-06"]
AS_OF = "2025-06-30"

COMMANDS: dict[str, list[str]] = {
    "overdue": ["overdue", *MONTH],
    "due": ["due", *MONTH],
    "owners-unit": ["owners", "城桥镇"],
    "owners-measure": ["owners", "--measure", "m81-62"],
    "show-measure": ["show", "m81-62", *MONTH],
    "show-deadline": ["show", "zbgj-16.1", *MONTH],
    "show-duty": ["show", "zbgj.report", *MONTH],
    "show-unit": ["show", "区应急局", *MONTH],
    "show-group": ["show", "各乡镇", *MONTH],
    "list": ["list"],
    "list-filtered": ["list", "--plan", "m81", "--section", "2"],
    "units": ["units", *MONTH],
    "status": ["status", *MONTH],
}


OVERDUE_KEYS = {"ref", "kind", "measure", "plan", "number", "what", "due", "unit", "days_overdue", "status"}


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("safety-plan-cache")


@pytest.fixture(autouse=True)
def _private_cache(_module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the user's cache; shared within this module for speed."""
    private_cache(monkeypatch, _module_cache)


_ANSWERS: dict[tuple[str, ...], tuple[int, str, str]] = {}


@pytest.fixture
def cli(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run``, with each unchanged data directory parsed once per session and each answer
    (the environment is the same for every test here) computed once."""
    parse_once(monkeypatch)

    def invoke(*args: str) -> tuple[int, str, str]:
        if args not in _ANSWERS:
            _ANSWERS[args] = run(*args)
        return _ANSWERS[args]

    return invoke


def _json(cli: Run, data: str, *args: str) -> Any:
    code, out, err = cli("--data", data, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _overdue(cli: Run, data: str, *args: str) -> list[dict[str, Any]]:
    return _json(cli, data, "overdue", *args)["items"]


def _rows(items: list[dict[str, Any]], **match: Any) -> list[dict[str, Any]]:
    return [i for i in items if all(i.get(k) == v for k, v in match.items())]


# --- 1. every command answers in every format on both data sets --------------------------

_MD_RULE = re.compile(r"^\| *:?-{3,}:? *(\| *:?-{3,}:? *)*\|$")


def _check_csv(out: str) -> None:
    assert out.startswith("\ufeff"), "csv must start with the UTF-8 byte-order mark"
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    assert rows and rows[0], "csv needs a header row"
    widths = {len(r) for r in rows}
    assert widths == {len(rows[0])}, f"csv rows have differing column counts: {sorted(widths)}"


def _check_md(out: str) -> None:
    lines = out.splitlines()
    assert lines[0].startswith("## "), "md output starts with its title as a heading"
    tables = [
        i for i, line in enumerate(lines[:-1]) if line.startswith("| ") and _MD_RULE.match(lines[i + 1])
    ]
    if tables:
        header = lines[tables[0]]
        columns = header.count(" | ") + 1
        rule = lines[tables[0] + 1]
        assert rule.count("|") == columns + 1, "md rule line matches the header's columns"
        return
    # No table: the empty message, one line of text after the title.
    body = [line for line in lines[1:] if line.strip()]
    assert body and not any(line.startswith("|") for line in body), out


def _check_table(out: str) -> None:
    too_wide = [line for line in out.splitlines() if cell_len(line) > 80]
    assert not too_wide, f"{len(too_wide)} line(s) wider than 80 cells, e.g. {too_wide[0]!r}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_every_command_answers_in_every_format(cli: Run, data_set: str, command: str, fmt: str) -> None:
    code, out, err = cli("--data", DATA_SETS[data_set], *COMMANDS[command], "--format", fmt)
    assert code == 0, err
    assert "Traceback" not in out + err
    assert err == ""
    assert out.strip()
    if fmt == "json":
        payload = json.loads(out)
        if isinstance(payload, dict) and "as_of" in payload:
            assert payload["as_of"] == AS_OF
    elif fmt == "csv":
        _check_csv(out)
    elif fmt == "md":
        _check_md(out)
    else:
        _check_table(out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_answer_in_every_format(cli: Run, fmt: str) -> None:
    """团区委 reported everything on time in the demo: nothing overdue as of 2025-06."""
    code, out, err = cli("--data", DEMO, "overdue", *MONTH, "--unit", "团区委", "--format", fmt)
    assert code == 0, err
    if fmt == "json":
        assert json.loads(out) == {"as_of": AS_OF, "items": []}
    elif fmt == "csv":
        _check_csv(out)
        assert len(list(csv.reader(io.StringIO(out[1:], newline="")))) == 1  # the header only
    elif fmt == "md":
        _check_md(out)
        assert "|" not in out
    else:
        _check_table(out)
        assert len([line for line in out.splitlines() if line.strip()]) >= 2  # title, message


def test_table_fits_80_columns_when_piped(tmp_path: Path) -> None:
    """The real entry point, stdout a pipe, no COLUMNS: 80 columns, no traceback (a set COLUMNS
    is honoured: test_output_safety.py)."""
    env = {**os.environ, "SAFETY_PLAN_CACHE": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("SAFETY_PLAN_DATA", None)
    env.pop("COLUMNS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "safety_plan", "--data", DEMO, "overdue", *MONTH],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() and proc.stderr == ""
    _check_table(proc.stdout)


# --- 2. JSON shapes (DESIGN.md) ------------------------------------------------------------


def _unit_ids(cli: Run, data: str) -> set[str]:
    return {u["id"] for u in _json(cli, data, "units", *MONTH)}


@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_overdue_json_shape(cli: Run, data_set: str) -> None:
    data = DATA_SETS[data_set]
    payload = _json(cli, data, "overdue", *MONTH)
    assert {"as_of", "items"} <= set(payload)
    assert payload["as_of"] == AS_OF
    items = payload["items"]
    assert items
    units = _unit_ids(cli, data)
    as_of = dt.date.fromisoformat(AS_OF)
    for item in items:
        assert set(item) >= OVERDUE_KEYS, item
        assert item["kind"] in {"deadline", "recurring"}
        if item["kind"] == "recurring":
            assert type(item["missed"]) is int and item["missed"] >= 1, item
        else:
            assert "missed" not in item, item
        assert item["plan"] in {"zbgj", "m81"}
        if item["measure"] is None:
            assert item["number"] is None
        else:
            assert item["measure"] == f"{item['plan']}-{item['number']}"
            assert type(item["number"]) is int
        assert isinstance(item["what"], str) and item["what"]
        due = dt.date.fromisoformat(item["due"])
        assert due <= as_of
        assert type(item["days_overdue"]) is int
        assert item["days_overdue"] == (as_of - due).days
        assert item["unit"] in units, f"{item['unit']} is not a unit ID (groups expand, aliases resolve)"
        assert item["status"] not in {"done", "not_applicable", "on_time", "late"}, item
    keys = [(i["due"], i["plan"], i["number"] or 0) for i in items]
    assert keys == sorted(keys), "items sorted by due date, then plan, then number"
    # One row per recurring duty and unit (the latest missed occurrence).
    recurring = [(i["ref"], i["unit"]) for i in items if i["kind"] == "recurring"]
    assert len(recurring) == len(set(recurring))


def test_on_the_shipped_data_everything_due_is_overdue(cli: Run) -> None:
    """data/progress/ holds no reports: nothing is done, every due obligation is red."""
    items = _overdue(cli, DATA, *MONTH)
    assert {i["status"] for i in items} <= {"not_reported", "missing"}
    assert any(i["ref"] == "zbgj-16.1" and i["unit"] == "区应急局" for i in items)
    # zbgj.report is due monthly from April 2024: 15 months missed by June 2025, for everyone.
    reports = _rows(items, ref="zbgj.report")
    assert reports and {(r["missed"], r["due"], r["status"]) for r in reports} == {
        (15, "2025-06-25", "missing")
    }
    status = _json(cli, DATA, "status", *MONTH)
    for section in status["sections"]:
        assert section["done"] == 0, section
        assert section["overdue"] == section["due"], section


@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_show_measure_json_shape(cli: Run, data_set: str) -> None:
    shown = _json(cli, DATA_SETS[data_set], "show", "m81-62", *MONTH)
    assert {
        "id",
        "plan",
        "section",
        "number",
        "title",
        "text",
        "owners",
        "lead",
        "deadlines",
        "recurring",
    } <= set(shown)
    assert shown["id"] == "m81-62"
    assert shown["plan"] == "m81"
    assert shown["number"] == 62
    assert type(shown["section"]) is int
    assert isinstance(shown["title"], str) and shown["title"]
    assert "八号检察建议" in shown["text"]
    assert shown["owners"] == ["区委政法委", "区检察院", "区应急局", "区公安分局", "区司法局", "各乡镇"]
    assert shown["lead"] == "区委政法委"
    assert isinstance(shown["deadlines"], list) and isinstance(shown["recurring"], list)
    for deadline in shown["deadlines"]:
        assert {"id", "due", "phrase", "what"} <= set(deadline)


@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_show_zbgj_16_has_its_three_deadlines(cli: Run, data_set: str) -> None:
    shown = _json(cli, DATA_SETS[data_set], "show", "zbgj-16", *MONTH)
    deadlines = shown["deadlines"]
    for deadline in deadlines:
        assert {"id", "due", "phrase", "what"} <= set(deadline)
    assert [d["due"] for d in deadlines] == ["2024-12-31", "2025-12-31", "2026-12-31"]
    assert [d["id"] for d in deadlines] == ["zbgj-16.1", "zbgj-16.2", "zbgj-16.3"]
    assert [d["phrase"] for d in deadlines] == ["2024年底前", "2025年底前", "2026年底前"]


@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_owners_unit_json_shape(cli: Run, data_set: str) -> None:
    owned = _json(cli, DATA_SETS[data_set], "owners", "城桥镇")
    assert set(owned) >= {"unit", "lead", "support", "via_group"}
    assert owned["unit"] == "城桥镇"
    assert isinstance(owned["lead"], list) and isinstance(owned["support"], list)
    assert isinstance(owned["via_group"], dict)
    assert all(isinstance(m, str) for ms in owned["via_group"].values() for m in ms)
    assert "m81-62" in owned["via_group"]["各乡镇"]


def test_owners_measure_names_its_lead(cli: Run) -> None:
    owned = _json(cli, DEMO, "owners", "--measure", "m81-62")
    assert owned["lead"] == "区委政法委"
    assert set(owned["units"]) >= TOWNS


def test_owners_accepts_an_alias(cli: Run) -> None:
    assert _json(cli, DEMO, "owners", "区团委") == _json(cli, DEMO, "owners", "团区委")
    assert _json(cli, DEMO, "owners", "区团委")["unit"] == "团区委"


@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_units_json_shape(cli: Run, data_set: str) -> None:
    units = _json(cli, DATA_SETS[data_set], "units", *MONTH)
    assert isinstance(units, list) and units
    for unit in units:
        assert {"id", "name", "kind", "aliases", "groups"} <= set(unit), unit
        assert isinstance(unit["aliases"], list) and isinstance(unit["groups"], list)
        assert unit["kind"] in {
            "party",
            "government",
            "town",
            "enterprise",
            "judicial",
            "people_org",
            "vertical",
            "coordination",
        }
    ids = [u["id"] for u in units]
    assert len(ids) == len(set(ids))
    by_id = {u["id"]: u for u in units}
    assert "各乡镇" in by_id["城桥镇"]["groups"]
    assert "区团委" in by_id["团区委"]["aliases"]
    assert {u["id"] for u in units if u["kind"] == "town"} == TOWNS


@pytest.mark.parametrize("data_set", list(DATA_SETS))
def test_units_overdue_counts_match_overdue(cli: Run, data_set: str) -> None:
    data = DATA_SETS[data_set]
    items = _overdue(cli, data, *MONTH)
    for unit in _json(cli, data, "units", *MONTH):
        assert unit["overdue"] == len(_rows(items, unit=unit["id"])), unit["id"]


# --- 3. facts on the demo, worked out by hand from examples/demo/progress/ ------------------


def test_a_deadline_done_late_is_overdue_until_its_report_came_in(cli: Run) -> None:
    """zbgj.4 (子方案, 3月31日前, each owner): 三星镇 reported it done on 2024-04-19 in the
    report it submitted on 2024-05-23 (progress/2024-05.yaml)."""

    def row(*args: str) -> list[dict[str, Any]]:
        return _rows(_overdue(cli, DEMO, *args, "--unit", "三星镇"), ref="zbgj.4")

    assert row(*MONTH) == []
    (march,) = row("--month", "2024-03")  # a month before the done date: due that day
    assert (march["due"], march["days_overdue"], march["status"]) == ("2024-03-31", 0, "not_reported")
    (april,) = row("--month", "2024-04")  # done in April, but the report was not in yet
    assert (april["days_overdue"], april["status"]) == (30, "not_reported")
    assert "missed" not in april
    assert len(row("--as-of", "2024-05-22")) == 1
    assert row("--as-of", "2024-05-23") == []  # the day the report came in counts


def test_a_deadline_done_on_time_is_never_overdue(cli: Run) -> None:
    """zbgj-16.1 (2024年底前): 区应急局 reported it done on 2024-12-20 in December's report."""
    for month in ("2024-12", "2025-01", "2025-06"):
        assert _rows(_overdue(cli, DEMO, "--month", month), ref="zbgj-16.1") == []
    shown = _json(cli, DEMO, "show", "zbgj-16.1", *MONTH)
    assert [(s["unit"], s["status"], s["light"]) for s in shown["status"]] == [("区应急局", "done", "green")]


@pytest.mark.parametrize(
    ("unit", "missed"),
    [
        ("区科委", 1),  # every month on time until June 2025
        ("横沙乡", 6),  # no report for 2024-04, 08, 10, 2025-01, 03, 06 (late ones do not count)
        ("区统计局", 3),  # no report for 2024-07, 2025-03, 2025-06
    ],
)
def test_a_missing_monthly_report(cli: Run, unit: str, missed: int) -> None:
    (row,) = _rows(_overdue(cli, DEMO, *MONTH, "--unit", unit), ref="zbgj.report")
    assert row["kind"] == "recurring"
    assert row["unit"] == unit
    assert row["due"] == "2025-06-25"
    assert row["days_overdue"] == 5
    assert row["status"] == "missing"
    assert row["missed"] == missed


def test_a_late_monthly_report_is_no_longer_overdue_once_in(cli: Run) -> None:
    """区绿化市容局 sent June 2025's report on 2025-06-30; it sent none for 2024-04 and 2024-11."""
    (before,) = _rows(
        _overdue(cli, DEMO, "--as-of", "2025-06-29", "--unit", "区绿化市容局"), ref="zbgj.report"
    )
    assert (before["due"], before["missed"], before["days_overdue"]) == ("2025-06-25", 3, 4)
    (after,) = _rows(
        _overdue(cli, DEMO, "--as-of", "2025-06-30", "--unit", "区绿化市容局"), ref="zbgj.report"
    )
    assert (after["due"], after["missed"], after["days_overdue"]) == ("2024-11-25", 2, 217)


def test_unit_filter_returns_only_that_units_rows(cli: Run) -> None:
    everything = _overdue(cli, DEMO, *MONTH)
    mine = _overdue(cli, DEMO, *MONTH, "--unit", "区应急局")
    assert mine
    assert mine == _rows(everything, unit="区应急局")


def test_unit_filter_accepts_an_alias(cli: Run) -> None:
    # On the shipped data 团区委 has overdue rows; in the demo it only has one falling due.
    by_alias = _overdue(cli, DATA, *MONTH, "--unit", "区团委")
    assert by_alias
    assert by_alias == _overdue(cli, DATA, *MONTH, "--unit", "团区委")
    assert {i["unit"] for i in by_alias} == {"团区委"}
    due = _json(cli, DEMO, "due", *MONTH, "--unit", "区团委")["items"]
    assert due
    assert due == _json(cli, DEMO, "due", *MONTH, "--unit", "团区委")["items"]
    assert {i["unit"] for i in due} == {"团区委"}


def test_unit_filter_accepts_a_group(cli: Run) -> None:
    everything = _overdue(cli, DEMO, *MONTH)
    towns = _overdue(cli, DEMO, *MONTH, "--unit", "各乡镇")
    assert towns
    assert {i["unit"] for i in towns} <= TOWNS
    assert towns == [i for i in everything if i["unit"] in TOWNS]


def test_plan_filter(cli: Run) -> None:
    everything = _overdue(cli, DEMO, *MONTH)
    m81 = _overdue(cli, DEMO, *MONTH, "--plan", "m81")
    assert m81
    assert m81 == _rows(everything, plan="m81")


def test_list_filters(cli: Run) -> None:
    section = _json(cli, DEMO, "list", "--plan", "m81", "--section", "2")
    assert section and {(m["plan"], m["section"]) for m in section} == {("m81", 2)}
    by_unit = _json(cli, DEMO, "list", "--unit", "区团委")
    owned = _json(cli, DEMO, "owners", "团区委")
    expected = {*owned["lead"], *owned["support"], *(m for ms in owned["via_group"].values() for m in ms)}
    assert {m["id"] for m in by_unit} == expected


def test_due_lists_open_items_falling_due(cli: Run) -> None:
    payload = _json(cli, DEMO, "due", *MONTH)
    assert (payload["from"], payload["until"]) == ("2025-06-01", "2025-07-30")
    for item in payload["items"]:
        assert "2025-06-01" <= item["due"] <= "2025-07-30"
        assert item["status"] not in {"done", "on_time"}
        if item["due"] > AS_OF:
            assert item["light"] == "yellow", item
        elif item["status"] == "late":  # the report came in after the 25th: no longer red
            assert item["light"] == "green", item
        else:
            assert item["light"] == "red", item
    # 区科委's missing June report is among them; 团区委's July report is yellow.
    assert _rows(payload["items"], ref="zbgj.report", unit="区科委", due="2025-06-25", light="red")
    assert _rows(payload["items"], ref="zbgj.report", unit="团区委", due="2025-07-25", light="yellow")


def test_status_counts_the_demo(cli: Run) -> None:
    status = _json(cli, DEMO, "status", *MONTH)
    assert status["phase"]["name"] == "专项治理阶段"
    assert (status["phase"]["index"], status["phase"]["of"]) == (2, 4)
    assert sum(s["overdue"] for s in status["sections"]) == status["lights"]["red"]
    assert any(s["done"] for s in status["sections"])


# --- 6. the cache: never stale, a corrupted or deleted cache is rebuilt -----------------------

_IN_PROGRESS = "  - ref: zbgj.evaluation\n    status: in_progress\n    note: 上半年进度评估正在汇总\n"
_DONE = "  - ref: zbgj.evaluation\n    status: done\n    done: 2025-06-18\n    note: 上半年进度评估已完成\n"


def _answer(run: Run, data: Path, *args: str) -> Any:
    code, out, err = run("--data", str(data), "overdue", *MONTH, *args, "--format", "json")
    assert code == 0, err
    assert err == ""
    return json.loads(out)


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_cache_is_never_stale_and_survives_corruption(tmp_path: Path, run: Run, monkeypatch) -> None:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(cache_dir))
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)

    first = _answer(run, data)
    assert any(cache_dir.iterdir()), "the first query stores the compiled plan"
    assert _answer(run, data) == first
    office = _rows(first["items"], ref="zbgj.evaluation", unit="区应急局")
    assert [(r["status"], r["due"]) for r in office] == [("in_progress", "2025-06-30")]

    # The working group's office (区应急局) reports its half-year evaluation done: the row goes.
    progress = data / "progress" / "2025-06.yaml"
    text = progress.read_text(encoding="utf-8")
    assert text.count(_IN_PROGRESS) == 1
    progress.write_text(text.replace(_IN_PROGRESS, _DONE), encoding="utf-8")
    _touch_later(progress)
    edited = _answer(run, data)
    assert _rows(edited["items"], ref="zbgj.evaluation", unit="区应急局") == []
    assert len(edited["items"]) == len(first["items"]) - 1
    assert _answer(run, data) == edited

    # A cache file cut short (a crash mid-write), then garbage in every cache file: the answer
    # is still the one computed from the edited files.
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _answer(run, data) == edited
    for number, path in enumerate(p for p in cache_dir.rglob("*") if p.is_file()):
        path.write_bytes(b"\x80\x04garbage" * (number + 1))
    assert _answer(run, data) == edited
    assert _answer(run, data) == edited

    # No cache directory at all: still answers, and builds it again.
    shutil.rmtree(cache_dir)
    assert _answer(run, data) == edited
    assert cache_dir.is_dir() and any(cache_dir.iterdir())


def test_cache_sees_a_same_size_edit_by_its_mtime(tmp_path: Path, run: Run, monkeypatch) -> None:
    """Moving a done date out of its window keeps the file's size (see test_cache.py for the mtime kept too)."""
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    before = _answer(run, data, "--unit", "区应急局")
    (row,) = _rows(before["items"], ref="zbgj.dispatch")  # February 2025's meeting slipped to March
    assert (row["due"], row["missed"]) == ("2025-02-28", 1)

    progress = data / "progress" / "2025-06.yaml"
    raw = progress.read_bytes()
    old = "    done: 2025-06-06\n    note: 召开治本攻坚月度调度会".encode()
    assert raw.count(old) == 1
    progress.write_bytes(raw.replace(old, old.replace(b"2025-06-06", b"2025-05-06")))
    assert progress.stat().st_size == len(raw)
    _touch_later(progress)

    after = _answer(run, data, "--unit", "区应急局")
    (row,) = _rows(after["items"], ref="zbgj.dispatch")
    assert (row["due"], row["days_overdue"], row["missed"]) == ("2025-06-30", 0, 2)


def test_cache_never_hides_data_broken_after_it_was_stored(tmp_path: Path, run: Run, monkeypatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    _answer(run, data)
    units = data / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("  kind: town\n", "  kind: township\n", 1), encoding="utf-8")
    _touch_later(units)
    code, out, err = run("--data", str(data), "overdue", *MONTH, "--format", "json")
    assert code == 1
    assert out == ""
    assert re.search(r"units\.yaml:\d+:\d+: error: .*township", err), err
    assert "Traceback" not in err


def test_an_unusable_cache_location_is_skipped(tmp_path: Path, cli: Run, run: Run, monkeypatch) -> None:
    """SAFETY_PLAN_CACHE pointing at a file: the query answers all the same, without a cache."""
    expected = _answer(cli, Path(DEMO))
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(blocker))
    assert _answer(run, Path(DEMO)) == expected
    assert blocker.read_text(encoding="utf-8") == "x"


def test_show_measure_states_each_deadline_across_its_units(run: Run) -> None:
    # zbgj-16.1 is joint, held by 区应急局, reported done on the demo before 2025-06.
    code, out, _ = run("--data", DEMO, "show", "zbgj-16", "--month", "2025-06", "--format", "md")
    assert code == 0
    lines = [line for line in out.splitlines() if "状态" in line]
    assert len(lines) == 3  # one per deadline: 2024, 2025 and 2026 year ends
    assert "已完成1/1" in lines[0]


def test_warn_days_widens_the_yellow_window(run: Run) -> None:
    def yellow(*extra: str) -> int:
        out = run("--data", DEMO, "status", "--month", "2025-06", "--format", "json", *extra)[1]
        return int(json.loads(out)["lights"]["yellow"])

    assert yellow("--warn-days", "0") == 0
    assert yellow() <= yellow("--warn-days", "60")
    bulletin = run("--data", DEMO, "bulletin", "--month", "2025-06", "--warn-days", "60")[1]
    assert "黄灯：60 天内到期" in bulletin
