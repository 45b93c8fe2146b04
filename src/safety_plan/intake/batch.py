"""Many filled forms in, one plan of what to write: validation first, writing after.

Every form is read and every problem in every one collected; only when there are none are
the reports merged, per month, into the text each progress file should have. The command
writes those texts; nothing here touches a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from safety_plan.intake import layout
from safety_plan.intake.form_reader import FormProblem, FormReport, IntakeFacts, read_form
from safety_plan.intake.progress_yaml import Merge, merge_reports


@dataclass
class ImportPlan:
    problems: list[FormProblem] = field(default_factory=list)
    reports: list[FormReport] = field(default_factory=list)
    merges: dict[str, Merge] = field(default_factory=dict)
    """Month → the progress file's new text and what changed in it."""

    @property
    def changed_months(self) -> list[str]:
        return [month for month, merge in self.merges.items() if merge.changed]


def plan_import(
    forms: Sequence[tuple[str, bytes]],
    facts: IntakeFacts,
    existing: Callable[[str], str | None],
    submitted: dt.date | None = None,
    tick: Callable[[], None] | None = None,
) -> ImportPlan:
    """``forms`` as (name shown, bytes); ``existing`` gives a month's progress file text (None
    when there is none yet); ``tick`` is called after each form (a progress bar)."""
    result = ImportPlan()
    first: dict[tuple[str, str], str] = {}
    for name, content in forms:
        reading = read_form(name, content, facts, submitted)
        result.problems.extend(reading.problems)
        report = reading.report
        if report is not None:
            seen = first.setdefault((report.month, report.unit), name)
            if seen != name:
                result.problems.append(
                    FormProblem(
                        name,
                        layout.UNIT_CELL,
                        f"a second form from {report.unit} for {report.month} (the first is {seen})",
                    )
                )
            else:
                result.reports.append(report)
        if tick is not None:
            tick()
    if result.problems:
        result.reports.clear()
        return result
    by_month: dict[str, list[FormReport]] = {}
    for report in result.reports:
        by_month.setdefault(report.month, []).append(report)
    names = facts.plan.names
    for month in sorted(by_month):
        result.merges[month] = merge_reports(
            existing(month), month, by_month[month], lambda unit: names.get(unit, unit)
        )
    return result
