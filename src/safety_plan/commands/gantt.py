"""``safety-plan gantt``: the 挂图作战 timeline as a Mermaid gantt chart in Markdown.

GitHub, GitLab and most Markdown editors draw a ```mermaid block, so the office gets a wall
chart that is generated, not drawn: the phases as bars, every deadline as a milestone under
its action, coloured by its light as of the month (the same snapshot as ``overdue``), red,
yellow and green as the lights are, with a legend in the chart. The chart's own "截至" marker is
the only day line: Mermaid's "today" line would show the machine's date, not the as-of day.
``--recurring`` adds each recurring duty as a bar from its first due day to its last. Rows,
fonts and ticks are set so that a hundred deadlines stay legible (names cut at 28 characters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from safety_plan.commands._data import open_plan
from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import Evaluation, Light, Snapshot, snapshot
from safety_plan.engine.types import Kind
from safety_plan.output.text import printable
from safety_plan.resolve import Resolver

# Mermaid ends a task name at ':' and drops the rest of a line after '#' or ';'.
_MERMAID = str.maketrans({":": "：", "#": "＃", ";": "；", "<": "＜", ">": "＞", "`": "｀"})
_NAME_CHARS = 28


def mermaid_text(text: str, limit: int | None = None) -> str:
    """``text`` safe as a Mermaid gantt task, section or title: full-width punctuation, one line."""
    text = " ".join(printable(text).translate(_MERMAID).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def mermaid_id(ref: str) -> str:
    """A task ID Mermaid accepts (letters, digits, underscores) from a deadline ID."""
    return re.sub(r"[^A-Za-z0-9]", "_", ref)


def milestone_tag(evaluations: list[Evaluation]) -> str | None:
    """``crit`` if any holder's light is red, ``active`` if yellow, ``done`` when all are done."""
    live = [ev for ev in evaluations if not ev.not_applicable]
    if any(ev.light is Light.red for ev in live):
        return "crit"
    if any(ev.light is Light.yellow for ev in live):
        return "active"
    if live and all(ev.done for ev in live):
        return "done"
    return None


# Colours of the lights (Mermaid's crit / active / done classes), row height and fonts for a
# chart of a hundred rows, the axis on top as well so that it is in view on a tall chart.
INIT = (
    '%%{init: {"theme": "base", "themeVariables": {'
    '"critBkgColor": "#c62828", "critBorderColor": "#8e0000", '
    '"activeTaskBkgColor": "#f2a900", "activeTaskBorderColor": "#a87500", '
    '"doneTaskBkgColor": "#2e7d32", "doneTaskBorderColor": "#1b5e20", '
    '"taskBkgColor": "#e3e8ef", "taskBorderColor": "#8fa3bf", "taskTextColor": "#1f2933", '
    '"taskTextDarkColor": "#ffffff", "taskTextOutsideColor": "#1f2933", "sectionBkgColor": "#f3f5f8", '
    '"altSectionBkgColor": "#ffffff", "sectionBkgColor2": "#f3f5f8", "gridColor": "#d9dee5"}, '
    '"gantt": {"barHeight": 16, "barGap": 6, "fontSize": 12, "sectionFontSize": 13, '
    '"leftPadding": 300, "topPadding": 60, "topAxis": true, "numberSectionStyles": 2}}}%%'
)


def run(request: Request, *, plan_id: str | None = None, recurring: bool = False) -> Result:
    as_of = request.as_of
    plan = open_plan(request.data.path, request.data.shown)
    plan_id = Resolver.of_plan(plan).optional_plan(plan_id)
    snap = snapshot(plan, as_of)
    lines = [
        INIT,
        "gantt",
        f"    title {_title(snap, plan_id)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
        "    tickInterval 3month",
        "    todayMarker off",
    ]
    lines += _legend(snap)
    lines += _phases(snap)
    counts, milestones = _milestones(snap, plan_id)
    lines += milestones
    if recurring:
        lines += _duties(snap, plan_id)
    total = sum(counts.values())
    legend = "，".join(f"{word} {counts[tag]} 个" for tag, word in _TAGS.items())
    summary = f"里程碑（限时任务）{total} 个：{legend}。" if total else "没有限时任务。"
    return Result(
        "\n".join(
            [
                f"# 挂图作战时间轴（截至 {as_of.isoformat()}）",
                "",
                f"- {summary}",
                f"- 图例：红色 = 红灯（逾期未完成）；黄色 = 黄灯（{snap.warn_days} 天内到期）；绿色 = 已完成；"
                f"浅色 = 未到预警期。每项限时任务的灯号取其各责任单位中最差的一个；"
                f"“截至 {as_of.isoformat()}”是统计日，图中不画本机的“今天”线。",
                "",
                "```mermaid",
                *lines,
                "```",
                "",
            ]
        )
    )


