"""A ``Document`` as a Word file laid out after GB/T 9704-2012 (党政机关公文格式).

What the standard fixes, and what this module does about it:

* A4, 版心 156 × 225 mm: margins 37 mm top, 35 mm bottom, 28 mm left (订口), 26 mm right;
* body text 3号仿宋 (16 pt), 22 lines a page: fixed line spacing of 225 mm / 22 ≈ 29 pt,
  first line indented two characters;
* the title 2号小标宋 (22 pt), centred; level-1 headings 黑体, level-2 楷体, level-3 仿宋 bold,
  all 3号, indented like body text;
* the masthead (发文机关标志) red 小标宋, centred, the document number (发文字号) under it and a red
  rule the width of the text block below that; the title two lines under the rule;
* page numbers 4号半角宋体 as ``— 1 —`` at the foot: odd pages right, even pages left, one
  character in from the edge of the text block;
* the signature (发文机关署名) under the text, the date (成文日期) under it, its first character
  two characters right of the organ's, the date two characters in from the right.

Tables (the standard leaves them open) are set in 小四仿宋 with a 黑体 header row that repeats on
every page, full borders, rows that do not split across pages, and fixed column widths that add
up to the text block.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt, RGBColor

from safety_plan.output.document import (
    Block,
    Column,
    Document,
    GroupRow,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Signature,
    Span,
    Table,
    Text,
)
from safety_plan.output.docx.fonts import (
    FANGSONG,
    HEI,
    KAI,
    LANGUAGE_XML,
    SONG,
    TITLE,
    Font,
    declare,
    fonts_xml,
    set_fonts,
)
from safety_plan.output.text import printable

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import BaseStyle
    from docx.text.paragraph import Paragraph as WordParagraph

TEXT_WIDTH = Mm(156)
BODY = Pt(16)  # 三号
LINE = Pt(29)  # 225 mm / 22 lines
TITLE_SIZE = Pt(22)  # 二号
TITLE_LINE = Pt(35)
TABLE_SIZE = Pt(12)  # 小四
TABLE_LINE = Pt(18)
PAGE_NUMBER_SIZE = Pt(14)  # 四号
RED = RGBColor(0xFF, 0x00, 0x00)
TONES = {
    "red": RGBColor(0xC0, 0x00, 0x00),
    "yellow": RGBColor(0x9C, 0x65, 0x00),
    "green": RGBColor(0x00, 0x7A, 0x33),
}
GROUP_SHADE = "E7E6E6"
TWO_CHARACTERS = Pt(32)


def render_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    word = docx.Document()
    _drop_styles_with_effects(word)
    _set_up_page(word)
    _set_up_styles(word)
    _page_numbers(word)
    first: WordParagraph | None = word.paragraphs[0] if word.paragraphs else None
    if document.masthead:
        _masthead(word, first, document.masthead, document.number)
        first = None
    title = first if first is not None else word.add_paragraph()
    _use_style(title, "Title")
    _add_text(title, document.title, TITLE)
    if document.masthead:
        title.paragraph_format.space_before = LINE * 2
    if document.addressee:
        paragraph = _paragraph(word, "公文主送")
        _add_text(paragraph, f"{document.addressee}：", FANGSONG)
    for block in document.blocks:
        _block(word, block)
    if document.signature is not None:
        _signature(word, document.signature)
    for note in document.notes:
        paragraph = _paragraph(word, "公文附注")
        _add_text(paragraph, note, FANGSONG)
    word.core_properties.title = printable(document.title)
    word.core_properties.language = "zh-CN"
    word.core_properties.author = printable(document.signature.organ) if document.signature else "safety-plan"
    word.core_properties.comments = "safety-plan"
    _drop_thumbnail(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return _reproducible(buffer.getvalue())


def _drop_thumbnail(word: WordDocument) -> None:
    """python-docx's template ships the preview of a blank English page: no preview is better."""
    rels = word.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del rels[rid]


