"""A city's districts on every core: the same answers as one after another, sooner.

Each district is opened and evaluated on its own, so districts can be worked on at once. On
Linux (``os.fork``) the parent forks a worker per further core and works too; each process
takes the next district from one queue (heaviest first, by bytes of data, and more for a
district whose files changed since its plan was cached), so a process that
the machine's other work slows down takes fewer districts instead of holding up the rest.
A worker sends its answers back pickled through a pipe: the pipe is made by this process
for its own child and no other process holds it, so what it carries is not from "a place
others can write", and unpickling it runs nothing but what our own code put there.

The answers are exactly the sequential ones: the caller takes them in district order, and a
district whose worker failed (an exception, an answer that does not pickle, a worker that
died) is worked on again in the parent at its turn, so its real error surfaces as it would
have. Exceptions the caller expects (``UsageError``: a ``--unit`` some districts lack)
travel back as they are instead, sparing the parent that work.

Sequential where parallel does not pay: one CPU, not Linux, another thread running (a fork
copies only the calling thread), one district, or little to gain, judged from the time the
lightest district took (``MIN_GAIN_SECONDS``), as for a few districts' warm queries or one
corrected district among a few.
``SAFETY_PLAN_JOBS=N`` sets the number of processes, the parent included, without timing
(1: one district after another).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, NoReturn, TypeVar

from safety_plan.problems import UsageError

T = TypeVar("T")
R = TypeVar("R")

Answer = Callable[[], R]
"""One item's answer: calling it returns the answer or raises what working on the item raised."""

JOBS_VARIABLE = "SAFETY_PLAN_JOBS"
FORKS = sys.platform.startswith("linux")
"""Linux only: macOS has ``fork`` but its system libraries may not survive one (Python's own
``multiprocessing`` stopped forking there), and Windows has none."""
MIN_GAIN_SECONDS = 0.04
"""Fork only when the other processes would save the parent this long: the work left, less
what the parent would still do (the heaviest item, or its even share, whichever is longer).
A fork, the pages it then copies and the answers' way back cost the parent about 20 ms, and
the first district's time, which includes first-use costs, is up to twice a later one's, so
the estimate is generous. Measured (README's "City scale"): a warm query gains nothing from a
worker at 4 districts; after one district's correction, a worker that takes it while the
parent reads the others' kept answers costs more than it saves at 4 districts (the others
take 10 ms) and saves 35 ms at 16."""


def map_items(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    size: Callable[[T], int],
    expected: tuple[type[Exception], ...] = (UsageError,),
) -> list[Answer[R]]:
    """Each item's answer, in order: call each in turn, as the sequential loop would have
    called ``work``. ``size`` weighs an item (its data's bytes, more for a district whose
    plan must be built again): the lightest is worked on first, here, and timed, to judge
    from it whether the rest is worth a fork (unless ``SAFETY_PLAN_JOBS`` says how many
    processes); the rest are taken heaviest first, so that a district to be built again starts
    at once, on its own core, and the last ones, which one process finishes while the others
    wait, are small."""
    answers: list[Answer[R]] = [_later(work, item) for item in items]  # until worked on
    count, forced = jobs(len(items))
    if count < 2:
        return answers
    sizes = [size(item) for item in items]
    order = sorted(range(len(items)), key=lambda i: (-sizes[i], i))
    if not forced:
        first = order.pop()  # the lightest: the heaviest (a district to build again) waits for the fork
        started = time.perf_counter()
        answers[first] = _here(work, items[first])
        took = time.perf_counter() - started
        seconds = [took * sizes[i] / sizes[first] if sizes[first] else took for i in order]
        if _gain(seconds, count) < MIN_GAIN_SECONDS:
            return answers
    queue = _queue(order)
    if queue is None:
        return answers
    workers: list[_Worker[T, R]] = []
    try:
        for _ in range(count - 1):
            try:
                workers.append(_Worker(work, items, queue, expected))
            except OSError:  # no more processes to be had: fewer hands
                break
        for index in _taken(queue):
            answers[index] = _here(work, items[index])
        for worker in workers:
            for index, answer in worker.answers().items():
                answers[index] = answer
    finally:
        os.close(queue)
        for worker in workers:  # interrupted: no worker outlives the command
            worker.stop()
    return answers


def _gain(seconds: list[float], count: int) -> float:
    """What ``count`` processes would save one on items taking ``seconds`` each: one
    process's total, less the heaviest item or an even share, whichever is longer."""
    total = sum(seconds)
    return total - max(max(seconds, default=0.0), total / count)


