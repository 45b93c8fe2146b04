"""Shared test helpers: the CLI runner and the small base data set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safety_plan.cli import app

TESTS = Path(__file__).parent
CASES = TESTS / "cases"
REPO = TESTS.parent


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    """Run the CLI as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.delenv("SAFETY_PLAN_DATA", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def assemble(case: Path, target: Path) -> Path:
    """The base data set with a case's files laid over it (and its REMOVE list removed)."""
    data = target / "data"
    shutil.copytree(CASES / "base", data)
    for file in case.rglob("*"):
        rel = file.relative_to(case)
        if file.is_file() and rel.name not in {"expected.txt", "REMOVE"}:
            (data / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, data / rel)
    remove = case / "REMOVE"
    if remove.exists():
        for name in remove.read_text(encoding="utf-8").split():
            (data / name).unlink()
    return data
