"""``safety-plan overdue``: what is overdue as of a day, who owns it, how late."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.commands._rows import row_json
from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import snapshot
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.output.words import KIND_ZH, status_zh
from safety_plan.resolve import Resolver

if TYPE_CHECKING:
    from safety_plan.engine.types import CompiledPlan


def run(request: Request, *, unit: str | None = None, plan_id: str | None = None) -> Result:
    return Result(render(*views(request, unit=unit, plan_id=plan_id), request.fmt))


def views(request: Request, *, unit: str | None = None, plan_id: str | None = None) -> tuple[View, Any]:
    """The view and JSON payload ``run`` renders (a city edition joins each district's), kept
    for the same query (``opening.answers``)."""
    as_of = request.as_of
    return answered(
        request.data.path,
        request.data.shown,
        "overdue",
        (as_of, unit, plan_id),
        lambda opened: _views(opened.plan(), as_of, unit, plan_id),
    )


def _views(plan: CompiledPlan, as_of: dt.date, unit: str | None, plan_id: str | None) -> tuple[View, Any]:
    resolver = Resolver.of_plan(plan)
    unit = resolver.optional_unit(unit)
    plan_id = resolver.optional_plan(plan_id)
    rows = snapshot(plan, as_of).overdue(unit=unit, plan=plan_id)
    payload = {"as_of": as_of.isoformat(), "items": [row_json(r) for r in rows]}
    scope = "".join(f"（{s}）" for s in (unit, plan_id and plan.plans.get(plan_id, plan_id)) if s)
    view = View(
        title=f"逾期未完成事项{scope}：截至 {as_of.isoformat()}，共 {len(rows)} 项",
        columns=[
            Column("ref", "编号", into="what"),
            Column("what", "事项", wrap=True),
            Column("unit", "责任单位"),
            Column("due", "截止日期"),
            Column("days", "逾期天数", numeric=True),
            Column("status", "报送状态"),
        ],
        rows=[
            {
                "ref": r.obligation.ref,
                "unit": r.obligation.unit,
                "what": r.obligation.what
                + (f"（{KIND_ZH['recurring']}，累计未完成 {r.missed} 次）" if r.missed else ""),
                "due": r.obligation.due.isoformat(),
                "days": r.evaluation.days_overdue,
                "status": status_zh(r.evaluation.status),
                "_style": "red" if r.evaluation.days_overdue > 90 else None,
            }
            for r in rows
        ],
        empty="没有逾期事项。",
        notes=[
            f"涉及 {len({r.obligation.unit for r in rows})} 个责任单位，最长逾期 "
            f"{max(r.evaluation.days_overdue for r in rows)} 天；各单位汇总见 safety-plan units。"
        ]
        if rows
        else [],
    )
    return view, payload
