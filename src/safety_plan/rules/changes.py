"""A deadline's ``changes``: each move approved after the one before it, and never past the
end of its plan (a deadline cannot be moved out of the plan that sets it)."""

from __future__ import annotations

from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.problems import Problem
from safety_plan.rules import problem, rule
from safety_plan.rules.structure import _known


@rule("deadline-change", "a deadline's changes are in order of approval and stay within the plan's period")
def deadline_changes(dataset: Dataset) -> Iterator[Problem]:
    for deadline in dataset.schedule_file.deadlines:
        if not deadline.changes:
            continue
        period = dataset.plan_of(deadline).period if _known(dataset, deadline) else None
        previous = None
        for i, change in enumerate(deadline.changes):
            if previous is not None and change.approved <= previous.approved:
                yield problem(
                    dataset,
                    deadline,
                    "changes",
                    i,
                    "approved",
                    message=f"change approved {change.approved} is listed after one approved "
                    f"{previous.approved}: list changes in order of approval, one per day",
                )
            if period is not None and not period.start <= change.due <= period.end:
                where = "after the plan's end" if change.due > period.end else "before the plan's start"
                yield problem(
                    dataset,
                    deadline,
                    "changes",
                    i,
                    "due",
                    message=f"new due {change.due} is {where} ({period.start} to {period.end})",
                )
            previous = change