def _reproducible(data: bytes) -> bytes:
    """The same document gives the same bytes: the zip's entries lose the time they were written
    (a bulletin kept in git changes only when its content does)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# --- page, styles, page numbers ---------------------------------------------------------


def _drop_styles_with_effects(word: WordDocument) -> None:
    """python-docx's template carries Word 2010's second copy of the styles, with theme fonts:
    one set of styles, ours, is all a reader should find."""
    for rid, rel in list(word.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del word.part.rels[rid]


def _set_up_page(word: WordDocument) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(24)  # the number's top 7 mm under the text block
    word.settings.odd_and_even_pages_header_footer = True


def _set_up_styles(word: WordDocument) -> None:
    styles = word.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            set_fonts(rpr, FANGSONG)
    _style(styles["Normal"], FANGSONG, BODY, line=LINE, indent=True)
    _style(styles["Title"], TITLE, TITLE_SIZE, line=TITLE_LINE, align=WD_ALIGN_PARAGRAPH.CENTER)
    styles["Title"].paragraph_format.space_after = LINE
    _style(styles["Heading 1"], HEI, BODY, line=LINE, indent=True, keep=True)
    _style(styles["Heading 2"], KAI, BODY, line=LINE, indent=True, keep=True)
    _style(styles["Heading 3"], FANGSONG, BODY, line=LINE, indent=True, keep=True, bold=True)
    _new(styles, "公文版头", TITLE, Pt(36), line=None, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _new(styles, "公文字号", FANGSONG, BODY, line=LINE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _new(styles, "公文主送", FANGSONG, BODY, line=LINE)
    _new(styles, "公文署名", FANGSONG, BODY, line=LINE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _new(styles, "公文附注", FANGSONG, BODY, line=LINE, indent=True)
    _new(styles, "表格文字", FANGSONG, TABLE_SIZE, line=TABLE_LINE, align=WD_ALIGN_PARAGRAPH.LEFT)
    _new(styles, "表格表头", HEI, TABLE_SIZE, line=TABLE_LINE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _new(styles, "页码", SONG, PAGE_NUMBER_SIZE, line=None)
    for style in styles.element.findall(qn("w:style")):
        # Every style names its East Asian font, the ones this module does not use included:
        # a user who applies "Quote" in Word must not get Chinese in a Latin font either.
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            rpr = style.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                style.append(rpr)
            if rpr.find(qn("w:rFonts")) is None:
                set_fonts(rpr, FANGSONG)
    for fonts in styles.element.iter(qn("w:rFonts")):
        # Table styles' conditional parts (first row …) name theme fonts of their own.
        if fonts.get(qn("w:eastAsia")) is None or any(
            k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib
        ):
            set_fonts(fonts.getparent(), FANGSONG)
    _declare_fonts(word)


def _declare_fonts(word: WordDocument) -> None:
    """Name each official font's stand-in in the font table (word/fontTable.xml)."""
    from docx.opc.oxml import serialize_part_xml

    for rel in word.part.rels.values():
        if rel.reltype.endswith("/fontTable") and not rel.is_external:
            part = rel.target_part
            table = parse_xml(part.blob)
            declare(table)
            part._blob = serialize_part_xml(table)


def _style(
    style: BaseStyle,
    font: Font,
    size: Length,
    *,
    line: Length | None,
    align: Any = None,
    indent: bool = False,
    keep: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
) -> None:
    """Set a style from scratch: whatever the template had (theme fonts, blue headings,
    a border under the title) goes."""
    element = style.element
    for tag in ("w:rPr", "w:pPr"):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)
    style.font.size = size  # type: ignore[attr-defined]
    style.font.bold = bold  # type: ignore[attr-defined]
    style.font.italic = False  # type: ignore[attr-defined]
    style.font.color.rgb = color or RGBColor(0, 0, 0)  # type: ignore[attr-defined]
    set_fonts(element.get_or_add_rPr(), font)
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = TWO_CHARACTERS if indent else Pt(0)
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = True
    ppr = element.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        # No extra space between Chinese and digits: 2025年7月1日, not 2025 年 7 月 1 日.
        # Before w:spacing, where the schema puts it (LibreOffice ignores it elsewhere).
        off = OxmlElement(tag)
        off.set(qn("w:val"), "0")
        if spacing is not None:
            spacing.addprevious(off)
        else:
            ppr.append(off)
    if keep:
        fmt.keep_with_next = True


