"""The dashboard's context: the month's bulletin, the lights month by month, a page per unit.

Pure, like the bulletin's context, and built on it: the headline, the progress per action and
the ranking are ``build_context``'s own numbers, the trend is the same engine as of each month
end since the plan began, and a unit's page holds its ranking row and the views ``tasklist``
prints. So the dashboard never shows a number the bulletin for that month does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safety_plan.dataset import Dataset
from safety_plan.engine.asof import Light, Snapshot, snapshot
from safety_plan.engine.calendar import month_end
from safety_plan.engine.types import CompiledPlan
from safety_plan.output.render import View
from safety_plan.output.words import UNIT_KIND_ZH
from safety_plan.reports.bulletin import build_context, first_month
from safety_plan.reports.tasklist import unit_views


@dataclass(frozen=True)
class UnitPage:
    unit: str
    name: str | None
    """The unit's full name, where the data gives one."""
    kind: str
    slug: str
    """The page's file name without ``.html``: ASCII, so any share and browser opens it."""
    lights: dict[str, int]
    """Its obligations (次) by light, as the bulletin's header counts them for everyone."""
    ranking: dict[str, Any] | None
    """Its row of the bulletin's ranking; None when nothing of it was due yet."""
    views: list[View]


@dataclass(frozen=True)
class Dashboard:
    bulletin: dict[str, Any]
    """``build_context`` for the month: every headline number comes from here."""
    trend: list[dict[str, Any]]
    """Per month since the plan began: ``month`` and the red / yellow / green counts (次)."""
    units: list[UnitPage]
    phases: list[dict[str, Any]]
    """Every phase of the plan (``index``, ``name``, ``start``, ``end``), for the timeline."""


def months_since_start(dataset: Dataset, month: str) -> list[str]:
    """``YYYY-MM`` of every month from the plan's first to ``month``, both included."""
    start = first_month(dataset)
    year, mon = map(int, month.split("-"))
    months = []
    y, m = start.year, start.month
    while (y, m) <= (year, mon):
        months.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def light_counts(snap: Snapshot) -> dict[str, int]:
    """The bulletin header's lights, as the same call ``build_context`` makes."""
    return {light.value: n for light, n in snap.lights().items()}


def build_dashboard(
    dataset: Dataset,
    plan: CompiledPlan,
    month: str,
    warn_days: int | None = None,
    data_shown: str = "data",
) -> Dashboard:
    bulletin = build_context(dataset, plan, month, warn_days, data_shown)
    trend = []
    as_of = dt.date.fromisoformat(bulletin["as_of"])
    snap = snapshot(plan, as_of, warn_days)
    for each in months_since_start(dataset, month):
        year, mon = map(int, each.split("-"))
        end = month_end(year, mon)
        counts = light_counts(snap if end == as_of else snapshot(plan, end, warn_days))
        trend.append({"month": each, **counts})
    phases = [
        {"index": i, "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
        for i, p in enumerate(plan.phases, start=1)
    ]
    return Dashboard(bulletin, trend, _unit_pages(dataset, snap, bulletin["ranking"]), phases)


def _unit_pages(dataset: Dataset, snap: Snapshot, ranking: list[dict[str, Any]]) -> list[UnitPage]:
    by_unit = {row["unit"]: row for row in ranking}
    lights = {unit: dict.fromkeys((light.value for light in Light), 0) for unit in dataset.units}
    for ev in snap.evaluations:
        if not ev.not_applicable and ev.obligation.unit in lights:
            lights[ev.obligation.unit][ev.light.value] += 1
    return [
        UnitPage(
            unit=unit_id,
            name=unit.name,
            kind=UNIT_KIND_ZH.get(unit.kind.value, unit.kind.value),
            slug=f"unit-{index:03d}",
            lights=lights[unit_id],
            ranking=by_unit.get(unit_id),
            views=unit_views(dataset, snap, unit_id),
        )
        for index, (unit_id, unit) in enumerate(dataset.units.items(), start=1)
    ]
