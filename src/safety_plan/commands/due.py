"""``safety-plan due``: what falls due this month and soon (黄灯), and what is still open."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.commands._rows import evaluation_json
from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import snapshot
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.output.words import LIGHT_ZH, status_zh
from safety_plan.resolve import Resolver

if TYPE_CHECKING:
    from safety_plan.engine.types import CompiledPlan


def run(
    request: Request, *, within: int | None = None, unit: str | None = None, plan_id: str | None = None
) -> Result:
    """Open obligations due from the first of the as-of month to ``within`` days after the as-of day."""
    return Result(render(*views(request, within=within, unit=unit, plan_id=plan_id), request.fmt))


def views(
    request: Request, *, within: int | None = None, unit: str | None = None, plan_id: str | None = None
) -> tuple[View, Any]:
    """The view and JSON payload ``run`` renders (a city edition joins each district's), kept
    for the same query (``opening.answers``)."""
    as_of = request.as_of
    return answered(
        request.data.path,
        request.data.shown,
        "due",
        (as_of, within, unit, plan_id),
        lambda opened: _views(opened.plan(), as_of, within, unit, plan_id),
    )


def _views(
    plan: CompiledPlan, as_of: dt.date, within: int | None, unit: str | None, plan_id: str | None
) -> tuple[View, Any]:
    resolver = Resolver.of_plan(plan)
    unit = resolver.optional_unit(unit)
    plan_id = resolver.optional_plan(plan_id)
    snap = snapshot(plan, as_of, warn_days=within)  # None: rules.yaml's yellow_days
    start, end = as_of.replace(day=1), as_of + dt.timedelta(days=snap.warn_days)
    items = snap.falling_due(start, end, unit=unit, plan=plan_id)
    payload = {
        "as_of": as_of.isoformat(),
        "from": start.isoformat(),
        "until": end.isoformat(),
        "items": [evaluation_json(ev) for ev in items],
    }
    view = View(
        title=f"到期事项：{start.isoformat()} 至 {end.isoformat()} 到期、截至 {as_of.isoformat()} 未完成，共 {len(items)} 项",
        columns=[
            Column("light", "灯"),
            Column("ref", "编号", into="what"),
            Column("what", "事项", wrap=True),
            Column("unit", "责任单位"),
            Column("due", "截止日期"),
            Column("status", "报送状态"),
        ],
        rows=[
            {
                "light": LIGHT_ZH[ev.light.value],
                "ref": ev.obligation.ref,
                "what": ev.obligation.what,
                "unit": ev.obligation.unit,
                "due": ev.obligation.due.isoformat(),
                "status": status_zh(ev.status),
                "_style": {"red": "red", "yellow": "yellow"}.get(ev.light.value),
            }
            for ev in items
        ],
        empty="这段时间没有到期未完成的事项。",
    )
    return view, payload
