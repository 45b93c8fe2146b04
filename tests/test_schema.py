"""`safety-plan schema` emits valid JSON Schema that the shipped data satisfies, and the
committed copies under schemas/ (what editors read) are up to date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import REPO

KINDS = ["measures", "units", "schedule", "progress", "rules"]


def _jsonable(value: Any) -> Any:
    """YAML dates as the ISO strings JSON Schema's `format: date` describes."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_and_committed_copy_is_current(kind: str, run) -> None:
    code, out, _ = run("schema", kind)
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    committed = (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == schema, "run `safety-plan schema -o schemas` and commit"


def _files(kind: str) -> list[Path]:
    if kind == "progress":
        return sorted((REPO / "examples" / "demo" / "progress").glob("*.yaml"))
    return [REPO / "data" / f"{kind}.yaml", REPO / "examples" / "demo" / f"{kind}.yaml"]


@pytest.mark.parametrize("kind", KINDS)
def test_data_files_satisfy_their_schema(kind: str, run) -> None:
    schema = json.loads(run("schema", kind)[1])
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for file in _files(kind):
        data = _jsonable(yaml.safe_load(file.read_text(encoding="utf-8")))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{file}: {errors[0].message}"


def test_schema_rejects_an_unknown_key(run) -> None:
    schema = json.loads(run("schema", "progress")[1])
    bad = {"month": "2025-06", "reports": [], "extra": 1}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_schema_without_kind_prints_all_five(run) -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert set(json.loads(out)) == set(KINDS)


def test_schema_writes_files(tmp_path: Path, run) -> None:
    code, _, _ = run("schema", "-o", str(tmp_path / "s"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [f"{k}.schema.json" for k in sorted(KINDS)]


@pytest.mark.parametrize("kind", ["measures", "units", "schedule", "rules"])
def test_demo_plan_files_are_copies_of_the_real_ones(kind: str) -> None:
    """The demo differs from the real plan only in its made-up progress (and its header)."""
    real = yaml.safe_load((REPO / "data" / f"{kind}.yaml").read_text(encoding="utf-8"))
    demo = yaml.safe_load((REPO / "examples" / "demo" / f"{kind}.yaml").read_text(encoding="utf-8"))
    assert demo == real, f"copy data/{kind}.yaml to examples/demo/ (keeping its first line)"
    first = (REPO / "examples" / "demo" / f"{kind}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# EXAMPLE DATA")
