"""What goes on one unit's report form for a month, read from the one as-of engine.

Rows (issue #11): every obligation the unit holds that is not closed as of the end of the
previous month and falls due by the end of the month after next, plus the unit's occurrences
of recurring duties whose window covers the month (this month's, this quarter's …), overdue
first. A recurring duty gives one row, its current occurrence, however many were missed
before: the row's ref is the duty's, so the unit reports on it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from safety_plan.engine.asof import Evaluation, evaluate
from safety_plan.engine.calendar import month_end
from safety_plan.engine.types import CompiledPlan, Kind, Obligation
from safety_plan.output.words import status_zh


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, label: str) -> Month:
        """``2025-07`` (already validated by the caller) → Month."""
        year, month = label.split("-")
        return cls(int(year), int(month))

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def zh(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.month)

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class FormRow:
    ref: str
    what: str
    due: dt.date
    current: str
    """The status as of the end of the previous month, with the last note."""
    overdue: bool


@dataclass(frozen=True)
class FormContent:
    month: Month
    unit: str
    due: dt.date
    """The day the unit's report is due (after any working-day shift)."""
    plans: tuple[str, ...]
    rows: tuple[FormRow, ...]

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(row.ref for row in self.rows)


def report_obligations(plan: CompiledPlan, month: Month) -> dict[str, Obligation]:
    """Unit → its monthly-report occurrence for ``month``: who must report, and by when."""
    return {
        o.unit: o
        for o in plan.obligations
        if o.met_by_report and o.window is not None and o.window.label == month.label
    }


def report_span(plan: CompiledPlan) -> str:
    """The months the plan asks for monthly reports, for a message about a month it does not
    (`` (the plan asks for them from 2024-04 to 2026-12)``), or empty."""
    months = sorted(o.window.label for o in plan.obligations if o.met_by_report and o.window is not None)
    return f" (the plan asks for them from {months[0]} to {months[-1]})" if months else ""


def holds(plan: CompiledPlan, obligation: Obligation, unit: str) -> bool:
    """A unit holds what it is the holder of, and a joint item led by a group it belongs to."""
    if obligation.unit == unit:
        return True
    is_group = plan.members.get(obligation.unit, (obligation.unit,)) != (obligation.unit,)
    return is_group and unit in obligation.closers


def form_content(plan: CompiledPlan, unit: str, month: Month, report_due: dt.date) -> FormContent:
    """One unit's form: the rows it reports on, each with its state before the month."""
    before = month.shifted(-1).end
    horizon = month.shifted(2).end
    held = [
        o
        for o in plan.obligations
        if not o.met_by_report and (o.due <= horizon or _covers(o, month)) and holds(plan, o, unit)
    ]
    chosen: list[Evaluation] = []
    recurring: dict[str, list[Evaluation]] = {}
    for obligation in held:
        ev = evaluate(obligation, plan, before)
        if obligation.kind is Kind.deadline:
            if not ev.closed:
                chosen.append(ev)
        else:
            recurring.setdefault(obligation.ref, []).append(ev)
    for evaluations in recurring.values():
        pick = _occurrence_for(evaluations, month)
        if pick is not None:
            missed = sum(1 for ev in evaluations if ev.overdue and ev is not pick)
            chosen.append(pick if not missed else _with_missed(pick, missed))
    chosen.sort(key=lambda ev: (not ev.overdue, ev.obligation.sort_key))
    rows = tuple(_row(ev) for ev in chosen)
    plans = tuple(dict.fromkeys(ev.obligation.plan for ev in chosen))
    return FormContent(month, unit, report_due, plans, rows)


def _occurrence_for(evaluations: list[Evaluation], month: Month) -> Evaluation | None:
    """The occurrence whose window covers the month; else the latest one still open."""
    for ev in evaluations:
        if _covers(ev.obligation, month):
            return ev
    open_ = [ev for ev in evaluations if not ev.closed]
    return open_[-1] if open_ else None


def _covers(obligation: Obligation, month: Month) -> bool:
    window = obligation.window
    return window is not None and window.start <= month.end and window.end >= month.start


def _with_missed(ev: Evaluation, missed: int) -> Evaluation:
    """The form says how many earlier occurrences are still open, ahead of the last note."""
    extra = f"此前 {missed} 次未完成"
    return replace(ev, note=f"{extra}；{ev.note}" if ev.note else extra)


def _row(ev: Evaluation) -> FormRow:
    o = ev.obligation
    what = o.what if o.phrase in o.what else f"{o.what}（{o.phrase}）"
    if o.window is not None and o.kind is Kind.recurring:
        what = f"{what}〔{o.window.label}〕"
    current = status_zh(ev.status)
    if ev.overdue:
        current += f"，逾期 {ev.days_overdue} 天"
    if ev.note:
        current += f"：{ev.note}"
    return FormRow(o.ref, what, o.due, current, ev.overdue)
