"""``safety-plan escalations``: the supervision rules (督办) that fire, per unit, with the refs
behind each; the quarter's 专项督导 list; urging letters, one per unit and action."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safety_plan.commands._data import open_both
from safety_plan.commands.base import OutputFile, Request, Result
from safety_plan.engine.calendar import month_end
from safety_plan.engine.escalation import Supervisor, month_of
from safety_plan.engine.types import CompiledPlan
from safety_plan.opening.answers import answered
from safety_plan.output.render import Column, View, render
from safety_plan.problems import UsageError
from safety_plan.reports.supervision import escalations_payload, letter_contexts, visit_json
from safety_plan.resolve import Resolver

LETTER_TEMPLATE = "letter.md.j2"
NO_RULES = "没有督办规则：数据目录中没有 rules.yaml，或其中没有 escalation 规则。"
POINTS_NOTE = "本年分值：该单位本年各规则的分值之和，规则每触发一个月计一次。"


def run(
    request: Request,
    *,
    unit: str | None = None,
    quarter: tuple[int, int] | None = None,
    visits: int = 5,
    letters: bool = False,
    template: Path | None = None,
) -> Result:
    check_options(request, letters, template)
    if letters:
        return _letters(request, unit, template)
    if quarter is not None:
        return Result(render(*visit_views(request, quarter, visits, unit), request.fmt))
    return Result(render(*month_views(request, unit), request.fmt))


def check_options(request: Request, letters: bool, template: Path | None) -> None:
    """The options that go together, checked before any data is read (a city's edition too)."""
    if template is not None and not letters:
        raise UsageError("--template: only with --letters DIR")
    if not letters and request.fmt == "docx":
        raise UsageError("--format docx: only with --letters DIR (the list prints as table, json, csv or md)")


def month_views(request: Request, unit: str | None) -> tuple[View, dict[str, Any]]:
    """The month's list as ``run`` renders it, view and JSON payload (a city edition joins each
    district's), kept for the same as-of day and ``--unit`` (``opening.answers``)."""
    as_of = request.as_of
    return answered(
        request.data.path,
        request.data.shown,
        "escalations",
        (as_of, unit),
        lambda opened: _month(opened.plan(), as_of, unit),
    )


def visit_views(
    request: Request, quarter: tuple[int, int], count: int, unit: str | None = None
) -> tuple[View, dict[str, Any]]:
    """The quarter's visit list as ``run`` renders it, kept like ``month_views``; with
    ``--unit``, that unit's row (a group's members' rows) ranked among every candidate."""
    year, number = quarter
    return answered(
        request.data.path,
        request.data.shown,
        "visits",
        (year, number, count, unit),
        lambda opened: _visits(opened.plan(), quarter, count, unit),
    )


def _units(plan: CompiledPlan, unit: str | None) -> set[str] | None:
    canonical = Resolver.of_plan(plan).optional_unit(unit)
    return None if canonical is None else {canonical, *plan.members.get(canonical, ())}


def _month(plan: CompiledPlan, as_of: dt.date, unit: str | None) -> tuple[View, dict[str, Any]]:
    units = _units(plan, unit)
    month = month_of(as_of)
    payload = escalations_payload(plan, month, units)
    items = payload["items"]
    scope = f"（{unit.strip()}）" if unit else ""
    notes = []
    if not plan.supervision.rules:
        notes.append(NO_RULES)
    elif items:
        notes.append(
            f"共 {len(items)} 条，涉及 {len({i['unit'] for i in items})} 个单位，本月新增 "
            f"{sum(1 for i in items if i['new'])} 条。"
        )
        notes.append(POINTS_NOTE)
    view = View(
        title=f"督办事项{scope}：截至 {payload['as_of']}，共 {len(items)} 条",
        columns=[
            Column("unit", "单位"),
            Column("action", "督办措施"),
            Column("rule", "规则", into="action"),
            Column("since", "起始月份"),
            Column("refs", "涉及事项", wrap=True),
            Column("points", "本年分值", numeric=True),
        ],
        rows=[
            {
                "unit": i["unit"],
                "action": i["action"],
                "rule": i["rule"],
                "since": "本月新增" if i["new"] else i["since"],
                "refs": " ".join(i["refs"]),  # spaces: the terminal table wraps between refs
                "points": i["points"],
            }
            for i in items
        ],
        empty="本月没有触发督办规则的单位。",
        notes=notes,
    )
    return view, payload


def _visits(
    plan: CompiledPlan, quarter: tuple[int, int], count: int, unit: str | None
) -> tuple[View, dict[str, Any]]:
    units = _units(plan, unit)
    year, number = quarter
    rules = plan.supervision.rules
    # With --unit: where that unit (or the group's members) stands among every candidate.
    chosen, candidates = Supervisor(plan).visits(year, number, count if units is None else None)
    if units is not None:
        chosen = [v for v in chosen if v.unit in units]
    as_of = month_end(year, 3 * number).isoformat()
    payload: dict[str, Any] = {
        "quarter": f"{year}Q{number}",
        "as_of": as_of,
        "visits": count,
        "candidates": candidates,
        "items": [visit_json(v, rules) for v in chosen],
    }
    notes = [
        f"按本季度督办分值（由低到高）、季末逾期次数和逾期天数合计排序；候选单位 {candidates} 个，建议督导前 "
        f"{len(chosen) if units is None else min(count, candidates)} 个。"
    ]
    if units is not None:
        notes.append(
            "、".join(f"{v.unit} 排第 {v.rank} 名" for v in chosen) + "。"
            if chosen
            else f"{unit} 本季度没有逾期或触发督办规则，不在候选单位中。"
        )
    if not rules:
        notes.append(NO_RULES + "仅按逾期情况排序。")
    view = View(
        title=f"{year}年第{number}季度专项督导建议名单{f'（{unit}）' if unit else ''}：截至 {as_of}",
        columns=[
            Column("rank", "名次", numeric=True),
            Column("unit", "单位"),
            Column("points", "本季分值", numeric=True),
            Column("overdue", "逾期（次）", numeric=True),
            Column("reasons", "理由", wrap=True, whole=True),  # why the unit is on the list: never cut
        ],
        rows=[
            {
                "rank": item["rank"],
                "unit": item["unit"],
                "points": item["points"],
                "overdue": item["overdue"],
                "reasons": "；".join(item["reasons"]),
            }
            for item in payload["items"]
        ],
        empty="本季度没有逾期或触发督办规则的单位。",
        notes=notes,
    )
    return view, payload


def _letters(request: Request, unit: str | None, template: Path | None) -> Result:
    fmt = "md" if request.fmt == "table" else request.fmt
    if fmt not in ("md", "docx"):
        raise UsageError(f"--format {request.fmt}: letters are md or docx")
    if fmt == "docx" and template is not None:
        raise UsageError("--template: applies to md letters; docx letters are laid out like the bulletin")
    if template is not None and not template.is_file():
        raise UsageError(f"--template: file '{template}' not found")
    if request.output is None:
        raise UsageError("--letters: give the folder to write the letters into")
    dataset, plan = open_both(request.data.path, request.data.shown)
    units = _units(plan, unit)
    names = {u.id: u.name or u.id for u in dataset.units.values()}
    contexts = letter_contexts(plan, month_of(request.as_of), names, units)
    files = [OutputFile(request.output / f"{c['file']}.{fmt}", _letter(c, fmt, template)) for c in contexts]
    if not plan.supervision.rules:
        text = NO_RULES + "未生成督办文书。"
    elif not files:
        text = f"截至 {request.as_of} 没有触发督办规则的单位，未生成督办文书。"
    else:
        text = f"已生成 {len(files)} 份督办文书到 {request.output}（截至 {request.as_of}）：\n" + "\n".join(
            f"  {f.path.name}" for f in files
        )
    return Result(text=text, files=files)


def _letter(context: dict[str, Any], fmt: str, template: Path | None) -> str | bytes:
    if fmt == "docx":
        from safety_plan.output.docx import render_docx
        from safety_plan.reports.supervision import letter_document

        return render_docx(letter_document(context))
    from safety_plan.output.templating import render_template
    from safety_plan.resources import templates_dir

    return render_template(template or templates_dir() / LETTER_TEMPLATE, context)
