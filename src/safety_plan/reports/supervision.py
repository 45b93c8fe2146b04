"""What supervision (督办) prints: the month's escalations, the quarter's visit list, the
urging letters and the bulletin's 督办事项 and 调整事项, as plain dicts from the escalation
engine, so that the table, JSON, a template (shipped or the office's own) and Word all read
the same values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from safety_plan.engine.asof import Evaluation, changes_approved
from safety_plan.engine.calendar import month_end
from safety_plan.engine.escalation import Escalation, Month, Supervisor, Visit, month_label, obligation_key
from safety_plan.engine.types import CompiledPlan, SupervisionRule
from safety_plan.output.document import Block, Column, Document, Paragraph, Signature, Table
from safety_plan.output.words import status_zh


def day_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def condition_zh(rule: SupervisionRule, rules: tuple[SupervisionRule, ...]) -> str:
    """The rule's condition as the office would say it."""
    target = next((r for r in rules if r.id == rule.target), None)
    named = f"“{target.action}”" if target is not None else f"“{rule.target}”"
    if rule.kind == "overdue_days":
        return f"有事项逾期 {rule.count} 天以上" if rule.count else "有事项逾期"
    if rule.kind == "missed_reports":
        return f"连续 {rule.count} 个月未按时报送工作情况" if rule.count > 1 else "本月未按时报送工作情况"
    if rule.kind == "repeated":
        return f"近 {rule.within} 个月中有 {rule.count} 个月被{named}"
    if rule.kind == "after":
        return f"{named}所列事项 {rule.count} 天后仍未完成"
    return rule.kind


def escalation_json(item: Escalation, rules: tuple[SupervisionRule, ...]) -> dict[str, Any]:
    """DESIGN.md's escalation item (unit, rule, action, refs, since, points), plus more."""
    return {
        "unit": item.unit,
        "rule": item.rule.id,
        "action": item.rule.action,
        "refs": list(item.refs),
        "since": item.since,
        "points": item.points,
        "new": item.new,
        "rule_points": item.rule.points,
        "condition": condition_zh(item.rule, rules),
    }


def escalations_payload(plan: CompiledPlan, month: Month, units: set[str] | None = None) -> dict[str, Any]:
    rules = plan.supervision.rules
    items = Supervisor(plan).escalations(month, units=units)
    return {
        "as_of": month_end(*month).isoformat(),
        "items": [escalation_json(i, rules) for i in items],
    }


def visit_json(visit: Visit, rules: tuple[SupervisionRule, ...]) -> dict[str, Any]:
    return {
        "rank": visit.rank,
        "unit": visit.unit,
        "points": visit.points,
        "overdue": visit.overdue,
        "days_overdue": visit.days_overdue,
        "reasons": visit_reasons(visit, rules),
        "fired": [
            {"rule": rule.id, "action": rule.action, "months": list(months)} for rule, months in visit.fired
        ],
    }


def visit_reasons(visit: Visit, rules: tuple[SupervisionRule, ...]) -> list[str]:
    """Why a unit is on the list, one line per rule and one for its overdue load."""
    reasons = []
    for rule, months in visit.fired:
        points = f"，计 {rule.points * len(months)} 分" if rule.points else ""
        shown = "、".join(f"{int(m[5:])}月" for m in months)
        reasons.append(f"{rule.action}（{condition_zh(rule, rules)}）：{shown}{points}")
    if visit.overdue:
        reasons.append(f"季末逾期 {visit.overdue} 次，合计 {visit.days_overdue} 天")
    return reasons


# --- the bulletin ------------------------------------------------------------------------


def bulletin_supervision(plan: CompiledPlan, month: Month) -> dict[str, Any]:
    """The bulletin's 督办事项 (this month's escalations, new ones marked), each unit's
    points this year for the ranking, and 调整事项 (deadline moves approved this month)."""
    rules = plan.supervision.rules
    supervisor = Supervisor(plan)
    items = supervisor.escalations(month) if rules else []
    start = dt.date(month[0], month[1], 1)
    adjustments = []
    for obligation, index in changes_approved(plan, start, month_end(*month)):
        change = obligation.changes[index]
        before = obligation.changes[index - 1].due if index else (obligation.original_due or obligation.due)
        adjustments.append(
            {
                "ref": obligation.ref,
                "what": obligation.what,
                "from": before.isoformat(),
                "to": change.due.isoformat(),
                "approved": change.approved.isoformat(),
                "approval": change.approval,
                "reason": change.reason,
            }
        )
    by_unit: dict[str, list[Escalation]] = {}
    for item in items:
        by_unit.setdefault(item.unit, []).append(item)
    return {
        "rules": bool(rules),
        "escalations": [escalation_json(i, rules) for i in items],
        "units": [
            {
                "unit": unit,
                "actions": [
                    {"action": i.rule.action, "rule": i.rule.id, "new": i.new, "since": i.since} for i in mine
                ],
                "new": any(i.new for i in mine),
                "refs": sorted({ref for i in mine for ref in i.refs if "@" not in ref}),
                "points": mine[0].points,
            }
            for unit, mine in sorted(by_unit.items(), key=lambda kv: (kv[1][0].points, kv[0]))
        ],
        "new_count": sum(1 for i in items if i.new),
        "points": supervisor.points(month) if rules else {},
        "adjustments": adjustments,
    }


# --- urging letters ----------------------------------------------------------------------


