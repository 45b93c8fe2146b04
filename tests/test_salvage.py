"""The valid part of a file with schema errors: what is kept, where its items now stand."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from safety_plan.loading.salvage import salvage
from safety_plan.loading.yaml_source import parse_yaml
from safety_plan.models import ProgressFile, UnitsFile

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
