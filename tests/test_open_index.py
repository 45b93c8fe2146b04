"""The shortcuts of a warm query give the answers of the long way round.

``overdue`` evaluates only the obligations not closed for good by the day
(``CompiledPlan.closed_from``), and ``to_json`` writes indented JSON without the standard
library's pure-Python encoder; each is compared here with what it replaces."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safety_plan.engine.asof import OverdueRow, evaluate, snapshot
from safety_plan.engine.compile import compile_plan
from safety_plan.engine.types import CompiledPlan
from safety_plan.loading import load_dataset
from safety_plan.output.render import to_json
from safety_plan.output.text import json_printable

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["data", "examples/demo"])
def real_plan(request: pytest.FixtureRequest) -> CompiledPlan:
    result = load_dataset(ROOT / request.param)
    assert result.dataset is not None and not result.errors
    return compile_plan(result.dataset)


def _key(row: OverdueRow) -> tuple[Any, ...]:
    return (row.evaluation, row.missed)


def _days(plan: CompiledPlan) -> list[dt.date]:
    first = min(o.due for o in plan.obligations) - dt.timedelta(days=10)
    last = max(o.due for o in plan.obligations) + dt.timedelta(days=40)
    return [first + dt.timedelta(days=n) for n in range(0, (last - first).days, 9)]


def test_overdue_from_the_open_obligations_is_overdue_from_all(real_plan: CompiledPlan) -> None:
    units = sorted({o.unit for o in real_plan.obligations})[:3]
    for day in _days(real_plan):
        whole = snapshot(real_plan, day)
        whole.evaluations  # noqa: B018  (every obligation evaluated: the long way round)
        for unit in (None, *units):
            quick = snapshot(real_plan, day)
            assert [_key(r) for r in quick.overdue(unit=unit)] == [_key(r) for r in whole.overdue(unit=unit)]
        assert snapshot(real_plan, day).overdue_obligations() == whole.overdue_obligations()


def test_an_obligation_is_closed_on_every_day_from_its_closing_day(real_plan: CompiledPlan) -> None:
    closed_some = 0
    for obligation, closed in zip(real_plan.obligations, real_plan.closed_from, strict=True):
        if closed is None:
            continue
        closed_some += 1
        for day in (closed, closed + dt.timedelta(days=45), closed + dt.timedelta(days=400)):
            assert evaluate(obligation, real_plan, day).closed, (obligation.ref, obligation.unit, day)
        before = evaluate(obligation, real_plan, closed - dt.timedelta(days=1))
        assert not (before.done or before.status == "late"), (obligation.ref, obligation.unit)
    assert closed_some > 0 or not real_plan.reports  # the shipped data has no reports yet


_PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.dates()
    | st.sampled_from(["\x7f", "\x9b", "\u2028", '"\\', "逾期"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_to_json_writes_the_bytes_json_dumps_writes(value: Any) -> None:
    assert to_json(value) == json_printable(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def test_to_json_leaves_keys_that_are_not_text_to_json_dumps() -> None:
    value = {1: [1.5, float("inf")], None: {}, "a": ()}
    assert to_json(value) == json.dumps(value, ensure_ascii=False, indent=2, default=str)
