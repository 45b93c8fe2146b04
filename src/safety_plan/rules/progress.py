"""Monthly progress files: named for their month, real units and refs, consistent dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import PurePath

from safety_plan.dataset import Dataset
from safety_plan.problems import Level, Problem
from safety_plan.rules import problem, rule
from safety_plan.suggest import did_you_mean
from safety_plan.vocabulary import Status


@rule(
    "progress-month",
    "a progress file is named YYYY-MM.yaml after its month, one file per month",
    reads_progress=True,
)
def progress_month(dataset: Dataset) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for path, progress in dataset.progress_files.items():
        stem = PurePath(path).stem
        if stem != progress.month:
            yield problem(
                dataset,
                progress,
                "month",
                message=f"month {progress.month} does not match the file name '{PurePath(path).name}' "
                f"(expected {progress.month}.yaml)",
            )
        if progress.month in seen:
            yield problem(
                dataset,
                progress,
                "month",
                message=f"month {progress.month} is already reported in {seen[progress.month]}",
            )
        seen.setdefault(progress.month, path)


@rule(
    "progress-report",
    "one report per unit and month, not submitted in the future; refs exist; 'done' dates given exactly "
    "for done items and not after the report",
    reads_progress=True,
)
def progress_reports(dataset: Dataset) -> Iterator[Problem]:
    refs = {**dataset.deadlines, **dataset.recurring, **dataset.measures}
    today = dt.date.today()
    for progress in dataset.progress_files.values():
        year, month = map(int, progress.month.split("-"))
        month_start = dt.date(year, month, 1)
        reporters: dict[str, int] = {}
        for index, report in enumerate(progress.reports):
            unit = dataset.directory.resolve(report.unit)
            if unit is not None:
                if unit in reporters:
                    yield problem(
                        dataset,
                        report,
                        "unit",
                        message=f"'{report.unit}' already reported this month (report {reporters[unit] + 1})",
                    )
                else:
                    reporters[unit] = index
            if report.submitted < month_start:
                yield problem(
                    dataset,
                    report,
                    "submitted",
                    message=f"submitted {report.submitted}, before the month it reports on ({progress.month})",
                    level=Level.warning,
                )
            if report.submitted > today:  # a typo (2099): every as-of day would ignore the report
                yield problem(
                    dataset,
                    report,
                    "submitted",
                    message=f"submitted {report.submitted}, which is in the future",
                )
            for item in report.items:
                if item.ref not in refs and item.ref not in dataset.unchecked:
                    yield problem(
                        dataset,
                        item,
                        "ref",
                        message=f"unknown ref '{item.ref}'{did_you_mean(item.ref, refs)}",
                    )
                if item.status is Status.done and item.done is None:
                    yield problem(dataset, item, "status", message="status done needs a 'done' date")
                elif item.status is not Status.done and item.done is not None:
                    yield problem(
                        dataset,
                        item,
                        "done",
                        message=f"a 'done' date is given but the status is {item.status.value}",
                    )
                if item.done is not None and item.done > report.submitted:
                    yield problem(
                        dataset,
                        item,
                        "done",
                        message=f"done {item.done} is after the report was submitted ({report.submitted})",
                    )


@rule(
    "progress-holder",
    "a report comes from a unit, not a group, and reports only on items that unit holds",
    reads_progress=True,
)
def progress_holders(dataset: Dataset) -> Iterator[Problem]:
    """The engine counts an item only from a unit that can close it; anything else would be
    silently ignored, so it is an error where it was typed."""
    directory = dataset.directory
    holders: dict[str, frozenset[str] | None] = {}  # per ref: a city has 100,000 items on 5,000 refs
    for progress in dataset.progress_files.values():
        for report in progress.reports:
            unit = directory.resolve(report.unit)
            if unit is None:
                continue  # unknown-unit reports it
            if unit in dataset.groups:
                members = directory.expand(unit)
                example = f", e.g. '{members[0]}'" if members else ""
                yield problem(
                    dataset,
                    report,
                    "unit",
                    message=f"'{report.unit}' is a group, not a unit: each member reports for itself{example}",
                )
                continue
            for item in report.items:
                if item.ref not in holders:
                    holders[item.ref] = _holders_of_ref(dataset, item.ref)
                held_by = holders[item.ref]
                if held_by is None:
                    continue  # progress-report and unknown-unit report these
                if unit not in held_by:
                    owners = _owners_of_ref(dataset, item.ref) or []
                    yield problem(
                        dataset,
                        item,
                        "ref",
                        message=f"'{report.unit}' reports on '{item.ref}', which it does not hold "
                        f"(owners: {'、'.join(owners)})",
                    )


def _holders_of_ref(dataset: Dataset, ref: str) -> frozenset[str] | None:
    """The units that hold ``ref``; None for an unknown ref or an owner that does not resolve."""
    owners = _owners_of_ref(dataset, ref)
    directory = dataset.directory
    if owners is None or any(directory.resolve(o) is None for o in owners):
        return None
    return frozenset(directory.expand_all(owners))


def _owners_of_ref(dataset: Dataset, ref: str) -> list[str] | None:
    """The owners as written of a deadline, duty or measure; None for an unknown ref."""
    item = dataset.deadlines.get(ref) or dataset.recurring.get(ref)
    if item is not None:
        return dataset.owners_of(item)
    measure = dataset.measures.get(ref)
    return measure.owners if measure is not None else None
