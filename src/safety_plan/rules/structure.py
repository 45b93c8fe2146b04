"""The plan's own structure: plans, sections, numbering, deadlines, duties, phases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from safety_plan.dataset import Dataset
from safety_plan.models import Deadline, Recurring
from safety_plan.problems import Problem
from safety_plan.rules import dropped, problem, rule
from safety_plan.vocabulary import Every


@rule("unknown-plan", "each measure's plan and section exist")
def plans_and_sections(dataset: Dataset) -> Iterator[Problem]:
    for plan in dataset.measures_file.plans:
        if plan.period.start > plan.period.end:
            yield problem(dataset, plan, "period", message=f"plan '{plan.id}' ends before it starts")
        if plan.source not in dataset.sources:
            yield _no_source(dataset, plan, "source", plan.source)
    for measure in dataset.measures_file.measures:
        owner_plan = dataset.plans.get(measure.plan)
        if owner_plan is None:
            yield from _unknown_plan(dataset, measure, "plan", measure.plan)
        elif measure.section not in {s.number for s in owner_plan.sections}:
            yield problem(
                dataset,
                measure,
                "section",
                message=f"plan '{owner_plan.id}' has no section {measure.section} (it has 1 to {len(owner_plan.sections)})",
            )
    for reference in dropped(dataset, ("plans", None, "source")):
        if reference.name not in dataset.sources:
            yield _no_source(dataset, reference, reference.key, reference.name)
    for reference in dropped(dataset, ("measures", None, "plan")):
        yield from _unknown_plan(dataset, reference, reference.key, reference.name)


def _no_source(dataset: Dataset, at: object, key: str | int, source: str) -> Problem:
    return problem(dataset, at, key, message=f"source '{source}' not found under sources/")


def _unknown_plan(dataset: Dataset, at: object, key: str | int, name: str) -> Iterator[Problem]:
    """``name`` (a measure's, deadline's or duty's ``plan``, at ``at``'s ``key``) when no plan
    has it and none was left out for its own schema error."""
    if name not in dataset.plans and name not in dataset.unchecked:
        yield problem(dataset, at, key, message=f"unknown plan '{name}'{_hint(name, dataset.plans)}")


def _unknown_measure(dataset: Dataset, at: object, key: str | int, name: str) -> Iterator[Problem]:
    """``name`` (a deadline's or duty's ``measure``) when no measure has it and none was left
    out for its own schema error."""
    if name not in dataset.measures and name not in dataset.unchecked:
        yield problem(dataset, at, key, message=f"unknown measure '{name}'{_hint(name, dataset.measures)}")


@rule("numbering", "measure IDs are <plan>-<number> and numbers run 1, 2, 3 … per plan")
def numbering(dataset: Dataset) -> Iterator[Problem]:
    by_plan: dict[str, list[int]] = defaultdict(list)
    for measure in dataset.measures_file.measures:
        expected = f"{measure.plan}-{measure.number}"
        if measure.id != expected:
            yield problem(dataset, measure, "id", message=f"measure ID '{measure.id}' should be '{expected}'")
        by_plan[measure.plan].append(measure.number)
    for plan_id, numbers in by_plan.items():
        present = set(numbers)
        missing = [
            n
            for n in range(1, max(numbers) + 1)
            if n not in present and f"{plan_id}-{n}" not in dataset.unchecked  # left out: its own error
        ]
        if missing:
            shown = ", ".join(map(str, missing[:10]))
            target = dataset.plans.get(plan_id)
            yield problem(
                dataset,
                target if target is not None else dataset.measures_file,
                message=f"plan '{plan_id}' has no measure number {shown}",
            )
    for plan in dataset.measures_file.plans:
        for i, section in enumerate(plan.sections, start=1):
            if section.number != i:
                yield problem(
                    dataset,
                    plan,
                    "sections",
                    i - 1,
                    "number",
                    message=f"section numbers must run 1, 2, 3 …: expected {i}, got {section.number}",
                )


def _hint(name: str, pool: Iterable[str]) -> str:
    from safety_plan.suggest import did_you_mean

    return did_you_mean(name, pool)


def _measure_checks(dataset: Dataset, item: Deadline | Recurring) -> Iterator[Problem]:
    head = item.id.split(".", 1)[0]
    if item.measure is not None:
        if item.measure not in dataset.measures:
            yield from _unknown_measure(dataset, item, "measure", item.measure)
        elif head != item.measure:
            yield problem(
                dataset, item, "id", message=f"ID '{item.id}' should start with its measure '{item.measure}.'"
            )
    elif item.plan is not None:
        if item.plan not in dataset.plans:
            yield from _unknown_plan(dataset, item, "plan", item.plan)
        elif head != item.plan:
            yield problem(
                dataset, item, "id", message=f"ID '{item.id}' should start with its plan '{item.plan}.'"
            )


def _known(dataset: Dataset, item: Deadline | Recurring) -> bool:
    if item.measure is not None:
        return item.measure in dataset.measures and dataset.measures[item.measure].plan in dataset.plans
    return item.plan in dataset.plans


@rule(
    "unknown-measure",
    "deadlines and recurring duties name an existing measure (or plan) and start with its ID",
)
def measure_references(dataset: Dataset) -> Iterator[Problem]:
    for item in dataset.scheduled:
        yield from _measure_checks(dataset, item)
    for reference in dropped(dataset, ("deadlines", None, "measure"), ("recurring", None, "measure")):
        yield from _unknown_measure(dataset, reference, reference.key, reference.name)
    for reference in dropped(dataset, ("deadlines", None, "plan"), ("recurring", None, "plan")):
        yield from _unknown_plan(dataset, reference, reference.key, reference.name)


@rule("deadline", "deadlines fall inside their plan's period")
def deadlines(dataset: Dataset) -> Iterator[Problem]:
    for deadline in dataset.schedule_file.deadlines:
        if _known(dataset, deadline):
            period = dataset.plan_of(deadline).period
            if not period.start <= deadline.due <= period.end:
                yield problem(
                    dataset,
                    deadline,
                    "due",
                    message=f"due {deadline.due} lies outside the plan's period {period.start} to {period.end}",
                )


_LAST_MONTH_DAYS = {Every.month: 28, Every.quarter: 30, Every.half_year: 30, Every.year: 31}
"""The largest day that exists in every window's last month (Feb; Mar/Jun/Sep/Dec; Jun/Dec; Dec)."""
_WINDOW_MONTH = {
    Every.month: "every month",
    Every.quarter: "the last month of every quarter",
    Every.half_year: "the last month of every half-year",
    Every.year: "December",
}


