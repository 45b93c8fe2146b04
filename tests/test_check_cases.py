"""Every invalid case under tests/cases/invalid/ gives exactly its expected lines and exit 1;
every warning case under tests/cases/warning/ gives exactly its expected lines and exit 0;
every valid case checks clean. Cases are collected automatically: add a folder to add one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import CASES, assemble

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
WARNING = sorted(p for p in (CASES / "warning").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    assemble(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    code, out, err = run("--data", "data", "check", "--format", "text")
    elapsed = time.perf_counter() - started
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert out.splitlines() == expected
    assert code == 1
    assert "Traceback" not in out + err
    if case.name == "alias-bomb":
        assert elapsed < 1.0, "an alias bomb must be refused fast"
    if case.name == "python-tag":
        assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("case", WARNING, ids=lambda p: p.name)
def test_warning_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    assemble(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("--data", "data", "check", "--format", "text")
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert out.splitlines() == expected
    assert all(": warning: " in line for line in expected)
    assert code == 0  # warnings alone do not fail check
    assert "Traceback" not in out + err


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    assemble(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("--data", "data", "check", "--format", "text")
    assert (code, out) == (0, "")
    assert "no problems" in err


def test_invalid_data_stops_a_query_with_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    assemble(CASES / "invalid" / "unknown-unit", tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("--data", "data", "schema", "units")  # schema needs no data: still works
    assert code == 0


def test_every_rule_a_case_reports_is_listed(run) -> None:
    code, out, _ = run("check", "--list-rules")
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines() if not line.startswith(" ")}
    reported = {
        line.rsplit("[", 1)[1].rstrip("]")
        for case in INVALID + WARNING
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    }
    assert reported <= listed


def _patterns(schema: object) -> set[str]:
    if isinstance(schema, dict):
        own = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        return own.union(*(_patterns(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_patterns(v) for v in schema))
    return set()


def test_every_pattern_of_the_models_is_worded_for_the_office() -> None:
    """A value that does not match an ID's or a name's pattern is told what is expected, in
    words and with an example, not shown the regular expression."""
    from safety_plan import models
    from safety_plan.loading.schema_errors import PATTERN_WORDS

    files = [
        models.MeasuresFile,
        models.UnitsFile,
        models.ScheduleFile,
        models.ProgressFile,
        models.RulesFile,
    ]
    used = set().union(*(_patterns(model.model_json_schema()) for model in files))
    assert used == set(PATTERN_WORDS)
