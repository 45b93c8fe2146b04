"""The quarterly and half-yearly progress evaluation (进度评估, the plan's 五、（六）: 每半年开展一次
进度评估), from the same as-of engine as the bulletin.

Per action: what fell due within the period and was done, how that compares with the
previous period, and the cumulative completion rate then and now; the units behind (overdue
in the period) and ahead (nothing overdue, work finished before its due day). Pure: the
dataset, its compiled plan, a month and a period in; a context dict and a ``Document`` out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from safety_plan.dataset import Dataset
from safety_plan.engine.asof import Evaluation, Snapshot, snapshot
from safety_plan.engine.calendar import month_end, window_of
from safety_plan.engine.types import CompiledPlan, Kind, Window
from safety_plan.output.document import (
    Block,
    Column,
    Document,
    GroupRow,
    Heading,
    Paragraph,
    Row,
    Signature,
    Table,
)
from safety_plan.reports.bulletin import first_month, phase_info, require_started, source_info
from safety_plan.reports.bulletin_document import date_zh, office, phase_sentence, source_note
from safety_plan.vocabulary import Every

PERIODS = {"quarter": Every.quarter, "half-year": Every.half_year}
AHEAD_LISTED = 10


def period_label(window: Window) -> str:
    """2025Q2 → 2025年第2季度, 2025H1 → 2025年上半年."""
    year, part = window.label[:4], window.label[4:]
    if part.startswith("Q"):
        return f"{year}年第{part[1]}季度"
    return f"{year}年{'上' if part == 'H1' else '下'}半年"


def _rate(done: int, due: int) -> float | None:
    return round(done / due * 100, 1) if due else None


def _counts(evaluations: list[Evaluation], start: dt.date, end: dt.date) -> dict[str, Any]:
    """What fell due between ``start`` and ``end`` (the unit is held to it) and its state."""
    due = [e for e in evaluations if start <= e.obligation.due <= end and not e.not_applicable]
    done = sum(1 for e in due if e.done)
    overdue = [e for e in due if e.overdue]
    return {
        "due": len(due),
        "done": done,
        "overdue": len(overdue),
        "days_overdue": sum(e.days_overdue for e in overdue),
        "rate": _rate(done, len(due)),
    }


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 1)


def build_review(
    dataset: Dataset,
    plan: CompiledPlan,
    month: str,
    period: str,
    warn_days: int | None = None,
    data_shown: str = "data",
) -> dict[str, Any]:
    """The evaluation of the period (``quarter`` or ``half-year``) that contains ``month``, as of
    that month's end: the whole period when ``month`` is its last month, else the part so far."""
    require_started(dataset, month)
    year, mon = map(int, month.split("-"))
    as_of = month_end(year, mon)
    every = PERIODS[period]
    window = window_of(every, as_of)
    previous = window_of(every, window.start - dt.timedelta(days=1))
    started = first_month(dataset)
    has_previous = previous.end >= started
    snap = snapshot(plan, as_of, warn_days)
    before = snapshot(plan, previous.end, warn_days) if has_previous else None
    origin = dt.date(1, 1, 1)

    def actions() -> list[dict[str, Any]]:
        now_by: dict[tuple[str, int | None], list[Evaluation]] = defaultdict(list)
        for ev in snap.evaluations:
            now_by[(ev.obligation.plan, ev.obligation.section)].append(ev)
        then_by: dict[tuple[str, int | None], list[Evaluation]] = defaultdict(list)
        for ev in before.evaluations if before else []:
            then_by[(ev.obligation.plan, ev.obligation.section)].append(ev)
        rows = []
        for key in plan.section_keys():
            if key[1] is None and key not in now_by:
                continue
            rows.append(
                _action_row(
                    key,
                    plan.plans[key[0]],
                    plan.section_title(*key),
                    now_by.get(key, []),
                    then_by.get(key),
                    window,
                    previous,
                    as_of,
                )
            )
        return rows

    main = dataset.main_plan
    total_then = _counts(before.evaluations, previous.start, previous.end) if before else None
    return {
        "title": f"{main.short}进度评估",
        "plan": {"id": main.id, "title": main.title, "short": main.short, "issuer": main.issuer},
        "period": period,
        "label": period_label(window),
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label},
        "as_of": as_of.isoformat(),
        "complete": as_of >= window.end,
        "previous": None
        if not has_previous
        else {
            "label": period_label(previous),
            "start": previous.start.isoformat(),
            "end": previous.end.isoformat(),
        },
        "phase": phase_info(snap),
        "total": {
            "period": _counts(snap.evaluations, window.start, as_of),
            "previous": total_then,
            "cumulative": _counts(snap.evaluations, origin, as_of),
            "cumulative_before": _counts(before.evaluations, origin, previous.end) if before else None,
        },
        "actions": actions(),
        **_units(snap, window.start, as_of),
        "warn_days": warn_days,
        "source": source_info(dataset, data_shown, month),
    }


