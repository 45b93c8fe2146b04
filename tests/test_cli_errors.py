"""Bad arguments and bad data through the public CLI, and the data tools (`check`, `schema`).

Bad usage exits 2 with one line on stderr that names the bad value and, where one is close, the
nearest valid one; invalid data exits 1 naming file:line:column; never a Python traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cli_support import Run, parse_once, private_cache
from conftest import REPO

DATA = str(REPO / "data")
DEMO = str(REPO / "examples" / "demo")
KINDS = ["measures", "units", "schedule", "progress", "rules"]


@pytest.fixture(scope="module")
def _module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("safety-plan-cache")


@pytest.fixture(autouse=True)
def _fast_and_private(_module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private cache (never the user's); each unchanged data directory parsed once.
    `check` always parses for real (see cli_support.parse_once)."""
    private_cache(monkeypatch, _module_cache)
    parse_once(monkeypatch)


def _one_line_usage_error(code: int, out: str, err: str, *words: str) -> None:
    assert "Traceback" not in out + err
    assert code == 2, (code, err)
    assert out == ""
    assert err.startswith("error: "), err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"


# --- 4. bad arguments ---------------------------------------------------------------------

# (arguments after --data DEMO, words stderr must contain: the bad value, then the nearest valid one)
BAD_ARGUMENTS = {
    "month-13": (["overdue", "--month", "2025-13"], ["'2025-13'", "2025-12"]),
    "month-00": (["overdue", "--month", "2025-00"], ["'2025-00'", "2025-01"]),
    "month-slash": (["overdue", "--month", "2025/06"], ["'2025/06'", "2025-06"]),
    "month-abc": (["overdue", "--month", "abc"], ["'abc'", "YYYY-MM"]),
    "as-of-feb-30": (["overdue", "--as-of", "2025-02-30"], ["'2025-02-30'", "2025-02-28"]),
    "as-of-abc": (["overdue", "--as-of", "abc"], ["'abc'", "YYYY-MM-DD"]),
    "as-of-year-0": (["overdue", "--as-of", "0000-01-01"], ["'0000-01-01'"]),
    "month-and-as-of": (["overdue", "--month", "2025-06", "--as-of", "2025-06-30"], ["--month", "--as-of"]),
    "unit": (["overdue", "--unit", "区应急管理"], ["'区应急管理'", "区应急局"]),
    "plan": (["overdue", "--plan", "zbg"], ["'zbg'", "'zbgj'"]),
    "due-month": (["due", "--month", "2025-13"], ["'2025-13'", "2025-12"]),
    "due-unit": (["due", "--unit", "区应急管理"], ["'区应急管理'", "区应急局"]),
    "due-plan": (["due", "--plan", "m8"], ["'m8'", "'m81'"]),
    "status-month": (["status", "--month", "2025-13"], ["'2025-13'", "2025-12"]),
    "units-month": (["units", "--month", "2025/06"], ["'2025/06'", "2025-06"]),
    "show-measure": (["show", "m81-620"], ["'m81-620'", "'m81-62'"]),
    "show-task": (["show", "zbgj-166"], ["'zbgj-166'", "'zbgj-16'"]),
    "show-as-of": (["show", "m81-62", "--as-of", "2025-02-30"], ["'2025-02-30'", "2025-02-28"]),
    "owners-unit": (["owners", "不存在的单位"], ["'不存在的单位'"]),
    "owners-near-unit": (["owners", "区应急管理"], ["'区应急管理'", "区应急局"]),
    "owners-measure": (["owners", "--measure", "m81-620"], ["'m81-620'", "'m81-62'"]),
    "owners-neither": (["owners"], ["UNIT", "--measure"]),
    "list-section": (["list", "--section", "99"], ["99", "15"]),
    "list-plan": (["list", "--plan", "zbg"], ["'zbg'", "'zbgj'"]),
    "list-unit": (["list", "--unit", "区应急管理"], ["'区应急管理'", "区应急局"]),
    "list-plan-section": (["list", "--plan", "zbgj", "--section", "12"], ["12", "11"]),
}


