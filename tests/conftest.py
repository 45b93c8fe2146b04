"""Shared test helpers: the CLI runner and the small base data set."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from safety_plan.cli import app

COMMAND = typer.main.get_command(app)
"""The Click command, built once: Typer's own test runner rebuilds it (re-reading every
signature) on each invoke, which costs more than most commands under test."""

TESTS = Path(__file__).parent
CASES = TESTS / "cases"
REPO = TESTS.parent
TOWNS = frozenset(
    [
        "城桥镇",
        "堡镇",
        "新河镇",
        "庙镇",
        "竖新镇",
        "向化镇",
        "三星镇",
        "港沿镇",
        "中兴镇",
        "陈家镇",
        "绿华镇",
        "港西镇",
        "建设镇",
        "新海镇",
        "东平镇",
        "长兴镇",
        "新村乡",
        "横沙乡",
    ]
)
"""Chongming's 16 towns and 2 townships, as the issue lists them (各乡镇)."""


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    """Run the CLI as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.delenv("SAFETY_PLAN_DATA", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        with runner.isolation() as (stdout, stderr, _):
            try:
                COMMAND.main(args=list(args), prog_name="safety-plan")
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            return code, stdout.getvalue().decode(), stderr.getvalue().decode()

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


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the whole session: entries are keyed on each data folder's path and
    files, so tests reading the same unchanged folder share them safely (and fast)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session", autouse=True)
def _never_the_users_cache(shared_cache: Path) -> Iterator[None]:
    """Tests never read or write the user's cache; those that test the cache set their own."""
    settings = {
        "SAFETY_PLAN_CACHE": str(shared_cache),
        "SAFETY_PLAN_CACHE_KEY": str(shared_cache.with_name(shared_cache.name + "-key") / "cache.key"),
    }
    previous = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
