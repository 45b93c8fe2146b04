"""The city edition of ``escalations``: the supervision rules (督办) that fire in every district,
each district evaluated with its own ``rules.yaml``, and with ``--quarter`` each district's own
visit list (专项督导), joined.

Each district's list is its own ``escalations`` answer (``commands.escalations.month_views`` and
``visit_views``, kept per district); here the rows are joined with the district's name and
counted. Letters are a district's own documents, to its own units: a city refuses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safety_plan.city.districts import District
from safety_plan.city.editions import (
    DISTRICT_COLUMN,
    districts_json,
    each_district,
    joined_items,
    joined_rows,
    open_city,
)
from safety_plan.commands.base import Request, Result
from safety_plan.output.render import View, render
from safety_plan.problems import UsageError

Parts = list[tuple[District, tuple[View, dict[str, Any]]]]


def city_escalations(
    request: Request,
    *,
    district: str | None = None,
    unit: str | None = None,
    quarter: tuple[int, int] | None = None,
    visits: int = 5,
    letters: bool = False,
    template: Path | None = None,
) -> Result:
    from safety_plan.commands import escalations as district_escalations

    district_escalations.check_options(request, letters, template)
    if letters:
        raise UsageError(
            "--letters: urging letters are a district's own, to its own units: give that district's "
            "data directory with --data (on a city's --data, escalations lists every district's)"
        )
    _, districts = open_city(request, district)
    if quarter is not None:
        parts = each_district(
            request,
            districts,
            lambda asked: district_escalations.visit_views(asked, quarter, visits, unit),
            named=bool(unit),
        )
        return Result(render(*_visits(parts, districts, quarter, visits, unit), request.fmt))
    parts = each_district(
        request,
        districts,
        lambda asked: district_escalations.month_views(asked, unit),
        named=bool(unit),
    )
    return Result(render(*_month(parts, districts, unit, request), request.fmt))


def _no_rules(view: View) -> bool:
    from safety_plan.commands.escalations import NO_RULES

    return any(note.startswith(NO_RULES) for note in view.notes)


def _month(
    parts: Parts, districts: list[District], unit: str | None, request: Request
) -> tuple[View, dict[str, Any]]:
    from safety_plan.commands.escalations import NO_RULES, POINTS_NOTE

    items = joined_items([(d, payload["items"]) for d, (_, payload) in parts])
    as_of = request.as_of.isoformat()
    payload = {"as_of": as_of, "districts": districts_json(districts), "items": items}
    notes = []
    if items:
        behind = len({i["district"] for i in items})
        units = len({(i["district"], i["unit"]) for i in items})
        new = sum(1 for i in items if i["new"])
        notes.append(f"共 {len(items)} 条，涉及 {behind} 个区、{units} 个单位，本月新增 {new} 条。")
    if parts:
        notes.append(
            "各区按本区 rules.yaml 评定："
            + "、".join(
                f"{d.name} 无督办规则" if _no_rules(view) else f"{d.name} {len(view.rows)} 条"
                for d, (view, _) in parts
            )
            + "。"
        )
    if items:
        notes.append(POINTS_NOTE)
    if parts and all(_no_rules(view) for _, (view, _) in parts):
        notes = [NO_RULES]
    scope = f"（{unit.strip()}）" if unit else ""
    view = View(
        title=f"督办事项{scope}：截至 {as_of}，{len(districts)} 个区共 {len(items)} 条",
        columns=[DISTRICT_COLUMN, *(parts[0][1][0].columns if parts else [])],
        rows=joined_rows(parts),
        empty="本月没有触发督办规则的单位。",
        notes=notes,
    )
    return view, payload


def _visits(
    parts: Parts, districts: list[District], quarter: tuple[int, int], count: int, unit: str | None
) -> tuple[View, dict[str, Any]]:
    from safety_plan.commands.escalations import NO_RULES

    year, number = quarter
    first = parts[0][1][1]
    candidates = {d.id: payload["candidates"] for d, (_, payload) in parts}
    payload = {
        "quarter": first["quarter"],
        "as_of": first["as_of"],
        "visits": count,
        "candidates": sum(candidates.values()),
        "districts": [{**d, "candidates": candidates.get(d["id"], 0)} for d in districts_json(districts)],
        "items": joined_items([(d, payload["items"]) for d, (_, payload) in parts]),
    }
    notes = [
        "各区按本区本季度督办分值（由低到高）、季末逾期次数和逾期天数合计排序，"
        f"各建议督导前 {count} 个；候选单位："
        + "、".join(f"{d.name} {candidates[d.id]} 个" for d, _ in parts)
        + "。"
    ]
    notes.extend(f"{d.name}{NO_RULES}仅按逾期情况排序。" for d, (view, _) in parts if _no_rules(view))
    if unit:  # where the unit stands in each district, as that district says it
        notes.extend(f"{d.name}：{view.notes[-1]}" for d, (view, _) in parts if view.notes)
    scope = f"（{unit.strip()}）" if unit else ""
    view = View(
        title=f"{year}年第{number}季度专项督导建议名单{scope}：截至 {first['as_of']}，"
        f"{len(districts)} 个区共 {len(payload['items'])} 个单位",
        columns=[DISTRICT_COLUMN, *parts[0][1][0].columns],
        rows=joined_rows(parts),
        empty="本季度没有逾期或触发督办规则的单位。",
        notes=notes,
    )
    return view, payload
