"""The valid part of a file with schema errors: what is kept, where its items now stand."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError

from safety_plan.loading.salvage import salvage
from safety_plan.loading.yaml_source import parse_yaml
from safety_plan.models import Model, Name, ProgressFile, Text, UnitsFile

PROGRESS = b"""month: 2025-06
reports:
  - unit: A
    submitted: 2025-06-24
    items:
      - {ref: x.1, status: finished}
      - {ref: x.2, status: done, done: 2025-06-01}
      - {ref: x.3, status: blocked}
  - unit: B
    submitted: not a date
  - unit: C
    submitted: 2025-06-25
"""


def _salvaged(raw: bytes, model: type) -> tuple[object, object]:
    parsed = parse_yaml(raw, "f.yaml")
    with pytest.raises(ValidationError) as caught:
        model.model_validate(parsed.data)
    return salvage(parsed.data, model, caught.value), parsed.source_map


def test_only_the_items_holding_an_error_are_left_out() -> None:
    kept, _ = _salvaged(PROGRESS, ProgressFile)
    assert kept is not None
    value = kept.value
    assert [r.unit for r in value.reports] == ["A", "C"]
    assert [i.ref for i in value.reports[0].items] == ["x.2", "x.3"]


def test_positions_follow_the_kept_items_to_their_new_indexes() -> None:
    kept, source_map = _salvaged(PROGRESS, ProgressFile)
    rekeyed = kept.rekey(source_map)
    assert rekeyed.locate(("reports", 0, "items", 0, "ref")).line == 7  # x.2, once items[1]
    assert rekeyed.locate(("reports", 0, "items", 1, "ref")).line == 8
    assert rekeyed.locate(("reports", 1, "unit")).line == 11  # C, once reports[2]


def test_a_list_emptied_by_the_drop_takes_its_holder_along() -> None:
    raw = b"units:\n  - {id: A, kind: town}\ngroups:\n  - id: G\n    members: [A]\n    aliases: [7]\n"
    kept, _ = _salvaged(raw, UnitsFile)
    assert kept is not None
    assert [g.id for g in kept.value.groups] == ["G"]  # the bad alias goes, the group stays
    assert kept.value.groups[0].aliases == []


def test_names_of_the_items_left_out_are_remembered() -> None:
    raw = b"units:\n  - {id: A, kind: town}\n  - {id: B, kind: planet, aliases: [BB]}\n"
    kept, _ = _salvaged(raw, UnitsFile)
    assert [u.id for u in kept.value.units] == ["A"]
    assert kept.dropped_names == {"B", "BB"}


def test_a_file_whose_shape_is_wrong_has_nothing_to_keep() -> None:
    kept, _ = _salvaged(b"month: June\nreports: []\n", ProgressFile)
    assert kept is None


def _references(kept: object, source_map: object) -> list[tuple[str, str, int]]:
    """(key, name, line as written) of each reference kept from a dropped item."""
    return sorted(
        (r.key, r.name, source_map.locate((*r.holder, r.key)).line)  # type: ignore[attr-defined]
        for r in kept.dropped_references  # type: ignore[attr-defined]
    )


def test_the_references_of_dropped_items_are_kept_where_they_were_written() -> None:
    kept, source_map = _salvaged(PROGRESS, ProgressFile)
    # x.1's item went for its status, B's report for its date: their ref and unit stay to check
    assert _references(kept, source_map) == [("ref", "x.1", 6), ("unit", "B", 9)]


def test_a_malformed_reference_is_not_kept_and_a_dropped_report_keeps_its_items_refs_once() -> None:
    raw = b"""month: 2025-06
reports:
  - unit: "A "
    submitted: 2025-06-24
    items:
      - {ref: "", status: finished}
      - {ref: 12, status: done}
      - {ref: x.2, status: done, done: June}
  - unit: B
    submitted: 2025-06-24
    items:
      - {ref: x.3, status: done, bad: key}
"""
    kept, source_map = _salvaged(raw, ProgressFile)
    assert _references(kept, source_map) == [("ref", "x.2", 8), ("ref", "x.3", 12)]


class _Entry(Model):
    ref: Text
    count: int


class _Holder(Model):
    name: Name
    entries: list[_Entry] = Field(min_length=1)


class _File(Model):
    holders: list[_Holder]

    cross_references = (("holders", None, "name"), ("holders", None, "entries", None, "ref"))


def test_references_dropped_in_a_later_round_stand_where_they_were_written() -> None:
    raw = b"""holders:
  - {name: A, entries: [{ref: a, count: 1}]}
  - {name: " B", entries: [{ref: b, count: 1}]}
  - {name: C, entries: [{ref: c, count: many}]}
  - {name: D, entries: [{ref: d, count: 1}]}
"""
    kept, source_map = _salvaged(raw, _File)
    assert [h.name for h in kept.value.holders] == ["A", "D"]  # type: ignore[attr-defined]
    assert len(kept.rounds) == 2  # C goes in the second round, as holders[1] by then
    # " B" is not a name (not kept) and b goes with it; c goes in the first round, C in the second
    assert sorted((r.holder, r.key, r.name) for r in kept.dropped_references) == [
        (("holders", 1, "entries", 0), "ref", "b"),
        (("holders", 2), "name", "C"),
        (("holders", 2, "entries", 0), "ref", "c"),
    ]
    assert _references(kept, source_map) == [("name", "C", 4), ("ref", "b", 3), ("ref", "c", 4)]


def test_a_model_without_cross_references_keeps_none() -> None:
    raw = b"units:\n  - {id: A, kind: town}\n  - {id: B, kind: planet}\n"
    kept, _ = _salvaged(raw, UnitsFile)
    assert kept.dropped_references == []
