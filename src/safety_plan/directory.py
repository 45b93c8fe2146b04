"""The one place that resolves aliases and expands groups into units.

Every other module (rules, the as-of engine, the queries, the reports) asks this directory
what a name in the data means, so "团区委" and "区团委" or "各乡镇" mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from safety_plan.models import Group, Unit


@dataclass
class UnitDirectory:
    units: dict[str, Unit]
    groups: dict[str, Group]
    _canonical: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _expanded: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            self._canonical.setdefault(unit.id, unit.id)
            for alias in unit.aliases:
                self._canonical.setdefault(alias, unit.id)
        for group in self.groups.values():
            self._canonical.setdefault(group.id, group.id)
            for alias in group.aliases:
                self._canonical.setdefault(alias, group.id)

    # --- names ---------------------------------------------------------------------

    def resolve(self, name: str) -> str | None:
        """The unit or group ID that ``name`` (an ID or an alias) stands for."""
        return self._canonical.get(name)

    def names(self) -> list[str]:
        """Every ID and alias, for completion and suggestions."""
        return list(self._canonical)

    def canonical_names(self) -> dict[str, str]:
        """Every ID and alias → the unit or group ID it stands for."""
        return dict(self._canonical)

    # --- expansion -----------------------------------------------------------------

    def expand(self, name: str) -> tuple[str, ...]:
        """The unit IDs that ``name`` stands for: itself, or a group's members, recursively.

        Unknown names and group cycles expand to nothing; the rules report them.
        """
        canonical = self.resolve(name)
        if canonical is None:
            return ()
        if canonical in self._expanded:
            return self._expanded[canonical]
        result = tuple(dict.fromkeys(self._walk(canonical, set())))
        self._expanded[canonical] = result
        return result

    def expand_all(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u for name in names for u in self.expand(name)))

    def _walk(self, canonical: str, seen: set[str]) -> Iterable[str]:
        if canonical in self.units:
            yield canonical
            return
        if canonical in seen:
            return
        seen.add(canonical)
        for member in self.groups[canonical].members:
            resolved = self.resolve(member)
            if resolved is not None:
                yield from self._walk(resolved, seen)

    def groups_containing(self, unit_id: str) -> list[str]:
        """The groups (by ID) whose expansion includes ``unit_id``."""
        return [g for g in self.groups if unit_id in self.expand(g)]