def _action_row(
    key: tuple[str, int | None],
    plan_short: str,
    title: str,
    now: list[Evaluation],
    then: list[Evaluation] | None,
    window: Window,
    previous: Window,
    as_of: dt.date,
) -> dict[str, Any]:
    origin = dt.date(1, 1, 1)
    period = _counts(now, window.start, as_of)
    cumulative = _counts(now, origin, as_of)
    before = _counts(then, previous.start, previous.end) if then is not None else None
    cumulative_before = _counts(then, origin, previous.end) if then is not None else None
    return {
        "plan_short": plan_short,
        "section": key[1],
        "title": title,
        "period": period,
        "previous": before,
        "cumulative": cumulative,
        "cumulative_before": cumulative_before,
        "change": _change(cumulative["rate"], cumulative_before["rate"] if cumulative_before else None),
    }


def _units(snap: Snapshot, start: dt.date, as_of: dt.date) -> dict[str, Any]:
    """Behind: units with something of the period overdue, most first. Ahead: units with
    nothing overdue in the period, those that finished most work before its due day first."""
    by_unit: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in snap.evaluations:
        by_unit[ev.obligation.unit].append(ev)
    rows = []
    for unit, evaluations in by_unit.items():
        counts = _counts(evaluations, start, as_of)
        early = sum(  # deadlines only: a duty done inside its window is simply on time
            1
            for e in evaluations
            if e.obligation.kind is Kind.deadline
            and e.done_on is not None
            and start <= e.done_on <= as_of
            and e.done_on < e.obligation.due
        )
        if counts["due"] or early:
            rows.append({"unit": unit, **counts, "early": early})
    behind = sorted(
        (r for r in rows if r["overdue"]), key=lambda r: (-r["overdue"], -r["days_overdue"], r["unit"])
    )
    ahead = sorted(
        (r for r in rows if not r["overdue"] and (r["early"] or r["due"])),
        key=lambda r: (-r["early"], -(r["rate"] or 0), -r["done"], r["unit"]),
    )
    return {"behind": behind, "ahead": ahead[:AHEAD_LISTED], "units_assessed": len(rows)}


# --- the document ---------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def _pp(value: float | None) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "持平"
    return f"{value:+.1f}"


