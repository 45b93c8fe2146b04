"""``safety-plan show ID``: one measure, deadline, recurring duty, unit or group in full,
with its status as of a day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.commands._rows import evaluation_json, row_json
from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import Evaluation, Snapshot, snapshot
from safety_plan.engine.types import Kind
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.output.words import EVERY_ZH, LIGHT_ZH, status_zh
from safety_plan.resolve import Resolver

if TYPE_CHECKING:  # the models: imported only when an answer is worked out, not read back
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan
    from safety_plan.models import Deadline, Measure, Recurring

_FIELDS = [Column("field", "项目"), Column("value", "内容", wrap=True, whole=True)]


def run(request: Request, *, ref: str) -> Result:
    return Result(render(*views(request, ref=ref), request.fmt))


def views(request: Request, *, ref: str) -> tuple[View, Any]:
    """The view and JSON payload ``run`` renders (a city edition prints each district's), kept
    for the same query (``opening.answers``)."""
    as_of = request.as_of
    return answered(
        request.data.path,
        request.data.shown,
        "show",
        (as_of, ref),
        lambda opened: _views(*opened.both(), as_of, ref),
    )


def _views(dataset: Dataset, plan: CompiledPlan, as_of: dt.date, ref: str) -> tuple[View, Any]:
    kind, ref = Resolver.of_plan(plan).ref_or_unit(ref)
    snap = snapshot(plan, as_of)
    if kind == "measure":
        return _measure(dataset, snap, dataset.measures[ref])
    if kind == "deadline":
        return _item(dataset, snap, dataset.deadlines[ref])
    if kind == "recurring":
        return _item(dataset, snap, dataset.recurring[ref])
    return _unit(dataset, plan, snap, ref)


def _current(snap: Snapshot, ref: str) -> list[Evaluation]:
    """A deadline's obligations; a duty's occurrences due so far (not the future ones)."""
    return [
        ev
        for ev in snap.evaluations_of(ref)
        if ev.obligation.kind is Kind.deadline or ev.obligation.due <= snap.as_of
    ]


def _summary(evaluations: list[Evaluation]) -> str:
    """One line for a deadline's or duty's state across its units: done, red, yellow."""
    if not evaluations:
        return "尚无到期事项"
    done = sum(1 for ev in evaluations if ev.done)
    red = sorted({ev.obligation.unit for ev in evaluations if ev.overdue})
    yellow = sorted({ev.obligation.unit for ev in evaluations if ev.light.value == "yellow"})
    parts = [f"已完成{done}/{len(evaluations)}"]
    if red:
        parts.append(f"{LIGHT_ZH['red']}：" + _names(red))
    if yellow:
        parts.append(f"{LIGHT_ZH['yellow']}：" + _names(yellow))
    return "；".join(parts)


def _names(units: list[str], most: int = 6) -> str:
    shown = "、".join(units[:most])
    return shown + (f" 等 {len(units)} 个单位" if len(units) > most else "")


def _state_lines(evaluations: list[Evaluation], as_of: dt.date) -> list[dict[str, Any]]:
    """A summary per obligation, newest relevant occurrence per unit for recurring duties."""
    latest: dict[str, Evaluation] = {}
    for ev in evaluations:
        if ev.obligation.due <= as_of or ev.obligation.unit not in latest:
            latest[ev.obligation.unit] = ev
    return [
        {
            "field": f"状态 · {unit}",
            "value": f"{LIGHT_ZH[ev.light.value]} {status_zh(ev.status)}，截止 {ev.obligation.due}"
            + (f"，逾期 {ev.days_overdue} 天" if ev.overdue else "")
            + (f"（{ev.note}）" if ev.note else ""),
        }
        for unit, ev in latest.items()
    ]


def _measure(dataset: Dataset, snap: Snapshot, measure: Measure) -> tuple[View, Any]:
    deadlines = dataset.deadlines_of(measure.id)
    duties = dataset.recurring_of(measure.id)
    plan = dataset.plans[measure.plan]
    section = next(s for s in plan.sections if s.number == measure.section)
    payload = {
        "id": measure.id,
        "plan": measure.plan,
        "section": measure.section,
        "number": measure.number,
        "title": measure.title,
        "text": measure.text,
        "owners": measure.owners,
        "lead": measure.lead,
        "owners_inferred": measure.owners_inferred,
        "owners_note": measure.owners_note,
        "note": measure.note,
        "deadlines": [
            {"id": d.id, "due": d.due.isoformat(), "phrase": d.phrase, "what": d.what} for d in deadlines
        ],
        "recurring": [
            {"id": r.id, "every": r.every.value, "day": r.day, "phrase": r.phrase, "what": r.what}
            for r in duties
        ],
        "as_of": snap.as_of.isoformat(),
        "status": [
            evaluation_json(ev)
            for ref in [*(d.id for d in deadlines), *(r.id for r in duties)]
            for ev in _current(snap, ref)
        ],
    }
    rows: list[dict[str, Any]] = [
        {"field": "编号", "value": measure.id},
        {"field": "方案", "value": f"{plan.short}：{section.label}{section.title}"},
        {"field": "措施", "value": measure.title},
        {"field": "原文", "value": measure.text},
        {"field": "牵头单位", "value": measure.lead},
        {"field": "配合单位", "value": "、".join(measure.owners[1:]) or "—"},
    ]
    if measure.owners_inferred:
        rows.append({"field": "责任推定", "value": measure.owners_note})
    if measure.note:
        rows.append({"field": "说明", "value": measure.note})
    for d in deadlines:
        rows.append({"field": f"时限 {d.id}", "value": f"{d.phrase}（{d.due}）：{d.what}"})
        rows.append({"field": "　状态", "value": _summary(_current(snap, d.id))})
    for r in duties:
        rows.append({"field": f"常态 {r.id}", "value": f"{r.phrase}：{r.what}"})
        rows.append({"field": "　状态", "value": _summary(_current(snap, r.id))})
    view = View(title=f"{measure.id} {measure.title}（截至 {snap.as_of}）", columns=_FIELDS, rows=rows)
    return view, payload


def _item(dataset: Dataset, snap: Snapshot, item: Deadline | Recurring) -> tuple[View, Any]:
    from safety_plan.models import Deadline

    evaluations = snap.evaluations_of(item.id)
    owners = dataset.owners_of(item)
    payload: dict[str, Any] = item.model_dump(mode="json", by_alias=True, exclude_none=True)
    payload.update(
        {
            "kind": "deadline" if isinstance(item, Deadline) else "recurring",
            "owners": owners,
            "as_of": snap.as_of.isoformat(),
            "status": [evaluation_json(ev) for ev in _current(snap, item.id)],
        }
    )
    rows: list[dict[str, Any]] = [
        {"field": "编号", "value": item.id},
        {"field": "所属", "value": item.measure or f"{item.plan}（方案层面）"},
        {"field": "时间要求", "value": item.phrase},
        {"field": "事项", "value": item.what},
        {"field": "责任单位", "value": "、".join(owners)},
    ]
    if isinstance(item, Deadline):
        rows.insert(3, {"field": "截止日期", "value": item.due.isoformat()})
        if item.changes:
            in_force = evaluations[0].obligation.due if evaluations else item.due  # the engine's day in force
            payload["due"] = in_force.isoformat()
            payload["original_due"] = item.due.isoformat()
            rows[3] = {"field": "截止日期", "value": f"{in_force}（截至 {snap.as_of} 有效）"}
            history = [{"field": "调整记录", "value": f"原定 {item.due}"}]
            for change in item.changes:
                state = "" if change.approved <= snap.as_of else "（尚未生效）"
                reason = f"，理由：{change.reason}" if change.reason else ""
                history.append(
                    {
                        "field": "",
                        "value": f"{change.approved} 经 {change.approval} 批准调整为 {change.due}{reason}{state}",
                    }
                )
            rows[4:4] = history
        rows.append(
            {"field": "完成方式", "value": "各单位分别完成" if item.each else "牵头单位统筹，一次完成"}
        )
    else:
        every = EVERY_ZH[item.every.value]
        rows.insert(3, {"field": "频次", "value": every + (f"（{item.day}日前）" if item.day else "")})
    if item.note:
        rows.append({"field": "说明", "value": item.note})
    rows.extend(_state_lines(evaluations, snap.as_of))
    view = View(title=f"{item.id}（截至 {snap.as_of}）", columns=_FIELDS, rows=rows)
    return view, payload


def _unit(dataset: Dataset, plan: CompiledPlan, snap: Snapshot, unit: str) -> tuple[View, Any]:
    from safety_plan.engine.responsibility import unit_roles

    roles = unit_roles(dataset, unit)
    overdue = snap.overdue(unit=unit)
    info = dataset.units.get(unit)
    group = dataset.groups.get(unit)
    payload: dict[str, Any] = {
        "id": unit,
        "type": "unit" if info else "group",
        "name": info.name if info else None,
        "kind": info.kind.value if info else None,
        "aliases": (info.aliases if info else group.aliases if group else []),
        "members": list(plan.members.get(unit, ())) if group else None,
        "groups": dataset.directory.groups_containing(unit) if info else [],
        "lead": roles.lead,
        "support": roles.support,
        "via_group": roles.via_group,
        "as_of": snap.as_of.isoformat(),
        "overdue": [row_json(r) for r in overdue],
    }
    rows: list[dict[str, Any]] = [{"field": "单位" if info else "分组", "value": unit}]
    if info and info.name:
        rows.append({"field": "全称", "value": info.name})
    if payload["aliases"]:
        rows.append({"field": "又写作", "value": "、".join(payload["aliases"])})
    if group:
        rows.append({"field": "成员", "value": "、".join(payload["members"])})
        if group.note:
            rows.append({"field": "说明", "value": group.note})
    if info and payload["groups"]:
        rows.append({"field": "所属分组", "value": "、".join(payload["groups"])})
    rows.append({"field": "牵头措施", "value": "、".join(roles.lead) or "—"})
    rows.append({"field": "配合措施", "value": "、".join(roles.support) or "—"})
    for g, measures in roles.via_group.items():
        rows.append({"field": f"经“{g}”", "value": "、".join(measures)})
    rows.append(
        {
            "field": "逾期事项",
            "value": f"{len(overdue)} 项"
            + ("：" + "、".join(r.obligation.ref for r in overdue) if overdue else ""),
        }
    )
    view = View(title=f"{unit}（截至 {snap.as_of}）", columns=_FIELDS, rows=rows)
    return view, payload
