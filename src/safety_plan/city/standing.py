"""Where each district stands, for the city edition of ``status``: which district is behind.

Each district's figures are the ones its own ``status`` and ``units`` show (sections' due and
overdue from ``status.section_rows``, reports from the engine's ``report_compliance``,
lights from ``Snapshot.lights``); here they are only ranked and totalled.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safety_plan.city.districts import District
from safety_plan.city.parallel import map_items
from safety_plan.output.render import Column, View
from safety_plan.output.words import percent

if TYPE_CHECKING:
    from safety_plan.engine.types import CompiledPlan


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def district_standing(district: District, as_of: dt.date, warn_days: int | None) -> dict[str, Any]:
    """One district's phase, lights, overdue share and on-time reporting as of the day, kept
    with the district's data for the same day (``opening.answers``)."""
    from safety_plan.opening.answers import answered

    figures = answered(
        district.data,
        district.shown,
        "standing",
        (as_of, warn_days),
        lambda opened: plan_standing(opened.plan(), as_of, warn_days),
    )
    return {"id": district.id, "name": district.name, **figures}


def plan_standing(plan: CompiledPlan, as_of: dt.date, warn_days: int | None) -> dict[str, Any]:
    """A district's figures from its plan: everything ``district_standing`` says but the
    district's ID and name, which come from the city's ``districts.yaml``."""
    from safety_plan.commands.status import phase_json, section_rows
    from safety_plan.engine.asof import snapshot

    snap = snapshot(plan, as_of, warn_days)
    sections = section_rows(snap)
    due = sum(s["due"] for s in sections)
    overdue = sum(s["overdue"] for s in sections)
    reports = snap.report_compliance().values()
    reports_due = sum(c.due for c in reports)
    reports_on_time = sum(c.on_time for c in reports)
    return {
        "phase": phase_json(snap),
        "due": due,
        "done": sum(s["done"] for s in sections),
        "overdue": overdue,
        "overdue_share": _share(overdue, due),
        "reports_due": reports_due,
        "reports_on_time": reports_on_time,
        "on_time_rate": _share(reports_on_time, reports_due),
        "lights": {light.value: n for light, n in snap.lights().items()},
    }


def _by_overdue_share(row: dict[str, Any]) -> tuple[float, str]:
    """Most behind first; a district with nothing due yet last."""
    share = row["overdue_share"]
    return (-share if share is not None else 1.0, row["id"])


def _by_on_time(row: dict[str, Any]) -> tuple[float, str]:
    """Best reporting first; a district with no report due yet last."""
    rate = row["on_time_rate"]
    return (-rate if rate is not None else 1.0, row["id"])


def shared_ranks(ordered: list[dict[str, Any]], key: str) -> list[int]:
    """Competition ranks (并列: 1, 2, 2, 4) for rows already sorted on ``key``: equal values,
    ``None`` (nothing due yet) included, share the first position they hold."""
    ranks: list[int] = []
    for position, row in enumerate(ordered, start=1):
        same = position > 1 and row[key] == ordered[position - 2][key]
        ranks.append(ranks[-1] if same else position)
    return ranks


def shown_rank(rank: int, ranks: list[int]) -> str:
    """A rank as the office writes it: ``2（并列）`` when another district holds it too."""
    return f"{rank}（并列）" if ranks.count(rank) > 1 else str(rank)


def city_status(
    districts: list[District], as_of: dt.date, warn_days: int | None
) -> tuple[View, dict[str, Any]]:
    standings = map_items(
        lambda d: district_standing(d, as_of, warn_days), districts, size=District.opening_work
    )
    return city_standing([standing() for standing in standings], as_of)


def city_standing(rows: list[dict[str, Any]], as_of: dt.date) -> tuple[View, dict[str, Any]]:
    """The districts' standings ranked and totalled: the view and payload of the city's status."""
    by_share = sorted(rows, key=_by_overdue_share)
    by_on_time = sorted(rows, key=_by_on_time)
    for row, rank in zip(by_share, shared_ranks(by_share, "overdue_share"), strict=True):
        row["rank"] = rank
    for row, rank in zip(by_on_time, shared_ranks(by_on_time, "on_time_rate"), strict=True):
        row["on_time_rank"] = rank
    ranks = [r["rank"] for r in by_share]
    on_time_ranks = [r["on_time_rank"] for r in by_share]
    totals: dict[str, Any] = {key: sum(r[key] for r in rows) for key in ("due", "done", "overdue")}
    totals["overdue_share"] = _share(totals["overdue"], totals["due"])
    totals["reports_due"] = sum(r["reports_due"] for r in rows)
    totals["reports_on_time"] = sum(r["reports_on_time"] for r in rows)
    totals["on_time_rate"] = _share(totals["reports_on_time"], totals["reports_due"])
    totals["lights"] = {
        light: sum(r["lights"].get(light, 0) for r in rows) for light in ("red", "yellow", "green")
    }
    payload = {
        "as_of": as_of.isoformat(),
        "districts": by_share,
        "by_overdue_share": [r["id"] for r in by_share],
        "by_on_time": [r["id"] for r in by_on_time],
        "totals": totals,
    }
    view = View(
        title=f"全市工作进展：截至 {as_of.isoformat()}，{len(rows)} 个区（按逾期占比排列）",
        columns=[
            Column("rank", "排名", numeric=True),
            Column("name", "区"),
            Column("phase", "阶段"),
            Column("due", "应完成", numeric=True),
            Column("overdue", "逾期", numeric=True),
            Column("share", "逾期占比", numeric=True),
            Column("on_time", "按时报送", numeric=True),
            Column("on_time_rank", "报送排名", numeric=True),
            Column("lights", "红/黄/绿"),
        ],
        rows=[
            {
                "rank": shown_rank(row["rank"], ranks),
                "name": row["name"],
                "phase": "—" if row["phase"] is None else f"第{row['phase']['index']}阶段",
                "due": row["due"],
                "overdue": row["overdue"],
                "share": percent(row["overdue_share"]),
                "on_time": percent(row["on_time_rate"]),
                "on_time_rank": shown_rank(row["on_time_rank"], on_time_ranks),
                "lights": "/".join(str(row["lights"].get(k, 0)) for k in ("red", "yellow", "green")),
                "_style": "red" if row["overdue"] else None,
            }
            for row in by_share
        ],
        notes=[
            # 次, as the bulletin counts them: one unit's deadline or one occurrence of a duty.
            f"全市合计：应完成 {totals['due']} 次，已完成 {totals['done']} 次，逾期 {totals['overdue']} 次"
            f"（{percent(totals['overdue_share'])}）；月报应报 {totals['reports_due']} 次，"
            f"按时 {totals['reports_on_time']} 次（{percent(totals['on_time_rate'])}）。",
            f"红灯 {totals['lights']['red']} 次，黄灯 {totals['lights']['yellow']} 次，"
            f"绿灯 {totals['lights']['green']} 次。",
            "按时报送率排名：" + "、".join(f"{r['name']} {percent(r['on_time_rate'])}" for r in by_on_time),
        ],
    )
    return view, payload
