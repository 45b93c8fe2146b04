"""``safety-plan list``: the measures, filtered by plan, section and unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safety_plan.commands.base import Request, Result
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.problems import UsageError
from safety_plan.resolve import Resolver

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset


def run(
    request: Request, *, plan_id: str | None = None, section: int | None = None, unit: str | None = None
) -> Result:
    return Result(render(*views(request, plan_id=plan_id, section=section, unit=unit), request.fmt))


def views(
    request: Request, *, plan_id: str | None = None, section: int | None = None, unit: str | None = None
) -> tuple[View, Any]:
    """The view and JSON payload ``run`` renders (a city edition joins each district's), kept
    for the same query (``opening.answers``)."""
    return answered(
        request.data.path,
        request.data.shown,
        "list",
        (plan_id, section, unit),
        lambda opened: _views(opened.dataset(), plan_id, section, unit),
    )


def _views(dataset: Dataset, plan_id: str | None, section: int | None, unit: str | None) -> tuple[View, Any]:
    from safety_plan.engine.responsibility import measures_for  # the models: only when worked out

    resolver = Resolver.of_dataset(dataset)
    plan_id = resolver.optional_plan(plan_id)
    if section is not None:
        plans = [dataset.plans[plan_id]] if plan_id else list(dataset.plans.values())
        if not any(section in {s.number for s in p.sections} for p in plans):
            largest = max(len(p.sections) for p in plans)
            raise UsageError(f"--section: no section {section} (sections run 1 to {largest})")
    canonical = resolver.optional_unit(unit)
    measures = measures_for(dataset, plan=plan_id, section=section, unit=canonical)
    payload = [
        {
            "id": m.id,
            "plan": m.plan,
            "section": m.section,
            "number": m.number,
            "title": m.title,
            "owners": m.owners,
            "lead": m.lead,
            "owners_inferred": m.owners_inferred,
            "deadlines": [d.id for d in dataset.deadlines_of(m.id)],
            "recurring": [r.id for r in dataset.recurring_of(m.id)],
        }
        for m in measures
    ]
    view = View(
        title=f"措施清单：共 {len(measures)} 项",
        columns=[
            Column("id", "编号"),
            Column("title", "措施", wrap=True),
            Column("lead", "牵头单位"),
            Column("more", "配合", numeric=True),
            Column("dated", "时限", numeric=True),
        ],
        rows=[
            {
                "id": m.id,
                "title": m.title + ("（责任单位为推定）" if m.owners_inferred else ""),
                "lead": m.lead,
                "more": len(m.owners) - 1,
                "dated": len(dataset.deadlines_of(m.id)) + len(dataset.recurring_of(m.id)),
            }
            for m in measures
        ],
        empty="没有符合条件的措施。",
    )
    return view, payload