@pytest.mark.parametrize("case", list(BAD_ARGUMENTS))
def test_bad_argument_is_one_line_naming_value_and_nearest(run: Run, case: str) -> None:
    args, words = BAD_ARGUMENTS[case]
    code, out, err = run("--data", DEMO, *args)
    _one_line_usage_error(code, out, err, *words)


_SUGGESTED = re.compile(r"did you mean '?([^'?]+)'?\?")


@pytest.mark.parametrize("case", list(BAD_ARGUMENTS))
def test_the_suggested_value_is_accepted(run: Run, case: str) -> None:
    """Where the message offers the nearest valid value ("did you mean X?"), X works."""
    args, words = BAD_ARGUMENTS[case]
    code, _, err = run("--data", DEMO, *args)
    assert code == 2
    suggested = _SUGGESTED.search(err)
    if suggested is None:
        return
    bad = words[0].strip("'")
    assert bad in args
    fixed = [suggested[1] if a == bad else a for a in args]
    code, out, err = run("--data", DEMO, *fixed, "--format", "json")
    assert code == 0, f"suggested {suggested[1]!r} for {bad!r}, but: {err}"
    json.loads(out)


def test_due_at_the_end_of_the_calendar(run: Run) -> None:
    code, out, err = run("--data", DEMO, "due", "--month", "9999-12", "--format", "json")
    assert code == 2
    assert err.strip() == "error: --month '9999-12': year 9999 is out of range (1900 to 2999)"
    assert "Traceback" not in out + err


@pytest.mark.parametrize("command", [["overdue", "--month", "2025-06"], ["list"], ["check"]])
def test_missing_data_directory(run: Run, command: list[str]) -> None:
    code, out, err = run("--data", "/nonexistent", *command)
    _one_line_usage_error(code, out, err, "'/nonexistent'")


def test_data_that_is_a_file(run: Run) -> None:
    readme = str(REPO / "README.md")
    code, out, err = run("--data", readme, "overdue", "--month", "2025-06")
    _one_line_usage_error(code, out, err, f"'{readme}'", "not a directory")


CLICK_USAGE = {
    "format": ["overdue", "--month", "2025-06", "--format", "xml"],
    "section-not-int": ["list", "--section", "abc"],
    "within-negative": ["due", "--within", "-1"],
}


@pytest.mark.parametrize("case", list(CLICK_USAGE))
def test_option_parser_errors_exit_2_without_traceback(run: Run, case: str) -> None:
    code, out, err = run("--data", DEMO, *CLICK_USAGE[case])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    bad = CLICK_USAGE[case][-1]
    assert bad in err


@pytest.mark.parametrize("case", list(CLICK_USAGE))
def test_option_parser_errors_are_one_line(run: Run, case: str) -> None:
    code, out, err = run("--data", DEMO, *CLICK_USAGE[case])
    _one_line_usage_error(code, out, err, CLICK_USAGE[case][-1])


# --- invalid data: exit 1 naming file:line:column ------------------------------------------


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, int, int]:
    """A copy of the demo with the first ``old`` in ``file`` replaced by ``new``; the line and
    column (1-based) where ``new`` starts."""
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return data, line, column


@pytest.fixture
def broken_units(tmp_path: Path) -> tuple[Path, int, int]:
    """units.yaml with an impossible unit kind; line and column of the bad value."""
    data, line, column = _broken_copy(tmp_path, "units.yaml", "  kind: town\n", "  kind: township\n")
    return data, line, column + len("  kind: ")


QUERIES = [
    ["overdue", "--month", "2025-06"],
    ["due", "--month", "2025-06"],
    ["owners", "城桥镇"],
    ["show", "m81-62"],
    ["list"],
    ["units"],
    ["status", "--month", "2025-06"],
]


def test_invalid_data_exits_1_naming_file_line_column(run: Run, broken_units: tuple[Path, int, int]) -> None:
    data, line, column = broken_units
    for query in QUERIES:
        code, out, err = run("--data", str(data), *query, "--format", "json")
        assert code == 1, (query, err)
        assert out == ""
        assert "Traceback" not in err
        assert f"units.yaml:{line}:{column}: error: " in err, (query, err)
        assert "township" in err


