"""Districts in parallel (``city.parallel``): the answers, and the errors, of the sequential loop."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from safety_plan.city import parallel
from safety_plan.city.parallel import map_items
from safety_plan.problems import UsageError

pytestmark = pytest.mark.skipif(not parallel.FORKS, reason="workers are forked on Linux only")

ITEMS = list(range(8))


class Meeting:
    """Makes sure both processes take items: each one's items wait until the other has started
    on one, so neither can take them all, however busy the machine. (The worker once took all
    eight while the parent waited for a core: the parent's own wait alone did not stop that.)"""

    def __init__(self, folder: Path) -> None:
        self.parent = os.getpid()
        self.worker_started = folder / "worker-started"
        self.parent_started = folder / "parent-started"

    def in_worker(self) -> bool:
        in_worker = os.getpid() != self.parent
        mine, other = (
            (self.worker_started, self.parent_started)
            if in_worker
            else (self.parent_started, self.worker_started)
        )
        mine.touch()
        deadline = time.monotonic() + 10
        while not other.exists():
            assert time.monotonic() < deadline, f"the {'parent' if in_worker else 'worker'} took no item"
            time.sleep(0.005)
        return in_worker


@pytest.fixture
def meet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Meeting:
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "2")
    return Meeting(tmp_path)


def _one(i: int) -> int:
    return 1


def _take(answers: list[Callable[[], object]]) -> list[object]:
    return [answer() for answer in answers]


def test_answers_come_in_order_and_part_from_a_worker(meet: Meeting) -> None:
    answers = _take(map_items(lambda i: (i * i, meet.in_worker()), ITEMS, size=_one))
    assert [a for a, _ in answers] == [i * i for i in ITEMS]  # type: ignore[misc]
    assert {worker for _, worker in answers} == {True, False}  # type: ignore[misc]


def test_what_fails_in_a_worker_is_worked_on_again_here(meet: Meeting) -> None:
    def work(i: int) -> int:
        if meet.in_worker():
            raise KeyError(i)
        return i

    assert _take(map_items(work, ITEMS, size=_one)) == ITEMS


def test_an_error_surfaces_at_its_turn_as_it_is_raised_here(meet: Meeting) -> None:
    def work(i: int) -> int:
        where = "worker" if meet.in_worker() else "parent"
        if i in (3, 6):
            raise KeyError(f"item {i} in {where}")
        return i

    answers = map_items(work, ITEMS, size=_one)
    assert _take(answers[:3]) == [0, 1, 2]
    with pytest.raises(KeyError, match="item 3 in parent"):
        answers[3]()
    assert _take(answers[4:6]) == [4, 5]
    with pytest.raises(KeyError, match="item 6 in parent"):
        answers[6]()


def test_an_expected_error_travels_back_as_it_is(meet: Meeting) -> None:
    def work(i: int) -> int:
        meet.in_worker()
        if i % 2:
            raise UsageError(f"--unit: no unit in district {i}")
        return i

    for i, answer in enumerate(map_items(work, ITEMS, size=_one)):
        if i % 2:
            with pytest.raises(UsageError, match=f"district {i}$"):
                answer()
        else:
            assert answer() == i


def test_an_answer_that_does_not_pickle_is_worked_on_here(meet: Meeting) -> None:
    def work(i: int) -> Callable[[], tuple[int, bool]]:
        worker = meet.in_worker()
        return lambda: (i, worker)  # a closure: pickle refuses it

    assert [answer()() for answer in map_items(work, ITEMS, size=_one)] == [(i, False) for i in ITEMS]


def test_a_worker_that_dies_leaves_its_items_to_the_parent(meet: Meeting) -> None:
    def work(i: int) -> int:
        if meet.in_worker():
            os._exit(3)  # the worker vanishes mid-way
        return i

    assert _take(map_items(work, ITEMS, size=_one)) == ITEMS


def test_the_largest_items_are_taken_first_and_no_fork_means_the_parent_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "2")

    def no_fork(*args: object) -> None:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "_Worker", no_fork)
    sizes = [1, 50, 2, 40, 3]
    taken: list[int] = []
    assert _take(map_items(lambda i: taken.append(i) or i, range(5), size=lambda i: sizes[i])) == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert taken == [1, 3, 4, 2, 0]


def test_little_work_is_done_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFETY_PLAN_JOBS", raising=False)
    monkeypatch.setattr(parallel, "_cpus", lambda: 2)
    # The first item takes no time by this clock: a busy machine pausing the test for 20 ms
    # during it would otherwise make the rest look worth a fork.
    monkeypatch.setattr(parallel, "time", SimpleNamespace(perf_counter=lambda: 0.0))
    monkeypatch.setattr(parallel, "_Worker", lambda *args: pytest.fail("forked for little work"))
    assert _take(map_items(lambda i: i, ITEMS, size=_one)) == ITEMS


