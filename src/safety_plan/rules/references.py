"""Every unit or group name used anywhere must exist (aliases resolved)."""

from __future__ import annotations

from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.month_checks import dropped_findings, unknown_unit, unknown_unit_findings
from safety_plan.problems import Problem
from safety_plan.rules import dropped, located, problem, rule


def _names(dataset: Dataset) -> Iterator[tuple[object, tuple[str | int, ...], str]]:
    """(object, path inside it, name) for every unit reference in the plan's files (the
    month files' are ``month_checks``')."""
    for measure in dataset.measures_file.measures:
        for i, owner in enumerate(measure.owners):
            yield measure, ("owners", i), owner
    for deadline in dataset.schedule_file.deadlines:
        for i, owner in enumerate(deadline.owners or []):
            yield deadline, ("owners", i), owner
    for duty in dataset.schedule_file.recurring:
        for i, owner in enumerate(duty.owners or []):
            yield duty, ("owners", i), owner
    for group in dataset.units_file.groups:
        for i, member in enumerate(group.members):
            yield group, ("members", i), member
    for domain in dataset.domains:
        for i, lead in enumerate(domain.leads):
            yield domain, ("leads", i), lead
    wg = dataset.working_group
    if wg is not None:
        for i, person in enumerate(wg.members):
            if person.unit is not None:
                yield wg, ("members", i, "unit"), person.unit
        yield wg, ("office", "unit"), wg.office.unit
        for i, unit in enumerate(wg.office.deputy_units):
            yield wg, ("office", "deputy_units", i), unit
    for reference in dropped(dataset, *_UNIT_REFERENCES):
        yield reference, (reference.key,), reference.name


_UNIT_REFERENCES = (
    ("measures", None, "owners", None),
    ("deadlines", None, "owners", None),
    ("recurring", None, "owners", None),
    ("groups", None, "members", None),
    ("domains", None, "leads", None),
    ("working_group", "members", None, "unit"),
    ("working_group", "office", "unit"),
    ("working_group", "office", "deputy_units", None),
)
"""The same places in the items a schema error left out (the models' ``cross_references``)."""


@rule("unknown-unit", "every unit or group named in the data exists (aliases resolved)", reads_progress=True)
def unknown_units(dataset: Dataset) -> Iterator[Problem]:
    facts = dataset.reporting_facts
    for obj, path, name in _names(dataset):
        if dataset.directory.resolve(name) is None and name not in dataset.unchecked:
            yield problem(dataset, obj, *path, message=unknown_unit(name, facts))
    for progress in dataset.progress_files.values():
        yield from located(dataset, unknown_unit_findings(progress, facts))
    yield from located(dataset, dropped_findings("unit", dataset.dropped_references, facts))


@rule("group-members", "groups do not contain themselves, directly or through other groups")
def group_cycles(dataset: Dataset) -> Iterator[Problem]:
    directory = dataset.directory
    for group in dataset.units_file.groups:
        stack = [m for m in group.members]
        seen: set[str] = set()
        while stack:
            name = directory.resolve(stack.pop())
            if name is None or name in seen or name not in dataset.groups:
                continue
            if name == group.id:
                yield problem(dataset, group, "members", message=f"group '{group.id}' contains itself")
                break
            seen.add(name)
            stack.extend(dataset.groups[name].members)
