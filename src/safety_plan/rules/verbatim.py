"""Every measure's text occurs, word for word, in its plan's source document."""

from __future__ import annotations

from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.problems import Problem
from safety_plan.rules import problem, rule


@rule("verbatim", "every measure's text occurs verbatim in its plan's source document")
def verbatim(dataset: Dataset) -> Iterator[Problem]:
    for measure in dataset.measures_file.measures:
        plan = dataset.plans.get(measure.plan)
        source = dataset.sources.get(plan.source) if plan is not None else None
        if plan is None or source is None:
            continue  # unknown-plan reports the missing plan or source
        if measure.text not in source:
            yield problem(
                dataset,
                measure,
                "text",
                message=f"text of {measure.id} is not verbatim in sources/{plan.source}: "
                f"from '{_first_difference(measure.text, source)}' on",
            )


def _first_difference(text: str, source: str) -> str:
    """The shortest prefix-extension of ``text`` that no longer occurs in ``source``."""
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that does occur
        mid = (lo + hi + 1) // 2
        if text[:mid] in source:
            lo = mid
        else:
            hi = mid - 1
    return text[lo : lo + 12]
