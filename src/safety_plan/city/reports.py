"""The city edition of ``reports``: every district's roll of the month joined, each district's
on time / late / not yet, and the districts ranked by on-time reporting, lowest first.

Each district's roll is its own ``reports`` answer (``commands.reports.views``, kept per
district); here its rows are joined with the district's name, its counts totalled and its
urging list (催报名单) kept in its own words, headed by the district's name.
"""

from __future__ import annotations

from typing import Any

from safety_plan.city.districts import District
from safety_plan.city.editions import (
    DISTRICT_COLUMN,
    each_district,
    joined_items,
    joined_rows,
    open_city,
)
from safety_plan.city.standing import shared_ranks
from safety_plan.commands.base import Request, Result
from safety_plan.output.render import View, render
from safety_plan.output.words import percent

_STATES = ("on_time", "late", "not_yet", "due")


def city_reports(request: Request, *, district: str | None = None) -> Result:
    from safety_plan.commands import reports as district_reports

    _, districts = open_city(request, district)
    # A district none of whose units owes this month's report is left out of the rows (its
    # own ``reports`` refuses the month); the month is a mistake only when no district owes it.
    parts = each_district(request, districts, district_reports.views, named=True)
    answered = {d.id: payload for d, (_, payload) in parts}
    standings = sorted((_standing(d, answered.get(d.id)) for d in districts), key=_lowest_first)
    for row, rank in zip(standings, shared_ranks(standings, "on_time_rate"), strict=True):
        row["rank"] = rank
    first = parts[0][1][1]
    summary: dict[str, Any] = {key: sum(row[key] for row in standings) for key in _STATES}
    summary["reports_due"] = sum(row["reports_due"] for row in standings)
    summary["reports_on_time"] = sum(row["reports_on_time"] for row in standings)
    summary["on_time_rate"] = _rate(summary["reports_on_time"], summary["reports_due"])
    payload = {
        "month": first["month"],
        "as_of": first["as_of"],
        "districts": standings,
        "summary": summary,
        "units": joined_items([(d, payload["units"]) for d, (_, payload) in parts]),
    }
    return Result(text=render(_view(parts, standings, summary, first), payload, request.fmt))


def _standing(district: District, payload: dict[str, Any] | None) -> dict[str, Any]:
    """A district's counts for the month and its units' on-time rate so far (zero and ``None``
    where no unit of it owes this month's report)."""
    summary = payload["summary"] if payload else dict.fromkeys(_STATES, 0)
    units = payload["units"] if payload else []
    reports_due = sum(u["reports_due"] for u in units)
    reports_on_time = sum(u["reports_on_time"] for u in units)
    return {
        "id": district.id,
        "name": district.name,
        **{key: summary[key] for key in _STATES},
        "reports_due": reports_due,
        "reports_on_time": reports_on_time,
        "on_time_rate": _rate(reports_on_time, reports_due),
    }


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def _lowest_first(row: dict[str, Any]) -> tuple[float, str]:
    """Lowest on-time rate first (who to urge); a district with no report due yet last."""
    rate = row["on_time_rate"]
    return (rate if rate is not None else 2.0, row["id"])


def _view(
    parts: list[tuple[District, tuple[View, Any]]],
    standings: list[dict[str, Any]],
    summary: dict[str, Any],
    first: dict[str, Any],
) -> View:
    year, month = first["month"].split("-")
    own_notes = {d.id: view.notes for d, (view, _) in parts}
    notes = [
        "各区按时报送率（由低到高）："
        + "、".join(
            f"{row['name']} {percent(row['on_time_rate'])}"
            f"（应报 {row['due']}，按时 {row['on_time']}，逾期 {row['late']}，未报 {row['not_yet']}）"
            for row in standings
        ),
        f"全市按时报送率 {percent(summary['on_time_rate'])}（各单位累计应报 {summary['reports_due']} 次，"
        f"按时 {summary['reports_on_time']} 次）。",
    ]
    for row in standings:
        for note in own_notes.get(row["id"], ["本月没有单位应报月报。"]):
            notes.append(f"{row['name']}{note}")
    return View(
        title=f"{int(year)}年{int(month)}月报送情况：{len(standings)} 个区应报 {summary['due']} 个单位，"
        f"按时 {summary['on_time']}，逾期 {summary['late']}，未报 {summary['not_yet']}（截至 {first['as_of']}）",
        columns=[DISTRICT_COLUMN, *parts[0][1][0].columns],
        rows=joined_rows(parts),
        notes=notes,
    )
