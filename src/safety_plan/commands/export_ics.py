"""``safety-plan export ics``: deadlines and recurring duties as an iCalendar feed (RFC 5545).

Units subscribe to it in Outlook, DingTalk or a phone calendar, so the plan's dates reach the
people who must meet them. Deadlines are all-day events; a recurring duty is one event with an
RRULE whose dates are exactly the engine's due days (checked, with EXDATE/RDATE for any day a
working-day shift moved; a yearly duty is FREQ=YEARLY). UIDs and DTSTAMP come from the data,
so the same data gives the same bytes and a re-import updates events instead of duplicating
them; UIDs end with a domain of the plan's (``calendar_domain``, else one derived from its
issuer), so two districts' feeds never collide. Each event has a short SUMMARY for the
calendar grid, the full text in DESCRIPTION, and reminders (VALARM, 3 and 1 days before at
09:00 unless told otherwise). SEQUENCE counts a deadline's approved moves and, when the feed
overwrites its previous file, goes up for every event whose content changed, so subscribed
calendars take the new version; REFRESH-INTERVAL asks them to look daily.
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
from safety_plan.problems import UsageError
from safety_plan.resolve import Resolver
from safety_plan.vocabulary import Every

if TYPE_CHECKING:
    from icalendar import Component, Event

DOMAIN = "safety-plan"
"""The PRODID's vendor; UIDs use the plan's own domain (``uid_domain``)."""
DEFAULT_REMINDERS = (3, 1)
"""Days before a due day that a calendar reminds, at ``_REMIND_AT`` o'clock."""
_REMIND_AT = 9
REFRESH = dt.timedelta(days=1)
_SUMMARY_CHARS = 24
_MONTHS = {
    Every.month: None,
    Every.quarter: [3, 6, 9, 12],
    Every.half_year: [6, 12],
    Every.year: [12],
}


def uid_domain(dataset: Dataset) -> str:
    """The domain every UID ends with: the main plan's ``calendar_domain``, else its issuer as
    an internationalised domain label (``xn--…``), unique to the issuing office."""
    main = max(dataset.plans.values(), key=lambda p: (p.issued, p.id))
    if main.calendar_domain:
        return main.calendar_domain
    label = main.issuer.encode("punycode").decode("ascii")
    return f"xn--{label}" if not main.issuer.isascii() else label.rstrip("-").lower()


def short_summary(what: str, limit: int = _SUMMARY_CHARS) -> str:
    """The first clause of ``what``, cut to ``limit`` characters: what fits a calendar cell."""
    first = what
    for stop in "。；;，,：:":
        first = first.split(stop, 1)[0] if len(first) > limit else first
    first = " ".join(first.split())
    return first if len(first) <= limit else first[: limit - 1] + "…"


def parse_reminders(text: str) -> tuple[int, ...]:
    """``3,1`` → (3, 1); ``none`` or empty → no reminders. Raises ValueError naming the bad part."""
    if text.strip().lower() in ("", "none", "no", "0"):
        return ()
    days = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or not 0 <= int(part) <= 366:
            raise ValueError(part)
        days.append(int(part))
    return tuple(sorted(set(days), reverse=True))


def recurrence(duty: Recurring, until: dt.date) -> dict[str, Any]:
    """The RRULE for a duty's nominal due days: the window's last day (BYMONTHDAY=-1), or
    ``day`` of its last month (``check`` allows only days every such month has)."""
    rule: dict[str, Any] = {"freq": "yearly" if duty.every is Every.year else "monthly"}
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


def run(request: Request, *, unit: str | None = None, remind: str = "3,1") -> Result:
    try:
        reminders = parse_reminders(remind)
    except ValueError as exc:
        raise UsageError(
            f"--remind: '{exc}' is not a number of days (0-366); e.g. --remind 3,1 or --remind none"
        ) from None
    dataset, plan = open_both(request.data.path, request.data.shown)
    unit = Resolver.of_plan(plan).optional_unit(unit)
    target = request.output
    previous = target.read_bytes() if target is not None and target.is_file() else None
    content = calendar(dataset, plan, unit, reminders, previous)
    written = f"已生成 {request.output}（{content.count(b'BEGIN:VEVENT')} 个日程）"
    return Result.document(request, content, written)


