"""A deadline's or duty's owners stay within its measure's owners, unless its note says why.

An item that names its own ``owners`` usually narrows its measure's (one bureau of several,
the towns of a measure that also binds departments). An owner outside the measure's is either
a mistake in one of the two lists or a deliberate reading; either way the two disagree
about who answers for the measure, and the reader deserves to know which. So such an owner
draws a warning unless the item's note names it (as written, by its ID or an alias) and says
it lies outside: "不在本措施责任单位……" or "……本措施责任单位之外".

Groups are compared by their members (``各乡镇`` inside a measure that lists ``各乡镇`` is
fine; ``区属企业`` inside a measure that lists only ``区安委会各成员单位`` is not).
"""

from __future__ import annotations

from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.directory import UnitDirectory
from safety_plan.models import Deadline, Recurring
from safety_plan.problems import Level, Problem
from safety_plan.rules import problem, rule

OUTSIDE_WORDS = ("不在本措施责任单位", "本措施责任单位之外")
"""How a note says that an owner lies outside its measure's owners."""


def _units(directory: UnitDirectory, name: str) -> set[str]:
    """What ``name`` stands for: its units, or the group itself when it has no members."""
    canonical = directory.resolve(name)
    if canonical is None:
        return set()
    return set(directory.expand(canonical)) or {canonical}


def _names_of(dataset: Dataset, name: str) -> set[str]:
    """Every way to write ``name``: as written, its ID, its aliases."""
    canonical = dataset.directory.resolve(name) or name
    named = dataset.units.get(canonical) or dataset.groups.get(canonical)
    return {name, canonical, *(named.aliases if named is not None else [])}


def says_why(dataset: Dataset, note: str | None, owner: str) -> bool:
    """Whether ``note`` names ``owner`` and says it lies outside the measure's owners."""
    if not note or not any(words in note for words in OUTSIDE_WORDS):
        return False
    return any(name in note for name in _names_of(dataset, owner))


def outside_owners(dataset: Dataset, item: Deadline | Recurring) -> list[tuple[int, str, int]]:
    """(position, owner as written, how many of its units) for each of the item's own owners
    that reaches beyond its measure's owners."""
    if not item.owners or item.measure is None or item.measure not in dataset.measures:
        return []
    directory = dataset.directory
    inside: set[str] = set()
    for owner in dataset.measures[item.measure].owners:
        inside |= _units(directory, owner)
    result = []
    for position, owner in enumerate(item.owners):
        beyond = _units(directory, owner) - inside
        if beyond:
            result.append((position, owner, len(beyond)))
    return result


@rule(
    "owners-outside-measure",
    "a deadline's or duty's owners lie within its measure's owners, or its note says why",
)
def owners_outside_measure(dataset: Dataset) -> Iterator[Problem]:
    for item in dataset.scheduled:
        for position, owner, count in outside_owners(dataset, item):
            if says_why(dataset, item.note, owner):
                continue
            is_unit = dataset.directory.resolve(owner) in dataset.units
            units = "" if is_unit else f" ({count} unit{'s' if count > 1 else ''} outside)"
            yield problem(
                dataset,
                item,
                "owners",
                position,
                message=f"owner '{owner}'{units} is not among measure {item.measure}'s owners: list it there, "
                f"or say why in the note (name it and write '{OUTSIDE_WORDS[0]}')",
                level=Level.warning,
            )