def letter_contexts(
    plan: CompiledPlan, month: Month, names: dict[str, str], units: set[str] | None = None
) -> list[dict[str, Any]]:
    """One letter per unit and action: every item behind that action's rules, once."""
    supervision = plan.supervision
    rules = supervision.rules
    as_of = month_end(*month)
    reply_by = as_of + dt.timedelta(days=supervision.reply_days)
    grouped: dict[tuple[str, str], list[Escalation]] = {}
    for item in Supervisor(plan).escalations(month, units=units):
        grouped.setdefault((item.unit, item.rule.action), []).append(item)
    letters = []
    for (unit, action), items in sorted(grouped.items()):
        evaluations: dict[str, Evaluation] = {}
        for item in items:
            for ev in item.evaluations:
                evaluations.setdefault(obligation_key(ev), ev)
        ordered = sorted(evaluations.values(), key=lambda ev: ev.obligation.sort_key)
        letters.append(
            {
                "unit": unit,
                "unit_name": names.get(unit, unit),
                "action": action,
                "sender": supervision.sender,
                "month": month_label(month),
                "month_zh": f"{month[0]}年{month[1]}月",
                "date": as_of.isoformat(),
                "date_zh": day_zh(as_of),
                "reply_days": supervision.reply_days,
                "reply_by": reply_by.isoformat(),
                "reply_by_zh": day_zh(reply_by),
                "points": items[0].points,
                "grounds": [
                    {
                        "rule": item.rule.id,
                        "condition": condition_zh(item.rule, rules),
                        "since": item.since,
                        "new": item.new,
                        "refs": list(item.refs),
                        "note": item.rule.note,
                        "rule_points": item.rule.points,
                    }
                    for item in items
                ],
                "items": [_letter_item(plan, i, ev) for i, ev in enumerate(ordered, start=1)],
                "file": letter_file_name(month, unit, action),
            }
        )
    return letters


def _letter_item(plan: CompiledPlan, number: int, ev: Evaluation) -> dict[str, Any]:
    ob = ev.obligation
    return {
        "no": number,
        "ref": obligation_key(ev),
        "clause": clause_zh(plan, ev),
        "what": ob.what,
        "phrase": ob.phrase,
        "due": ob.due.isoformat(),
        "original_due": ob.original_due.isoformat() if ob.original_due else None,
        "days_overdue": ev.days_overdue,
        "status": status_zh(ev.status),
        "note": ev.note,
    }


def clause_zh(plan: CompiledPlan, ev: Evaluation) -> str:
    """Which clause of which plan an obligation comes from: 治本攻坚（三）第14项“…”."""
    ob = ev.obligation
    short = plan.plans.get(ob.plan, ob.plan)
    if ob.measure is None:
        return f"{short}（方案层面）"
    section = plan.sections.get((ob.plan, ob.section or 0), "")
    label = _LABEL.match(section)
    title = plan.measure_titles.get(ob.measure)
    return f"{short}{label[0] if label else ''}第{ob.number}项" + (f"“{title}”" if title else "")


_LABEL = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f\s]+")


def letter_file_name(month: Month, unit: str, action: str) -> str:
    """``2025-06_区应急局_督办函``: no path separators or characters Windows refuses."""
    parts = [month_label(month), unit, action]
    return "_".join(_UNSAFE.sub("-", part).strip("-.") or "-" for part in parts)


def letter_document(context: dict[str, Any]) -> Document:
    """A letter's context as a ``Document``, for Word: the same words as ``letter.md.j2``."""
    grounds = "；".join(g["condition"] for g in context["grounds"])
    blocks: list[Block] = [
        Paragraph(
            f"截至{context['date_zh']}，你单位{grounds}。依据区安委会督办制度，对下列事项采取"
            f"“{context['action']}”措施："
        )
    ]
    blocks.append(
        Table(
            columns=(
                Column("序号", 0.5, numeric=True),
                Column("编号", 1.5),
                Column("条款", 1.5),
                Column("事项", 2.2),
                Column("截止日期", 1.4, numeric=True),
                Column("逾期天数", 0.7, numeric=True),
                Column("最近报送情况", 1.6),
            ),
            rows=tuple(
                (
                    str(i["no"]),
                    i["ref"].replace(".", ".\u200b").replace("[", "\u200b["),  # break between parts
                    i["clause"],
                    i["what"],
                    _unbroken(i["due"])
                    + (f"（原定{_unbroken(i['original_due'])}）" if i["original_due"] else ""),
                    str(i["days_overdue"]),
                    i["status"] + (f"：{i['note']}" if i["note"] else ""),
                )
                for i in context["items"]
            ),
            empty="本月无逾期事项明细，依据见下。",
        )
    )
    blocks.append(
        Paragraph(
            f"请你单位高度重视，于{context['reply_by_zh']}前将上述事项的整改落实情况（已完成的附完成情况，"
            f"未完成的说明原因、整改措施和完成时限）书面报送{context['sender']}。"
        )
    )
    blocks.append(Paragraph("依据："))
    for g in context["grounds"]:
        run = "本月起" if g["new"] else f"自{g['since']}起连续触发"
        points = f"，每月计{g['rule_points']}分" if g["rule_points"] else ""
        blocks.append(Paragraph(f"{g['condition']}（{run}{points}）。{g['note'] or ''}"))
    return Document(
        title=context["action"],
        blocks=tuple(blocks),
        addressee=context["unit_name"],
        signature=Signature(context["sender"], context["date_zh"]),
    )


def _unbroken(day: str) -> str:
    """A date a narrow table column cannot break at its hyphens (Word's non-breaking hyphen)."""
    return day.replace("-", "\u2011")
