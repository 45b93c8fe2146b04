"""The monthly bulletin as a ``Document``: the same context as the Markdown template, the same
sections and numbers, laid out for print (one table per section, units as group rows).

Pure: the context (``reports.bulletin.build_context``) in, a ``Document`` out. The appendix
of obligation IDs stays in the Markdown edition: in print it would be thousands of IDs.
"""

from __future__ import annotations

from typing import Any

from safety_plan.output.document import (
    Block,
    Column,
    Document,
    GroupRow,
    Heading,
    Inline,
    Paragraph,
    Row,
    Signature,
    Span,
    Table,
)
from safety_plan.output.templating import unbroken_date
from safety_plan.output.words import LIGHT_ZH, status_zh


def date_zh(iso: str) -> str:
    """2025-06-30 → 2025年6月30日, as official documents write dates."""
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def ref(value: str) -> str:
    """An ID that a narrow column breaks after its dots (zbgj-13. / inspection), not inside a word."""
    return value.replace(".", ".\u200b")


def light(value: str | None, *, nothing_due: bool = False) -> Inline:
    if nothing_due:
        return "暂无到期"
    if not value:
        return "—"
    return Span(LIGHT_ZH.get(value, value), bold=value == "red", tone=value)  # type: ignore[arg-type]


def light_counts(lights: dict[str, int]) -> tuple[Inline, ...]:
    """红灯 N 次，黄灯 N 次，绿灯 N 次, each in its light's colour (red in bold)."""
    return (
        Span(f"红灯 {lights['red']} 次", bold=True, tone="red"),
        "，",
        Span(f"黄灯 {lights['yellow']} 次", tone="yellow"),
        "，",
        Span(f"绿灯 {lights['green']} 次", tone="green"),
    )


def office(context: dict[str, Any]) -> str:
    """The committee's office issues bulletins: 上海市崇明区安全生产委员会 → …办公室."""
    issuer = str(context["plan"]["issuer"])
    return issuer if issuer.endswith("办公室") else f"{issuer}办公室"


def counting_note(context: dict[str, Any]) -> str:
    return (
        f"灯号统计：红灯 {context['lights']['red']} 次，黄灯 {context['lights']['yellow']} 次，"
        f"绿灯 {context['lights']['green']} 次（黄灯：{context['warn_days']} 天内到期）。"
        "“次”指一个单位的一项限时任务，或一项常态任务的一个周期；逾期清单按“项”列出，"
        "常态任务每个单位列一项，注明累计未完成次数。"
    )


def phase_sentence(context: dict[str, Any], lead: str = "当前") -> str:
    phase = context["phase"]
    if phase is None:
        return f"{lead}不在方案确定的阶段内。"
    return (
        f"{lead}处于第{phase['index']}阶段（共{phase['of']}个）{phase['name']}"
        f"（{date_zh(phase['start'])}至{date_zh(phase['end'])}），"
        f"已过 {phase['elapsed_days']}/{phase['total_days']} 天（{phase['percent']}%）。"
    )


def source_note(context: dict[str, Any], edition: str = "本通报", extra: str = "") -> str:
    source = context["source"]
    months = (
        f"进度报告 {source['reports_from']} 至 {source['reports_until']}，共 {source['report_months']} 个月"
        if source["report_months"]
        else "尚无进度报告"
    )
    more = f"；{extra}" if extra else ""
    return f"（{edition}由 safety-plan 根据 {source['data']} 中的数据自动生成，{months}{more}。）"


def bulletin_document(context: dict[str, Any]) -> Document:
    blocks: list[Block] = [
        Paragraph(
            f"现将截至{date_zh(context['as_of'])}{context['plan']['title']}推进情况通报如下。"
            + phase_sentence(context)
        ),
        Paragraph(counting_note(context)),
        *_progress(context),
        *_overdue(context),
        *_due_soon(context),
        *_reporting(context),
        *_ranking(context),
        *_changes(context),
        *_next(context),
        *_supervision(context),
    ]
    return Document(
        title=f"关于{context['month_zh']}{context['plan']['short']}推进情况的通报",
        masthead=context["title"],
        number=f"第{context['issue']}期",
        blocks=tuple(blocks),
        signature=Signature(office(context), date_zh(context["as_of"])),
        notes=(source_note(context, extra="各项计数对应的事项编号见 Markdown 版附录"),),
    )


