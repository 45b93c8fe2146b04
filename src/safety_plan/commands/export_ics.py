"""``safety-plan export ics``: deadlines and recurring duties as an iCalendar feed (RFC 5545).

Units subscribe to it in Outlook, DingTalk or a phone calendar, so the plan's dates reach the
people who must meet them. Deadlines are all-day events; a recurring duty is one event with an
RRULE whose dates are exactly the engine's due days (checked, with EXDATE/RDATE for any day a
working-day shift moved). UIDs and DTSTAMP come from the data, so the same data gives the
same bytes and a re-import updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from safety_plan.commands._data import open_both
from safety_plan.commands.base import Request, Result
from safety_plan.dataset import Dataset
from safety_plan.engine.compile import occurrence_windows
from safety_plan.engine.types import CompiledPlan, Kind
from safety_plan.models import Deadline, Recurring
from safety_plan.output.text import printable
from safety_plan.output.words import EVERY_ZH, KIND_ZH
from safety_plan.resolve import Resolver
from safety_plan.vocabulary import Every

if TYPE_CHECKING:
    from icalendar import Event

DOMAIN = "safety-plan"
_MONTHS = {
    Every.month: None,
    Every.quarter: [3, 6, 9, 12],
    Every.half_year: [6, 12],
    Every.year: [12],
}


def recurrence(duty: Recurring, until: dt.date) -> dict[str, Any]:
    """The RRULE for a duty's nominal due days: the window's last day (BYMONTHDAY=-1), or
    ``day`` of its last month (``check`` allows only days every such month has)."""
    rule: dict[str, Any] = {"freq": "monthly"}
    months = _MONTHS[duty.every]
    if months:
        rule["bymonth"] = months
    rule["bymonthday"] = [-1 if duty.day is None else duty.day]
    rule["until"] = until
    return rule


def _expand(rule: dict[str, Any], start: dt.date) -> list[dt.date]:
    """The days ``rule`` yields from ``start``, read back from its RFC 5545 text."""
    from dateutil.rrule import rrulestr
    from icalendar import vRecur

    text = vRecur(rule).to_ical().decode()  # type: ignore[no-untyped-call]
    first = dt.datetime.combine(start, dt.time())
    return [d.date() for d in rrulestr(text, dtstart=first)]


def run(request: Request, *, unit: str | None = None) -> Result:
    dataset, plan = open_both(request.data.path, request.data.shown)
    unit = Resolver.of_plan(plan).optional_unit(unit)
    content = calendar(dataset, plan, unit)
    written = f"已生成 {request.output}（{content.count(b'BEGIN:VEVENT')} 个日程）"
    return Result.document(request, content, written)


def calendar(dataset: Dataset, plan: CompiledPlan, unit: str | None) -> bytes:
    from icalendar import Calendar

    main = dataset.main_plan
    stamp = dt.datetime.combine(main.issued, dt.time(), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", f"-//{DOMAIN}//task calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    plans = "、".join(p.short for p in dataset.plans.values())
    cal.add("x-wr-calname", printable(f"{plans}任务日历" + (f"（{unit}）" if unit else "")))
    # Events: every deadline, then every recurring duty; with --unit, one per holding unit.
    held = _holders(plan, unit)

    def holders(ref: str) -> list[str | None]:
        return [None] if unit is None else list(held.get(ref, []))

    for deadline in sorted(dataset.schedule_file.deadlines, key=lambda d: (d.due, d.id)):
        for holder in holders(deadline.id):
            cal.add_component(_deadline_event(dataset, deadline, holder, stamp))
    for duty in dataset.schedule_file.recurring:
        for holder in holders(duty.id):
            event = _duty_event(dataset, duty, holder, stamp)
            if event is not None:
                cal.add_component(event)
    return bytes(cal.to_ical())


def _holders(plan: CompiledPlan, unit: str | None) -> dict[str, list[str]]:
    """Deadline or duty ID → the units holding it among ``unit`` (itself, or a group's members).

    Held as ``overdue`` counts it: a joint item by its lead, an ``each`` item by every owner.
    """
    if unit is None:
        return {}
    within = {unit, *plan.members.get(unit, ())}
    result: dict[str, list[str]] = defaultdict(list)
    for ob in plan.obligations:
        if ob.unit in within and ob.unit not in result[ob.ref]:
            result[ob.ref].append(ob.unit)
    return {ref: units for ref, units in result.items() if units}


def _uid(ref: str, holder: str | None) -> str:
    return f"{ref}.{holder}@{DOMAIN}" if holder else f"{ref}@{DOMAIN}"


def _owners_line(dataset: Dataset, item: Deadline | Recurring) -> str:
    owners = dataset.owners_of(item)
    support = f"；配合：{'、'.join(owners[1:])}" if len(owners) > 1 else ""
    how = "各责任单位分别完成" if item.each else "共同完成，由牵头单位负责"
    return f"牵头：{owners[0]}{support}（{how}）"


def _measure_line(dataset: Dataset, item: Deadline | Recurring) -> str:
    if item.measure is None:
        return f"方案：{dataset.plan_of(item).short}（方案层面）"
    measure = dataset.measures[item.measure]
    return f"措施：{measure.id} {measure.title}（{dataset.plan_of(item).short}）"


def _event(uid: str, stamp: dt.datetime, day: dt.date, summary: str, lines: list[str], kind: Kind) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", printable(summary))
    event.add("description", printable("\n".join(lines)))
    event.add("categories", [KIND_ZH[kind.value]])
    event.add("transp", "TRANSPARENT")
    return event


def _deadline_event(dataset: Dataset, deadline: Deadline, holder: str | None, stamp: dt.datetime) -> Event:
    lines = [
        f"编号：{deadline.id}",
        f"时限：{deadline.phrase}（截止 {deadline.due.isoformat()}）",
        f"事项：{deadline.what}",
        _measure_line(dataset, deadline),
        f"责任单位：{_owners_line(dataset, deadline)}",
    ]
    if holder:
        lines.append(f"本单位：{holder}")
    summary = f"{deadline.phrase}：{deadline.what}" + (f"（{holder}）" if holder else "")
    return _event(_uid(deadline.id, holder), stamp, deadline.due, summary, lines, Kind.deadline)


def _duty_event(dataset: Dataset, duty: Recurring, holder: str | None, stamp: dt.datetime) -> Event | None:
    """One event for every occurrence of ``duty``, or None when none falls in the plan period."""
    occurrences = occurrence_windows(dataset, duty)
    if not occurrences:
        return None
    dues = [due for _, due in occurrences]
    period = dataset.plan_of(duty).period
    rule = recurrence(duty, min(duty.until or period.end, period.end))  # the engine's last day
    first = dues[0]
    expanded = set(_expand(rule, first)) | {first}
    lines = [
        f"编号：{duty.id}",
        f"频次：{EVERY_ZH[duty.every.value]}（{duty.phrase}），{dues[0].isoformat()} 至 {dues[-1].isoformat()} 共 {len(dues)} 次",
        f"事项：{duty.what}",
        _measure_line(dataset, duty),
        f"责任单位：{_owners_line(dataset, duty)}",
    ]
    if holder:
        lines.append(f"本单位：{holder}")
    summary = f"{duty.phrase}：{duty.what}" + (f"（{holder}）" if holder else "")
    event = _event(_uid(duty.id, holder), stamp, first, summary, lines, Kind.recurring)
    event.add("rrule", rule)
    # Working-day shifts (adjust) move single days the RRULE cannot express: list them.
    if extra := sorted(expanded - set(dues)):
        event.add("exdate", extra)
    if missing := sorted(set(dues) - expanded):
        event.add("rdate", missing)
    return event
