"""IDs and names are unique: across files for measures, deadlines and duties (a progress
item's ``ref`` may name any of them), and across units, groups and aliases."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.models import Group, Unit
from safety_plan.problems import Problem
from safety_plan.rules import problem, rule


@rule("duplicate-id", "IDs are unique across files; unit, group and alias names are unique")
def duplicate_ids(dataset: Dataset) -> Iterator[Problem]:
    first: dict[str, object] = {}

    def clash(obj: object, name: str, *path: str | int, what: str) -> Iterator[Problem]:
        if name in first:
            where = dataset.origin(first[name])
            at = ""
            if where is not None:
                pos = where.position()
                at = f" (first at {where.path}:{pos.line})"
            yield problem(dataset, obj, *path, message=f"duplicate {what} '{name}'{at}")
        else:
            first[name] = obj

    for plan in dataset.measures_file.plans:
        yield from clash(plan, plan.id, "id", what="plan ID")
    for measure in dataset.measures_file.measures:
        yield from clash(measure, measure.id, "id", what="ID")
    for deadline in dataset.schedule_file.deadlines:
        yield from clash(deadline, deadline.id, "id", what="ID")
    for duty in dataset.schedule_file.recurring:
        yield from clash(duty, duty.id, "id", what="ID")
    for phase in dataset.phases:
        yield from clash(phase, phase.id, "id", what="phase ID")
    first.clear()
    for unit in dataset.units_file.units:
        yield from clash(unit, unit.id, "id", what="unit name")
        for i, alias in enumerate(unit.aliases):
            yield from clash(unit, alias, "aliases", i, what="unit name")
    for group in dataset.units_file.groups:
        yield from clash(group, group.id, "id", what="unit name")
        for i, alias in enumerate(group.aliases):
            yield from clash(group, alias, "aliases", i, what="unit name")


def look_alike(name: str) -> str:
    """What ``name`` looks like on paper: full-width and half-width forms folded (``（`` and
    ``(``, ``Ａ`` and ``A``), case and blanks (a no-break or ideographic space) ignored."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


@rule(
    "confusable-name",
    "no two units' or groups' names (aliases included) differ only by width, case or blanks",
)
def confusable_names(dataset: Dataset) -> Iterator[Problem]:
    first: dict[str, tuple[str, object]] = {}
    named: list[tuple[object, str, tuple[str | int, ...]]] = []
    owners: list[Unit | Group] = [*dataset.units_file.units, *dataset.units_file.groups]
    for owner in owners:
        named.append((owner, owner.id, ("id",)))
        named.extend((owner, alias, ("aliases", i)) for i, alias in enumerate(owner.aliases))
    for obj, name, path in named:
        seen = first.setdefault(look_alike(name), (name, obj))
        if seen[0] != name and seen[1] is not obj:  # one unit may list its own variants as aliases
            where = dataset.origin(seen[1])
            at = f" (at {where.path}:{where.position().line})" if where is not None else ""
            yield problem(
                dataset,
                obj,
                *path,
                message=f"unit name '{name}' looks the same as '{seen[0]}'{at}: "
                "they differ only by full-width or half-width forms, case or blanks",
            )
