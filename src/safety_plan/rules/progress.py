"""Monthly progress files: named for their month, real units and refs, consistent dates.

The checks themselves are ``month_checks``' (shared with the run after a month was edited);
these rules run them over the data set's month files and locate what they find."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.month_checks import dropped_findings, holder_findings, month_name_findings, report_findings
from safety_plan.problems import Problem
from safety_plan.rules import located, rule


@rule(
    "progress-month",
    "a progress file is named YYYY-MM.yaml after its month, one file per month",
    reads_progress=True,
)
def progress_month(dataset: Dataset) -> Iterator[Problem]:
    yield from located(dataset, month_name_findings(dataset.progress_files.items()))


@rule(
    "progress-report",
    "one report per unit and month, not submitted in the future; refs exist; 'done' dates given exactly "
    "for done items and not after the report",
    reads_progress=True,
)
def progress_reports(dataset: Dataset) -> Iterator[Problem]:
    facts = dataset.reporting_facts
    today = dt.date.today()
    for progress in dataset.progress_files.values():
        yield from located(dataset, report_findings(progress, facts, today))
    yield from located(dataset, dropped_findings("ref", dataset.dropped_references, facts))


@rule(
    "progress-holder",
    "a report comes from a unit, not a group, and reports only on items that unit holds",
    reads_progress=True,
)
def progress_holders(dataset: Dataset) -> Iterator[Problem]:
    """The engine counts an item only from a unit that can close it; anything else would be
    silently ignored, so it is an error where it was typed."""
    facts = dataset.reporting_facts
    for progress in dataset.progress_files.values():
        yield from located(dataset, holder_findings(progress, facts))
