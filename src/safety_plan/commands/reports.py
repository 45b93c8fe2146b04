"""``safety-plan reports``: who has reported this month (报送情况) and who to urge (催报名单)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import snapshot
from safety_plan.intake.contents import Month, report_span
from safety_plan.intake.roll_call import LATE_ZH, NOT_YET, NOT_YET_ZH, ON_TIME_ZH, Roll, RollEntry, roll_call
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.problems import UsageError

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan

_STATE_ZH = {"on_time": ON_TIME_ZH, "late": LATE_ZH, NOT_YET: NOT_YET_ZH}


def run(request: Request) -> Result:
    """The roll of the month the as-of day falls in, as of that day (``--month``: its last)."""
    return Result(text=render(*views(request), request.fmt))


def views(request: Request) -> tuple[View, dict[str, Any]]:
    """The view and JSON payload ``run`` renders (a city edition joins each district's), kept
    for the same as-of day (``opening.answers``); a month nobody owes a report for is refused."""
    as_of, given = request.as_of, request.day_given
    return answered(
        request.data.path,
        request.data.shown,
        "reports",
        (as_of, given),  # a refusal names the option the day came from
        lambda opened: _views(*opened.both(), as_of, given),
    )


def _views(dataset: Dataset, plan: CompiledPlan, as_of: dt.date, given: str) -> tuple[View, dict[str, Any]]:
    month = Month(as_of.year, as_of.month)
    contacts = {u.id: u.contact for u in dataset.units.values() if u.contact}
    roll = roll_call(snapshot(plan, as_of), month, contacts)
    if not roll.entries:
        which = given or f"this month ({month.label}; give --month)"
        raise UsageError(f"{which}: no unit owes a monthly report for {month.label}{report_span(plan)}")
    return _view(roll), _payload(roll)


def _payload(roll: Roll) -> dict[str, Any]:
    return {
        "month": roll.month.label,
        "as_of": roll.as_of.isoformat(),
        "summary": {state: len(roll.of(state)) for state in _STATE_ZH} | {"due": len(roll.entries)},
        "units": [
            {
                "unit": e.unit,
                "due": e.due.isoformat(),
                "status": e.state,
                "submitted": e.submitted.isoformat() if e.submitted else None,
                "days_late": e.days_late,
                "contact": e.contact,
                "reports_due": e.compliance.due,
                "reports_on_time": e.compliance.on_time,
                "on_time_rate": None if e.on_time_rate is None else round(e.on_time_rate, 4),
            }
            for e in roll.entries
        ],
    }


def _view(roll: Roll) -> View:
    counts = {state: len(roll.of(state)) for state in _STATE_ZH}
    title = (
        f"{roll.month.zh}报送情况：应报 {len(roll.entries)} 个单位，按时 {counts['on_time']}，"
        f"逾期 {counts['late']}，未报 {counts[NOT_YET]}（截至 {roll.as_of.isoformat()}）"
    )
    not_yet = roll.of(NOT_YET)
    notes = (
        [f"催报名单（{len(not_yet)}）：" + "、".join(_urge(e) for e in not_yet)]
        if not_yet
        else ["全部单位均已报送。"]
    )
    return View(
        title=title,
        columns=[
            Column("unit", "单位"),
            Column("state", "报送情况"),
            Column("submitted", "报送日期"),
            Column("late", "逾期天数", numeric=True),
            Column("contact", "联系人"),
            Column("rate", "按时报送率"),
        ],
        rows=[
            {
                "unit": e.unit,
                "state": _STATE_ZH[e.state],
                "submitted": e.submitted.isoformat() if e.submitted else "—",
                "late": e.days_late if e.days_late else "",
                "contact": e.contact or "—",
                "rate": _rate(e),
                "_style": "red" if e.state == NOT_YET else None,
            }
            for e in roll.entries
        ],
        notes=notes,
    )


def _urge(entry: RollEntry) -> str:
    return f"{entry.unit}（{entry.contact}）" if entry.contact else entry.unit


def _rate(entry: RollEntry) -> str:
    c = entry.compliance
    return "—" if c.on_time_rate is None else f"{c.on_time_rate:.0%}"
