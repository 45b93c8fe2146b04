"""The bulletin's other editions: the one-page summary, the quarterly and half-yearly progress
evaluation, the Word file through the CLI; a Document as Markdown."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import REPO
from safety_plan.opening import open_both
from safety_plan.output.document import Column, Document, GroupRow, Paragraph, Span, Table
from safety_plan.output.document_md import to_markdown
from safety_plan.reports.bulletin import build_context
from safety_plan.reports.review import build_review, period_label, review_document
from safety_plan.reports.summary import most_overdue, summary_document
from test_bulletin import tables

DEMO = REPO / "examples" / "demo"


@pytest.fixture(scope="module")
def demo() -> tuple[Any, Any]:
    return open_both(DEMO, "examples/demo")


@pytest.fixture(scope="module")
def june(demo: tuple[Any, Any]) -> dict[str, Any]:
    return build_context(*demo, "2025-06", data_shown="examples/demo")


# --- a Document as Markdown ------------------------------------------------------------------


def test_markdown_of_a_document_escapes_and_keeps_tables_whole() -> None:
    document = Document(
        title="标题 | *x*",
        blocks=(
            Paragraph(("灯号：", Span("红灯 3 次", bold=True, tone="red"), " <script>")),
            Table(
                (Column("单位"), Column("次", numeric=True)),
                (GroupRow("区应急局"), ("a | b\nc", "1")),
            ),
            Table((Column("单位"),), (), empty="无"),
        ),
    )
    text = to_markdown(document)
    assert text.startswith("# 标题 \\| \\*x\\*\n")
    assert "灯号：**🔴红灯 3 次** \\<script\\>" in text
    parsed = tables(text)
    assert parsed == [[["单位", "次"], ["**区应急局**", ""], ["a | b c", "1"]]]  # one cell, pipe and all
    assert text.rstrip().endswith("无")


# --- the summary -----------------------------------------------------------------------------


def test_summary_lists_the_five_most_overdue_units_from_the_bulletins_numbers(june: dict[str, Any]) -> None:
    worst = most_overdue(june)
    assert len(worst) == 5
    keys = [(-w["items"], -w["occurrences"]) for w in worst]
    assert keys == sorted(keys)
    groups = {g["unit"]: g for g in june["overdue"]}
    for w in worst:
        assert w["items"] == len(groups[w["unit"]]["rows"])
        assert w["occurrences"] == groups[w["unit"]]["occurrences"]
    most = max(len(g["rows"]) for g in june["overdue"])
    assert worst[0]["items"] == most


def test_summary_is_short_and_carries_the_lights(june: dict[str, Any]) -> None:
    document = summary_document(june)
    text = to_markdown(document)
    lights = june["lights"]
    assert f"红灯 {lights['red']} 次" in text and f"黄灯 {lights['yellow']} 次" in text
    assert f"新增逾期 {june['changes']['newly_overdue_count']} 次" in text
    assert [b.text for b in document.blocks if type(b).__name__ == "Heading"] == [
        "一、逾期最多的5个单位",
        "二、本月变化",
        "三、下阶段提示",
    ]
    assert len(text) < 1500  # one page; LibreOffice's page count is checked in test_office.py


# --- the progress evaluation -----------------------------------------------------------------


def test_period_labels() -> None:
    import datetime as dt

    from safety_plan.engine.calendar import window_of
    from safety_plan.vocabulary import Every

    assert period_label(window_of(Every.quarter, dt.date(2025, 6, 30))) == "2025年第2季度"
    assert period_label(window_of(Every.half_year, dt.date(2025, 6, 30))) == "2025年上半年"
    assert period_label(window_of(Every.half_year, dt.date(2025, 7, 1))) == "2025年下半年"


def test_review_counts_agree_with_each_other(demo: tuple[Any, Any]) -> None:
    review = build_review(*demo, "2025-06", "half-year", data_shown="examples/demo")
    assert review["label"] == "2025年上半年" and review["complete"]
    assert review["previous"]["label"] == "2024年下半年"
    period = review["total"]["period"]
    assert period["due"] == sum(a["period"]["due"] for a in review["actions"])
    assert period["done"] == sum(a["period"]["done"] for a in review["actions"])
    assert period["overdue"] == sum(r["overdue"] for r in review["behind"])
    assert all(r["overdue"] == 0 for r in review["ahead"])
    assert not {r["unit"] for r in review["ahead"]} & {r["unit"] for r in review["behind"]}
    # The period's end is the month's bulletin's as-of day: the cumulative overdue is its red light.
    bulletin = build_context(*demo, "2025-06")
    assert review["total"]["cumulative"]["overdue"] == bulletin["lights"]["red"]
    # The change is the cumulative rate now against the one at the previous period's end.
    total = review["total"]
    assert total["cumulative_before"]["due"] < total["cumulative"]["due"]


def test_a_period_under_way_is_evaluated_so_far(demo: tuple[Any, Any]) -> None:
    review = build_review(*demo, "2025-05", "quarter")
    assert review["label"] == "2025年第2季度" and not review["complete"]
    assert review["as_of"] == "2025-05-31"
    text = to_markdown(review_document(review))
    assert "以下为截至2025年5月31日的情况" in text


def test_the_first_period_has_nothing_to_compare_with(demo: tuple[Any, Any]) -> None:
    review = build_review(*demo, "2024-03", "quarter")
    assert review["previous"] is None
    assert all(a["change"] is None for a in review["actions"])
    assert "无上期可比" in to_markdown(review_document(review))


# --- through the CLI ---------------------------------------------------------------------------


def test_bulletin_docx_through_the_cli(tmp_path: Path, run) -> None:
    target = tmp_path / "通报.docx"
    code, out, err = run("--data", str(DEMO), "bulletin", "--month", "2025-06", "-o", str(target))
    assert code == 0, err
    assert "第16期月度通报" in out + err
    document = docx.Document(io.BytesIO(target.read_bytes()))
    assert any(p.text == "五、单位排名" for p in document.paragraphs)
    status = json.loads(run("--data", str(DEMO), "status", "--month", "2025-06", "--format", "json")[1])
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"红灯 {status['lights']['red']} 次，黄灯 {status['lights']['yellow']} 次" in text
    overdue = json.loads(run("--data", str(DEMO), "overdue", "--month", "2025-06", "--format", "json")[1])
    assert f"共 {len(overdue['items'])} 项" in text


@pytest.mark.parametrize("fmt", ["md", "docx"])
@pytest.mark.parametrize("edition", [["--summary"], ["--period", "quarter"], ["--period", "half-year"]])
def test_summary_and_review_in_both_formats(tmp_path: Path, run, fmt: str, edition: list[str]) -> None:
    target = tmp_path / f"out.{fmt}"
    code, _, err = run(
        "--data", str(DEMO), "bulletin", "--month", "2025-06", *edition, "--format", fmt, "-o", str(target)
    )
    assert code == 0, err
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs)
    else:
        text = target.read_text(encoding="utf-8")
    assert ("推进情况摘要" if edition == ["--summary"] else "进度评估") in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "--format docx needs -o FILE.docx"),
        (["--summary", "--period", "quarter"], "--summary and --period: choose one"),
        (["--summary", "--template", "x.j2"], "--template renders the monthly bulletin as Markdown"),
        (["--period", "year"], "'year' is not one of 'quarter', 'half-year'"),
    ],
    ids=["docx-needs-o", "summary-and-period", "template-with-summary", "bad-period"],
)
def test_options_that_do_not_go_together(run, args: list[str], message: str) -> None:
    code, out, err = run("--data", str(DEMO), "bulletin", "--month", "2025-06", *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_a_month_before_the_plan_is_refused_in_every_edition(run) -> None:
    for edition in ([], ["--summary"], ["--period", "quarter"]):
        code, _, err = run("--data", str(DEMO), "bulletin", "--month", "2024-02", *edition)
        assert code == 2 and "the plan began in 2024-03" in err, edition


def test_o_with_docx_suffix_means_word(tmp_path: Path, run) -> None:
    target = tmp_path / "b.DOCX"
    code, _, err = run("--data", str(DEMO), "bulletin", "--month", "2025-06", "--summary", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes()[:2] == b"PK"


def test_summary_names_the_data_folder_not_its_whole_path(tmp_path: Path, run) -> None:
    """A long absolute path in the one-page summary's note pushed it onto a second page."""
    data = tmp_path / "a-rather-long-directory-name" / "for-testing-the-summary" / "demo-data"
    shutil.copytree(REPO / "examples" / "demo", data)
    code, out, err = run("--data", str(data), "bulletin", "--month", "2025-06", "--summary")
    assert code == 0, err
    assert "根据 demo-data 中的数据自动生成" in out
    assert str(tmp_path) not in out