def _new(styles: Any, name: str, font: Font, size: Length, **options: Any) -> None:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    _style(style, font, size, **options)


def _page_numbers(word: WordDocument) -> None:
    """``— 1 —``: odd pages at the right, even pages at the left, a character in."""
    section = word.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        _use_style(paragraph, "页码")
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if align is WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE
        _add_text(paragraph, "— ", SONG)
        _page_field(paragraph)
        _add_text(paragraph, " —", SONG)


def _page_field(paragraph: WordParagraph) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        set_fonts(run._r.get_or_add_rPr(), SONG)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text or ""


# --- the parts of a document --------------------------------------------------------------


def _masthead(word: WordDocument, first: WordParagraph | None, masthead: str, number: str | None) -> None:
    paragraph = first if first is not None else word.add_paragraph()
    _use_style(paragraph, "公文版头")
    # As large as fits one line of the text block, at most 小初 (36 pt).
    size = min(36.0, TEXT_WIDTH.pt / max(_width_in_characters(masthead), 1) * 0.92)
    _add_text(paragraph, masthead, TITLE, size=Pt(size), color=RED)
    rule_above = paragraph
    if number:
        rule_above = _paragraph(word, "公文字号")
        rule_above.paragraph_format.space_before = LINE
        _add_text(rule_above, number, FANGSONG)
    _red_rule_below(rule_above)


def _red_rule_below(paragraph: WordParagraph) -> None:
    """The red rule as the paragraph's bottom border: it spans the text block in Word and
    LibreOffice alike, and moves with the text (a drawn line would not)."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/></w:pBdr>'
        )
    )


def _paragraph(word: WordDocument, style: str) -> WordParagraph:
    paragraph = word.add_paragraph()
    _use_style(paragraph, style)
    return paragraph


def _use_style(paragraph: WordParagraph, name: str) -> None:
    """Set a paragraph's style by its ID: python-docx's lookup by name reads all the
    template's styles each time, which made a bulletin take seconds."""
    if name != "Normal":
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = name.replace(" ", "")


def _block(word: WordDocument, block: Block) -> None:
    if isinstance(block, Heading):
        paragraph = _paragraph(word, f"Heading {block.level}")
        _add_text(paragraph, block.text, {1: HEI, 2: KAI, 3: FANGSONG}[block.level])
    elif isinstance(block, Paragraph):
        paragraph = _paragraph(word, "Normal")
        if not block.indent:
            paragraph.paragraph_format.first_line_indent = Pt(0)
        _add_text(paragraph, block.text, FANGSONG)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(word: WordDocument, table: Table) -> None:
    """The table built as one piece of XML: python-docx's cell API re-reads the whole grid for
    each cell, which made a bulletin's tables take seconds."""
    if not table.rows:
        paragraph = _paragraph(word, "Normal")
        _add_text(paragraph, table.empty, FANGSONG)
        return
    widths = [int(w.twips) for w in _column_widths(table.columns)]
    rows = [_row_xml([column.header for column in table.columns], table.columns, widths, header=True)]
    for row in table.rows:
        if isinstance(row, GroupRow):
            rows.append(_group_row_xml(row.text, widths))
        else:
            rows.append(_row_xml(list(row), table.columns, widths, header=False))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    body = word.element.body
    lead_in = body.sectPr.getprevious() if body.sectPr is not None else None
    if lead_in is not None and lead_in.tag == qn("w:p"):
        lead_in.get_or_add_pPr().keepNext_val = True  # "按责任单位列出：" stays with its table
    body.sectPr.addprevious(parse_xml(xml))
    _paragraph(word, "Normal").paragraph_format.line_spacing = Pt(12)  # air after a table


def _column_widths(columns: tuple[Column, ...]) -> list[Length]:
    """Each column's share of the text block; the last takes what rounding left."""
    total = sum(c.width for c in columns)
    widths: list[Length] = [Mm(round(156 * c.width / total, 1)) for c in columns]
    widths[-1] = Length(TEXT_WIDTH - sum(widths[:-1]))
    return widths


