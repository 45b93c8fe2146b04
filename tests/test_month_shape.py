"""The light reading of a month file (``loading.month_shape``) against the models: whatever it
accepts, ``ProgressFile`` accepts too and gives the same values; every valid month file we
ship or test with is accepted (else the run after an edit would never take the light path)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from conftest import REPO
from safety_plan.loading import parse_yaml
from safety_plan.loading.month_shape import MonthFile, accept_month
from safety_plan.models import ProgressFile

MONTH_FILES = sorted(
    path
    for folder in ("tests", "data", "examples")
    for path in (REPO / folder).rglob("*")
    if path.parent.name == "progress" and path.is_file() and not path.name.startswith(".")
)


def _parsed(path: Path) -> Any:
    parsed = parse_yaml(path.read_bytes(), str(path), positions=False)
    return None if parsed.problems else parsed.data


def _validated(data: Any) -> ProgressFile | None:
    try:
        return ProgressFile.model_validate(data)
    except ValidationError:
        return None


def _same(light: MonthFile, model: ProgressFile) -> None:
    assert light.month == model.month
    assert len(light.reports) == len(model.reports)
    for mine, theirs in zip(light.reports, model.reports, strict=True):
        assert (mine.unit, mine.submitted) == (theirs.unit, theirs.submitted)
        assert type(mine.submitted) is type(theirs.submitted)
        assert len(mine.items) == len(theirs.items)
        for item, other in zip(mine.items, theirs.items, strict=True):
            assert (item.ref, item.done, item.note) == (other.ref, other.done, other.note)
            assert item.status is other.status


def test_the_corpus_holds_valid_and_invalid_months() -> None:
    parsed = [_parsed(path) for path in MONTH_FILES]
    assert len(MONTH_FILES) >= 25
    assert sum(_validated(d) is not None for d in parsed if d is not None) >= 15
    assert sum(_validated(d) is None for d in parsed if d is not None) >= 2


@pytest.mark.parametrize("path", MONTH_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_a_month_file_is_accepted_exactly_when_the_models_accept_it(path: Path) -> None:
    data = _parsed(path)
    if data is None:
        return  # the parse itself found a problem: the light path gives up before the shape
    model, light = _validated(data), accept_month(data)
    assert (light is None) == (model is None), "accepted by one side only"
    if light is not None and model is not None:
        _same(light, model)


# --- generated mutations ------------------------------------------------------------------

_WRONG: list[Any] = [
    None,
    0,
    1,
    1.5,
    True,
    "",
    " ",
    "x",
    " x",
    "x ",
    "x\n",
    "\nx",
    "a\nb",
    "\u3000x",
    "x\u3000",
    "x\u00a0",
    "\u2028x",
    "区应急局",
    "2025-06",
    "2025-6",
    "2025-13",
    "2025-00",
    "2025-06\n",
    "２０２５-06",
    "done",
    "done ",
    "Done",
    "not_applicable",
    b"x",
    dt.date(2025, 6, 1),
    dt.datetime(2025, 6, 1, 8, 0),
    [],
    ["x"],
    {},
    {"ref": "x"},
]


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Each value with its path."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, (*path, index))


def _with(data: Any, path: tuple[Any, ...], change: Any) -> Any:
    """``data`` with ``change(holder, key)`` made at ``path``: the containers along the path
    copied, the rest shared (the original is never changed)."""
    if len(path) == 1:
        holder = copy.copy(data)
        change(holder, path[0])
        return holder
    copied = copy.copy(data)
    copied[path[0]] = _with(data[path[0]], path[1:], change)
    return copied


_KEYS = ("ref", "status", "done", "note", "unit", "submitted", "items", "month", "reports")


def _mutations(data: Any) -> Iterator[Any]:
    """Each value replaced by each wrong one, each key removed, and keys added to each mapping
    (unknown ones, and known ones where they do not belong)."""
    yield from copy.deepcopy(_WRONG)
    for path, value in _nodes(data):
        if path:
            for wrong in _WRONG:
                yield _with(
                    data, path, lambda holder, key, w=wrong: holder.__setitem__(key, copy.deepcopy(w))
                )
        if path and isinstance(path[-1], str):
            yield _with(data, path, lambda holder, key: holder.pop(key))
        if isinstance(value, dict):
            added = [("extra", "x"), (1, "x"), *((n, w) for n in _KEYS for w in ("2025-06-01", None))]
            for name, wrong in added:
                yield _with(data, (*path, name), lambda holder, key, w=wrong: holder.__setitem__(key, w))


def _small(data: Any) -> Any:
    """The first and last of each list alone: every kind of node, and quick to validate."""
    if isinstance(data, dict):
        return {key: _small(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_small(value) for value in data[:1] + data[1:][-1:]]
    return data


VALID = [_small(d) for d in map(_parsed, MONTH_FILES) if d is not None and _validated(d) is not None]


@pytest.mark.parametrize("index", range(len(VALID)))
def test_what_the_light_reading_accepts_the_models_accept_as_the_same(index: int) -> None:
    accepted = refused = 0
    for mutated in _mutations(VALID[index]):
        light = accept_month(mutated)
        model = _validated(mutated)
        if light is None:
            refused += 1
            continue
        accepted += 1
        assert model is not None, mutated
        _same(light, model)
    assert accepted and refused  # the mutations reach both sides
