"""``safety-plan units``: every unit with its load (牵头 / 配合 / 逾期)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import ReportCompliance, snapshot
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.output.words import UNIT_KIND_ZH as KIND_ZH
from safety_plan.output.words import percent

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan


def _rate(compliance: ReportCompliance | None) -> float | None:
    rate = compliance.on_time_rate if compliance else None
    return None if rate is None else round(rate, 4)


def run(request: Request) -> Result:
    return Result(render(*views(request), request.fmt))


def views(request: Request) -> tuple[View, Any]:
    """The view and JSON payload ``run`` renders (a city edition joins each district's), kept
    for the same query (``opening.answers``)."""
    as_of = request.as_of
    return answered(
        request.data.path, request.data.shown, "units", (as_of,), lambda opened: _views(*opened.both(), as_of)
    )


def _views(dataset: Dataset, plan: CompiledPlan, as_of: dt.date) -> tuple[View, Any]:
    from safety_plan.engine.responsibility import unit_roles  # the models: only when worked out

    overdue_by_unit: dict[str, int] = {}
    snap = snapshot(plan, as_of)
    reports = snap.report_compliance()
    for row in snap.overdue():
        overdue_by_unit[row.obligation.unit] = overdue_by_unit.get(row.obligation.unit, 0) + 1
    directory = dataset.directory
    payload = []
    rows = []
    for unit in dataset.units.values():
        roles = unit_roles(dataset, unit.id)
        groups = [g for g in directory.groups_containing(unit.id)]
        via = len({m for ms in roles.via_group.values() for m in ms} - set(roles.lead) - set(roles.support))
        payload.append(
            {
                "id": unit.id,
                "name": unit.name,
                "kind": unit.kind.value,
                "aliases": unit.aliases,
                "groups": groups,
                "lead": len(roles.lead),
                "support": len(roles.support),
                "via_group": via,
                "overdue": overdue_by_unit.get(unit.id, 0),
                "reports_due": reports[unit.id].due if unit.id in reports else 0,
                "reports_on_time": reports[unit.id].on_time if unit.id in reports else 0,
                "on_time_rate": _rate(reports.get(unit.id)),
            }
        )
        rows.append(
            {
                "id": unit.id,
                "kind": KIND_ZH.get(unit.kind.value, unit.kind.value),
                "lead": len(roles.lead),
                "support": len(roles.support),
                "via": via,
                "overdue": overdue_by_unit.get(unit.id, 0),
                "on_time": percent(reports[unit.id].on_time_rate if unit.id in reports else None),
                "_style": "red" if overdue_by_unit.get(unit.id) else None,
            }
        )
    view = View(
        title=f"责任单位及任务量：共 {len(rows)} 个单位（逾期截至 {as_of.isoformat()}）",
        columns=[
            Column("id", "单位"),
            Column("kind", "类别"),
            Column("lead", "牵头", numeric=True),
            Column("support", "配合", numeric=True),
            Column("via", "经分组", numeric=True),
            Column("overdue", "逾期", numeric=True),
            Column("on_time", "按时率", numeric=True),
        ],
        rows=rows,
    )
    return view, payload