def _progress(context: dict[str, Any]) -> list[Block]:
    rows: list[Row] = []
    plan = None
    for s in context["sections"]:
        if s["plan_short"] != plan:
            plan = s["plan_short"]
            rows.append(GroupRow(plan))
        rows.append(
            (
                s["title"],
                str(s["due"]),
                str(s["done"]),
                str(s["in_progress"]),
                str(s["overdue"]),
                light(s["light"], nothing_due=s["nothing_due"]),
            )
        )
    blocks: list[Block] = [
        Heading("一、总体进展"),
        Table(
            (
                Column("行动 / 部分", 62),
                Column("应完成（次）", 18, numeric=True),
                Column("已完成（次）", 18, numeric=True),
                Column("推进中（次）", 18, numeric=True),
                Column("逾期（次）", 18, numeric=True),
                Column("灯号", 22, numeric=True),
            ),
            tuple(rows),
        ),
    ]
    if context["goals"]:
        blocks.append(Paragraph("阶段性目标："))
        for n, goal in enumerate(context["goals"], start=1):
            state = ""
            if goal["due"]:
                done = "已完成" if goal["done"] else LIGHT_ZH.get(goal["light"] or "", "—")
                state = f"（{unbroken_date(goal['due'])}；{done}）"
            blocks.append(Paragraph(f"{n}. {goal['text']}{state}"))
    return blocks


def _overdue(context: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading("二、逾期未完成事项")]
    if not context["overdue"]:
        return [*blocks, Paragraph("本月无逾期未完成事项。")]
    blocks.append(
        Paragraph(
            f"共 {context['overdue_total']} 项（未完成 {context['overdue_occurrences']} 次，即红灯数），按责任单位列出："
        )
    )
    rows: list[Row] = []
    for group in context["overdue"]:
        rows.append(GroupRow(f"{group['unit']}（{len(group['rows'])} 项，未完成 {group['occurrences']} 次）"))
        for i in group["rows"]:
            what = i["what"] + (f"（常态任务，累计未完成 {i['missed']} 次）" if i["missed"] else "")
            rows.append(
                (
                    ref(i["ref"]),
                    what,
                    unbroken_date(i["due"]),
                    str(i["days_overdue"]),
                    i["note"] or status_zh(i["status"]),
                )
            )
    blocks.append(
        Table(
            (
                Column("编号", 26),
                Column("事项", 62),
                Column("截止日期", 25, numeric=True),
                Column("逾期天数", 13, numeric=True),
                Column("最新情况", 30),
            ),
            tuple(rows),
        )
    )
    return blocks


def _lines_table(lines: list[dict[str, Any]], *, open_units: bool) -> Table:
    columns = [
        Column("编号", 26),
        Column("事项", 40 if open_units else 88),
        Column("截止日期", 25, numeric=True),
    ]
    if open_units:
        columns += [
            Column("单位数", 17, numeric=True),
            Column("已完成", 17, numeric=True),
            Column("未完成单位", 31),
        ]
    else:
        columns += [Column("未完成单位数", 17, numeric=True)]
    rows: list[Row] = []
    for i in lines:
        row: tuple[Inline, ...] = (ref(i["ref"]), i["what"], unbroken_date(i["due"]))
        if open_units:
            row += (str(i["units"]), str(i["done"]), "、".join(i["open_units"]) or "—")
        else:
            row += (str(i["units"] - i["done"]),)
        rows.append(row)
    return Table(tuple(columns), tuple(rows))


