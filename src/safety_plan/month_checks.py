"""The checks of one month file's reports, as pure functions over plain facts of the plan.

Two callers share them: the registered rules (``rules.progress``, ``rules.references``), which
locate each finding in its file for ``check``, and the run after one month was edited
(``opening.incremental``), which only needs to know whether the month has an error at all
and must not import Pydantic or the models to find out. So this module reads a month through
the attributes ``models.ProgressFile`` and ``loading.month_shape.MonthFile`` both have, and
the plan through ``ReportingFacts``, built once from a ``Dataset`` and cached with the plan's
unchanging part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, NamedTuple

from safety_plan.problems import Level
from safety_plan.suggest import did_you_mean
from safety_plan.vocabulary import Status

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Protocol

    from safety_plan.dataset import Dataset
    from safety_plan.loading.salvage import DroppedReference

    # What the checks read of a month, as types only: a Protocol class costs its import
    # more than the rest of this module, which the run after a correction imports.

    class ItemLike(Protocol):
        @property
        def ref(self) -> str: ...
        @property
        def status(self) -> Status: ...
        @property
        def done(self) -> dt.date | None: ...
        @property
        def note(self) -> str | None: ...

    class ReportLike(Protocol):
        @property
        def unit(self) -> str: ...
        @property
        def submitted(self) -> dt.date: ...
        @property
        def items(self) -> Sequence[ItemLike]: ...

    class MonthLike(Protocol):
        """A month file's values: ``models.ProgressFile`` or ``loading.month_shape.MonthFile``."""

        @property
        def month(self) -> str: ...
        @property
        def reports(self) -> Sequence[ReportLike]: ...


class Finding(NamedTuple):
    """A problem before it is located: the rule wrapper turns ``at`` (the month file, a
    report or an item) and its ``field`` into the file's line and column."""

    at: object
    field: str
    message: str
    level: Level = Level.error


class ReportingFacts(NamedTuple):
    """What the month checks need of the plan, as plain values (named tuples, as ``Finding``:
    made in a fraction of a dataclass's time by the run after an edit, which imports this)."""

    names: dict[str, str]
    """Every unit or group ID and alias → the ID it stands for, in the directory's order."""
    groups: dict[str, tuple[str, ...]]
    """Every group ID → the units it expands to."""
    owners: dict[str, tuple[str, ...]]
    """Every ref (deadlines, then duties, then measures) → its owners as written."""
    holders: dict[str, frozenset[str] | None]
    """Every ref → the units that hold it; None where an owner does not resolve."""
    unchecked: frozenset[str]
    """IDs and names the loader left out for schema errors (not reported again as unknown)."""


def reporting_facts(dataset: Dataset) -> ReportingFacts:
    """The facts of ``dataset``'s plan (its month files aside, but for their dropped names)."""
    directory = dataset.directory
    owners: dict[str, tuple[str, ...]] = {}
    holders: dict[str, frozenset[str] | None] = {}
    for ref in {**dataset.deadlines, **dataset.recurring, **dataset.measures}:
        written = _owners_as_written(dataset, ref)
        owners[ref] = written or ()
        unresolved = written is None or any(directory.resolve(o) is None for o in written)
        holders[ref] = None if unresolved else frozenset(directory.expand_all(owners[ref]))
    return ReportingFacts(
        names=directory.canonical_names(),
        groups={group: directory.expand(group) for group in dataset.groups},
        owners=owners,
        holders=holders,
        unchecked=frozenset(dataset.unchecked),
    )


def _owners_as_written(dataset: Dataset, ref: str) -> tuple[str, ...] | None:
    """A deadline's, duty's or measure's owners; None for an item without its own owners
    whose measure is unknown (a rule reports that measure)."""
    item = dataset.deadlines.get(ref) or dataset.recurring.get(ref)
    if item is None:
        return tuple(dataset.measures[ref].owners)
    if item.owners:
        return tuple(item.owners)
    measure = dataset.measures.get(item.measure) if item.measure is not None else None
    return tuple(measure.owners) if measure is not None else None


def month_findings(
    name: str, progress: MonthLike, facts: ReportingFacts, today: dt.date
) -> Iterator[Finding]:
    """Every finding of the four rules that read month files in one month file (named
    ``name``), but two files for the same month, which takes all of them to see."""
    yield from month_name_findings([(name, progress)])
    yield from report_findings(progress, facts, today)
    yield from holder_findings(progress, facts)
    yield from unknown_unit_findings(progress, facts)


def month_name_findings(files: Iterable[tuple[str, MonthLike]]) -> Iterator[Finding]:
    """progress-month: each file named after its month, one file per month."""
    seen: dict[str, str] = {}
    for path, progress in files:
        if PurePath(path).stem != progress.month:
            message = (
                f"month {progress.month} does not match the file name '{PurePath(path).name}' "
                f"(expected {progress.month}.yaml)"
            )
            yield Finding(progress, "month", message)
        if progress.month in seen:
            yield Finding(
                progress, "month", f"month {progress.month} is already reported in {seen[progress.month]}"
            )
        seen.setdefault(progress.month, path)


