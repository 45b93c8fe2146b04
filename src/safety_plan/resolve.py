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
from safety_plan.suggest import did_you_mean

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan


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
            raise UsageError(f"{option}: unknown unit '{value}'{did_you_mean(value, self.names)}")
        return canonical

    def plan(self, value: str, option: str = "--plan") -> str:
        chosen = value.strip()
        if chosen not in self.plans:
            raise UsageError(f"{option}: unknown plan '{value}'{did_you_mean(value, self.plans)}")
        return chosen

    def measure(self, value: str, option: str = "--measure") -> str:
        chosen = value.strip()
        if self.refs.get(chosen) != "measure":
            pool = [ref for ref, kind in self.refs.items() if kind == "measure"]
            raise UsageError(f"{option}: unknown measure '{value}'{did_you_mean(value, pool)}")
        return chosen

    def ref_or_unit(self, value: str, option: str = "ID") -> tuple[str, str]:
        """``(kind, canonical)`` for a measure, deadline, duty, unit or group ID."""
        chosen = value.strip()
        if chosen in self.refs:
            return self.refs[chosen], chosen
        if chosen in self.names:
            return "unit", self.names[chosen]
        pool = [*self.refs, *self.names]
        raise UsageError(f"{option}: unknown ID '{value}'{did_you_mean(value, pool)}")

    def optional_unit(self, value: str | None, option: str = "--unit") -> str | None:
        return None if value is None else self.unit(value, option)

    def optional_plan(self, value: str | None, option: str = "--plan") -> str | None:
        return None if value is None else self.plan(value, option)