def jobs(count: int) -> tuple[int, bool]:
    """How many processes may work on ``count`` items, and whether ``SAFETY_PLAN_JOBS``
    said so (else it is one per CPU, if the work proves worth it)."""
    wanted = os.environ.get(JOBS_VARIABLE, "").strip()
    chosen = 0
    if wanted:
        with contextlib.suppress(ValueError):
            chosen = int(wanted)
        if chosen < 1:
            raise UsageError(
                f"{JOBS_VARIABLE}: '{wanted}' is not a number of processes (1: one district after another; 2 …)"
            )
    if count < 2 or chosen == 1 or not FORKS or threading.active_count() > 1:
        return 1, bool(chosen)
    return min(chosen or _cpus(), count), bool(chosen)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_INDEX = 4
"""Bytes of one item's index in the queue."""


def _queue(order: list[int]) -> int | None:
    """A pipe holding the items' indices in the order to take them, its writing end closed:
    each process takes the next index with one read (atomic on a pipe), until none is left.
    None if they do not all fit in the pipe at once (thousands of items)."""
    readable, writable = os.pipe()
    data = b"".join(i.to_bytes(_INDEX, "big") for i in order)
    try:
        os.set_blocking(writable, False)
        written = os.write(writable, data)
    except BlockingIOError:
        written = 0
    finally:
        os.close(writable)
    if written != len(data):
        os.close(readable)
        return None
    return readable


def _taken(queue: int) -> Iterator[int]:
    """The indices this process takes from the queue until it is empty."""
    while len(raw := os.read(queue, _INDEX)) == _INDEX:
        yield int.from_bytes(raw, "big")


def _later(work: Callable[[T], R], item: T) -> Answer[R]:
    return lambda: work(item)


def _known(value: R) -> Answer[R]:
    return lambda: value


def _raising(error: BaseException) -> Answer[R]:
    def answer() -> R:
        raise error

    return answer


def _here(work: Callable[[T], R], item: T) -> Answer[R]:
    """Worked on now, in the parent, while the workers work: the answer, or the error kept
    for its turn (an interruption is not kept: it stops everything now)."""
    try:
        return _known(work(item))
    except Exception as exc:
        return _raising(exc)


_OK, _RAISED = "ok", "raised"


class _Worker(Generic[T, R]):
    """A forked process taking items from the queue and sending its answers back."""

    def __init__(
        self, work: Callable[[T], R], items: Sequence[T], queue: int, expected: tuple[type[Exception], ...]
    ) -> None:
        readable, writable = os.pipe()
        gc.freeze()  # what the parent built stays shared: no collection in the child writes to it
        try:
            pid = os.fork()
        except OSError:
            os.close(readable)
            os.close(writable)
            raise
        if pid == 0:
            os.close(readable)
            _work_and_exit(work, items, queue, expected, writable)
        os.close(writable)
        self.pid: int | None = pid
        self.pipe: int | None = readable

    def answers(self) -> dict[int, Answer[R]]:
        """The worker's answers by item, once it is done; an item it took but did not answer
        is left out (the parent works on it at its turn)."""
        assert self.pipe is not None
        with os.fdopen(self.pipe, "rb") as reader:
            self.pipe = None
            raw = reader.read()
        self.stop(wait=True)
        try:
            sent = pickle.loads(raw)  # from our own child through our own pipe: see the docstring
        except Exception:  # the worker died before it sent everything
            return {}
        answers: dict[int, Answer[R]] = {}
        for index, one in sent.items():
            answer: Answer[R] | None = _answer(one)
            if answer is not None:
                answers[index] = answer
        return answers

    def stop(self, *, wait: bool = False) -> None:
        """The process reaped (killed first if it still runs, unless ``wait``) and its pipe
        closed."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.pid is not None:
            pid, self.pid = self.pid, None
            if not wait:
                if os.waitpid(pid, os.WNOHANG) != (0, 0):
                    return  # it had ended: now reaped
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _work_and_exit(
    work: Callable[[T], R], items: Sequence[T], queue: int, expected: tuple[type[Exception], ...], pipe: int
) -> NoReturn:
    """The child: answer, send, and leave without running the parent's exit handlers or
    flushing its buffers (what the parent has yet to print is printed once, by the parent)."""
    status = 1
    try:
        sent: dict[int, bytes | None] = {}
        for index in _taken(queue):
            try:
                sent[index] = _pickled((_OK, work(items[index])))
            except expected as exc:
                sent[index] = _pickled((_RAISED, exc))
            except Exception:
                sent[index] = None  # the parent works on it again and raises the real error
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)


def _pickled(answer: tuple[str, object]) -> bytes | None:
    try:
        return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # does not pickle: the parent works on it again
        return None


def _answer(one: bytes | None) -> Answer[R] | None:
    if one is None:
        return None
    try:
        kind, value = pickle.loads(one)
    except Exception:  # pickled, but does not unpickle: the parent works on it again
        return None
    return _raising(value) if kind == _RAISED else _known(value)
