"""The city edition of ``bulletin``: the month's standing of every district as one document.

Each district's figures are its own: its standing as the city ``status`` ranks it
(``standing.plan_standing``) and the units most behind from its own monthly bulletin's
context (``reports.bulletin.build_context``, picked as the summary picks them). One
``Document`` out, rendered by the same Markdown and Word renderers as every bulletin.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from safety_plan.city.districts import District
from safety_plan.city.parallel import map_items
from safety_plan.city.standing import city_standing, plan_standing, shown_rank
from safety_plan.commands.base import Request, Result
from safety_plan.output.document import Block, Column, Document, Heading, Paragraph, Table
from safety_plan.output.words import percent
from safety_plan.problems import UsageError

if TYPE_CHECKING:
    from safety_plan.opening import Opening

_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    """1 → 一 … 99 → 九十九, as official documents number their parts."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[ones - 1] if ones else "")


def city_bulletin(
    request: Request,
    *,
    district: str | None = None,
    template: Path | None = None,
    warn_days: int | None = None,
    summary: bool = False,
    period: str | None = None,
) -> Result:
    from safety_plan.city.editions import open_city
    from safety_plan.commands.bulletin import _check, _render

    _check(request, template, summary, period)
    if template is not None or summary or period is not None:
        raise UsageError(
            "bulletin: with a city's --data only the city's monthly bulletin is made; "
            "--summary, --period and --template are a district's: give its data directory with --data"
        )
    _, districts = open_city(request, district)
    document = city_document(request, districts, warn_days)
    written = f"已生成 {request.output}（{document.title}，截至 {request.as_of.isoformat()}）"
    return Result.document(request, _render(document, request.fmt), written)


def _figures_and_context(
    opened: Opening, request: Request, warn_days: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    from safety_plan.reports.bulletin import build_context

    dataset, plan = opened.both()
    context = build_context(dataset, plan, request.month, warn_days, opened.shown)
    return plan_standing(plan, request.as_of, warn_days), context


def city_document(request: Request, districts: list[District], warn_days: int | None) -> Document:
    from safety_plan.opening.answers import answered
    from safety_plan.reports.bulletin_document import date_zh, light_counts
    from safety_plan.reports.summary import most_overdue

    def standing_and_context(each: District) -> tuple[dict[str, Any], dict[str, Any]]:
        """Each district opened once: its standing and its own bulletin's context, kept with
        its data for the same month (``opening.answers``)."""
        # The month is the as-of day's; the footer names the folder as the user gave it.
        figures, context = answered(
            each.data,
            each.shown,
            "city-bulletin",
            (request.as_of, warn_days, each.shown),
            lambda opened: _figures_and_context(opened, request, warn_days),
        )
        return {"id": each.id, "name": each.name, **figures}, context

    answers = [answer() for answer in map_items(standing_and_context, districts, size=District.opening_work)]
    _, standing = city_standing([row for row, _ in answers], request.as_of)
    contexts = {each.id: context for each, (_, context) in zip(districts, answers, strict=True)}
    first = contexts[districts[0].id]
    totals = standing["totals"]
    lights = totals["lights"]
    names = {d.id: d.name for d in districts}
    blocks: list[Block] = [
        Paragraph(
            f"截至{date_zh(request.as_of.isoformat())}，全市 {len(districts)} 个区应完成 {totals['due']} 次，"
            f"已完成 {totals['done']} 次，逾期 {totals['overdue']} 次（占 {percent(totals['overdue_share'])}）；"
            f"月报应报 {totals['reports_due']} 次，按时报送 {totals['reports_on_time']} 次"
            f"（{percent(totals['on_time_rate'])}）。"
        ),
        Paragraph(
            (
                "灯号：",
                *light_counts(lights),
                "。",
            )
        ),
        Heading("一、各区进展（按逾期占比排列）"),
        Table(
            (
                Column("排名", 24, numeric=True),
                Column("区", 22),
                Column("阶段", 22),
                Column("应完成（次）", 26, numeric=True),
                Column("逾期（次）", 24, numeric=True),
                Column("逾期占比", 22, numeric=True),
                Column("红/黄/绿灯", 34, numeric=True),
            ),
            tuple(
                (
                    shown_rank(row["rank"], [r["rank"] for r in standing["districts"]]),
                    row["name"],
                    "—" if row["phase"] is None else f"第{row['phase']['index']}阶段",
                    str(row["due"]),
                    str(row["overdue"]),
                    percent(row["overdue_share"]),
                    "/".join(str(row["lights"].get(k, 0)) for k in ("red", "yellow", "green")),
                )
                for row in standing["districts"]
            ),
        ),
        Heading("二、各区月报按时报送排名"),
        Table(
            (
                Column("排名", 24, numeric=True),
                Column("区", 30),
                Column("应报（次）", 26, numeric=True),
                Column("按时（次）", 26, numeric=True),
                Column("按时率", 22, numeric=True),
            ),
            tuple(
                (
                    shown_rank(row["on_time_rank"], [r["on_time_rank"] for r in standing["districts"]]),
                    row["name"],
                    str(row["reports_due"]),
                    str(row["reports_on_time"]),
                    percent(row["on_time_rate"]),
                )
                for row in sorted(standing["districts"], key=lambda r: standing["by_on_time"].index(r["id"]))
            ),
        ),
        Heading("三、各区逾期最多的单位"),
    ]
    for number, district_id in enumerate(standing["by_overdue_share"], start=1):
        context = contexts[district_id]
        blocks.append(
            Heading(
                f"（{_numeral(number)}）{names[district_id]}（逾期未完成 {context['overdue_total']} 项）",
                level=2,
            )
        )
        blocks.append(
            Table(
                (
                    Column("单位", 46),
                    Column("逾期（项）", 24, numeric=True),
                    Column("未完成（次）", 26, numeric=True),
                    Column("最长逾期（天）", 30, numeric=True),
                ),
                tuple(
                    (w["unit"], str(w["items"]), str(w["occurrences"]), str(w["longest"]))
                    for w in most_overdue(context)
                ),
                empty="本月无逾期未完成事项。",
            )
        )
    return Document(
        title=f"{first['plan']['short']}{first['month_zh']}全市各区推进情况通报",
        blocks=tuple(blocks),
        notes=(
            "（本通报由 safety-plan 根据 "
            + "、".join(f"{d.name} {d.shown}" for d in districts)
            + " 中的数据自动生成；各区详情见各区月度通报。）",
        ),
    )