def calendar(
    dataset: Dataset,
    plan: CompiledPlan,
    unit: str | None,
    reminders: tuple[int, ...] = DEFAULT_REMINDERS,
    previous: bytes | None = None,
) -> bytes:
    """The feed; ``previous`` is the file it replaces, whose SEQUENCEs it continues."""
    from icalendar import Calendar, vDuration

    main = dataset.main_plan
    stamp = dt.datetime.combine(main.issued, dt.time(), tzinfo=dt.UTC)
    domain = uid_domain(dataset)
    before = _previous_events(previous)
    cal = Calendar()
    cal.add("prodid", f"-//{DOMAIN}//task calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    plans = "、".join(p.short for p in dataset.plans.values())
    cal.add("x-wr-calname", printable(f"{plans}任务日历" + (f"（{unit}）" if unit else "")))
    cal.add(
        "x-wr-caldesc", printable(f"{main.issuer}：{plans}的限时任务与常态任务，由 safety-plan 根据数据生成")
    )
    cal.add("x-wr-timezone", "Asia/Shanghai")
    # RFC 7986's refresh hint, and the older one Outlook and Google read.
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    # Events: every deadline, then every recurring duty; with --unit, one per holding unit.
    held = _holders(plan, unit)

    def holders(ref: str) -> list[str | None]:
        return [None] if unit is None else list(held.get(ref, []))

    events: list[Event] = []
    for deadline in sorted(dataset.schedule_file.deadlines, key=lambda d: (d.due, d.id)):
        for holder in holders(deadline.id):
            events.append(_deadline_event(dataset, deadline, holder, stamp, domain))
    for duty in dataset.schedule_file.recurring:
        for holder in holders(duty.id):
            event = _duty_event(dataset, duty, holder, stamp, domain)
            if event is not None:
                events.append(event)
    for event in events:
        _add_reminders(event, reminders)
        _set_sequence(event, before)
        cal.add_component(event)
    return bytes(cal.to_ical())


def _fingerprint(event: Component) -> bytes:
    """The event's content without SEQUENCE and DTSTAMP: what a change is judged by."""
    lines = event.to_ical().splitlines()
    return b"\n".join(line for line in lines if not line.startswith((b"SEQUENCE", b"DTSTAMP")))


def _previous_events(previous: bytes | None) -> dict[str, tuple[int, bytes]]:
    """UID → (SEQUENCE, fingerprint) of the feed being replaced; nothing if it does not parse."""
    if not previous:
        return {}
    from icalendar import Calendar

    try:
        old = Calendar.from_ical(previous)
    except ValueError:
        return {}
    found = {}
    for event in old.walk("VEVENT"):
        try:
            sequence = int(event.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence = 0
        found[str(event.get("UID"))] = (sequence, _fingerprint(event))
    return found


def _set_sequence(event: Event, before: dict[str, tuple[int, bytes]]) -> None:
    """SEQUENCE never goes back, and goes up by one when the content changed since ``before``."""
    own = int(event.get("SEQUENCE", 0))
    previous = before.get(str(event["UID"]))
    if previous is not None:
        old_sequence, old_print = previous
        own = max(own, old_sequence + (old_print != _fingerprint(event)))
    if "SEQUENCE" in event:
        del event["SEQUENCE"]
    event.add("sequence", own)


def _add_reminders(event: Event, reminders: tuple[int, ...]) -> None:
    """A VALARM per day in ``reminders``: that many days before the (all-day) start, at 09:00."""
    from icalendar import Alarm

    summary = str(event["SUMMARY"])
    for days in reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        when = "今天到期" if days == 0 else f"{days} 天后到期"
        alarm.add("description", printable(f"{when}：{summary}"))
        alarm.add("trigger", dt.timedelta(days=-days, hours=_REMIND_AT))
        event.add_component(alarm)


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


def _uid(ref: str, holder: str | None, domain: str) -> str:
    return f"{ref}.{holder}@{domain}" if holder else f"{ref}@{domain}"


def _short(dataset: Dataset, item: Deadline | Recurring) -> str:
    """What a calendar cell shows: the measure's short title, else the first words of ``what``."""
    if item.measure is None:
        return short_summary(item.what)
    title = dataset.measures[item.measure].title
    siblings = (
        dataset.deadlines_of(item.measure)
        if isinstance(item, Deadline)
        else dataset.recurring_of(item.measure)
    )
    return f"{title}（{short_summary(item.phrase, 12)}）" if len(siblings) > 1 else title


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


def _deadline_event(
    dataset: Dataset, deadline: Deadline, holder: str | None, stamp: dt.datetime, domain: str
) -> Event:
    due = deadline.changes[-1].due if deadline.changes else deadline.due
    moved = [
        f"调整：{c.approved.isoformat()} 经{c.approval}批准改至 {c.due.isoformat()}"
        + (f"（{c.reason}）" if c.reason else "")
        for c in deadline.changes
    ]
    lines = [
        f"编号：{deadline.id}",
        f"时限：{deadline.phrase}（截止 {due.isoformat()}"
        + (f"，原定 {deadline.due.isoformat()}）" if moved else "）"),
        *moved,
        f"事项：{deadline.what}",
        _measure_line(dataset, deadline),
        f"责任单位：{_owners_line(dataset, deadline)}",
    ]
    if holder:
        lines.append(f"本单位：{holder}")
    summary = f"【限时】{_short(dataset, deadline)}" + (f"（{holder}）" if holder else "")
    event = _event(_uid(deadline.id, holder, domain), stamp, due, summary, lines, Kind.deadline)
    if deadline.changes:
        event.add("sequence", len(deadline.changes))  # one revision per approved move
    return event


def _duty_event(
    dataset: Dataset, duty: Recurring, holder: str | None, stamp: dt.datetime, domain: str
) -> Event | None:
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
    summary = f"【{EVERY_ZH[duty.every.value]}】{short_summary(duty.what)}" + (
        f"（{holder}）" if holder else ""
    )
    event = _event(_uid(duty.id, holder, domain), stamp, first, summary, lines, Kind.recurring)
    event.add("rrule", rule)
    # Working-day shifts (adjust) move single days the RRULE cannot express: list them.
    if extra := sorted(expanded - set(dues)):
        event.add("exdate", extra)
    if missing := sorted(set(dues) - expanded):
        event.add("rdate", missing)
    return event
