"""Word output read back with python-docx: the official layout (GB/T 9704) of any Document,
and the bulletin's Word edition carrying the Markdown edition's numbers."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from conftest import REPO
from safety_plan.opening import open_both
from safety_plan.output.document import (
    Column,
    Document,
    GroupRow,
    Heading,
    Paragraph,
    Signature,
    Span,
    Table,
)
from safety_plan.output.docx import render_docx
from safety_plan.output.templating import render_template
from safety_plan.reports.bulletin import build_context
from safety_plan.reports.bulletin_document import bulletin_document
from safety_plan.resources import templates_dir
from test_bulletin import SECTIONS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SAMPLE = Document(
    title="关于测试事项的督办函",
    masthead="崇明区安全生产委员会办公室",
    number="崇安委办〔2025〕1号",
    addressee="区交通委",
    blocks=(
        Heading("一、基本情况"),
        Paragraph(("截至2025年6月30日，", Span("红灯", bold=True, tone="red"), " 3 次 <b>&</b>。")),
        Heading("（一）逾期事项", 2),
        Heading("1. 明细", 3),
        Table(
            (Column("编号", 2), Column("事项", 5), Column("截止日期", 2, numeric=True)),
            (
                GroupRow("区交通委（2 项）"),
                ("zbgj-1.1", "事项一", "2024\u201112\u201131"),
                ("zbgj-1.2", "事项二", "—"),
            ),
        ),
        Table((Column("编号"),), ()),
    ),
    signature=Signature("上海市崇明区安全生产委员会办公室", "2025年7月1日"),
    notes=("（此件公开发布）",),
)


@pytest.fixture(scope="module")
def sample() -> bytes:
    return render_docx(SAMPLE)


def _xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def test_a4_with_the_standards_margins(sample: bytes) -> None:
    section = docx.Document(io.BytesIO(sample)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # type: ignore[union-attr]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]  # type: ignore[union-attr]


def test_styles_name_the_official_fonts_and_sizes(sample: bytes) -> None:
    styles = docx.Document(io.BytesIO(sample)).styles

    def east_asian(name: str) -> str | None:
        return styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == "仿宋_GB2312"
    assert east_asian("Title") == "方正小标宋简体"
    assert east_asian("Heading 1") == "黑体"
    assert east_asian("Heading 2") == "楷体_GB2312"
    assert east_asian("Heading 3") == "仿宋_GB2312"
    assert styles["Normal"].font.size == Pt(16)
    assert styles["Title"].font.size == Pt(22)
    assert styles["Normal"].paragraph_format.line_spacing == Pt(29)  # 22 lines a page
    assert styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0, 0, 0)


def test_every_run_and_style_names_its_east_asian_font(sample: bytes) -> None:
    """The classic mistake: a run with only w:ascii shows its Chinese in the Latin font."""
    for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
        xml = _xml(sample, part)
        fonts = re.findall(r"<w:rFonts [^>]*>", xml)
        assert fonts, part
        for element in fonts:
            assert 'w:eastAsia="' in element, (part, element)
            assert "Theme" not in element and "cstheme" not in element, (part, element)
    body = docx.Document(io.BytesIO(sample)).element.body
    runs = list(body.iter(f"{W}r"))
    assert runs
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia"), run.xml
    styles = docx.Document(io.BytesIO(sample)).styles.element
    for style in styles.iter(f"{W}style"):
        if style.get(f"{W}type") in ("paragraph", "character", "table"):
            assert style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia"), style.get(f"{W}styleId")


def test_fallbacks_are_named_in_the_font_table(sample: bytes) -> None:
    table = _xml(sample, "word/fontTable.xml")
    for name, alternate in (
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "宋体"),
        ("黑体", "SimHei"),
    ):
        entry = re.search(rf'<w:font w:name="{name}">(.*?)</w:font>', table, re.S)
        assert entry, name
        assert f'<w:altName w:val="{alternate}"/>' in entry.group(1)
        assert '<w:charset w:val="86"/>' in entry.group(1)
    assert "stylesWithEffects" not in _xml(sample, "word/_rels/document.xml.rels")


def test_headings_title_masthead_and_signature_read_back(sample: bytes) -> None:
    document = docx.Document(io.BytesIO(sample))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0] == ("公文版头", "崇明区安全生产委员会办公室")
    assert paragraphs[1] == ("公文字号", "崇安委办〔2025〕1号")
    assert ("Title", "关于测试事项的督办函") in paragraphs
    assert ("公文主送", "区交通委：") in paragraphs
    headings = [(s, t) for s, t in paragraphs if s.startswith("Heading")]
    assert headings == [
        ("Heading 1", "一、基本情况"),
        ("Heading 2", "（一）逾期事项"),
        ("Heading 3", "1. 明细"),
    ]
    assert paragraphs[-3:] == [
        ("公文署名", "上海市崇明区安全生产委员会办公室"),
        ("公文署名", "2025年7月1日"),
        ("公文附注", "（此件公开发布）"),
    ]
    assert ("Normal", "截至2025年6月30日，红灯 3 次 <b>&</b>。") in paragraphs  # markup is text
    red = [r for p in document.paragraphs for r in p.runs if r.text == "红灯"]
    assert red and red[0].bold and str(red[0].font.color.rgb) == "C00000"
    rule = document.paragraphs[1]._p.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule is not None and rule.get(f"{W}color") == "FF0000"  # the red rule under the number


def test_tables_have_a_repeated_header_borders_and_the_text_blocks_width(sample: bytes) -> None:
    document = docx.Document(io.BytesIO(sample))
    assert len(document.tables) == 1  # the empty table says 无 instead
    assert any(p.text == "无" for p in document.paragraphs)
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["编号", "事项", "截止日期"]
    assert rows[1] == ["区交通委（2 项）"] * 3  # one cell across the table
    assert rows[2] == ["zbgj-1.1", "事项一", "2024-12-31"]  # python-docx reads w:noBreakHyphen as "-"
    header = table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in table.rows)
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert abs(sum(widths) - Mm(156).twips) <= 2
    assert "<w:noBreakHyphen/>" in _xml(render_docx(SAMPLE), "word/document.xml")


def test_page_numbers_at_the_foot_odd_right_even_left(sample: bytes) -> None:
    document = docx.Document(io.BytesIO(sample))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.replace("1", "#") == "— # —"
        assert paragraph.alignment is not None and side in str(paragraph.alignment).lower()
        assert " PAGE " in paragraph._p.xml


# --- the bulletin in Word -----------------------------------------------------------------


@pytest.fixture(scope="module")
def june() -> dict[str, Any]:
    dataset, plan = open_both(REPO / "examples" / "demo", "examples/demo")
    return build_context(dataset, plan, "2025-06", data_shown="examples/demo")


@pytest.fixture(scope="module")
def bulletin(june: dict[str, Any]) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(bulletin_document(june))))


def test_the_bulletin_has_the_markdown_editions_sections(bulletin: Any, june: dict[str, Any]) -> None:
    headings = [p.text for p in bulletin.paragraphs if p.style.name == "Heading 1"]
    assert headings[:7] == SECTIONS[:7]
    markdown = render_template(templates_dir() / "bulletin.md.j2", june)
    in_markdown = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings == [h for h in in_markdown if h != SECTIONS[-1]]  # the ID appendix stays in Markdown
    assert "八、督办事项" in headings  # the demo has supervision rules
    first = [p.text for p in bulletin.paragraphs if p.text][:3]
    assert first == ["治本攻坚三年行动月度通报", "第16期", "关于2025年6月治本攻坚三年行动推进情况的通报"]


def test_the_bulletin_has_the_same_lights_and_counts_as_the_markdown(
    bulletin: Any, june: dict[str, Any]
) -> None:
    markdown = render_template(templates_dir() / "bulletin.md.j2", june)
    md = re.search(r"红灯 (\d+) 次，🟡黄灯 (\d+) 次，🟢绿灯 (\d+) 次", markdown)
    text = "\n".join(p.text for p in bulletin.paragraphs)
    word = re.search(r"红灯 (\d+) 次，黄灯 (\d+) 次，绿灯 (\d+) 次", text)
    assert md and word and md.groups() == word.groups()
    assert md.groups() == tuple(str(june["lights"][k]) for k in ("red", "yellow", "green"))
    total = re.search(r"共 (\d+) 项（未完成 (\d+) 次", markdown)
    assert total and f"共 {total[1]} 项（未完成 {total[2]} 次，即红灯数）" in text

    progress, overdue = bulletin.tables[0], bulletin.tables[1]
    lights_md = re.findall(r"\| (🔴红灯|🟡黄灯|🟢绿灯|暂无到期事项) \|\n", markdown.split("## 二、")[0])
    lights_word = [row.cells[-1].text for row in progress.rows[1:] if len({c.text for c in row.cells}) > 1]
    assert [x.lstrip("🔴🟡🟢").replace("暂无到期事项", "暂无到期") for x in lights_md] == lights_word
    groups = [row.cells[0].text for row in overdue.rows[1:] if len({c.text for c in row.cells}) == 1]
    assert groups == [
        f"{g['unit']}（{len(g['rows'])} 项，未完成 {g['occurrences']} 次）" for g in june["overdue"]
    ]
    assert len(overdue.rows) - 1 - len(groups) == june["overdue_total"]
    ranking = next(t for t in bulletin.tables if t.rows[0].cells[0].text == "名次")
    assert len(ranking.rows) - 1 == len(june["ranking"])
    md_ranking = re.findall(r"^\| (\d+(?:（并列）)?) \| ([^|]+) \|", markdown.split("## 五、")[1], re.M)
    assert [(r.cells[0].text, r.cells[1].text) for r in ranking.rows[1:]] == [
        (rank, unit.strip()) for rank, unit in md_ranking
    ]


def test_the_bulletins_footer_names_its_data(bulletin: Any) -> None:
    note = [p.text for p in bulletin.paragraphs if p.style.name == "公文附注"]
    assert note and "examples/demo" in note[0] and "2024-04 至 2025-06" in note[0]
    signature = [p.text for p in bulletin.paragraphs if p.style.name == "公文署名"]
    assert signature == ["上海市崇明区安全生产委员会办公室", "2025年6月30日"]


def test_the_same_document_gives_the_same_bytes() -> None:
    first = render_docx(SAMPLE)
    assert render_docx(SAMPLE) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert "docProps/thumbnail.jpeg" not in archive.namelist()  # the template's blank preview
        assert "thumbnail" not in archive.read("_rels/.rels").decode()