def test_one_job_is_sequential_and_a_bad_value_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "1")
    called: list[int] = []
    answers = map_items(lambda i: called.append(i) or i, ITEMS, size=_one)
    assert called == []  # nothing before its turn
    assert _take(answers) == ITEMS and called == ITEMS
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "two")
    with pytest.raises(UsageError, match="SAFETY_PLAN_JOBS: 'two' is not a number of processes"):
        map_items(lambda i: i, ITEMS, size=_one)


def test_work_worth_a_fork_gets_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFETY_PLAN_JOBS", raising=False)
    monkeypatch.setattr(parallel, "_cpus", lambda: 2)
    forked: list[int] = []
    real = parallel._Worker

    def counted(*args: object) -> object:
        forked.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "_Worker", counted)
    # The first item, timed, says the other three would take 0.24 s: more than a fork costs.
    assert _take(map_items(lambda i: time.sleep(0.08) or i, range(4), size=_one)) == [0, 1, 2, 3]
    assert forked == [1]


def test_what_a_fork_would_save_is_what_the_parent_would_not_do() -> None:
    assert parallel._gain([0.1, 0.1, 0.1, 0.1], 2) == pytest.approx(0.2)  # half of it
    assert parallel._gain([0.15, 0.003, 0.003], 2) == pytest.approx(0.006)  # the heaviest waits
    assert parallel._gain([0.1], 2) == 0.0
    assert parallel._gain([], 2) == 0.0


def test_one_heavy_item_among_light_ones_is_not_worth_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """One district corrected among a few: the parent would read the others' kept answers in
    less time than a fork costs, so the heavy one is worked on here."""
    monkeypatch.delenv("SAFETY_PLAN_JOBS", raising=False)
    monkeypatch.setattr(parallel, "_cpus", lambda: 2)
    monkeypatch.setattr(parallel, "_Worker", lambda *args: pytest.fail("forked for one heavy item"))
    # The lightest takes 3 ms by this clock (a busy machine cannot stretch it): the heavy one,
    # 50 times its size, would take 150 ms, but the parent would save only the other two's 6 ms.
    clock = iter([0.0, 0.003])
    monkeypatch.setattr(parallel, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    sizes = [50, 1, 1, 1]
    assert _take(map_items(lambda i: i, range(4), size=lambda i: sizes[i])) == [0, 1, 2, 3]


def test_the_lightest_is_timed_and_a_district_to_build_again_goes_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Timed on the lightest item, the decision to fork comes before the heaviest starts: a
    district whose plan is built again (weighed ``TO_BUILD`` times, ``District.opening_work``) then runs
    beside the others instead of before them."""
    monkeypatch.delenv("SAFETY_PLAN_JOBS", raising=False)
    monkeypatch.setattr(parallel, "_cpus", lambda: 2)
    started: list[int] = []

    def no_fork(*args: object) -> None:
        started.append(-1)  # the fork comes here, in this order
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "_Worker", no_fork)
    sizes = [10, 100, 20]
    work = lambda i: started.append(i) or time.sleep(0.08) or i  # noqa: E731
    assert _take(map_items(work, range(3), size=lambda i: sizes[i])) == [0, 1, 2]
    assert started == [0, -1, 1, 2]


def test_a_district_newer_than_its_cached_plan_weighs_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from cli_support import private_cache_and_key
    from conftest import REPO
    from safety_plan.city.districts import TO_BUILD, District
    from safety_plan.opening import open_plan

    private_cache_and_key(monkeypatch, tmp_path)
    data = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", data)
    district = District("demo", "崇明区", data, "demo")
    assert district.opening_work() == TO_BUILD * district.data_bytes()  # nothing cached yet
    open_plan(data, "demo")
    assert district.opening_work() == district.data_bytes()
    month = data / "progress" / "2025-06.yaml"
    later = time.time() + 60  # edited after the plan was cached
    os.utime(month, (later, later))
    assert district.opening_work() == TO_BUILD * district.data_bytes()
    for entry in (tmp_path / "cache").glob("*.cache"):  # the plan kept two minutes before
        os.utime(entry, (later - 180, later - 180))
    os.utime(month, (later - 120, later - 120))
    assert district.opening_work() == TO_BUILD * district.data_bytes()
    from safety_plan.opening.answers import answered

    answered(data, "demo", "test", (), lambda opened: len(opened.plan().obligations))
    assert district.opening_work() == district.data_bytes(), "an answer kept since counts as cached"