def _row_xml(cells: list[Inline], columns: tuple[Column, ...], widths: list[int], *, header: bool) -> str:
    properties = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    style, font = ("表格表头", HEI) if header else ("表格文字", FANGSONG)
    tcs = "".join(
        _cell_xml(
            value,
            style,
            font,
            width,
            centred=header or column.numeric,
            keep=header,
        )
        for value, column, width in zip(cells, columns, widths, strict=True)
    )
    return f"<w:tr><w:trPr>{properties}</w:trPr>{tcs}</w:tr>"


def _group_row_xml(text: str, widths: list[int]) -> str:
    """A row across the table, shaded, in 黑体; it stays on the page of the row after it."""
    cell = _cell_xml(
        text, "表格文字", HEI, sum(widths), centred=False, keep=True, span=len(widths), fill=GROUP_SHADE
    )
    return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>"


def _cell_xml(
    value: Inline,
    style: str,
    font: Font,
    width: int,
    *,
    centred: bool,
    keep: bool,
    span: int = 1,
    fill: str | None = None,
) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    tcpr += '<w:vAlign w:val="center"/>'
    ppr = f'<w:pStyle w:val="{style}"/>' + ("<w:keepNext/>" if keep else "")
    if centred:
        ppr += '<w:jc w:val="center"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{_runs_xml((value,), font)}</w:p></w:tc>"


def _signature(word: WordDocument, signature: Signature) -> None:
    """Organ two characters in from the right; the date's first character two characters
    right of the organ's; a date longer than that moves the organ in instead."""
    organ_w, date_w = _width_in_characters(signature.organ), _width_in_characters(signature.date)
    organ_right = 2.0
    date_right = organ_right + organ_w - 2 - date_w
    if date_right < 2:
        date_right = 2.0
        organ_right = date_right + date_w + 2 - organ_w
    body = word.element.body
    last = body.sectPr.getprevious() if body.sectPr is not None else None
    if last is not None and last.tag == qn("w:p"):
        last.get_or_add_pPr().keepNext_val = True  # never a signature alone on the last page
    organ = _paragraph(word, "公文署名")
    organ.paragraph_format.keep_with_next = True
    organ.paragraph_format.space_before = LINE * 2
    organ.paragraph_format.right_indent = Pt(16 * organ_right)
    _add_text(organ, signature.organ, FANGSONG)
    date = _paragraph(word, "公文署名")
    date.paragraph_format.right_indent = Pt(16 * date_right)
    _add_text(date, signature.date, FANGSONG)


def _width_in_characters(text: str) -> float:
    """Width in full-width characters: digits and Latin letters count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


# --- runs ------------------------------------------------------------------------------------


def _add_text(
    paragraph: WordParagraph,
    text: Text,
    font: Font,
    *,
    size: Length | None = None,
    color: RGBColor | None = None,
) -> None:
    for run in parse_xml(f"<w:p {nsdecls('w')}>{_runs_xml(text, font, size=size, color=color)}</w:p>"):
        paragraph._p.append(run)


def _runs_xml(text: Text, font: Font, *, size: Length | None = None, color: RGBColor | None = None) -> str:
    """Each piece a run that names its East Asian font; a non-breaking hyphen (U+2011, as in
    dates) becomes Word's own ``w:noBreakHyphen``."""
    pieces: tuple[Inline, ...] = (text,) if isinstance(text, str) else text
    runs = []
    for piece in pieces:
        span = piece if isinstance(piece, Span) else Span(piece)
        if not span.text:
            continue
        rpr = fonts_xml(font)
        if span.bold:
            rpr += "<w:b/><w:bCs/>"
        tone = TONES.get(span.tone) if span.tone else color
        if tone is not None:
            rpr += f'<w:color w:val="{tone}"/>'
        if size is not None:
            rpr += f'<w:sz w:val="{round(size.pt * 2)}"/><w:szCs w:val="{round(size.pt * 2)}"/>'
        rpr += LANGUAGE_XML
        content = "<w:noBreakHyphen/>".join(
            f'<w:t xml:space="preserve">{escape(printable(segment))}</w:t>' if segment else ""
            for segment in span.text.split("\u2011")
        )
        runs.append(f"<w:r><w:rPr>{rpr}</w:rPr>{content}</w:r>")
    return "".join(runs)
