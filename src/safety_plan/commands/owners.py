"""``safety-plan owners``: a unit's measures (牵头 / 配合 / via a group), or a measure's units."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safety_plan.commands.base import Request, Result
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.output.words import ROLE_ZH
from safety_plan.problems import UsageError
from safety_plan.resolve import Resolver

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset


def run(request: Request, *, unit: str | None = None, measure_id: str | None = None) -> Result:
    return Result(render(*views(request, unit=unit, measure_id=measure_id), request.fmt))


def require_one(unit: str | None, measure_id: str | None) -> None:
    """A UNIT or ``--measure``, not both, not neither (before any data is opened)."""
    if (unit is None) == (measure_id is None):
        raise UsageError("give a UNIT or --measure ID (one of them)")


def views(request: Request, *, unit: str | None = None, measure_id: str | None = None) -> tuple[View, Any]:
    """The view and JSON payload ``run`` renders (a city edition joins each district's), kept
    for the same query (``opening.answers``)."""
    require_one(unit, measure_id)
    return answered(
        request.data.path,
        request.data.shown,
        "owners",
        (unit, measure_id),
        lambda opened: _views(opened.dataset(), unit, measure_id),
    )


def _views(dataset: Dataset, unit: str | None, measure_id: str | None) -> tuple[View, Any]:
    resolver = Resolver.of_dataset(dataset)
    if measure_id is not None:
        return _measure(dataset, resolver.measure(measure_id))
    assert unit is not None
    return _unit(dataset, resolver.unit(unit, "UNIT"))


def _unit(dataset: Dataset, unit: str) -> tuple[View, Any]:
    from safety_plan.engine.responsibility import unit_roles  # the models: only when worked out

    roles = unit_roles(dataset, unit)
    payload = {"unit": unit, "lead": roles.lead, "support": roles.support, "via_group": roles.via_group}
    rows: list[dict[str, Any]] = []
    for role, measures in ((ROLE_ZH["lead"], roles.lead), (ROLE_ZH["support"], roles.support)):
        rows.extend(_row(dataset, m, role) for m in measures)
    for group, measures in roles.via_group.items():
        rows.extend(_row(dataset, m, f"经“{group}”") for m in measures)
    view = View(
        title=f"{unit} 的责任措施：牵头 {len(roles.lead)} 项，配合 {len(roles.support)} 项，"
        f"经分组承担 {sum(len(v) for v in roles.via_group.values())} 项",
        columns=[Column("role", "角色"), Column("id", "编号"), Column("title", "措施", wrap=True)],
        rows=rows,
        empty="该单位没有直接或经分组承担的措施。",
    )
    return view, payload


def _row(dataset: Dataset, measure_id: str, role: str) -> dict[str, Any]:
    return {"role": role, "id": measure_id, "title": dataset.measures[measure_id].title}


def _measure(dataset: Dataset, measure_id: str) -> tuple[View, Any]:
    from safety_plan.engine.responsibility import measure_owners  # the models: only when worked out

    measure = dataset.measures[measure_id]
    owners = measure_owners(dataset, measure)
    payload = {
        "measure": measure.id,
        "lead": measure.lead,
        "owners": [
            {"id": o.id, "unit": o.canonical, "role": o.role, "group": o.is_group, "members": list(o.members)}
            for o in owners
        ],
        "units": list(dataset.directory.expand_all(measure.owners)),
        "owners_inferred": measure.owners_inferred,
    }
    notes = [f"责任单位为推定：{measure.owners_note}"] if measure.owners_inferred else []
    view = View(
        title=f"{measure.id} {measure.title} 的责任单位",
        columns=[
            Column("role", "角色"),
            Column("id", "单位 / 分组"),
            Column("members", "包含单位", wrap=True),
        ],
        rows=[
            {
                "role": ROLE_ZH[o.role],
                "id": o.id if o.id == o.canonical else f"{o.id}（即 {o.canonical}）",
                "members": "、".join(o.members) if o.is_group else "",
            }
            for o in owners
        ],
        notes=notes,
    )
    return view, payload
