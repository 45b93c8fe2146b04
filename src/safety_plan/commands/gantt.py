"""``safety-plan gantt``: the 挂图作战 timeline as a Mermaid gantt chart in Markdown.

GitHub, GitLab and most Markdown editors draw a ```mermaid block, so the office gets a wall
chart that is generated, not drawn: the phases as bars, every deadline as a milestone under
its action, coloured by its light as of the month (the same snapshot as ``overdue``).
"""

from __future__ import annotations

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


def run(request: Request, *, plan_id: str | None = None) -> Result:
    as_of = request.as_of
    plan = open_plan(request.data.path, request.data.shown)
    plan_id = Resolver.of_plan(plan).optional_plan(plan_id)
    snap = snapshot(plan, as_of)
    lines = [
        "gantt",
        f"    title {_title(snap, plan_id)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
    ]
    lines += _phases(snap)
    counts, milestones = _milestones(snap, plan_id)
    lines += milestones
    total = sum(" :milestone" in line for line in milestones)
    legend = "，".join(f"{word}（{tag}）{counts[tag]} 个" for tag, word in _TAGS.items())
    summary = f"里程碑（限时任务）{total} 个：{legend}；其余未到预警期。" if total else "没有限时任务。"
    return Result(
        "\n".join(
            [
                f"# 挂图作战时间轴（截至 {as_of.isoformat()}）",
                "",
                f"- {summary}",
                f"- 黄灯：{snap.warn_days} 天内到期；每项限时任务的灯号取其各责任单位中最差的一个。",
                "",
                "```mermaid",
                *lines,
                "```",
                "",
            ]
        )
    )


_TAGS = {"crit": "红灯", "active": "黄灯", "done": "已完成"}


def _title(snap: Snapshot, plan_id: str | None) -> str:
    name = snap.plan.plans.get(plan_id, plan_id) if plan_id else "安全生产治本攻坚"
    return mermaid_text(f"{name} 挂图作战（截至 {snap.as_of.isoformat()}）")


def _phases(snap: Snapshot) -> list[str]:
    lines = []
    for index, phase in enumerate(snap.plan.phases, start=1):
        tag = "done" if phase.end < snap.as_of else "active" if phase.start <= snap.as_of else ""
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
            if tag:
                counts[tag] += 1
            tags = f"milestone, {tag}" if tag else "milestone"
            name = mermaid_text(f"{ob.ref} {ob.what}", _NAME_CHARS)
            lines.append(f"    {name} :{tags}, {mermaid_id(ob.ref)}, {ob.due.isoformat()}, 0d")
    return counts, lines