@rule("recurring", "recurring duties have a valid day and dates inside the plan")
def recurring(dataset: Dataset) -> Iterator[Problem]:
    for duty in dataset.schedule_file.recurring:
        if duty.day is not None and duty.day > _LAST_MONTH_DAYS[duty.every]:
            yield problem(
                dataset,
                duty,
                "day",
                message=f"day {duty.day} does not exist in {_WINDOW_MONTH[duty.every]} "
                f"(use at most {_LAST_MONTH_DAYS[duty.every]})",
            )
        if duty.from_ and duty.until and duty.from_ > duty.until:
            yield problem(dataset, duty, "until", message=f"until {duty.until} is before from {duty.from_}")
        if _known(dataset, duty):
            period = dataset.plan_of(duty).period
            for name, value in (("from", duty.from_), ("until", duty.until)):
                if value is not None and not period.start <= value <= period.end:
                    yield problem(
                        dataset,
                        duty,
                        name,
                        message=f"{name} {value} lies outside the plan's period {period.start} to {period.end}",
                    )
        if duty.met_by == "report" and not duty.each:
            yield problem(
                dataset,
                duty,
                "each",
                message="a duty met by the monthly report binds every owner: remove 'each: false'",
            )
        if duty.met_by == "report" and duty.every is not Every.month:
            yield problem(
                dataset, duty, "every", message="a duty met by the monthly report must recur every month"
            )


@rule("phases", "phases are ordered, contiguous and do not overlap")
def phases(dataset: Dataset) -> Iterator[Problem]:
    previous = None
    for phase in dataset.phases:
        if phase.start > phase.end:
            yield problem(dataset, phase, "end", message=f"phase '{phase.id}' ends before it starts")
        if previous is not None:
            expected = previous.end + dt.timedelta(days=1)
            if phase.start < expected:
                yield problem(
                    dataset,
                    phase,
                    "start",
                    message=f"phase '{phase.id}' starts {phase.start}, overlapping '{previous.id}' (ends {previous.end})",
                )
            elif phase.start > expected:
                yield problem(
                    dataset,
                    phase,
                    "start",
                    message=f"gap before phase '{phase.id}': expected it to start {expected}",
                )
        previous = phase
