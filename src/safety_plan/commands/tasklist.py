"""``safety-plan tasklist``: one unit's 任务清单 — what it owns, what falls due, what is late.

The list a unit prints and works from: the measures it leads (牵头), supports (配合) or holds
through a group, then its yellow and red lights, with the notes it reported. Responsibility
comes from ``engine.responsibility`` and every light and count from the same snapshot as
``overdue``, so the task list never disagrees with the bulletin.
"""

from __future__ import annotations

from safety_plan.commands._data import open_both
from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import Snapshot, snapshot
from safety_plan.output.render import View, to_markdown
from safety_plan.problems import UsageError
from safety_plan.reports.tasklist import unit_views
from safety_plan.resolve import Resolver


def run(request: Request, *, unit: str | None = None) -> Result:
    if unit is None:
        raise UsageError("tasklist needs --unit UNIT, e.g. --unit 区应急局")
    if request.fmt == "xlsx" and request.output is None:
        raise UsageError("--format xlsx needs -o FILE (a workbook cannot be printed)")
    as_of = request.as_of
    dataset, plan = open_both(request.data.path, request.data.shown)
    unit = Resolver.of_plan(plan).unit(unit)
    snap = snapshot(plan, as_of)
    views = unit_views(dataset, snap, unit)
    title = f"{unit} 任务清单（截至 {as_of.isoformat()}）"
    written = f"已生成 {request.output}（{title}）"
    if request.fmt == "xlsx":
        from safety_plan.output.xlsx import Sheet, workbook

        names = ("牵头配合", "到期", "逾期")
        book = workbook([Sheet(n, v) for n, v in zip(names, views, strict=True)], title)
        return Result.document(request, book, written)
    return Result.document(request, _markdown(title, snap, views), written)


def _markdown(title: str, snap: Snapshot, views: list[View]) -> str:
    measures, due, overdue = views
    phase = snap.phase
    lines = [
        f"# {title}",
        "",
        f"- 承担措施 {len(measures.rows)} 项；红灯（逾期）{len(overdue.rows)} 项，"
        f"黄灯（{snap.warn_days} 天内到期）{len(due.rows)} 项",
    ]
    if phase is not None:
        lines.append(
            f"- 当前阶段：第{phase.index}阶段 {phase.phase.name}（{phase.phase.start} 至 {phase.phase.end}）"
        )
    return "\n".join(lines) + "\n\n" + "\n".join(to_markdown(v) for v in views)
