"""The city editions of the commands: each district answered as the district command would,
then joined, every row naming its district.

Nothing is computed twice: a district is opened by ``safety_plan.opening`` (cached per
district, as when it is queried alone) and its rows come from the district command's own
``views`` or from the one as-of engine; this module only joins, ranks and totals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from safety_plan.city.districts import City, District, read_city
from safety_plan.city.parallel import map_items
from safety_plan.commands.base import DataLocation, Request, Result
from safety_plan.output.render import Column, View, render
from safety_plan.problems import InvalidDataError, UsageError
from safety_plan.resolve import UnknownName
from safety_plan.suggest import did_you_mean

T = TypeVar("T")

DISTRICT_COLUMN = Column("district", "区")


def open_city(request: Request, district: str | None) -> tuple[City, list[District]]:
    """The city and the districts asked for (all, or the one ``--district`` names)."""
    city, problems = read_city(request.data.path, request.data.shown)
    if any(p.is_error for p in problems):
        raise InvalidDataError(problems)
    return city, selected(request, city, district)


def selected(request: Request, city: City, district: str | None) -> list[District]:
    """All the city's districts, or the one ``--district`` names (a usage error if none)."""
    if district is None:
        return list(city.districts)
    for candidate in city.districts:
        if candidate.id == district:
            return [candidate]
    raise UsageError(
        f"--district: no district '{district}' in {request.data.shown}/districts.yaml"
        f"{did_you_mean(district, city.ids)}"
    )


def district_request(request: Request, district: District) -> Request:
    """The request as that district's own command would get it."""
    return replace(request, data=DataLocation(district.data, district.shown))


def each_district(
    request: Request, districts: list[District], answer: Callable[[Request], T], *, named: bool
) -> list[tuple[District, T]]:
    """Each district's ``answer`` to the request as its own command would get it (on every
    core: ``parallel``). With ``--unit``/``--plan`` (``named``) a district that has no such
    unit or plan is left out; the name is a mistake only when no district has it, and then
    the suggestion is the nearest over all of theirs."""
    answers: list[tuple[District, T]] = []
    refusals: list[UsageError] = []
    for district, result in zip(
        districts,
        map_items(lambda d: answer(district_request(request, d)), districts, size=District.opening_work),
        strict=True,
    ):
        try:
            answers.append((district, result()))
        except UsageError as exc:
            if not named:
                raise
            refusals.append(exc)
    if not answers and refusals:
        raise UnknownName.nearest_of(refusals) or refusals[0]
    return answers


def districts_json(districts: list[District]) -> list[dict[str, str]]:
    """The districts a city edition's JSON answers for, by ID and name."""
    return [{"id": d.id, "name": d.name} for d in districts]


def joined_rows(parts: list[tuple[District, tuple[View, Any]]]) -> list[dict[str, Any]]:
    """Each district's view rows, in district order, led by its name (the 区 column)."""
    return [{"district": d.name, **row} for d, (view, _) in parts for row in view.rows]


