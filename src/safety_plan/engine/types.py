"""The engine's plain value types: no Pydantic, so a cached plan loads in milliseconds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from safety_plan.vocabulary import Status

PLAN_LEVEL_TITLE = "方案层面：目标、子方案、工作机制"
"""The row for items that belong to a plan as a whole (its goals, sub-plans, mechanisms)."""


@dataclass(frozen=True, order=True)
class Window:
    start: dt.date
    end: dt.date
    label: str
    """``2025-06``, ``2025Q2``, ``2025H1`` or ``2025``."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@dataclass(frozen=True)
class DueChange:
    """An approved move of a deadline: from ``approved`` on, it is due on ``due``."""

    due: dt.date
    approved: dt.date
    approval: str
    reason: str | None = None


class Kind(StrEnum):
    deadline = "deadline"
    recurring = "recurring"


def _by_tuple_new(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """How a named tuple is pickled: ``tuple.__new__(cls, fields)``, a call in C. The default
    (``cls.__new__(cls, *fields)``) runs the named tuple's ``__new__``, written in Python,
    once per object: at a district's 9,000 obligations and items, a third of the time an
    edited month's run takes to unpickle the plan's parts."""
    return (tuple.__new__, (type(value), tuple(value)))


class Obligation(NamedTuple):
    """A deadline, or one occurrence of a recurring duty, held by one unit.

    A named tuple, not a dataclass, as ``Reported`` is: a city's cached plan holds ~30,000
    obligations and ~100,000 reported items, and tuples unpickle several times faster than
    dataclass instances (the warm query's budget)."""

    ref: str
    """The deadline or recurring duty ID."""
    kind: Kind
    plan: str
    measure: str | None
    section: int | None
    number: int | None
    """The measure's number in its plan (None for a plan-level item)."""
    unit: str
    """The holder: a unit ID, or for a joint item led by a group, the group's ID."""
    closers: frozenset[str]
    """Units whose report can close it: the holder alone for ``each``, every owner when joint."""
    due: dt.date
    what: str
    phrase: str
    window: Window | None = None
    """For a recurring occurrence: the window a ``done`` date must fall in."""
    met_by_report: bool = False
    changes: tuple[DueChange, ...] = ()
    """A deadline's approved moves, oldest first; ``due`` is then the day in force as of the
    snapshot's day (see ``asof.Snapshot.obligations``)."""
    original_due: dt.date | None = None
    """Set on a moved deadline as of a day when a change is in force: the ``due`` it had."""

    def due_as_of(self, day: dt.date) -> dt.date:
        """The due day in force on ``day``: the latest change approved on or before it."""
        due = self.original_due or self.due
        for change in self.changes:
            if change.approved <= day:
                due = change.due
        return due

    @property
    def sort_key(self) -> tuple[dt.date, str, int, str, str]:
        return (self.due, self.plan, self.number or 0, self.ref, self.unit)

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_tuple_new(self)


class Reported(NamedTuple):
    """One progress item as a unit reported it."""

    unit: str
    submitted: dt.date
    status: Status
    done: dt.date | None
    note: str | None
    month: str
    """The month of the file it came in (``2025-06``): what a month edited later takes out."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_tuple_new(self)


@dataclass(frozen=True)
class PhaseSpan:
    id: str
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class SupervisionRule:
    """One escalation rule of ``rules.yaml``: when it fires, and what the office then does."""

    id: str
    action: str
    kind: str
    """``overdue_days``, ``missed_reports``, ``repeated`` or ``after``."""
    count: int
    """The kind's number: days overdue, reports missed, months fired, or days since."""
    target: str | None = None
    """For ``repeated`` and ``after``: the rule it builds on."""
    within: int | None = None
    """For ``repeated``: over how many months (this one included)."""
    points: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Supervision:
    """``rules.yaml`` as plain values: the lights, the escalation rules, the letters."""

    yellow_days: int = 30
    grace_days: int = 0
    rules: tuple[SupervisionRule, ...] = ()
    reply_days: int = 10
    sender: str = "区安委会办公室"


_DAYS: dict[dt.date, dt.date] = {}


def one_day(day: dt.date) -> dt.date:
    """The one object for ``day`` in this process. A plan refers to the same few hundred days
    tens of thousands of times; made of one object each, the cache writes each day once and
    unpickling a city's plans makes a third less work (one date object per day, not per use)."""
    return _DAYS.setdefault(day, day)


class MonthReports(NamedTuple):
    """One month file's reports, compiled (``compile.month_reports``): what the plan takes
    from that file alone, cached apart so an edited month is the only one compiled again."""

    month: str
    reports: tuple[tuple[str, dt.date], ...]
    """(unit, day its report came in), in the file's order."""
    items: tuple[tuple[str, Reported], ...]
    """(ref, item), in the file's order."""


@dataclass
class CompiledPlan:
    """Everything the as-of engine needs, already expanded: obligations, reports, phases."""

    obligations: list[Obligation]
    items: dict[str, list[Reported]]
    """Progress items by ref, in order of submission."""
    reports: dict[tuple[str, str], dt.date]
    """(month, unit) → the day that unit's report for that month came in."""
    phases: list[PhaseSpan]
    plans: dict[str, str] = field(default_factory=dict)
    """Plan ID → short name."""
    sections: dict[tuple[str, int], str] = field(default_factory=dict)
    """(plan, section) → the section's label and title."""
    names: dict[str, str] = field(default_factory=dict)
    """Every unit or group ID and alias → its canonical ID."""
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every unit or group ID → the unit IDs it stands for."""
    refs: dict[str, str] = field(default_factory=dict)
    """Every measure, deadline and duty ID → its kind (``measure``, ``deadline``, ``recurring``)."""
    supervision: Supervision = field(default_factory=Supervision)
    measure_titles: dict[str, str] = field(default_factory=dict)
    """Measure ID → its short title (for the clause a letter cites)."""

    def section_keys(self) -> list[tuple[str, int | None]]:
        """Every (plan, section) in report order: each plan's sections, then its plan-level
        items (section None). The one order status, the bulletin and the gantt chart share."""
        keys: list[tuple[str, int | None]] = []
        for plan_id in self.plans:
            keys.extend(key for key in self.sections if key[0] == plan_id)
            keys.append((plan_id, None))
        return keys

    def section_title(self, plan_id: str, section: int | None) -> str:
        return self.sections[(plan_id, section)] if section is not None else PLAN_LEVEL_TITLE

    @cached_property
    def reported_by(self) -> dict[tuple[str, str], list[Reported]]:
        """Progress items by (ref, unit), in order of submission: each obligation looks up
        its own units' items instead of scanning every unit's."""
        index: dict[tuple[str, str], list[Reported]] = {}
        for ref, entries in self.items.items():
            for entry in entries:
                index.setdefault((ref, entry.unit), []).append(entry)
        return index

    def knowing(self, closed_from: list[dt.date | None]) -> CompiledPlan:
        """This plan, its ``closed_from`` already worked out (``compile.with_months_replaced``
        patches the one a cached plan was stored with)."""
        self.__dict__["closed_from"] = closed_from
        return self

    @cached_property
    def closed_from(self) -> list[dt.date | None]:
        """For each of ``obligations`` (same order), the first as-of day from which it is closed
        for good (see ``asof.closing_days``); stored with the plan like ``reported_by``, so that
        ``overdue`` evaluates only the obligations still open instead of every one due."""
        from safety_plan.engine.asof import closing_days

        return closing_days(self)
