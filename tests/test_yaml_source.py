"""The safe YAML reader: the alias-bomb bound applies only where aliases can expand."""

from __future__ import annotations

import pytest

from safety_plan.loading import yaml_source
from safety_plan.loading.yaml_source import parse_yaml


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_NODES", 20)


def test_a_large_file_without_aliases_is_just_large(small_limit: None) -> None:
    text = "items:\n" + "".join(f"  - value {i}\n" for i in range(100))
    parsed = parse_yaml(text.encode(), "big.yaml")
    assert parsed.problems == []
    assert len(parsed.data["items"]) == 100


def test_aliases_expanding_past_the_bound_are_refused(small_limit: None) -> None:
    text = "a: &a [1, 2, 3, 4, 5]\nb: [*a, *a, *a, *a, *a]\n"
    parsed = parse_yaml(text.encode(), "bomb.yaml")
    assert parsed.data is None
    assert [p.rule for p in parsed.problems] == ["alias-bomb"]


def test_positions_are_kept_for_values_and_keys() -> None:
    parsed = parse_yaml(b"a:\n  b: [1, 2]\n", "x.yaml")
    assert parsed.source_map.locate(("a", "b", 1)).line == 2
    assert parsed.source_map.locate(("a", "b"), key=True).column == 3
    assert parsed.source_map.locate(("a", "missing")).line == 2  # nearest existing ancestor
