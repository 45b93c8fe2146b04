"""Shell completion offers unit names and IDs from the data in use."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import REPO
from safety_plan.cli import DataLocation, _complete_refs, _complete_units


def _ctx(data: str) -> SimpleNamespace:
    root = SimpleNamespace(obj=DataLocation(REPO / data, data))
    return SimpleNamespace(find_root=lambda: root)


def test_units_complete_by_prefix() -> None:
    found = _complete_units(_ctx("data"), "区应")  # type: ignore[arg-type]
    assert "区应急局" in found
    assert all(name.startswith("区应") for name in found)


def test_groups_and_aliases_complete_too() -> None:
    assert "各乡镇" in _complete_units(_ctx("data"), "各")  # type: ignore[arg-type]
    assert "区团委" in _complete_units(_ctx("data"), "区团")  # type: ignore[arg-type]


def test_ids_complete() -> None:
    found = _complete_refs(_ctx("data"), "zbgj-16")  # type: ignore[arg-type]
    assert {"zbgj-16", "zbgj-16.1", "zbgj-16.2", "zbgj-16.3"} <= set(found)


def test_completion_never_fails_on_bad_data() -> None:
    assert _complete_units(_ctx("no-such-folder"), "区") == []  # type: ignore[arg-type]


# --- through the public CLI, as a shell asks (Click's completion protocol for bash) -------------


@pytest.fixture
def complete(run, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """What bash would offer for the last word of ``line`` (a space at its end: a new word)."""

    def ask(line: str) -> list[str]:
        words = line.split()
        monkeypatch.setenv("_SAFETY_PLAN_COMPLETE", "complete_bash")
        monkeypatch.setenv("COMP_WORDS", line)
        monkeypatch.setenv("COMP_CWORD", str(len(words) if line.endswith(" ") else len(words) - 1))
        code, out, err = run()
        assert code == 0 and err == "", err
        return out.split()

    return ask


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two districts with different plans and units: the demo and the tests' small base set."""
    root = tmp_path_factory.mktemp("city")
    shutil.copytree(REPO / "examples" / "demo", root / "east")
    shutil.copytree(REPO / "tests" / "cases" / "base", root / "west")
    (root / "districts.yaml").write_text(
        "districts:\n  - id: east\n    name: 东区\n    data: east\n  - id: west\n    name: 西区\n    data: west\n",
        encoding="utf-8",
    )
    return root


def test_district_completes_a_citys_ids_and_nothing_on_one_districts_data(complete, city: Path) -> None:  # type: ignore[no-untyped-def]
    assert complete(f"safety-plan --data {city} overdue --district ") == ["east", "west"]
    assert complete(f"safety-plan --data {city} status --district w") == ["west"]
    assert complete(f"safety-plan --data {city} reports --district e") == ["east"]
    assert complete(f"safety-plan --data {city} escalations --district ") == ["east", "west"]
    assert complete(f"safety-plan --data {REPO / 'examples' / 'demo'} overdue --district ") == []


def test_units_and_plans_complete_from_every_district_or_the_one_chosen(complete, city: Path) -> None:  # type: ignore[no-untyped-def]
    data = f"safety-plan --data {city} overdue"
    assert complete(f"{data} --plan ") == ["zbgj", "m81", "demo"]
    assert complete(f"{data} --district west --plan ") == ["demo"]
    assert complete(f"{data} --unit 横") == ["横沙乡"]  # the demo's town, not in the base set
    assert complete(f"{data} --district west --unit 横") == []
    assert complete(f"{data} --district east --unit 区应") == ["区应急局"]
    found = complete(f"{data} --unit 区")
    assert len(found) == len(set(found)) and "区应急局" in found  # each name once
    assert "zbgj-16.1" in complete(f"safety-plan --data {city} show zbgj-16")
    assert complete(f"safety-plan --data {city} show --district west zbgj-16") == []
    for lookup in ("show", "owners", "list"):
        assert complete(f"safety-plan --data {city} {lookup} --district ") == ["east", "west"]
    assert complete(f"safety-plan --data {city} owners --district east 横") == ["横沙乡"]
    assert complete(f"safety-plan --data {city} list --district west -u 横") == []
    assert complete(f"safety-plan --data {REPO / 'examples' / 'demo'} due --plan m") == ["m81"]


def test_a_broken_city_completes_nothing_quietly(complete, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "districts.yaml").write_text("districts: [\n", encoding="utf-8")
    assert complete(f"safety-plan --data {tmp_path} overdue --district ") == []
    assert complete(f"safety-plan --data {tmp_path} overdue --unit 区") == []