def report_findings(progress: MonthLike, facts: ReportingFacts, today: dt.date) -> Iterator[Finding]:
    """progress-report: one report per unit, not submitted in the future (after ``today``),
    refs that exist, 'done' dates given exactly for done items and not after the report."""
    refs = facts.owners
    year, month = map(int, progress.month.split("-"))
    month_start = dt.date(year, month, 1)
    reporters: dict[str, int] = {}
    for index, report in enumerate(progress.reports):
        unit = facts.names.get(report.unit)
        if unit is not None:
            if unit in reporters:
                message = f"'{report.unit}' already reported this month (report {reporters[unit] + 1})"
                yield Finding(report, "unit", message)
            else:
                reporters[unit] = index
        if report.submitted < month_start:
            message = f"submitted {report.submitted}, before the month it reports on ({progress.month})"
            yield Finding(report, "submitted", message, Level.warning)
        if report.submitted > today:  # a typo (2099): every as-of day would ignore the report
            yield Finding(report, "submitted", f"submitted {report.submitted}, which is in the future")
        for item in report.items:
            # ``in refs`` first: a known ref, nearly every one, costs no call
            if item.ref not in refs and (found := unknown_ref(item, item.ref, facts)) is not None:
                yield found
            if item.status is Status.done and item.done is None:
                yield Finding(item, "status", "status done needs a 'done' date")
            elif item.status is not Status.done and item.done is not None:
                yield Finding(item, "done", f"a 'done' date is given but the status is {item.status.value}")
            if item.done is not None and item.done > report.submitted:
                message = f"done {item.done} is after the report was submitted ({report.submitted})"
                yield Finding(item, "done", message)


def holder_findings(progress: MonthLike, facts: ReportingFacts) -> Iterator[Finding]:
    """progress-holder: a report comes from a unit, not a group, and reports only on items
    that unit holds (the engine counts an item only from a unit that can close it)."""
    for report in progress.reports:
        unit = facts.names.get(report.unit)
        if unit is None:
            continue  # unknown-unit reports it
        if unit in facts.groups:
            members = facts.groups[unit]
            example = f", e.g. '{members[0]}'" if members else ""
            message = f"'{report.unit}' is a group, not a unit: each member reports for itself{example}"
            yield Finding(report, "unit", message)
            continue
        for item in report.items:
            held_by = facts.holders.get(item.ref)
            if held_by is None:
                continue  # progress-report and unknown-unit report these
            if unit not in held_by:
                message = (
                    f"'{report.unit}' reports on '{item.ref}', which it does not hold "
                    f"(owners: {'、'.join(facts.owners[item.ref])})"
                )
                yield Finding(item, "ref", message)


def unknown_unit_findings(progress: MonthLike, facts: ReportingFacts) -> Iterator[Finding]:
    """unknown-unit, in a month file: every report's unit exists (aliases resolved)."""
    for report in progress.reports:
        if (found := unknown_report_unit(report, report.unit, facts)) is not None:
            yield found


def unknown_ref(at: object, ref: str, facts: ReportingFacts) -> Finding | None:
    """progress-report's check of one item's ``ref`` (``at``: the item holding it)."""
    if ref in facts.owners or ref in facts.unchecked:
        return None
    return Finding(at, "ref", f"unknown ref '{ref}'{did_you_mean(ref, facts.owners)}")


def unknown_report_unit(at: object, unit: str, facts: ReportingFacts) -> Finding | None:
    """unknown-unit's check of one report's ``unit`` (``at``: the report)."""
    if unit in facts.names or unit in facts.unchecked:
        return None
    return Finding(at, "unit", unknown_unit(unit, facts))


def dropped_findings(
    key: str, dropped: Iterable[DroppedReference], facts: ReportingFacts
) -> Iterator[Finding]:
    """The same checks of the references in items a schema error left out (``loading.salvage``),
    those under ``key`` (``ref``: progress-report's, ``unit``: unknown-unit's) of a report
    (a working group's ``unit`` is the plan's, checked with the plan's)."""
    pattern, check = _DROPPED_CHECKS[key]
    for reference in dropped:
        if reference.pattern == pattern and (found := check(reference, reference.name, facts)) is not None:
            yield found


_DROPPED_CHECKS = {
    "ref": (("reports", None, "items", None, "ref"), unknown_ref),
    "unit": (("reports", None, "unit"), unknown_report_unit),
}
"""Each key's place in ``models.ProgressFile.cross_references`` (not imported: see above)."""


def unknown_unit(name: str, facts: ReportingFacts) -> str:
    """The message for a unit or group name that does not resolve, wherever it stands."""
    return f"unknown unit '{name}'{did_you_mean(name, facts.names)}"
