"""The one resolver of what users type: units (and aliases, groups), plans and IDs.

Every command turns ``--unit``, ``--plan``, ``--measure`` and ``ID`` arguments into canonical
IDs here, so the same spelling is accepted everywhere and every mistake is refused the same
way: one line naming the argument, the value, and the nearest valid one. It works from a
compiled plan or a dataset alike (both know every name and ID).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safety_plan.problems import UsageError
from safety_plan.suggest import hint, nearest

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan


class UnknownName(UsageError):
    """A unit, plan or ID that is none of the known ones, with the nearest known one.

    The nearest is kept, not only worded: a city's query that no district can answer suggests
    the nearest over every district's names (``nearest_of``), as one district's suggests its own.
    """

    def __init__(
        self, option: str, noun: str, value: str, pool: Collection[str] | None, near: str | None = None
    ):
        self.option, self.noun, self.value = option, noun, value
        self.near = nearest(value, pool) if pool is not None else near
        super().__init__(f"{option}: unknown {noun} '{value}'{hint(self.near)}")

    def __reduce__(self) -> tuple[type[UnknownName], tuple[str, str, str, None, str | None]]:
        return (type(self), (self.option, self.noun, self.value, None, self.near))

    @classmethod
    def nearest_of(cls, refusals: list[UsageError]) -> UsageError | None:
        """One refusal for the same name refused by several data sets (a city's districts): its
        nearest over all of theirs. None unless every refusal is of that one option and name."""
        first = refusals[0] if refusals else None
        if not isinstance(first, UnknownName) or not all(
            isinstance(r, UnknownName)
            and (r.option, r.noun, r.value) == (first.option, first.noun, first.value)
            for r in refusals
        ):
            return None
        nears = [r.near for r in refusals if isinstance(r, UnknownName) and r.near]
        return cls(first.option, first.noun, first.value, nears)


@dataclass(frozen=True)
class Resolver:
    names: Mapping[str, str]
    """Every unit or group ID and alias → its canonical ID."""
    plans: Collection[str]
    refs: Mapping[str, str]
    """Every measure, deadline and duty ID → ``measure``, ``deadline`` or ``recurring``."""

    @classmethod
    def of_plan(cls, plan: CompiledPlan) -> Resolver:
        return cls(plan.names, list(plan.plans), plan.refs)

    @classmethod
    def of_dataset(cls, dataset: Dataset) -> Resolver:
        return cls(dataset.directory.canonical_names(), list(dataset.plans), dataset.ref_kinds)

    def unit(self, value: str, option: str = "--unit") -> str:
        """The canonical unit or group ID for ``value`` (an ID or an alias)."""
        canonical = self.names.get(value.strip())
        if canonical is None:
            raise UnknownName(option, "unit", value, list(self.names))
        return canonical

    def plan(self, value: str, option: str = "--plan") -> str:
        chosen = value.strip()
        if chosen not in self.plans:
            raise UnknownName(option, "plan", value, self.plans)
        return chosen

    def measure(self, value: str, option: str = "--measure") -> str:
        chosen = value.strip()
        if self.refs.get(chosen) != "measure":
            pool = [ref for ref, kind in self.refs.items() if kind == "measure"]
            raise UnknownName(option, "measure", value, pool)
        return chosen

    def ref_or_unit(self, value: str, option: str = "ID") -> tuple[str, str]:
        """``(kind, canonical)`` for a measure, deadline, duty, unit or group ID."""
        chosen = value.strip()
        if chosen in self.refs:
            return self.refs[chosen], chosen
        if chosen in self.names:
            return "unit", self.names[chosen]
        pool = [*self.refs, *self.names]
        raise UnknownName(option, "ID", value, pool)

    def optional_unit(self, value: str | None, option: str = "--unit") -> str | None:
        return None if value is None else self.unit(value, option)

    def optional_plan(self, value: str | None, option: str = "--plan") -> str | None:
        return None if value is None else self.plan(value, option)
