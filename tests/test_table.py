"""The terminal table (output/table.py) on its own: which layout at which width, IDs and unit
names never broken, Chinese aligned, no trailing spaces, control characters never raw."""

from __future__ import annotations

import pytest

from safety_plan.output.render import Column, View
from safety_plan.output.table import terminal_width, to_definitions, to_table
from safety_plan.output.text import CLOSING, display_width

LONG = "各乡镇、各相关部门、各区直属企业制定各自辖区、行业领域、单位的子方案，将各自方案及部署情况报区安委会办公室"
ROWS = [
    ("zbgj.4", LONG, "区住房保障房屋管理局", 456),
    (
        "zbgj-13.inspection-high-risk",
        "每半年至少组织开展一次疏散逃生演练（常态任务，累计未完成 3 次）",
        "港沿镇",
        7,
    ),
    ("m81-8.quarterly", "专题研究推进安全生产重大问题", "区应急局", 0),
]


def _view(rows=ROWS, whole: bool = False) -> View:  # type: ignore[no-untyped-def]
    return View(
        title="逾期未完成事项：截至 2025-06-30，共 3 项",
        columns=[
            Column("ref", "编号", into="what"),
            Column("what", "事项", wrap=True, whole=whole),
            Column("unit", "责任单位"),
            Column("due", "截止日期"),
            Column("days", "逾期天数", numeric=True),
            Column("status", "报送状态"),
        ],
        rows=[
            {
                "ref": r,
                "what": w,
                "unit": u,
                "due": "2024-03-31",
                "days": d,
                "status": "未报送",
                "_style": "red",
            }
            for r, w, u, d in rows
        ],
        notes=["涉及 3 个责任单位，最长逾期 456 天；各单位汇总见 safety-plan units。"],
    )


def _body(out: str) -> list[str]:
    """The table's rows: the lines after the rule."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    return lines[rule + 1 : rule + 1 + sum(1 for line in lines[rule + 1 :] if not line.startswith("涉及"))]


@pytest.mark.parametrize("width", [50, 60, 80, 100, 120, 200])
def test_every_line_fits_carries_no_trailing_space_and_no_closing_punctuation_first(width: int) -> None:
    out = to_table(_view(), width=width, color=False)
    for line in out.splitlines():
        assert display_width(line) <= width, line
        assert line == line.rstrip(), repr(line)
        assert not line or line[0] not in CLOSING, line


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_ids_and_unit_names_are_never_broken(width: int) -> None:
    out = to_table(_view(), width=width, color=False)
    for ref, _, unit, _ in ROWS:
        assert any(ref in line for line in out.splitlines()), (ref, out)
        assert any(unit in line for line in out.splitlines()), (unit, out)


def test_at_80_columns_one_line_per_item_text_cut() -> None:
    body = _body(to_table(_view(), width=80, color=False))
    assert len(body) == len(ROWS)
    assert body[0].startswith("zbgj.4 各乡镇") and "…" in body[0]
    assert body[0].endswith("456  未报送")


def test_when_everything_fits_one_line_per_item_nothing_cut() -> None:
    body = _body(to_table(_view(), width=200, color=False))
    assert len(body) == len(ROWS)
    assert "…" not in "".join(body) and LONG in body[0]


def test_in_between_the_text_wraps_led_by_its_id() -> None:
    body = _body(to_table(_view(), width=120, color=False))
    assert len(body) > len(ROWS)
    assert body[0].startswith("zbgj.4 各乡镇") and "…" not in "".join(body)


def test_too_narrow_for_text_beside_the_columns_it_goes_below() -> None:
    out = to_table(_view(), width=50, color=False)
    body = _body(out)
    assert body[0].startswith("区住房保障房屋管理局") and body[1].startswith("  zbgj.4 各乡镇")


def test_a_whole_text_is_wrapped_never_cut() -> None:
    out = to_table(_view(whole=True), width=60, color=False)
    assert "…" not in out
    assert "".join(line.strip() for line in out.splitlines()).count("部署情况报区安委会办公室") == 1


def test_columns_align_by_display_width() -> None:
    body = _body(to_table(_view(), width=80, color=False))
    starts = {display_width(line[: line.index(unit)]) for line, (*_, unit, _) in zip(body, ROWS, strict=True)}
    assert len(starts) == 1, body
    assert len({display_width(line[: line.rindex("未报送")]) for line in body}) == 1
    assert len({display_width(line) for line in body}) == 1


def test_a_narrow_header_splits_over_two_lines() -> None:
    lines = to_table(_view(), width=80, color=False).splitlines()
    assert lines[2].endswith("逾期  报送") and lines[3].endswith("天数  状态")


def test_colour_only_when_asked_and_control_characters_never_raw() -> None:
    hostile = [("x\x1b]0;owned\x07", "清屏\x1b[2J\x9b", "区应急局", 1)]
    plain = to_table(_view(hostile), width=80, color=False)
    assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain
    assert "x␛]0;owned␇" in plain
    coloured = to_table(_view(hostile), width=80, color=True)
    assert "\x1b[31m" in coloured
    assert "\x1b]" not in coloured and "\x1b[2J" not in coloured


def test_an_empty_view_says_so() -> None:
    view = View(title="逾期未完成事项", columns=[Column("ref", "编号")], rows=[], empty="没有逾期事项。")
    assert to_table(view, width=80, color=False) == "逾期未完成事项\n没有逾期事项。\n"


def test_width_is_columns_when_set_else_80_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "132")
    assert terminal_width() == 132
    monkeypatch.setenv("COLUMNS", "banana")
    assert terminal_width() in (80, terminal_width())  # the terminal's, or 80 when not one
    monkeypatch.setenv("COLUMNS", "5")
    assert terminal_width() == 20  # a floor, so a table is never absurd


def test_definitions_wrap_beside_their_term_with_chinese_counted_double() -> None:
    entries = {
        "deadline-phrase": "每个截止日期写明时间表述（YYYY年底前、N年内、YYYY年上/下半年）",
        "tag": "only plain data",
    }
    out = to_definitions(entries, width=44)
    lines = out.splitlines()
    assert out.endswith("\n") and lines[0].startswith("deadline-phrase  每个")
    assert lines[-1] == "tag              only plain data"
    for line in lines:
        assert display_width(line) <= 44 and line == line.rstrip(), line
    continued = lines[1:-1]
    assert continued and all(line.startswith(" " * 17) and line[17] != " " for line in continued)
    assert "".join(line.strip() for line in lines[:-1]).endswith(entries["deadline-phrase"].replace(" ", ""))


def test_definitions_too_narrow_for_both_put_the_text_under_the_term() -> None:
    lines = to_definitions(
        {"unknown-measure-reference": "deadlines name an existing measure"}, 30
    ).splitlines()
    assert lines[0] == "unknown-measure-reference"
    assert all(line.startswith("    ") and display_width(line) <= 30 for line in lines[1:])
