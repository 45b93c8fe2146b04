"""The engine's plain value types: no Pydantic, so a cached plan loads in milliseconds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from safety_plan.vocabulary import Status


@dataclass(frozen=True, order=True)
class Window:
    start: dt.date
    end: dt.date
    label: str
    """``2025-06``, ``2025Q2``, ``2025H1`` or ``2025``."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


class Kind(StrEnum):
    deadline = "deadline"
    recurring = "recurring"


@dataclass(frozen=True)
class Obligation:
    """A deadline, or one occurrence of a recurring duty, held by one unit."""

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

    @property
    def sort_key(self) -> tuple[dt.date, str, int, str, str]:
        return (self.due, self.plan, self.number or 0, self.ref, self.unit)


@dataclass(frozen=True)
class Reported:
    """One progress item as a unit reported it."""

    unit: str
    submitted: dt.date
    status: Status
    done: dt.date | None
    note: str | None


@dataclass(frozen=True)
class PhaseSpan:
    id: str
    name: str
    start: dt.date
    end: dt.date


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

    @cached_property
    def reported_by(self) -> dict[tuple[str, str], list[Reported]]:
        """Progress items by (ref, unit), in order of submission: each obligation looks up
        its own units' items instead of scanning every unit's."""
        index: dict[tuple[str, str], list[Reported]] = {}
        for ref, entries in self.items.items():
            for entry in entries:
                index.setdefault((ref, entry.unit), []).append(entry)
        return index
