"""From a validated ``Dataset`` to a ``CompiledPlan``: obligations, reports, phases.

Deadlines and recurring duties are expanded into obligations: who owes what, by when.

An obligation is a deadline, or one occurrence of a recurring duty, held by one unit.
Owners are expanded through the unit directory (groups into member units, aliases into unit
IDs). An ``each`` item gives one obligation per owner unit; a joint one gives a single
obligation held by the lead (the first owner), which any of its owner units can close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from safety_plan.engine.calendar import adjusted_due, nominal_due, windows
from safety_plan.engine.types import (
    CompiledPlan,
    DueChange,
    Kind,
    MonthReports,
    Obligation,
    PhaseSpan,
    Reported,
    Supervision,
    SupervisionRule,
    Window,
    one_day,
)

if TYPE_CHECKING:  # the run after a month was edited compiles it without the models
    from safety_plan.dataset import Dataset
    from safety_plan.models import Deadline, Recurring, RulesFile
    from safety_plan.month_checks import MonthLike


def _context(dataset: Dataset, item: Deadline | Recurring) -> tuple[str, str | None, int | None, int | None]:
    if item.measure is not None:
        measure = dataset.measures[item.measure]
        return measure.plan, measure.id, measure.section, measure.number
    assert item.plan is not None
    return item.plan, None, None, None


def _holders(dataset: Dataset, item: Deadline | Recurring, each: bool) -> list[tuple[str, frozenset[str]]]:
    """(holder, closers) pairs: one per owner unit for ``each``, else one led by the lead."""
    directory = dataset.directory
    owners = dataset.owners_of(item)
    everyone = directory.expand_all(owners)
    if each:
        return [(unit, frozenset({unit})) for unit in everyone]
    lead = directory.resolve(owners[0]) or owners[0]
    return [(lead, frozenset(everyone) | {lead})]


def _obligations(
    dataset: Dataset,
    item: Deadline | Recurring,
    kind: Kind,
    occurrences: list[tuple[Window | None, dt.date]],
    met_by_report: bool = False,
    changes: tuple[DueChange, ...] = (),
) -> list[Obligation]:
    """One obligation per occurrence and holder; a deadline is one occurrence with no window."""
    plan, measure, section, number = _context(dataset, item)
    holders = _holders(dataset, item, item.each)
    return [
        Obligation(
            ref=item.id,
            kind=kind,
            plan=plan,
            measure=measure,
            section=section,
            number=number,
            unit=holder,
            closers=closers,
            due=one_day(due),
            what=item.what,
            phrase=item.phrase,
            window=window,
            met_by_report=met_by_report,
            changes=changes,
        )
        for window, due in occurrences
        for holder, closers in holders
    ]


def deadline_obligations(dataset: Dataset, deadline: Deadline) -> list[Obligation]:
    changes = tuple(DueChange(c.due, c.approved, c.approval, c.reason) for c in deadline.changes)
    return _obligations(dataset, deadline, Kind.deadline, [(None, deadline.due)], changes=changes)


def occurrence_windows(dataset: Dataset, duty: Recurring) -> list[tuple[Window, dt.date]]:
    """(window, due day) of each occurrence whose due day lies within from/until and the plan."""
    period = dataset.plan_of(duty).period
    start = max(duty.from_ or period.start, period.start)
    end = min(duty.until or period.end, period.end)
    result = []
    for window in windows(duty.every, start, end):
        nominal = nominal_due(window, duty.day)
        if not start <= nominal <= end:
            continue
        due = adjusted_due(nominal, duty.adjust)
        # The window a done date must fall in: not before the duty starts (a mid-quarter
        # `from`), and stretched to a due day that a working-day shift moved outside it.
        effective = Window(
            one_day(min(max(window.start, start), due)), one_day(max(window.end, due)), window.label
        )
        result.append((effective, due))
    return result


def recurring_obligations(dataset: Dataset, duty: Recurring) -> list[Obligation]:
    occurrences: list[tuple[Window | None, dt.date]] = list(occurrence_windows(dataset, duty))
    return _obligations(dataset, duty, Kind.recurring, occurrences, met_by_report=duty.met_by == "report")


def all_obligations(dataset: Dataset) -> list[Obligation]:
    """Every obligation of the plan, sorted by due day, then plan and number."""
    result: list[Obligation] = []
    for deadline in dataset.schedule_file.deadlines:
        result.extend(deadline_obligations(dataset, deadline))
    for duty in dataset.schedule_file.recurring:
        result.extend(recurring_obligations(dataset, duty))
    result.sort(key=lambda o: o.sort_key)
    return result


def compile_plan(dataset: Dataset) -> CompiledPlan:
    """Expand a valid dataset into the plain values the as-of engine works on."""
    names = dataset.directory.canonical_names()
    return with_reports(compile_static(dataset), [month_reports(names, p) for p in dataset.progress.values()])


def compile_static(dataset: Dataset) -> CompiledPlan:
    """The plan without its reports: everything that the month files do not change, kept in
    the cache apart from them so that a new or edited month recompiles only that month."""
    directory = dataset.directory
    return CompiledPlan(
        obligations=all_obligations(dataset),
        items={},
        reports={},
        phases=[PhaseSpan(p.id, p.name, p.start, p.end) for p in dataset.phases],
        plans={p.id: p.short for p in dataset.plans.values()},
        sections={
            (p.id, s.number): f"{s.label}{s.title}" for p in dataset.plans.values() for s in p.sections
        },
        names=directory.canonical_names(),
        members={name: directory.expand(name) for name in [*dataset.units, *dataset.groups]},
        refs=dataset.ref_kinds,
        supervision=supervision(dataset.rules),
        measure_titles={m.id: m.title for m in dataset.measures.values()},
    )


def month_reports(names: Mapping[str, str], progress: MonthLike) -> MonthReports:
    """One month file's reports as plain values, units resolved to their IDs through ``names``
    (``UnitDirectory.canonical_names``, or the compiled plan's ``names``)."""
    reports: list[tuple[str, dt.date]] = []
    items: list[tuple[str, Reported]] = []
    for report in progress.reports:
        unit = names.get(report.unit) or report.unit
        submitted = one_day(report.submitted)
        reports.append((unit, submitted))
        for item in report.items:
            done = None if item.done is None else one_day(item.done)
            items.append((item.ref, Reported(unit, submitted, item.status, done, item.note)))
    return MonthReports(progress.month, tuple(reports), tuple(items))


def with_reports(static: CompiledPlan, months: Iterable[MonthReports]) -> CompiledPlan:
    """The plan ``compile_static`` built, with the month files' reports, in the files' order
    (which is month order): the same values ``compile_plan`` gives, whichever way they came."""
    items: dict[str, list[Reported]] = {}
    reports: dict[tuple[str, str], dt.date] = {}
    for month in months:
        for unit, submitted in month.reports:
            reports.setdefault((month.month, unit), submitted)
        for ref, entry in month.items:
            items.setdefault(ref, []).append(entry)
    for entries in items.values():
        entries.sort(key=lambda r: r.submitted)
    return replace(static, items=items, reports=reports)


def supervision(rules: RulesFile) -> Supervision:
    """``rules.yaml`` as the engine's plain values."""
    compiled = []
    for item in rules.escalation:
        when = item.when
        kind = when.kind
        count = {
            "overdue_days": when.overdue_days,
            "missed_reports": when.missed_reports,
            "repeated": when.months,
            "after": when.days,
        }[kind]
        assert count is not None  # the model insists on it
        compiled.append(
            SupervisionRule(
                id=item.id,
                action=item.action,
                kind=kind,
                count=count,
                target=when.repeated or when.after,
                within=when.within,
                points=item.points,
                note=item.note,
            )
        )
    return Supervision(
        yellow_days=rules.lights.yellow_days,
        grace_days=rules.lights.recurring_grace_days,
        rules=tuple(compiled),
        reply_days=rules.letters.reply_days,
        sender=rules.letters.sender,
    )