def joined_items(parts: list[tuple[District, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """Each district's JSON items, in district order, led by its ID (``district``)."""
    return [{"district": d.id, **item} for d, items in parts for item in items]


def _scope(unit: str | None, plan_id: str | None) -> str:
    return "".join(f"（{s}）" for s in (unit, plan_id) if s)


def check(request: Request, *, district: str | None = None, list_rules: bool = False) -> Result:
    """Every district checked as ``check`` checks it alone, each problem at its real path."""
    from safety_plan.commands import check as district_check
    from safety_plan.opening import load
    from safety_plan.output.problems import FORMATTERS, resolve_format

    if list_rules:
        return district_check.run(request, list_rules=True)
    city, problems = read_city(request.data.path, request.data.shown)
    chosen = resolve_format(request.fmt)
    summaries = [(f"{request.data.shown}/districts.yaml", problems)]
    chosen_districts = selected(request, city, district)
    checked = map_items(lambda d: load(d.data, d.shown).problems, chosen_districts, size=District.data_bytes)
    for each, result in zip(chosen_districts, checked, strict=True):
        found = result()
        summaries.append((f"{each.shown} ({each.id})", found))
        problems = problems + found
    notes = []
    if chosen in {"text", "colored"}:
        for shown, found in summaries:
            errors = sum(p.is_error for p in found)
            summary = f"{errors} error(s), {len(found) - errors} warning(s)" if found else "no problems"
            notes.append(f"{shown}: {summary}")
    failed = any(p.is_error for p in problems)
    return Result(FORMATTERS[chosen](problems), notes=notes, exit_code=1 if failed else 0)


def overdue(
    request: Request, *, district: str | None = None, unit: str | None = None, plan_id: str | None = None
) -> Result:
    from safety_plan.commands import overdue as district_overdue

    _, districts = open_city(request, district)
    parts = each_district(
        request,
        districts,
        lambda asked: district_overdue.views(asked, unit=unit, plan_id=plan_id),
        named=bool(unit or plan_id),
    )
    items = joined_items([(d, payload["items"]) for d, (_, payload) in parts])
    payload = {"as_of": request.as_of.isoformat(), "districts": districts_json(districts), "items": items}
    empty = parts[0][1][0].empty if parts else "没有逾期事项。"
    columns = parts[0][1][0].columns if parts else []
    notes = []
    if items:
        behind = len({i["district"] for i in items})
        units = len({(i["district"], i["unit"]) for i in items})
        longest = max(i["days_overdue"] for i in items)
        notes.append(
            f"涉及 {behind} 个区、{units} 个责任单位，最长逾期 {longest} 天；各单位汇总见 safety-plan units。"
        )
    view = View(
        title=f"逾期未完成事项{_scope(unit, plan_id)}：截至 {request.as_of.isoformat()}，"
        f"{len(districts)} 个区共 {len(items)} 项",
        columns=[DISTRICT_COLUMN, *columns],
        rows=joined_rows(parts),
        empty=empty,
        notes=notes,
    )
    return Result(render(view, payload, request.fmt))


def due(
    request: Request,
    *,
    district: str | None = None,
    within: int | None = None,
    unit: str | None = None,
    plan_id: str | None = None,
) -> Result:
    from safety_plan.commands import due as district_due

    _, districts = open_city(request, district)
    parts = each_district(
        request,
        districts,
        lambda asked: district_due.views(asked, within=within, unit=unit, plan_id=plan_id),
        named=bool(unit or plan_id),
    )
    items = joined_items([(d, payload["items"]) for d, (_, payload) in parts])
    start = request.as_of.replace(day=1).isoformat()
    # Each district's 黄灯 window is its own rules.yaml's: the city's reaches the furthest.
    until = max((payload["until"] for _, (_, payload) in parts), default=request.as_of.isoformat())
    payload = {
        "as_of": request.as_of.isoformat(),
        "from": start,
        "until": until,
        "districts": districts_json(districts),
        "items": items,
    }
    view = View(
        title=f"到期事项：{start} 至 {until} 到期、截至 {request.as_of.isoformat()} 未完成，"
        f"{len(districts)} 个区共 {len(items)} 项",
        columns=[DISTRICT_COLUMN, *(parts[0][1][0].columns if parts else [])],
        rows=joined_rows(parts),
        empty="这段时间没有到期未完成的事项。",
    )
    return Result(render(view, payload, request.fmt))


def units(request: Request, *, district: str | None = None) -> Result:
    from safety_plan.commands import units as district_units

    _, districts = open_city(request, district)
    parts = each_district(request, districts, district_units.views, named=False)
    items = joined_items([(d, payload) for d, (_, payload) in parts])
    view = View(
        title=f"责任单位及任务量：{len(districts)} 个区共 {len(items)} 个单位（逾期截至 {request.as_of.isoformat()}）",
        columns=[DISTRICT_COLUMN, *(parts[0][1][0].columns if parts else [])],
        rows=joined_rows(parts),
    )
    return Result(render(view, items, request.fmt))


def status(request: Request, *, district: str | None = None, warn_days: int | None = None) -> Result:
    """The city edition: districts ranked by overdue share and by on-time reporting, each
    district's phase and lights, and the city's totals."""
    from safety_plan.city.standing import city_status

    _, districts = open_city(request, district)
    view, payload = city_status(districts, request.as_of, warn_days)
    return Result(render(view, payload, request.fmt))


def bulletin(request: Request, **options: Any) -> Result:
    from safety_plan.city.bulletin import city_bulletin

    return city_bulletin(request, **options)


def _one(values: list[str], otherwise: str) -> str:
    """The value every district gives, or ``otherwise`` when they differ (or none answered)."""
    return values[0] if values and all(v == values[0] for v in values) else otherwise


def _each_ones_notes(parts: list[tuple[District, tuple[View, Any]]]) -> list[str]:
    """The districts' notes: once when they all say the same, else each led by its district."""
    notes = [view.notes for _, (view, _) in parts]
    if notes and all(n == notes[0] for n in notes):
        return notes[0]
    return [f"{d.name}：{note}" for d, (view, _) in parts for note in view.notes]


def list_(
    request: Request,
    *,
    district: str | None = None,
    plan_id: str | None = None,
    section: int | None = None,
    unit: str | None = None,
) -> Result:
    """Each district's measures, filtered as ``list`` filters them, one after the other."""
    from safety_plan.commands import listing

    _, districts = open_city(request, district)
    parts = each_district(
        request,
        districts,
        lambda asked: listing.views(asked, plan_id=plan_id, section=section, unit=unit),
        named=bool(unit or plan_id or section is not None),
    )
    items = joined_items([(d, payload) for d, (_, payload) in parts])
    view = View(
        title=f"措施清单{_scope(unit, plan_id)}：{len(districts)} 个区共 {len(items)} 项",
        columns=[DISTRICT_COLUMN, *(parts[0][1][0].columns if parts else [])],
        rows=joined_rows(parts),
        empty=parts[0][1][0].empty if parts else "没有符合条件的措施。",
    )
    return Result(render(view, items, request.fmt))


def owners(
    request: Request, *, district: str | None = None, unit: str | None = None, measure_id: str | None = None
) -> Result:
    """A unit's measures in every district that has such a unit, or a measure's units in every
    district that has the measure; each row names its district."""
    from safety_plan.commands import owners as district_owners

    district_owners.require_one(unit, measure_id)
    _, districts = open_city(request, district)
    parts = each_district(
        request,
        districts,
        lambda asked: district_owners.views(asked, unit=unit, measure_id=measure_id),
        named=True,
    )
    payloads = [payload for _, (_, payload) in parts]
    if measure_id is not None:
        named = _one([view.title for _, (view, _) in parts], f"{measure_id.strip()} 的责任单位")
        title = f"{named}：{len(parts)} 个区"
    else:
        lead = sum(len(p["lead"]) for p in payloads)
        support = sum(len(p["support"]) for p in payloads)
        via = sum(len(m) for p in payloads for m in p["via_group"].values())
        name = _one([p["unit"] for p in payloads], str(unit).strip())
        title = (
            f"{name} 的责任措施：{len(parts)} 个区共牵头 {lead} 项，配合 {support} 项，经分组承担 {via} 项"
        )
    view = View(
        title=title,
        columns=[DISTRICT_COLUMN, *parts[0][1][0].columns],
        rows=joined_rows(parts),
        notes=_each_ones_notes(parts),
        empty=parts[0][1][0].empty,
    )
    payload = {
        "districts": districts_json(districts),
        "items": joined_items([(d, [p]) for d, (_, p) in parts]),
    }
    return Result(render(view, payload, request.fmt))


def show(request: Request, *, district: str | None = None, ref: str) -> Result:
    """The item in every district that has it, one block per district as its ``show`` prints it."""
    from safety_plan.commands import show as district_show
    from safety_plan.output.render import render_blocks

    _, districts = open_city(request, district)
    parts = each_district(request, districts, lambda asked: district_show.views(asked, ref=ref), named=True)
    among = f"（共 {len(districts)} 个区）" if len(parts) < len(districts) else ""
    title = f"{ref.strip()}：{len(parts)} 个区{among}，截至 {request.as_of.isoformat()}"
    payload = {
        "districts": districts_json(districts),
        "items": joined_items([(d, [p]) for d, (_, p) in parts]),
    }
    blocks = [(d.name, view) for d, (view, _) in parts]
    return Result(render_blocks(title, DISTRICT_COLUMN, blocks, payload, request.fmt))


def reports(request: Request, *, district: str | None = None) -> Result:
    from safety_plan.city.reports import city_reports

    return city_reports(request, district=district)


def escalations(request: Request, **options: Any) -> Result:
    from safety_plan.city.escalations import city_escalations

    return city_escalations(request, **options)


EDITIONS: dict[str, Callable[..., Result]] = {
    "check": check,
    "overdue": overdue,
    "due": due,
    "units": units,
    "status": status,
    "bulletin": bulletin,
    "list": list_,
    "owners": owners,
    "show": show,
    "reports": reports,
    "escalations": escalations,
}
"""Commands that answer for a city; any other refuses one (see ``safety_plan.city``)."""
