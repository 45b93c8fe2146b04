"""Every time phrase in a measure's text is encoded, or waived with a reason.

A time phrase (年底前, 年内, 每月, 每季度, 每半年, 每年, 年度, 逐年, N年内 …) in a measure's text
is an obligation with a date or a frequency, unless it is not (``年度任务清单`` names a
document). So each one must fall inside the ``phrase`` of one of that measure's deadlines or
recurring duties, or inside the ``text`` of a waiver in schedule.yaml whose note says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.models import Deadline, Measure, Recurring
from safety_plan.problems import Level, Problem
from safety_plan.rules import dropped, problem, rule

TIME_PHRASE = re.compile(
    r"20\d\d年底前|20\d\d年|[1-9一二两三四五]年内|年内|每月|每季度|每半年|每年|年度|逐年|\d{1,2}月\d{1,2}日前|\d{1,2}月底前"
)
"""The longer forms first, so that 2024年底前 wins over 2024年 and 3年内 over 年内."""

Span = tuple[int, int]


def _spans(text: str, needle: str) -> list[Span]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


@rule("phrase-coverage", "every time phrase in a measure's text is a deadline's or duty's phrase, or waived")
def phrase_coverage(dataset: Dataset) -> Iterator[Problem]:
    schedule = dataset.schedule_file
    covered: dict[str, list[Span]] = {}
    entries: list[Deadline | Recurring] = [*schedule.deadlines, *schedule.recurring]
    for entry in entries:
        measure = dataset.measures.get(entry.measure) if entry.measure is not None else None
        if measure is not None:
            covered.setdefault(measure.id, []).extend(_spans(measure.text, entry.phrase))
    waived: dict[str, list[Span]] = {}
    for waiver in schedule.waivers:
        measure = dataset.measures.get(waiver.measure)
        if measure is None:
            if waiver.measure not in dataset.unchecked:
                yield _unknown_waived(dataset, waiver, "measure", waiver.measure)
            continue
        spans = _spans(measure.text, waiver.text)
        if not spans:
            yield problem(
                dataset, waiver, "text", message=f"'{waiver.text}' is not in the text of {measure.id}"
            )
        elif not TIME_PHRASE.search(waiver.text):
            yield problem(dataset, waiver, "text", message=f"'{waiver.text}' holds no time phrase to waive")
        elif all(
            _inside((start + hit.start(), start + hit.end()), covered.get(measure.id, []))
            for start, _ in spans
            for hit in TIME_PHRASE.finditer(waiver.text)
        ):
            yield problem(
                dataset,
                waiver,
                "text",
                message=f"'{waiver.text}' of {measure.id}: its time phrases are deadlines' or duties' already; "
                "remove the waiver",
                level=Level.warning,
            )
        waived.setdefault(measure.id, []).extend(spans)
    for reference in dropped(dataset, ("waivers", None, "measure")):
        if reference.name not in dataset.measures and reference.name not in dataset.unchecked:
            yield _unknown_waived(dataset, reference, reference.key, reference.name)
    left_out = {name.rsplit(".", 1)[0] for name in dataset.unchecked if "." in name}
    for measure in dataset.measures_file.measures:
        if measure.id in left_out:
            continue  # one of its deadlines or duties was left out for a schema error
        for hit in TIME_PHRASE.finditer(measure.text):
            span = (hit.start(), hit.end())
            if _inside(span, covered.get(measure.id, [])) or _inside(span, waived.get(measure.id, [])):
                continue
            yield problem(
                dataset,
                measure,
                "text",
                message=f"time phrase '{hit.group()}' of {measure.id} ({_where(dataset, measure, hit.start())}) is in "
                "no deadline's or duty's phrase: add one to schedule.yaml, or a waiver with a note saying why",
                level=Level.warning,
            )


def _unknown_waived(dataset: Dataset, at: object, key: str | int, measure: str) -> Problem:
    return problem(dataset, at, key, message=f"waiver for unknown measure '{measure}'")


def _where(dataset: Dataset, measure: Measure, offset: int) -> str:
    """The phrase's place: in the source document where the text stands, else in the text."""
    context = measure.text[max(0, offset - 6) : offset + 10]
    plan = dataset.plans.get(measure.plan)
    source = dataset.sources.get(plan.source) if plan is not None else None
    start = source.find(measure.text) if source is not None else -1
    if plan is None or source is None or start < 0:
        return f"character {offset + 1}, '…{context}…'"
    at = start + offset
    line = source.count("\n", 0, at) + 1
    column = at - (source.rfind("\n", 0, at) + 1) + 1
    return f"sources/{plan.source}:{line}:{column}, '…{context}…'"
