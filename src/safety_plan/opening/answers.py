"""A data set's answer to one query, kept under the data's fingerprint and the query itself.

A city's view is the roll-up of its districts' answers, and what a district answers to "what
is overdue as of 30 June" changes only when one of its files, or this code, changes. So the
view and payload a command renders are kept, one entry per command and data set, under the
whole data set's key and the query's arguments: the same query again reads that entry (some
kilobytes) instead of unpickling the compiled plan and evaluating it. Another query, or any
edited file, misses: the answer comes from the plan as before and is kept in its turn.

As exact as the plan's own entry: the key is the same digest of every file and the code, and
an answer is kept only if the files did not change while it was worked out. A refusal that
follows from the data and the arguments alone (``UsageError``: a ``--unit`` this district does
not have, which a city's query meets in every district but the unit's own) is kept the same
way and raised again; any other error (invalid data, a failure) is never kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from safety_plan.opening import Opening, cache
from safety_plan.problems import UsageError

T = TypeVar("T")

Argument = str | int | dt.date | None
"""What a query's arguments may be: plain values whose ``repr`` is the same in every run."""


@dataclass(frozen=True)
class Answer:
    """A kept answer (its key, in the entry's header, says to which query)."""

    value: object
    refusal: UsageError | None = None
    """Raised instead of answering."""

    def given(self) -> object:
        """The value, or the refusal raised."""
        if self.refusal is not None:
            raise self.refusal
        return self.value


def answered(
    data_dir: Path,
    shown: str,
    command: str,
    arguments: tuple[Argument, ...],
    compute: Callable[[Opening], T],
) -> T:
    """``compute(opening)`` for the data set being opened (it takes the plan, or the dataset
    and the plan, from it), or the answer kept for the same ``command`` and ``arguments``
    while neither the files nor the code changed."""
    opening = Opening(data_dir, shown)
    key = f"{opening.key}\0{arguments!r}" if opening.key else ""
    if key:
        kept = cache.load(data_dir, key, Answer, slot=command)
        if kept is not None:
            return cast(T, kept.given())
    try:
        answer = Answer(compute(opening))
    except UsageError as refusal:
        answer = Answer(None, refusal)
    if key and opening.fresh():
        cache.store(data_dir, key, answer, slot=command)
    return cast(T, answer.given())