def _due_soon(context: dict[str, Any]) -> list[Block]:
    due = context["due_soon"]
    blocks: list[Block] = [Heading("三、本月到期及下月到期事项"), Heading("（一）本月到期", 2)]
    blocks.append(
        _lines_table(due["this_month"], open_units=True)
        if due["this_month"]
        else Paragraph("本月无到期事项。")
    )
    blocks.append(Heading(f"（二）{due['next_month_label']}到期（尚未完成）", 2))
    blocks.append(
        _lines_table(due["next_month"], open_units=False)
        if due["next_month"]
        else Paragraph(f"{due['next_month_label']}无到期事项。")
    )
    return blocks


def _reporting(context: dict[str, Any]) -> list[Block]:
    r = context["reporting"]
    blocks: list[Block] = [Heading("四、报送情况")]
    if not r["expected"]:
        blocks.append(Paragraph("本月无报送要求。"))
    else:
        blocks.append(
            Paragraph(
                f"本月应报送 {r['expected']} 家（{date_zh(r['due'])}前），按时报送 {len(r['on_time'])} 家，"
                f"逾期报送 {len(r['late'])} 家，未报送 {len(r['missing'])} 家，按时报送率 {r['rate']}%。"
            )
        )
        late = "、".join(f"{x['unit']}（{date_zh(x['submitted'])}）" for x in r["late"]) or "无"
        blocks.append(Paragraph(("逾期报送：", late)))
        blocks.append(Paragraph(("未报送：", Span("、".join(r["missing"]) or "无", bold=bool(r["missing"])))))
    if context["duties"]:
        blocks.append(Paragraph("常态工作落实情况（最近一个周期）："))
        blocks.append(
            Table(
                (
                    Column("编号", 26),
                    Column("工作", 40),
                    Column("周期", 25, numeric=True),
                    Column("应落实", 17, numeric=True),
                    Column("已落实", 17, numeric=True),
                    Column("未落实单位", 31),
                ),
                tuple(
                    (
                        ref(d["ref"]),
                        d["what"],
                        f"{d['every']} {unbroken_date(d['window'])}",
                        str(d["units"]),
                        str(len(d["done"])),
                        "、".join(d["missed"]) or "无",
                    )
                    for d in context["duties"]
                ),
            )
        )
    return blocks


def _ranking(context: dict[str, Any]) -> list[Block]:
    supervision = context["supervision"]
    scored = bool(supervision["rules"])
    numbers = (15, 15, 16, 15, 16, 15) if scored else (17, 17, 18, 17, 17, 17)
    columns = [
        Column("名次", 25, numeric=True),
        Column("单位", 23 if scored else 28),
        *(
            Column(header, width, numeric=True)
            for header, width in zip(
                ("应完成（次）", "已完成（次）", "完成率", "逾期（次）", "逾期天数合计", "月报按时率"),
                numbers,
                strict=True,
            )
        ),
    ]
    if scored:
        columns += [Column("本年督办分值", 16, numeric=True)]
    rows: list[Row] = []
    for r in context["ranking"]:
        row: tuple[Inline, ...] = (
            f"{r['rank']}（并列）" if r["tied"] else str(r["rank"]),
            r["unit"],
            str(r["due"]),
            str(r["done"]),
            f"{r['percent']}%",
            str(r["overdue"]),
            str(r["days_overdue"]),
            "—" if r["reports_on_time"] is None else f"{r['reports_on_time']}%",
        )
        if scored:
            row += (str(supervision["points"].get(r["unit"], 0)),)
        rows.append(row)
    return [
        Heading("五、单位排名"),
        Paragraph(
            "按应完成事项的完成率排序，完成率相同的按逾期天数合计由少到多排列；两者都相同的名次并列，按单位名称排列。"
        ),
        Table(tuple(columns), tuple(rows)),
    ]