@pytest.mark.parametrize(
    ("file", "old", "new", "offset"),
    [
        # YAML that does not parse: an unclosed flow sequence.
        (
            "schedule.yaml",
            "owners: [各乡镇, 区安委会各成员单位, 区属企业]",
            "owners: [各乡镇, 区安委会各成员单位",
            None,
        ),
        # An impossible date.
        ("progress/2025-06.yaml", "submitted: 2025-06-24", "submitted: 2025-06-31", len("submitted: ")),
        # A status that does not exist.
        ("progress/2025-06.yaml", "status: in_progress", "status: finished", len("status: ")),
    ],
)
def test_other_invalid_data_exits_1(
    run: Run, tmp_path: Path, file: str, old: str, new: str, offset: int | None
) -> None:
    data, line, column = _broken_copy(tmp_path, file, old, new)
    code, out, err = run("--data", str(data), "overdue", "--month", "2025-06")
    assert code == 1, err
    assert out == ""
    assert "Traceback" not in err
    located = re.search(re.escape(file) + r":(\d+):(\d+): error: ", err)
    assert located, err
    if offset is None:
        assert int(located[1]) >= line  # the parser notices at or after the bad line
    else:
        assert (int(located[1]), int(located[2])) == (line, column + offset)


# --- 5. check and schema -------------------------------------------------------------------


@pytest.mark.parametrize("data", [DATA, DEMO], ids=["data", "demo"])
def test_check_passes_on_both_data_sets(run: Run, data: str) -> None:
    code, out, err = run("--data", data, "check")
    assert code == 0, out + err
    assert " error: " not in out
    code, out, err = run("--data", data, "check", "--format", "json")
    assert code == 0
    assert [p for p in json.loads(out) if p["level"] == "error"] == []


def test_check_text_on_broken_data(run: Run, broken_units: tuple[Path, int, int]) -> None:
    data, line, column = broken_units
    code, out, err = run("--data", str(data), "check", "--format", "text")
    assert code == 1
    assert re.search(rf"^\S*units\.yaml:{line}:{column}: error: .*township", out, re.MULTILINE), out
    assert "Traceback" not in out + err


def test_check_json_on_broken_data(run: Run, broken_units: tuple[Path, int, int]) -> None:
    data, line, column = broken_units
    code, out, _ = run("--data", str(data), "check", "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert isinstance(problems, list) and problems
    for problem in problems:
        assert {"path", "line", "column", "level", "message"} <= set(problem), problem
        assert isinstance(problem["line"], int) and isinstance(problem["column"], int)
        assert problem["level"] in {"error", "warning"}
    errors = [p for p in problems if p["level"] == "error"]
    assert [(Path(p["path"]).name, p["line"], p["column"]) for p in errors] == [("units.yaml", line, column)]
    assert "township" in errors[0]["message"]


@pytest.mark.parametrize("fmt", ["github", "auto"])
def test_check_github_annotations(
    run: Run, monkeypatch: pytest.MonkeyPatch, broken_units: tuple[Path, int, int], fmt: str
) -> None:
    data, line, column = broken_units
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run("--data", str(data), "check", "--format", fmt)
    assert code == 1
    annotations = [entry for entry in out.splitlines() if entry.startswith("::error ")]
    assert len(annotations) == 1, out
    assert re.match(rf"::error file=[^,]*units\.yaml,line={line},col={column}(,|::)", annotations[0])
    assert "township" in annotations[0]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_prints_json_schema(run: Run, kind: str) -> None:
    code, out, err = run("schema", kind)
    assert code == 0, err
    schema = json.loads(out)
    assert "properties" in schema


def test_schema_of_all_kinds(run: Run) -> None:
    code, out, _ = run("schema")
    assert code == 0
    schemas = json.loads(out)
    assert set(schemas) == set(KINDS)
    assert all("properties" in s for s in schemas.values())


def test_schema_writes_a_file_per_kind(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    code, _, err = run("schema", "-o", str(target))
    assert code == 0, err
    files = sorted(p.name for p in target.iterdir())
    assert files == sorted(f"{kind}.schema.json" for kind in KINDS)
    for name in files:
        assert "properties" in json.loads((target / name).read_text(encoding="utf-8"))


def test_no_command_shows_help_and_no_empty_error(run: Run) -> None:
    code, out, err = run()
    assert code == 2
    assert "Usage" in out + err
    assert "error:" not in err