_TAGS = {"crit": "红灯", "active": "黄灯", "done": "已完成", "": "未到预警期"}


def _title(snap: Snapshot, plan_id: str | None) -> str:
    name = snap.plan.plans.get(plan_id, plan_id) if plan_id else "安全生产治本攻坚"
    return mermaid_text(f"{name} 挂图作战（截至 {snap.as_of.isoformat()}）")


def _legend(snap: Snapshot) -> list[str]:
    """The legend as the chart's first section: one milestone of each colour, on the as-of day."""
    day = snap.as_of.isoformat()
    words = {
        "crit": "红灯 逾期未完成",
        "active": f"黄灯 {snap.warn_days}天内到期",
        "done": "已完成",
        "": "未到预警期",
    }
    lines = ["    section 图例"]
    for tag, word in words.items():
        tags = f"milestone, {tag}" if tag else "milestone"
        lines.append(f"    {word} :{tags}, legend_{tag or 'open'}, {day}, 0d")
    return lines


def _phases(snap: Snapshot) -> list[str]:
    """The phases as bars: finished ones green (done), the others plain; the as-of marker in
    the current one. (Not yellow for the current phase: yellow means due soon here.)"""
    lines = []
    for index, phase in enumerate(snap.plan.phases, start=1):
        tag = "done" if phase.end < snap.as_of else ""
        days = (phase.end - phase.start).days + 1
        tags = f"{tag}, " if tag else ""
        lines.append(f"    section 第{index}阶段 {mermaid_text(phase.name)}")
        lines.append(
            f"    {mermaid_text(phase.name)} :{tags}phase_{mermaid_id(phase.id)}, {phase.start.isoformat()}, {days}d"
        )
        if phase.start <= snap.as_of <= phase.end:
            lines.append(f"    截至 {snap.as_of.isoformat()} :milestone, as_of, {snap.as_of.isoformat()}, 0d")
    return lines


def _milestones(snap: Snapshot, plan_id: str | None) -> tuple[dict[str, int], list[str]]:
    """One section per plan action (and plan-level items), one milestone per deadline."""
    plan = snap.plan
    by_section: dict[tuple[str, int | None], dict[str, list[Evaluation]]] = defaultdict(dict)
    for ev in snap.evaluations:
        ob = ev.obligation
        if ob.kind is Kind.deadline and (plan_id is None or ob.plan == plan_id):
            by_section[(ob.plan, ob.section)].setdefault(ob.ref, []).append(ev)
    counts = dict.fromkeys(_TAGS, 0)
    lines: list[str] = []
    for key in [k for k in plan.section_keys() if k in by_section]:
        plan_key, section = key
        label = plan.section_title(plan_key, section)
        lines.append(f"    section {mermaid_text(plan.plans.get(plan_key, plan_key) + ' ' + label)}")
        deadlines = sorted(
            by_section[key].values(), key=lambda evs: (evs[0].obligation.due, evs[0].obligation.ref)
        )
        for evs in deadlines:
            ob = evs[0].obligation
            tag = milestone_tag(evs)
            counts[tag or ""] += 1
            tags = f"milestone, {tag}" if tag else "milestone"
            name = mermaid_text(f"{ob.ref} {ob.what}", _NAME_CHARS)
            lines.append(f"    {name} :{tags}, {mermaid_id(ob.ref)}, {ob.due.isoformat()}, 0d")
    return counts, lines


def _duties(snap: Snapshot, plan_id: str | None) -> list[str]:
    """``--recurring``: each duty as one bar from its first due day to its last, lit by its
    occurrences due so far (red if any holder missed one, as ``overdue`` counts it)."""
    by_ref: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in snap.evaluations:
        ob = ev.obligation
        if ob.kind is Kind.recurring and (plan_id is None or ob.plan == plan_id):
            by_ref[ob.ref].append(ev)
    if not by_ref:
        return []
    lines = ["    section 常态任务（周期性）"]
    for ref, evs in sorted(by_ref.items(), key=lambda kv: (min(e.obligation.due for e in kv[1]), kv[0])):
        first = min(e.obligation.due for e in evs)
        last = max(e.obligation.due for e in evs)
        lit = [e for e in evs if e.obligation.due <= snap.as_of + dt.timedelta(days=snap.warn_days)]
        tag = milestone_tag(lit) if lit else None
        tag = None if tag == "done" and last > snap.as_of else tag  # done so far, not done for good
        name = mermaid_text(f"{ref} {evs[0].obligation.phrase} {evs[0].obligation.what}", _NAME_CHARS)
        tags = f"{tag}, " if tag else ""
        days = max((last - first).days, 1)
        lines.append(f"    {name} :{tags}{mermaid_id(ref)}, {first.isoformat()}, {days}d")
    return lines
