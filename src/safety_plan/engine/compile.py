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
from operator import attrgetter
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
            items.append((item.ref, Reported(unit, submitted, item.status, done, item.note, progress.month)))
    return MonthReports(progress.month, tuple(reports), tuple(items))


_SUBMITTED = attrgetter("submitted")
_SUBMISSION_ORDER = attrgetter("submitted", "month")


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
        entries.sort(key=_SUBMITTED)
    return replace(static, items=items, reports=reports)


def refs_of(month: MonthReports) -> tuple[str, ...]:
    """The refs a month's items are about, each once, in the order they first appear."""
    return tuple(dict.fromkeys(ref for ref, _ in month.items))


def with_months_replaced(
    plan: CompiledPlan,
    gone: Mapping[str, Iterable[str]],
    added: Iterable[MonthReports],
    refs_by_month: Iterable[Iterable[str]],
) -> CompiledPlan:
    """``plan`` (as ``with_reports`` joined it) with the reports of the months ``gone`` (month
    → the refs its items were about) taken out and those of the months ``added`` put in; the
    same values ``with_reports`` gives over the months now, so that an edited month changes
    only what it touched instead of joining every month again. ``refs_by_month``: each
    month's ``refs_of`` now, in the files' order (the order ``with_reports`` meets refs in).

    Only the obligations about a ref or a month touched get their closing day worked out
    again; the rest keep the one ``plan`` was stored with."""
    from safety_plan.engine.asof import closing_day, done_reports

    added = list(added)
    if not gone and not added:
        return plan
    labels = {*gone, *(month.month for month in added)}
    touched = {ref for refs in gone.values() for ref in refs}
    touched.update(ref for month in added for ref, _ in month.items)
    reports = {key: day for key, day in plan.reports.items() if key[0] not in gone}
    lists: dict[str, list[Reported]] = {}
    pairs: set[tuple[str, str]] = set()
    """The (ref, unit) pairs whose reports changed: only their obligations may close otherwise."""
    for ref in touched:
        entries = plan.items.get(ref, ())
        lists[ref] = [r for r in entries if r.month not in gone]
        pairs.update((ref, r.unit) for r in entries if r.month in gone)
    for month in added:
        for unit, submitted in month.reports:
            reports.setdefault((month.month, unit), submitted)
        for ref, entry in month.items:
            lists[ref].append(entry)
            pairs.add((ref, entry.unit))
    for entries in lists.values():
        # Equal days in the files' order, as with_reports' stable sort leaves them: months
        # are in the files' order, and a month's own entries keep theirs.
        entries.sort(key=_SUBMISSION_ORDER)
    old = plan.items
    order = dict.fromkeys(ref for refs in refs_by_month for ref in refs)
    items = {ref: lists[ref] if ref in lists else old[ref] for ref in order}
    joined = replace(plan, items=items, reports=reports)
    done_by = done_reports(joined.reported_by, pairs)
    closed_from = list(plan.closed_from)
    for index, o in enumerate(plan.obligations):
        if o.met_by_report:
            if o.window is not None and o.window.label in labels:
                closed_from[index] = reports.get((o.window.label, o.unit))
        elif o.ref in touched:
            for unit in o.closers:
                if (o.ref, unit) in pairs:
                    closed_from[index] = closing_day(o, done_by, reports)
                    break
    return joined.knowing(closed_from)


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
