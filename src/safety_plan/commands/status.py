"""``safety-plan status``: the dashboard — phase, progress by action, lights."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import Snapshot, Tally, snapshot
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.output.words import LIGHT_ZH

if TYPE_CHECKING:
    from safety_plan.engine.types import CompiledPlan


def section_rows(snap: Snapshot) -> list[dict[str, Any]]:
    """One row per plan section, every section included, then each plan's plan-level items."""
    plan = snap.plan
    tallies = snap.by_section()
    rows = []
    for plan_id, section in plan.section_keys():
        tally = tallies.get((plan_id, section), Tally(snap.as_of))
        if section is None and not tally.due and not tally.soon and (plan_id, None) not in tallies:
            continue
        rows.append(
            {
                "plan": plan_id,
                "section": section,
                "title": plan.section_title(plan_id, section),
                "due": len(tally.due),
                "done": len([e for e in tally.due if e.done]),
                "in_progress": len(tally.in_progress),
                "overdue": len(tally.overdue),
                "soon": len(tally.soon),
                "light": tally.light.value,
            }
        )
    return rows


def phase_json(snap: Snapshot) -> dict[str, Any] | None:
    """The phase the as-of day falls in (DESIGN.md's ``status.phase``), or None outside the plan."""
    phase = snap.phase
    if phase is None:
        return None
    return {
        "id": phase.phase.id,
        "name": phase.phase.name,
        "start": phase.phase.start.isoformat(),
        "end": phase.phase.end.isoformat(),
        "index": phase.index,
        "of": len(snap.plan.phases),
        "elapsed_days": phase.elapsed_days,
        "total_days": phase.total_days,
    }


def run(request: Request, *, warn_days: int | None = None) -> Result:
    as_of = request.as_of
    view, payload = answered(
        request.data.path,
        request.data.shown,
        "status",
        (as_of, warn_days),
        lambda opened: _views(opened.plan(), as_of, warn_days),
    )
    return Result(render(view, payload, request.fmt))


def _views(plan: CompiledPlan, as_of: dt.date, warn_days: int | None) -> tuple[View, dict[str, Any]]:
    snap = snapshot(plan, as_of, warn_days)
    phase = snap.phase
    sections = section_rows(snap)
    lights = {light.value: n for light, n in snap.lights().items()}
    payload = {
        "as_of": as_of.isoformat(),
        "phase": phase_json(snap),
        "sections": sections,
        "lights": lights,
    }
    if phase is None:
        phase_line = "当前不在任何阶段内（方案期限之外）。"
    else:
        phase_line = (
            f"当前阶段：第{phase.index}阶段 {phase.phase.name}（{phase.phase.start} 至 {phase.phase.end}），"
            f"已过 {phase.elapsed_days}/{phase.total_days} 天（{phase.fraction:.0%}）。"
        )
    view = View(
        title=f"工作进展总览：截至 {as_of.isoformat()}",
        columns=[
            Column("title", "行动 / 部分", wrap=True),
            Column("due", "应完成", numeric=True),
            Column("done", "已完成", numeric=True),
            Column("in_progress", "推进中", numeric=True),
            Column("overdue", "逾期", numeric=True),
            Column("light", "灯"),
        ],
        rows=[
            {
                **row,
                "title": f"{row['plan']} {row['title']}",
                "light": LIGHT_ZH[row["light"]],
                "_style": {"red": "red", "yellow": "yellow"}.get(row["light"]),
            }
            for row in sections
        ],
        notes=[
            phase_line,
            # 次, as the bulletin counts them: one unit's deadline or one occurrence of a duty
            # (overdue's rows are 项: a duty missed again and again is one row).
            f"红灯 {lights['red']} 次，黄灯 {lights['yellow']} 次，绿灯 {lights['green']} 次"
            f"（黄灯：{snap.warn_days} 天内到期）。",
        ],
    )
    return view, payload
