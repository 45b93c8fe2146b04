"""Who owns what: a unit's measures (as lead, as support, via a group) and a measure's units.

Pure functions over a ``Dataset``; the ``owners``, ``list``, ``units`` and ``show`` commands,
the task lists and the responsibility matrix all read responsibility through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safety_plan.dataset import Dataset
from safety_plan.models import Measure


@dataclass
class UnitRoles:
    unit: str
    lead: list[str] = field(default_factory=list)
    """Measures whose first owner is this unit (or this group)."""
    support: list[str] = field(default_factory=list)
    """Measures naming this unit (or group) among the supporting owners."""
    via_group: dict[str, list[str]] = field(default_factory=dict)
    """Group → measures this unit holds because the group is an owner."""

    @property
    def all(self) -> list[str]:
        seen = dict.fromkeys([*self.lead, *self.support])
        for measures in self.via_group.values():
            seen.update(dict.fromkeys(measures))
        return list(seen)


def unit_roles(dataset: Dataset, unit: str) -> UnitRoles:
    """The measures ``unit`` (a canonical unit or group ID) owns, and how."""
    directory = dataset.directory
    roles = UnitRoles(unit)
    for measure in dataset.measures_file.measures:
        for position, owner in enumerate(measure.owners):
            canonical = directory.resolve(owner)
            if canonical == unit:
                (roles.lead if position == 0 else roles.support).append(measure.id)
            elif canonical in dataset.groups and unit in directory.expand(canonical):
                roles.via_group.setdefault(canonical, []).append(measure.id)
    for measures in roles.via_group.values():
        measures[:] = list(dict.fromkeys(measures))
    return roles


@dataclass(frozen=True)
class Owner:
    id: str
    """As written in the data."""
    canonical: str
    role: str
    """``lead`` (牵头) or ``support`` (配合)."""
    is_group: bool
    members: tuple[str, ...]


def measure_owners(dataset: Dataset, measure: Measure) -> list[Owner]:
    directory = dataset.directory
    result = []
    for position, owner in enumerate(measure.owners):
        canonical = directory.resolve(owner) or owner
        result.append(
            Owner(
                owner,
                canonical,
                "lead" if position == 0 else "support",
                canonical in dataset.groups,
                directory.expand(canonical),
            )
        )
    return result


def measures_for(
    dataset: Dataset, *, plan: str | None = None, section: int | None = None, unit: str | None = None
) -> list[Measure]:
    """Measures in document order, filtered by plan, section and owning unit (any role)."""
    owned = set(unit_roles(dataset, unit).all) if unit is not None else None
    return [
        m
        for m in dataset.measures_file.measures
        if (plan is None or m.plan == plan)
        and (section is None or m.section == section)
        and (owned is None or m.id in owned)
    ]


@dataclass(frozen=True)
class Holding:
    """How one unit holds one measure: its role and, when through a group, which group."""

    role: str
    """``lead`` (牵头) or ``support`` (配合): the owner's position in the measure's owners."""
    group: str | None = None


def unit_holdings(dataset: Dataset, measure: Measure) -> dict[str, Holding]:
    """Every unit that owns ``measure`` → how: named directly wins over a group, and among
    groups the first one named. The task lists and the responsibility matrix (任务分工表)
    read a unit's cell through here, so both say the same thing."""
    owners = measure_owners(dataset, measure)
    cells: dict[str, Holding] = {}
    for owner in owners:
        if not owner.is_group:
            cells.setdefault(owner.canonical, Holding(owner.role))
    for owner in owners:
        if owner.is_group:
            for member in owner.members:
                cells.setdefault(member, Holding(owner.role, owner.canonical))
    return cells
