"""``safety-plan export matrix``: the responsibility matrix (任务分工表), measures × units.

The table offices print and pin up: one row per measure, one column per unit, 牵头 or 配合 in
the cells, and a unit that holds a measure only through a group marked with that group
(``配合（各乡镇）``). Cells come from ``engine.responsibility.unit_holdings``, the same reading
of the owners as ``owners`` and the task lists.
"""

from __future__ import annotations

from typing import Any

from safety_plan.commands._data import open_dataset
from safety_plan.commands.base import Request, Result
from safety_plan.dataset import Dataset
from safety_plan.engine.responsibility import measures_for, unit_holdings
from safety_plan.output.render import Column, View, to_csv
from safety_plan.output.words import ROLE_ZH
from safety_plan.problems import UsageError
from safety_plan.resolve import Resolver

_FIXED = 2
"""Leading columns (编号, 措施) kept in view beside the unit columns in Excel."""
_GRID = 12
"""Unit columns six characters wide: ``配合（区安委会各成员单位）`` wraps onto two lines."""


def matrix_view(dataset: Dataset, plan_id: str | None) -> View:
    measures = measures_for(dataset, plan=plan_id)
    sections = {(p.id, s.number): f"{s.label}{s.title}" for p in dataset.plans.values() for s in p.sections}
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    for measure in measures:
        row: dict[str, Any] = {
            "id": measure.id,
            "plan": dataset.plans[measure.plan].short,
            "section": sections.get((measure.plan, measure.section), ""),
            "title": measure.title,
            "owners": "、".join(measure.owners),
        }
        for unit, holding in unit_holdings(dataset, measure).items():
            role = ROLE_ZH[holding.role]
            row[f"unit:{unit}"] = f"{role}（{holding.group}）" if holding.group else role
            used.add(unit)
        rows.append(row)
    units = [u for u in dataset.units if u in used]
    scope = f"（{dataset.plans[plan_id].short}）" if plan_id else ""
    return View(
        title=f"任务分工表{scope}：{len(rows)} 项措施 × {len(units)} 个责任单位",
        columns=[
            Column("id", "编号"),
            Column("title", "措施", wrap=True),
            Column("plan", "方案"),
            Column("section", "部分", wrap=True),
            Column("owners", "责任单位（原文）", wrap=True),
            *(Column(f"unit:{u}", u) for u in units),
        ],
        rows=rows,
    )


def run(request: Request, *, plan_id: str | None = None) -> Result:
    if request.fmt == "xlsx" and request.output is None:
        raise UsageError("--format xlsx needs -o FILE (a workbook cannot be printed)")
    dataset = open_dataset(request.data.path, request.data.shown)
    plan_id = Resolver.of_dataset(dataset).optional_plan(plan_id)
    view = matrix_view(dataset, plan_id)
    written = f"已生成 {request.output}（{view.title}）"
    if request.fmt == "csv":
        return Result.document(request, to_csv(view), written)
    from safety_plan.output.xlsx import Sheet, workbook

    return Result.document(
        request,
        workbook([Sheet("任务分工表", view, freeze_columns=_FIXED, grid_width=_GRID)], view.title),
        written,
    )
