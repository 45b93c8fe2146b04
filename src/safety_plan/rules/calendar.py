"""Due days the working-day calendar cannot move: years the holiday library does not know."""

from __future__ import annotations

from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.engine.calendar import known_years
from safety_plan.engine.compile import occurrence_windows
from safety_plan.models import Recurring
from safety_plan.problems import Level, Problem
from safety_plan.rules import problem, rule
from safety_plan.vocabulary import Adjust


@rule("calendar-years", "due days moved to working days fall in years the holiday calendar knows")
def calendar_years(dataset: Dataset) -> Iterator[Problem]:
    duties = [d for d in dataset.schedule_file.recurring if d.adjust is not Adjust.none]
    if not duties:
        return
    known = known_years()
    for duty in duties:
        if not _known(dataset, duty):
            continue  # the recurring rule reports the unknown measure or plan
        outside = sorted({due.year for _, due in occurrence_windows(dataset, duty)} - set(known))
        if outside:
            years = ", ".join(map(str, outside))
            yield problem(
                dataset,
                duty,
                "adjust",
                message=f"due days in {years} fall outside the years the holiday calendar knows "
                f"({known.start}–{known.stop - 1}): they are not moved",
                level=Level.warning,
                key=True,
            )


def _known(dataset: Dataset, duty: Recurring) -> bool:
    """Whether the duty's plan can be found (``occurrence_windows`` needs its period)."""
    if duty.measure is not None:
        return duty.measure in dataset.measures and dataset.measures[duty.measure].plan in dataset.plans
    return duty.plan in dataset.plans
