"""Districts in parallel (``city.parallel``): the answers, and the errors, of the sequential loop."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from safety_plan.city import parallel
from safety_plan.city.parallel import map_items
from safety_plan.problems import UsageError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")

ITEMS = list(range(8))
SECOND = 5
"""The item taken second (the second largest): by the worker, as the parent works on the first."""


def _size(i: int) -> int:
    return {0: 100, SECOND: 90}.get(i, 1)


def _slow(i: int) -> None:
    time.sleep(0.02)  # long enough for both processes to take items


@pytest.fixture
def two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "2")


def _take(answers: list[Callable[[], object]]) -> list[object]:
    return [answer() for answer in answers]


def test_answers_come_in_order_and_part_from_a_worker(two: None) -> None:
    parent = os.getpid()
    answers = _take(map_items(lambda i: _slow(i) or (i * i, os.getpid()), ITEMS, size=_size))
    assert [a for a, _ in answers] == [i * i for i in ITEMS]  # type: ignore[misc]
    pids = {pid for _, pid in answers}  # type: ignore[misc]
    assert parent in pids and len(pids) == 2


def test_a_worker_s_failure_is_worked_on_again_here_and_raises_at_its_turn(two: None) -> None:
    parent = os.getpid()

    def work(i: int) -> int:
        _slow(i)
        if i == SECOND:
            raise KeyError(f"item {i} in {'parent' if os.getpid() == parent else 'worker'}")
        return i

    answers = map_items(work, ITEMS, size=_size)
    assert _take(answers[:5]) == [0, 1, 2, 3, 4]
    with pytest.raises(KeyError, match="item 5 in parent"):
        answers[5]()
    assert _take(answers[6:]) == [6, 7]


def test_an_expected_error_travels_back_as_it_is(two: None) -> None:
    def work(i: int) -> int:
        _slow(i)
        if i % 2:
            raise UsageError(f"--unit: no unit in district {i}")
        return i

    answers = map_items(work, ITEMS, size=_size)
    for i, answer in enumerate(answers):
        if i % 2:
            with pytest.raises(UsageError, match=f"district {i}$"):
                answer()
        else:
            assert answer() == i


def test_an_answer_that_does_not_pickle_is_worked_on_here(two: None) -> None:
    parent = os.getpid()

    def work(i: int) -> Callable[[], tuple[int, bool, bool]]:
        _slow(i)
        here = os.getpid() == parent
        return lambda: (i, here, os.getpid() == parent)  # a closure: pickle refuses it

    answers = [answer()() for answer in map_items(work, ITEMS, size=_size)]
    assert answers == [(i, True, True) for i in ITEMS]


def test_a_worker_that_dies_leaves_its_items_to_the_parent(two: None, tmp_path: Path) -> None:
    parent = os.getpid()

    def work(i: int) -> int:
        _slow(i)
        if os.getpid() != parent:
            (tmp_path / "died").write_text(str(i))
            os._exit(3)  # the worker vanishes mid-way
        return i

    assert _take(map_items(work, ITEMS, size=_size)) == ITEMS
    assert (tmp_path / "died").read_text() == str(SECOND)


def test_the_largest_items_are_taken_first(two: None) -> None:
    sizes = [1, 50, 2, 40, 3]
    taken: list[int] = []

    def work(i: int) -> int:
        _slow(i)
        taken.append(i)  # the parent's own, in the order it took them
        return i

    assert _take(map_items(work, range(5), size=lambda i: sizes[i])) == [0, 1, 2, 3, 4]
    assert taken[0] == 1 and taken == sorted(taken, key=lambda i: -sizes[i])


def test_little_work_is_done_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFETY_PLAN_JOBS", raising=False)
    monkeypatch.setattr(parallel, "_cpus", lambda: 2)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    assert _take(map_items(lambda i: i, ITEMS, size=lambda i: 1)) == ITEMS
    assert forks == []


def test_one_job_is_sequential_and_a_bad_value_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "1")
    called: list[int] = []
    answers = map_items(lambda i: called.append(i) or i, ITEMS, size=lambda i: 1)
    assert called == []  # nothing before its turn
    assert _take(answers) == ITEMS and called == ITEMS
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "two")
    with pytest.raises(UsageError, match="SAFETY_PLAN_JOBS: 'two' is not a number of processes"):
        map_items(lambda i: i, ITEMS, size=lambda i: 1)
