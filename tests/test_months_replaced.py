"""``compile.with_months_replaced``, the pure function an edited month's run patches the kept
plan with: whatever months it takes out and puts in, the plan is the one ``with_reports``
joins from the months as they are now, down to the order of ``items`` (the task list's tie
between two notes of one day goes by it) and every obligation's closing day."""

from __future__ import annotations

import random

import pytest

from conftest import REPO
from safety_plan.engine.asof import closing_days
from safety_plan.engine.compile import (
    compile_static,
    month_reports,
    refs_of,
    with_months_replaced,
    with_reports,
)
from safety_plan.engine.types import CompiledPlan, MonthReports, Reported
from safety_plan.loading import load_dataset
from safety_plan.vocabulary import Status


@pytest.fixture(scope="module")
def demo() -> tuple[CompiledPlan, list[MonthReports]]:
    result = load_dataset(REPO / "examples" / "demo")
    assert result.dataset is not None and not result.errors
    names = result.dataset.directory.canonical_names()
    months = [month_reports(names, p) for p in result.dataset.progress.values()]
    return compile_static(result.dataset), months


def _patched(static: CompiledPlan, before: list[MonthReports], after: list[MonthReports]) -> CompiledPlan:
    """The plan joined from ``before``, patched into ``after``'s (months matched by label,
    a month unchanged when its value is equal)."""
    joined = with_reports(static, before)
    joined.knowing(closing_days(joined))
    now = {m.month: m for m in after}
    gone = {m.month: refs_of(m) for m in before if now.get(m.month) != m}
    was = {m.month: m for m in before}
    added = [m for m in after if was.get(m.month) != m]
    return with_months_replaced(joined, gone, added, [refs_of(m) for m in after])


def _assert_same(patched: CompiledPlan, static: CompiledPlan, after: list[MonthReports]) -> None:
    full = with_reports(static, after)
    assert list(patched.items) == list(full.items), "refs in the order the months first name them"
    assert patched.items == full.items, "each ref's reports in the order they came in"
    assert patched.reports == full.reports
    assert patched.reported_by == full.reported_by
    assert patched.closed_from == closing_days(full)


def _edited(month: MonthReports, rng: random.Random, days: list, unused_refs: list[str]) -> MonthReports:
    """A unit's corrections: statuses flipped, items dropped, days moved onto other months'
    days (ties across months), an item on a ref no month has yet."""
    items: list[tuple[str, Reported]] = []
    for ref, r in month.items:
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.4:
            r = r._replace(status=Status.in_progress, done=None)
        elif roll < 0.6:
            r = r._replace(status=Status.done, done=r.submitted)
        elif roll < 0.7:
            moved = rng.choice(days)
            r = r._replace(submitted=moved, done=None if r.done is None else moved)
        items.append((ref, r))
    if unused_refs and month.items:
        unit, submitted = month.reports[0]
        items.insert(
            rng.randrange(len(items) + 1),
            (unused_refs.pop(), Reported(unit, submitted, Status.done, submitted, "新增", month.month)),
        )
    return month._replace(items=tuple(items))


@pytest.mark.parametrize("seed", range(8))
def test_edited_months_patch_into_the_plan_joined_afresh(
    demo: tuple[CompiledPlan, list[MonthReports]], seed: int
) -> None:
    static, months = demo
    rng = random.Random(seed)
    days = sorted({r.submitted for m in months for _, r in m.items})
    unused = sorted({o.ref for o in static.obligations} - {ref for m in months for ref, _ in m.items})
    rng.shuffle(unused)
    after = list(months)
    for index in rng.sample(range(len(months)), k=1 + seed % 3):
        after[index] = _edited(after[index], rng, days, unused)
    before, now = with_reports(static, months), with_reports(static, after)
    assert closing_days(before) != closing_days(now), "the edits close other obligations"
    assert list(before.items) != list(now.items), "and bring in a ref no month had"
    _assert_same(_patched(static, months, after), static, after)


def test_a_month_taken_out_or_put_in(demo: tuple[CompiledPlan, list[MonthReports]]) -> None:
    static, months = demo
    without = months[:3] + months[4:]
    _assert_same(_patched(static, months, without), static, without)
    _assert_same(_patched(static, without, months), static, months)
    _assert_same(_patched(static, months[1:], months), static, months)


def test_a_month_edited_back_leaves_the_plan_as_it_was(demo: tuple[CompiledPlan, list[MonthReports]]) -> None:
    static, months = demo
    edited = list(months)
    days = sorted({r.submitted for m in months for _, r in m.items})
    edited[2] = _edited(months[2], random.Random(1), days, [])
    patched = _patched(static, months, edited)
    gone = {months[2].month: refs_of(edited[2])}
    back = with_months_replaced(patched, gone, [months[2]], [refs_of(m) for m in months])
    _assert_same(back, static, months)
