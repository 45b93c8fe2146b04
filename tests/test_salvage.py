"""The valid part of a file with schema errors: what is kept, where its items now stand."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError

from safety_plan.loading.salvage import salvage
from safety_plan.loading.yaml_source import parse_yaml
from safety_plan.models import MeasuresFile, Model, Name, ProgressFile, ScheduleFile, Text, UnitsFile

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


def _names_written(kept: object, source_map: object) -> list[tuple[str, int, int]]:
    """(name, line, column as written) of each reference kept from a dropped item, in file order."""
    found = []
    for r in kept.dropped_references:  # type: ignore[attr-defined]
        at = source_map.locate((*r.holder, r.key))  # type: ignore[attr-defined]
        found.append((r.name, at.line, at.column))
    return sorted(found, key=lambda f: (f[1], f[2]))


MEASURES = b"""plans:
  - {id: demo, title: t, short: s, issuer: i, issued: 2024-03, period: {start: 2024-03-01, end: 2024-12-31},
     source: demo.txt, sections: []}
measures:
  - {id: demo-1, plan: demo, section: 1, number: 1, title: t, text: x, owners: [A, B]}
  - {id: demo-2, plan: dem, section: first, number: 2, title: t, text: x, owners: [" A", C, 12]}
  - {id: demo-3, plan: demo, section: 1, number: 3, title: t, text: x, owners: [D], bad: key}
"""


def test_a_dropped_measure_keeps_its_plan_and_each_well_formed_owner_by_its_index() -> None:
    kept, source_map = _salvaged(MEASURES, MeasuresFile)
    assert [m.id for m in kept.value.measures] == ["demo-1"]  # type: ignore[attr-defined]
    # the plan went for its date: its source stays to check; " A" and 12 are no names
    assert _names_written(kept, source_map) == [
        ("demo.txt", 3, 14),
        ("dem", 6, 24),
        ("C", 6, 90),
        ("demo", 7, 24),
        ("D", 7, 81),
    ]
    owners = [r for r in kept.dropped_references if r.name in {"C", "D"}]  # type: ignore[attr-defined]
    assert [(r.holder, r.key, r.pattern) for r in owners] == [
        (("measures", 1, "owners"), 1, ("measures", None, "owners", None)),
        (("measures", 2, "owners"), 0, ("measures", None, "owners", None)),
    ]


def test_a_name_moved_up_its_list_by_an_earlier_round_keeps_its_index_as_written() -> None:
    # round 1 drops " A" alone (its group is checked no further); round 2 the group, for
    # being incomplete without a note: B was members[0] by then, members[1] as written
    raw = b"units:\n  - {id: A, kind: town}\ngroups:\n  - {id: G, members: [' A', B], complete: false}\n"
    kept, source_map = _salvaged(raw, UnitsFile)
    assert len(kept.rounds) == 2  # type: ignore[attr-defined]
    assert [(r.holder, r.key, r.name) for r in kept.dropped_references] == [  # type: ignore[attr-defined]
        (("groups", 0, "members"), 1, "B")
    ]
    assert _names_written(kept, source_map) == [("B", 4, 29)]


def test_an_optional_section_dropped_whole_keeps_each_of_its_references_once() -> None:
    raw = """units:
  - {id: A, kind: town}
working_group:
  name: 专班
  plan: demo
  members:
    - {role: 组长, person: 张三, position: 区长, unit: A}
    - {role: 成员, person: 李四, position: 局长, unit: X, phone: "1"}
  office: {unit: Y, director: "", deputy_units: [A, " Z", W]}
""".encode()
    kept, source_map = _salvaged(raw, UnitsFile)
    assert kept.value.working_group is None  # type: ignore[attr-defined]
    # the member with an unknown key goes in the same round as the whole working group: once
    assert _names_written(kept, source_map) == [
        ("A", 7, 50),
        ("X", 8, 50),
        ("Y", 9, 18),
        ("A", 9, 50),
        ("W", 9, 59),
    ]


def test_a_plan_level_deadline_keeps_its_plan_and_owners_and_a_waiver_its_measure() -> None:
    raw = b"""phases: []
deadlines:
  - {id: demo.1, plan: dem, due: 2024-12, phrase: p, what: w, owners: [A]}
waivers:
  - {measure: demo-9, text: t, note: ""}
"""
    kept, source_map = _salvaged(raw, ScheduleFile)
    assert [(r.pattern, r.key, r.name) for r in kept.dropped_references] == [  # type: ignore[attr-defined]
        (("deadlines", None, "plan"), "plan", "dem"),
        (("deadlines", None, "owners", None), 0, "A"),
        (("waivers", None, "measure"), "measure", "demo-9"),
    ]
    assert _names_written(kept, source_map) == [("dem", 3, 24), ("A", 3, 72), ("demo-9", 5, 15)]