def review_document(context: dict[str, Any]) -> Document:
    total = context["total"]
    period, cumulative = total["period"], total["cumulative"]
    window = context["window"]
    span = f"{date_zh(window['start'])}至{date_zh(context['as_of'])}"
    partial = (
        ""
        if context["complete"]
        else f"（本期至{date_zh(window['end'])}结束，以下为截至{date_zh(context['as_of'])}的情况）"
    )
    opening = (
        f"现将{context['label']}（{span}）{context['plan']['title']}进度评估情况报告如下{partial}。"
        + phase_sentence(context)
    )
    summary = (
        f"本期应完成 {period['due']} 次，已完成 {period['done']} 次，完成率 {_pct(period['rate'])}，"
        f"逾期 {period['overdue']} 次。"
    )
    if context["previous"] and total["previous"]:
        prev = total["previous"]
        summary += (
            f"上期（{context['previous']['label']}）应完成 {prev['due']} 次，完成率 {_pct(prev['rate'])}。"
        )
        summary += (
            f"截至期末累计完成率 {_pct(cumulative['rate'])}，较上期末（{_pct(total['cumulative_before']['rate'])}）"
            f"{_movement(_change(cumulative['rate'], total['cumulative_before']['rate']))}。"
        )
    else:
        summary += (
            f"截至期末累计完成率 {_pct(cumulative['rate'])}（方案实施以来的第一个评估期，无上期可比）。"
        )
    blocks: list[Block] = [
        Paragraph(opening),
        Heading("一、总体情况"),
        Paragraph(summary),
        Paragraph("“次”指一个单位的一项限时任务，或一项常态任务的一个周期；本期指到期日在本期内的事项。"),
        Heading("二、各行动推进情况"),
        _actions_table(context["actions"]),
        Heading("三、进度滞后的单位"),
    ]
    behind = context["behind"]
    if behind:
        blocks.append(Paragraph(f"本期有逾期未完成事项的单位 {len(behind)} 个，按逾期次数由多到少排列："))
    blocks.append(
        Table(
            (
                Column("单位", 40),
                Column("本期应完成（次）", 24, numeric=True),
                Column("已完成（次）", 22, numeric=True),
                Column("逾期（次）", 22, numeric=True),
                Column("逾期天数合计", 24, numeric=True),
                Column("完成率", 24, numeric=True),
            ),
            tuple(
                (
                    r["unit"],
                    str(r["due"]),
                    str(r["done"]),
                    str(r["overdue"]),
                    str(r["days_overdue"]),
                    _pct(r["rate"]),
                )
                for r in behind
            ),
            empty="本期无逾期未完成事项的单位。",
        )
    )
    blocks.append(Heading("四、进度靠前的单位"))
    ahead = context["ahead"]
    if ahead:
        blocks.append(
            Paragraph(
                f"本期无逾期事项的单位中，提前完成限时任务（完成日早于截止日）最多、完成率最高的 {len(ahead)} 个："
            )
        )
    blocks.append(
        Table(
            (
                Column("单位", 44),
                Column("本期应完成（次）", 28, numeric=True),
                Column("已完成（次）", 28, numeric=True),
                Column("提前完成限时任务（次）", 28, numeric=True),
                Column("完成率", 28, numeric=True),
            ),
            tuple(
                (r["unit"], str(r["due"]), str(r["done"]), str(r["early"]), _pct(r["rate"])) for r in ahead
            ),
            empty="本期无进度靠前的单位。",
        )
    )
    return Document(
        title=f"{context['plan']['short']}{context['label']}进度评估",
        masthead=context["title"],
        blocks=tuple(blocks),
        signature=_signature(context),
        notes=(source_note(context, edition="本评估"),),
    )


def _signature(context: dict[str, Any]) -> Signature:
    return Signature(office(context), date_zh(context["as_of"]))


def _movement(change: float | None) -> str:
    if change is None:
        return "无可比"
    if change == 0:
        return "持平"
    return f"{'提高' if change > 0 else '下降'} {abs(change)} 个百分点"


def _actions_table(actions: list[dict[str, Any]]) -> Table:
    rows: list[Row] = []
    plan = None
    for a in actions:
        if a["plan_short"] != plan:
            plan = a["plan_short"]
            rows.append(GroupRow(plan))
        p = a["period"]
        rows.append(
            (
                a["title"],
                str(p["due"]),
                str(p["done"]),
                str(p["overdue"]),
                _pct(p["rate"]) if p["due"] else "本期无到期",
                _pct(a["cumulative"]["rate"]),
                _pp(a["change"]),
            )
        )
    return Table(
        (
            Column("行动 / 部分", 46),
            Column("本期应完成（次）", 17, numeric=True),
            Column("本期已完成（次）", 17, numeric=True),
            Column("本期逾期（次）", 17, numeric=True),
            Column("本期完成率", 21, numeric=True),
            Column("累计完成率", 18, numeric=True),
            Column("较上期末（百分点）", 20, numeric=True),
        ),
        tuple(rows),
    )