def _supervision(context: dict[str, Any]) -> list[Block]:
    """八、督办事项 (when the data has supervision rules) and 调整事项 (deadlines moved this
    month), numbered as the Markdown edition numbers them."""
    supervision = context["supervision"]
    blocks: list[Block] = []
    if supervision["rules"]:
        blocks.append(Heading("八、督办事项"))
        blocks.append(
            Paragraph(
                f"截至{date_zh(context['as_of'])}，{len(supervision['units'])} 个单位触发督办规则"
                f"（共 {len(supervision['escalations'])} 条，本月新增 {supervision['new_count']} 条，标“新”）；"
                f"逐条明细见 safety-plan escalations --month {context['month']}。"
            )
        )
        blocks.append(
            Table(
                (
                    Column("单位", 30),
                    Column("督办措施（起始月份）", 46),
                    Column("涉及事项", 60),
                    Column("本年督办分值", 20, numeric=True),
                ),
                tuple(
                    (
                        u["unit"],
                        "、".join(
                            f"{a['action']}（{'新' if a['new'] else a['since']}）" for a in u["actions"]
                        ),
                        "、".join(ref(x) for x in u["refs"]),
                        str(u["points"]),
                    )
                    for u in supervision["units"]
                ),
                empty="本月无单位触发督办规则。",
            )
        )
    if supervision["adjustments"]:
        blocks.append(Heading(f"{'九' if supervision['rules'] else '八'}、调整事项"))
        blocks.append(Paragraph("本月经批准调整完成时限的事项："))
        blocks.append(
            Table(
                (
                    Column("编号", 22),
                    Column("事项", 36),
                    Column("原截止日期", 25, numeric=True),
                    Column("调整后", 25, numeric=True),
                    Column("批准文件", 26),
                    Column("理由", 22),
                ),
                tuple(
                    (
                        ref(a["ref"]),
                        a["what"],
                        unbroken_date(a["from"]),
                        unbroken_date(a["to"]),
                        f"{a['approval']}（{date_zh(a['approved'])}）",
                        a["reason"] or "—",
                    )
                    for a in supervision["adjustments"]
                ),
            )
        )
    return blocks


def _changes(context: dict[str, Any]) -> list[Block]:
    changes = context["changes"]
    blocks: list[Block] = [
        Heading("六、变化情况"),
        Paragraph(
            f"与上月末相比，新增逾期 {changes['newly_overdue_count']} 次，新完成 {changes['newly_closed_count']} 次。"
        ),
    ]
    for label, key in (("（一）新增逾期", "newly_overdue"), ("（二）新完成", "newly_closed")):
        if changes[key]:
            blocks.append(Heading(label, 2))
            blocks.append(_changes_table(changes[key]))
    return blocks


def _changes_table(lines: list[dict[str, Any]]) -> Table:
    return Table(
        (
            Column("编号", 26),
            Column("事项", 88),
            Column("截止日期", 25, numeric=True),
            Column("单位数", 17, numeric=True),
        ),
        tuple((ref(i["ref"]), i["what"], unbroken_date(i["due"]), str(i["units"])) for i in lines),
    )


def _next(context: dict[str, Any]) -> list[Block]:
    upcoming = context["next"]
    blocks: list[Block] = [Heading("七、下阶段提示")]
    if upcoming["phase"]:
        blocks.append(Paragraph(f"{date_zh(upcoming['phase']['start'])}起进入{upcoming['phase']['name']}。"))
    until = date_zh(upcoming["until"])
    if upcoming["deadlines"]:
        blocks.append(Paragraph(f"{upcoming['label']}（截至{until}）到期的限时任务："))
        blocks.append(_lines_table(upcoming["deadlines"], open_units=False))
    else:
        blocks.append(Paragraph(f"{upcoming['label']}（截至{until}）无到期的限时任务。"))
    if upcoming["duties"]:
        refs = list(dict.fromkeys(ref(i["ref"]) for i in upcoming["duties"]))
        blocks.append(Paragraph(f"同期常态工作：{'、'.join(refs)}。"))
    return blocks
