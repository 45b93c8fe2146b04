"""A unit's 任务清单 as three views: the measures it holds, its yellow and its red lights.

Shared by ``tasklist`` (Markdown, xlsx) and the dashboard's unit pages, so both show the same
rows. Responsibility comes from ``engine.responsibility`` and every light and count from the
same snapshot as ``overdue``, so the task list never disagrees with the bulletin.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from safety_plan.dataset import Dataset
from safety_plan.engine.asof import Evaluation, Snapshot, Tally
from safety_plan.engine.responsibility import unit_holdings, unit_roles
from safety_plan.engine.types import CompiledPlan
from safety_plan.output.render import Column, View
from safety_plan.output.words import KIND_ZH, LIGHT_ZH, ROLE_ZH, status_zh


def unit_views(dataset: Dataset, snap: Snapshot, unit: str) -> list[View]:
    """一、the measures ``unit`` holds; 二、its yellow lights; 三、its red lights (as ``overdue``)."""
    return [_measures(dataset, snap, unit), _due(snap, unit), _overdue(snap, unit)]


def _latest_notes(plan: CompiledPlan, holders: set[str], as_of: dt.date) -> dict[str, str]:
    """Measure → the latest note these units reported on it or on one of its items, by ``as_of``."""
    measure_of = {ob.ref: ob.measure for ob in plan.obligations}
    measure_of.update({ref: ref for ref, kind in plan.refs.items() if kind == "measure"})
    latest: dict[str, tuple[dt.date, str]] = {}
    for ref, reported in plan.items.items():
        measure = measure_of.get(ref)
        if measure is None:
            continue
        for r in reported:
            if not r.note or r.unit not in holders or r.submitted > as_of:
                continue
            if measure not in latest or r.submitted >= latest[measure][0]:
                latest[measure] = (r.submitted, r.note)
    return {m: note for m, (_, note) in latest.items()}


def _measures(dataset: Dataset, snap: Snapshot, unit: str) -> View:
    roles = unit_roles(dataset, unit)
    tallies: dict[str | None, Tally] = defaultdict(lambda: Tally(snap.as_of))
    for ev in snap.evaluations_for(unit=unit):
        tallies[ev.obligation.measure].add(ev)
    notes = _latest_notes(snap.plan, {unit, *snap.plan.members.get(unit, ())}, snap.as_of)
    rows: list[dict[str, Any]] = []
    for measure_id in roles.all:
        measure = dataset.measures[measure_id]
        if measure_id in roles.lead:
            role = ROLE_ZH["lead"]
        elif measure_id in roles.support:
            role = ROLE_ZH["support"]
        else:
            holding = unit_holdings(dataset, measure)[unit]
            role = f"{ROLE_ZH[holding.role]}（经{holding.group}）"
        timing = [d.phrase for d in dataset.deadlines_of(measure_id)]
        timing += [r.phrase for r in dataset.recurring_of(measure_id)]
        tally = tallies.get(measure_id)
        rows.append(
            {
                "role": role,
                "id": measure_id,
                "plan": snap.plan.plans.get(measure.plan, measure.plan),
                "title": measure.title,
                "timing": "；".join(dict.fromkeys(timing)),
                "due": len(tally.due) if tally else 0,
                "done": len([e for e in tally.due if e.done]) if tally else 0,
                "light": LIGHT_ZH[tally.light.value] if tally is not None else "",
                "note": notes.get(measure_id, ""),
            }
        )
    return View(
        title=f"一、牵头、配合及经分组承担的措施（{len(rows)} 项）",
        columns=[
            Column("role", "角色"),
            Column("id", "编号"),
            Column("plan", "方案"),
            Column("title", "措施", wrap=True),
            Column("timing", "时限", wrap=True),
            Column("due", "应完成", numeric=True),
            Column("done", "已完成", numeric=True),
            Column("light", "灯号"),
            Column("note", "最新进展", wrap=True),
        ],
        rows=rows,
        empty="该单位没有直接或经分组承担的措施。",
    )


def _item(ev: Evaluation) -> dict[str, Any]:
    ob = ev.obligation
    window = f"（{ob.window.label}）" if ob.window is not None else ""
    return {
        "ref": ob.ref,
        "kind": KIND_ZH[ob.kind.value],
        "what": ob.what + window,
        "phrase": ob.phrase,
        "unit": ob.unit,
        "due": ob.due.isoformat(),
        "status": status_zh(ev.status),
        "note": ev.note or "",
    }


_ITEM_COLUMNS = [
    Column("ref", "编号"),
    Column("kind", "类型"),
    Column("what", "事项", wrap=True),
    Column("phrase", "时限"),
    Column("unit", "责任单位"),
    Column("due", "截止日期"),
]


def _due(snap: Snapshot, unit: str) -> View:
    """Yellow lights: not done, due after the as-of day and within the warning window."""
    start, end = snap.as_of + dt.timedelta(days=1), snap.as_of + dt.timedelta(days=snap.warn_days)
    items = snap.falling_due(start, end, unit=unit)
    return View(
        title=f"二、{snap.warn_days} 天内到期事项（黄灯，{len(items)} 项）",
        columns=[
            *_ITEM_COLUMNS,
            Column("left", "剩余天数", numeric=True),
            Column("status", "报送状态"),
            Column("note", "最新进展", wrap=True),
        ],
        rows=[{**_item(ev), "left": (ev.obligation.due - snap.as_of).days} for ev in items],
        empty=f"{snap.warn_days} 天内没有到期未完成的事项。",
    )


def _overdue(snap: Snapshot, unit: str) -> View:
    """Red lights: the same rows as ``overdue --unit``."""
    rows = snap.overdue(unit=unit)
    return View(
        title=f"三、逾期未完成事项（红灯，{len(rows)} 项）",
        columns=[
            *_ITEM_COLUMNS,
            Column("days", "逾期天数", numeric=True),
            Column("missed", "累计未完成次数", numeric=True),
            Column("status", "报送状态"),
            Column("note", "最新进展", wrap=True),
        ],
        rows=[{**_item(r.evaluation), "days": r.evaluation.days_overdue, "missed": r.missed} for r in rows],
        empty="没有逾期事项。",
    )
