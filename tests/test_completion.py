"""Shell completion offers unit names and IDs from the data in use."""

from __future__ import annotations

from types import SimpleNamespace

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
