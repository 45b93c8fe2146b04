"""The bulletin's one-page summary for leaders (``bulletin --summary``): the phase, the
lights, the five most overdue units, what changed since last month, what comes next.

Pure: the monthly bulletin's own context in (so every number is the bulletin's), a
``Document`` out, short enough for one A4 page.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from safety_plan.output.document import Block, Column, Document, Heading, Paragraph, Table
from safety_plan.reports.bulletin_document import date_zh, light_counts, phase_sentence

MOST_OVERDUE = 5
CHANGES_LISTED = 2


def most_overdue(context: dict[str, Any], count: int = MOST_OVERDUE) -> list[dict[str, Any]]:
    """Units with the most overdue items (项), then the most missed occurrences (次), then the
    most days overdue; each with its completion rate from the ranking."""
    percent = {r["unit"]: r["percent"] for r in context["ranking"]}
    ordered = sorted(
        context["overdue"],
        key=lambda g: (-len(g["rows"]), -g["occurrences"], -g["days_overdue"], g["unit"]),
    )
    return [
        {
            "unit": g["unit"],
            "items": len(g["rows"]),
            "occurrences": g["occurrences"],
            "longest": g["longest"],
            "percent": percent.get(g["unit"]),
        }
        for g in ordered[:count]
    ]


def _short(what: str, length: int = 20) -> str:
    """A task's first words, for a line a leader reads at a glance (the bulletin has it whole)."""
    first = what.split("，")[0]
    return first if len(first) <= length else first[: length - 1] + "…"


def summary_document(context: dict[str, Any]) -> Document:
    lights = context["lights"]
    changes = context["changes"]
    blocks: list[Block] = [
        Paragraph(
            f"{context['plan']['short']}截至{date_zh(context['as_of'])}，" + phase_sentence(context, lead="")
        ),
        Paragraph(
            (
                "灯号：",
                *light_counts(lights),
                f"（黄灯：{context['warn_days']} 天内到期）。"
                f"逾期未完成 {context['overdue_total']} 项，涉及 {len(context['overdue'])} 个单位。",
            )
        ),
        Heading(f"一、逾期最多的{MOST_OVERDUE}个单位"),
    ]
    worst = most_overdue(context)
    blocks.append(
        Table(
            (
                Column("单位", 46),
                Column("逾期（项）", 24, numeric=True),
                Column("未完成（次）", 26, numeric=True),
                Column("最长逾期（天）", 30, numeric=True),
                Column("完成率", 30, numeric=True),
            ),
            tuple(
                (
                    w["unit"],
                    str(w["items"]),
                    str(w["occurrences"]),
                    str(w["longest"]),
                    "—" if w["percent"] is None else f"{w['percent']}%",
                )
                for w in worst
            ),
            empty="本月无逾期未完成事项。",
        )
    )
    blocks.append(Heading("二、本月变化"))
    change = f"与上月末相比，新增逾期 {changes['newly_overdue_count']} 次，新完成 {changes['newly_closed_count']} 次。"
    newly = sorted(changes["newly_overdue"], key=lambda i: (-i["units"], i["due"], i["ref"]))[:CHANGES_LISTED]
    if newly:
        change += (
            "新增逾期较多的："
            + "；".join(f"{_short(i['what'])}（{i['units']} 个单位）" for i in newly)
            + "。"
        )
    blocks.append(Paragraph(change))
    blocks.append(Heading("三、下阶段提示"))
    upcoming = context["next"]
    later = []
    if upcoming["phase"]:
        later.append(f"{date_zh(upcoming['phase']['start'])}起进入{upcoming['phase']['name']}")
    deadlines = sum(i["units"] - i["done"] for i in upcoming["deadlines"])
    later.append(
        f"{upcoming['label']}有 {len(upcoming['deadlines'])} 项限时任务到期（{deadlines} 个单位尚未完成）"
        if upcoming["deadlines"]
        else f"{upcoming['label']}无到期的限时任务"
    )
    blocks.append(Paragraph("；".join(later) + "。"))
    return Document(
        title=f"{context['month_zh']}推进情况摘要",
        blocks=tuple(blocks),
        signature=None,
        notes=(
            f"（本摘要由 safety-plan 根据 {_data_name(context['source']['data'])} 中的数据自动生成，"
            f"详见第{context['issue']}期月度通报。）",
        ),
    )


def _data_name(shown: str) -> str:
    """The data folder by its own name: a long absolute path would push a one-page summary onto
    a second page (the full bulletin's footer names the whole path)."""
    return PurePath(shown).name or shown
