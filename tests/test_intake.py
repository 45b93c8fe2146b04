"""The report-form room on its own (safety_plan.intake): what goes on a form, the form read
back and validated cell by cell, and reports merged into a progress file keeping its comments.
The whole monthly loop through the CLI is in test_monthly_loop.py."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from conftest import REPO, TESTS
from safety_plan.engine.types import CompiledPlan
from safety_plan.intake import layout
from safety_plan.intake.contents import FormContent, Month, form_content, report_obligations
from safety_plan.intake.form_reader import FormReport, IntakeFacts, ReportedItem, read_form
from safety_plan.intake.form_writer import form_workbook
from safety_plan.intake.progress_yaml import NEW, REPLACED, UNCHANGED, merge_reports
from safety_plan.loading import load_dataset
from safety_plan.opening import open_plan
from safety_plan.vocabulary import Status

DEMO = REPO / "examples" / "demo"
JULY = Month.parse("2025-07")
FIXTURE = TESTS / "fixtures" / "intake" / "2025-07-区应急局.libreoffice.xlsx"


@pytest.fixture(scope="module")
def plan() -> CompiledPlan:
    return open_plan(DEMO, "examples/demo")


@pytest.fixture(scope="module")
def facts(plan: CompiledPlan) -> IntakeFacts:
    return IntakeFacts.of(plan)


def blank_form(plan: CompiledPlan, unit: str = "区应急局") -> bytes:
    due = report_obligations(plan, JULY)[unit].due
    return form_workbook(form_content(plan, unit, JULY, due), "test")


def filled(form: bytes, cells: dict[str, Any]) -> bytes:
    book = load_workbook(io.BytesIO(form))
    sheet = book.worksheets[0]
    for cell, value in cells.items():
        sheet[cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(reading: Any) -> list[str]:
    return [str(p) for p in reading.problems]


# --- what goes on a form ---------------------------------------------------------------


def test_every_unit_bound_by_the_monthly_report_gets_a_form(plan: CompiledPlan) -> None:
    due = report_obligations(plan, JULY)
    assert len(due) == 59
    assert {o.due for o in due.values()} == {dt.date(2025, 7, 25)}


def test_a_form_lists_open_items_overdue_first_then_the_current_occurrences(plan: CompiledPlan) -> None:
    content = form_content(plan, "区应急局", JULY, dt.date(2025, 7, 25))
    refs = content.refs
    # zbgj-21.1 and zbgj-26.1 (due 2024-12-31) are overdue as of 2025-06-30: they come first.
    assert refs[:2] == ("zbgj-21.1", "zbgj-26.1")
    assert all(row.overdue for row in content.rows[:2])
    assert not any(row.overdue for row in content.rows[2:])
    # This month's occurrence of a monthly duty, this quarter's of a quarterly one, this year's drill.
    assert {"zbgj-13.inspection-high-risk", "zbgj-13.inspection", "zbgj-22.drill"} <= set(refs)
    assert len(refs) == len(set(refs)), "a recurring duty appears once, as its current occurrence"
    drill = next(r for r in content.rows if r.ref == "zbgj-22.drill")
    assert "此前 1 次未完成" in drill.current  # the missed 2024 drill is said, not listed again
    assert "受阻，逾期 181 天：等待市级统一培训规定出台后再细化" in content.rows[0].current


def test_an_item_done_before_the_month_is_not_on_the_form(plan: CompiledPlan) -> None:
    content = form_content(plan, "区应急局", JULY, dt.date(2025, 7, 25))
    assert "zbgj-16.1" not in content.refs  # done in 2024 in the demo


def test_a_unit_with_nothing_open_still_gets_a_form(facts: IntakeFacts) -> None:
    nothing = FormContent(JULY, "区应急局", dt.date(2025, 7, 25), (), ())
    form = form_workbook(nothing, "test")
    sheet = load_workbook(io.BytesIO(form)).worksheets[0]
    assert sheet["A7"].value == "本月没有需要报送进展的事项，请填写报送日期后报送本表。"
    reading = read_form("2025-07-区应急局.xlsx", form, facts, submitted=dt.date(2025, 7, 20))
    assert reading.problems == []
    assert reading.report is not None and reading.report.items == ()


# --- the form as written ---------------------------------------------------------------


def test_the_form_has_the_labelled_cells_the_table_and_the_dropdown(plan: CompiledPlan) -> None:
    book = load_workbook(io.BytesIO(blank_form(plan)))
    sheet = book.worksheets[0]
    assert "区应急局" in sheet.title and "2025-07" in sheet.title
    labels = {
        sheet[c].value: sheet[v].value for c, v in (("A3", "B3"), ("E3", "F3"), ("A4", "B4"), ("E4", "F4"))
    }
    assert labels == {
        "单位": "区应急局",
        "月份": "2025-07",
        "报送截止": dt.datetime(2025, 7, 25),
        "报送日期": None,
    }
    assert [c.value for c in sheet[layout.HEADER_ROW]] == list(layout.COLUMNS)
    # Due days are real date cells (Excel's date filters work), shown as 2025-07-25.
    due_cell = sheet[f"{layout.DUE_COL}{layout.FIRST_ROW}"]
    assert isinstance(due_cell.value, dt.datetime) and due_cell.number_format == "yyyy-mm-dd"
    assert sheet["B4"].number_format == "yyyy-mm-dd"
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists[0].formula1 == '"未开始,推进中,已完成,受阻,不适用"'
    dates = [v for v in sheet.data_validations.dataValidation if v.type == "date"]
    assert "F4" in str(dates[0].sqref) and "F7" in str(dates[0].sqref)


def test_only_the_input_cells_are_unlocked_and_it_prints_on_a4_landscape(plan: CompiledPlan) -> None:
    book = load_workbook(io.BytesIO(blank_form(plan)))
    sheet = book.worksheets[0]
    assert sheet.protection.sheet and not sheet.protection.password
    last = sheet.max_row
    unlocked = {
        cell.coordinate
        for row in sheet.iter_rows(min_row=1, max_row=last)
        for cell in row
        if not cell.protection.locked
    }
    assert unlocked == {"F4"} | {f"{c}{r}" for c in "EFG" for r in range(layout.FIRST_ROW, last + 1)}
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$6:$6"
    meta = book[layout.META_SHEET]
    assert meta.sheet_state == "hidden"
    values = {
        row[0]: row[1] for row in meta.iter_rows(values_only=True) if row[0] != "ref" and row[0] != "cell"
    }
    assert values["month"] == "2025-07" and values["unit"] == "区应急局"
    assert values["tool"] == "safety-plan test" and "zbgj" in values["plan"]


# --- reading a filled form -------------------------------------------------------------


def test_a_filled_form_gives_the_units_report(plan: CompiledPlan, facts: IntakeFacts) -> None:
    form = filled(
        blank_form(plan),
        {
            "F4": dt.datetime(2025, 7, 24),
            "E7": "推进中",
            "G7": "  正在细化  ",
            "E8": "已完成",
            "F8": "2025年7月15日",
            "G8": "已印发",
            "E9": "不适用",
        },
    )
    reading = read_form("2025-07-区应急局.xlsx", form, facts)
    assert reading.problems == []
    assert reading.report == FormReport(
        "2025-07-区应急局.xlsx",
        "2025-07",
        "区应急局",
        dt.date(2025, 7, 24),
        (
            ReportedItem("zbgj-21.1", Status.in_progress, None, "正在细化"),
            ReportedItem("zbgj-26.1", Status.done, dt.date(2025, 7, 15), "已印发"),
            ReportedItem("zbgj.dispatch", Status.not_applicable, None, None),
        ),
    )


@pytest.mark.parametrize(
    "text", ["2025-07-10", "2025/7/10", "2025.07.10", "2025年7月10日", " 2025 年 7 月 10 日 "]
)
def test_dates_typed_as_text_are_read(plan: CompiledPlan, facts: IntakeFacts, text: str) -> None:
    form = filled(blank_form(plan), {"F4": "2025-07-20", "E8": "已完成", "F8": text})
    reading = read_form("f.xlsx", form, facts)
    assert reading.report is not None
    assert reading.report.items[0].done == dt.date(2025, 7, 10)


def test_every_mistake_is_reported_with_its_cell(plan: CompiledPlan, facts: IntakeFacts) -> None:
    form = filled(
        blank_form(plan),
        {
            "F4": "2025-07-20",
            "E7": "完成了",
            "E8": "已完成",
            "E9": "已完成",
            "F9": "2025-07-30",
            "E10": "推进中",
            "F10": "2025-07-01",
            "G11": "写了进展却没选状态",
            "E12": "已完成",
            "F12": "7月10日",
            "B13": "改过的事项",
            "A30": "zbgj-13.inspectio",
            "H8": "多余",
        },
    )
    reading = read_form("2025-07-区应急局.xlsx", form, facts)
    assert reading.report is None
    got = messages(reading)
    expected_start = [
        "2025-07-区应急局.xlsx!E7: status '完成了' is not one of 未开始/推进中/已完成/受阻/不适用 (did you mean '已完成'?)",
        "2025-07-区应急局.xlsx!F8: 已完成 needs a 完成日期",
        "2025-07-区应急局.xlsx!H8: a value outside the input cells: '多余'",
        "2025-07-区应急局.xlsx!F9: 完成日期 2025-07-30 is after the 报送日期 2025-07-20",
        "2025-07-区应急局.xlsx!F10: a 完成日期 is given but 本月状态 is 推进中: choose 已完成, or clear the date",
        "2025-07-区应急局.xlsx!E11: 本月状态 is empty but the row has a 完成日期 or 进展情况",
        "2025-07-区应急局.xlsx!F12: 完成日期 '7月10日' is not a date: write it as 2025-07-10 or 2025年7月10日",
        "2025-07-区应急局.xlsx!B13: edited outside the input cells: was '",
        "2025-07-区应急局.xlsx!A30: ref 'zbgj-13.inspectio' was not on the form as issued (did you mean 'zbgj-13.inspection'?)",
    ]
    assert len(got) == len(expected_start)
    for line, start in zip(got, expected_start, strict=True):
        assert line.startswith(start), line


def test_submitted_comes_from_the_cell_else_the_option_else_an_error(
    plan: CompiledPlan, facts: IntakeFacts
) -> None:
    form = filled(blank_form(plan), {"E7": "推进中"})
    assert messages(read_form("f.xlsx", form, facts)) == [
        "f.xlsx!F4: 报送日期 is empty: fill it in, or give --submitted YYYY-MM-DD"
    ]
    reading = read_form("f.xlsx", form, facts, submitted=dt.date(2025, 7, 22))
    assert reading.report is not None and reading.report.submitted == dt.date(2025, 7, 22)
    early = filled(form, {"F4": "2025-06-28"})
    assert messages(read_form("f.xlsx", early, facts)) == [
        "f.xlsx!F4: 报送日期 2025-06-28 is before the form's month 2025-07: a form for the wrong month?"
    ]


def test_a_form_renamed_into_another_month_is_refused(plan: CompiledPlan, facts: IntakeFacts) -> None:
    form = filled(blank_form(plan), {"F4": "2025-08-20"})
    assert messages(read_form("2025-08-区应急局.xlsx", form, facts)) == [
        "2025-08-区应急局.xlsx!F3: the form is for 2025-07 but the file is named for 2025-08: "
        "a form for another month cannot be renamed into this one"
    ]


def test_a_form_for_a_unit_that_no_longer_exists_is_refused(plan: CompiledPlan) -> None:
    from dataclasses import replace

    form = filled(blank_form(plan), {"F4": "2025-07-20"})
    names = {k: v for k, v in plan.names.items() if v != "区应急局"}
    members = {k: v for k, v in plan.members.items() if k != "区应急局"}
    facts = IntakeFacts.of(replace(plan, names=names, members=members))
    got = messages(read_form("f.xlsx", form, facts))
    assert got[0].startswith("f.xlsx!B3: unknown unit '区应急局'")


def test_what_is_not_a_form_is_refused_in_one_line(facts: IntakeFacts) -> None:
    assert messages(read_form("notes.xlsx", b"not a zip", facts)) == [
        "notes.xlsx: not an .xlsx workbook that can be read (BadZipFile); "
        "open it in Excel, WPS or Calc and save it as .xlsx"
    ]
    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert messages(read_form("other.xlsx", buffer.getvalue(), facts)) == [
        "other.xlsx: not a report form made by `safety-plan forms` (its hidden sheet is missing)"
    ]


def test_a_damaged_workbook_is_refused_in_one_line(plan: CompiledPlan, facts: IntakeFacts) -> None:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(blank_form(plan)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            data = source.read(item)
            damaged.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    (problem,) = read_form("broken.xlsx", buffer.getvalue(), facts).problems
    assert str(problem).startswith("broken.xlsx: not an .xlsx workbook that can be read (")


def test_text_from_the_data_never_becomes_a_live_formula(facts: IntakeFacts) -> None:
    from safety_plan.intake.contents import FormRow

    row = FormRow("zbgj-21.1", '=HYPERLINK("http://x/","详情")', dt.date(2025, 7, 31), "推进中\x07", False)
    form = form_workbook(FormContent(JULY, "区应急局", dt.date(2025, 7, 25), ("zbgj",), (row,)), "test")
    sheet = load_workbook(io.BytesIO(form)).worksheets[0]
    assert sheet["B7"].data_type == "s" and sheet["B7"].value.startswith("'=")
    reading = read_form("f.xlsx", form, facts, submitted=dt.date(2025, 7, 20))
    assert reading.problems == []


def test_a_form_saved_again_by_libreoffice_calc_is_read(facts: IntakeFacts) -> None:
    reading = read_form(FIXTURE.name, FIXTURE.read_bytes(), facts)
    assert reading.problems == []
    assert reading.report is not None
    assert reading.report.submitted == dt.date(2025, 7, 24)
    assert [(i.ref, i.status, i.done) for i in reading.report.items] == [
        ("zbgj-21.1", Status.in_progress, None),
        ("zbgj-26.1", Status.done, dt.date(2025, 7, 15)),
        ("zbgj-13.inspection-high-risk", Status.done, dt.date(2025, 7, 10)),
        ("m81-58.inspection-plan", Status.in_progress, None),
    ]


# --- merging into the progress file ----------------------------------------------------

HAND_WRITTEN = """\
# 2025年7月各单位报送情况（手工录入部分）
month: 2025-07
reports:
  - unit: 团区委   # 别名，即区团委
    submitted: 2025-07-10
    items:
      - ref: zbgj-1.study
        status: in_progress
        note: 已部署
  # 以下为城桥镇
  - unit: 城桥镇
    submitted: 2025-07-12
    items: []
"""


def _report(unit: str, submitted: str, *items: ReportedItem) -> FormReport:
    return FormReport("f.xlsx", "2025-07", unit, dt.date.fromisoformat(submitted), items)


def _canonical(name: str) -> str:
    return {"团区委": "区团委"}.get(name, name)


def test_a_new_report_is_appended_and_the_rest_is_kept_as_written() -> None:
    report = _report(
        "堡镇", "2025-07-20", ReportedItem("zbgj-1.meeting", Status.done, dt.date(2025, 7, 3), "yes")
    )
    merge = merge_reports(HAND_WRITTEN, "2025-07", [report], _canonical)
    assert merge.text.startswith(HAND_WRITTEN)
    assert merge.text[len(HAND_WRITTEN) :] == (
        "  - unit: 堡镇\n"
        "    submitted: 2025-07-20\n"
        "    items:\n"
        "      - ref: zbgj-1.meeting\n"
        "        status: done\n"
        "        done: 2025-07-03\n"
        '        note: "yes"\n'  # quoted: a YAML 1.1 reader would take yes for true
    )
    assert [c.kind for c in merge.changes] == [NEW]


def test_a_report_replaces_the_units_earlier_one_in_place_keeping_comments() -> None:
    report = _report(
        "区团委", "2025-07-22", ReportedItem("zbgj-1.study", Status.done, dt.date(2025, 7, 21), "已完成学习")
    )
    merge = merge_reports(HAND_WRITTEN, "2025-07", [report], _canonical)
    assert merge.text == HAND_WRITTEN.replace("2025-07-10", "2025-07-22").replace(
        "        status: in_progress\n        note: 已部署\n",
        "        status: done\n        done: 2025-07-21\n        note: 已完成学习\n",
    )
    (change,) = merge.changes
    assert (change.kind, change.previous_submitted) == (REPLACED, dt.date(2025, 7, 10))
    assert change.details == ("zbgj-1.study: 推进中 → 已完成 2025-07-21",)


def test_the_same_report_again_leaves_the_text_byte_identical() -> None:
    report = _report("区团委", "2025-07-10", ReportedItem("zbgj-1.study", Status.in_progress, None, "已部署"))
    merge = merge_reports(HAND_WRITTEN, "2025-07", [report], _canonical)
    assert merge.text is HAND_WRITTEN or merge.text == HAND_WRITTEN
    assert [c.kind for c in merge.changes] == [UNCHANGED] and not merge.changed


@pytest.mark.parametrize("month", ["2024-04", "2025-06"])
def test_changing_one_report_of_a_demo_file_changes_only_its_lines(month: str) -> None:
    import yaml

    text = (DEMO / "progress" / f"{month}.yaml").read_text(encoding="utf-8")
    first = yaml.safe_load(text)["reports"][0]
    items = tuple(
        ReportedItem(i["ref"], Status(i["status"]), i.get("done"), i.get("note")) for i in first["items"]
    )
    later = first["submitted"] + dt.timedelta(days=1)
    merge = merge_reports(text, month, [_report(first["unit"], later.isoformat(), *items)], _canonical)
    changed = [(a, b) for a, b in zip(text.splitlines(), merge.text.splitlines(), strict=True) if a != b]
    assert changed == [(f"  submitted: {first['submitted']}", f"  submitted: {later}")]


def test_a_new_file_and_a_replaced_report_load_as_valid_progress(tmp_path: Path) -> None:
    from tiny_plan import write

    data = write(tmp_path, schedule="")
    first = _report("城桥镇", "2025-07-20", ReportedItem("demo-3", Status.in_progress, None, "on"))
    text = merge_reports(None, "2025-07", [first], _canonical).text
    again = _report("城桥镇", "2025-07-21", ReportedItem("demo-3", Status.done, dt.date(2025, 7, 21), "null"))
    text = merge_reports(text, "2025-07", [again], _canonical).text
    (data / "progress" / "2025-07.yaml").write_text(text, encoding="utf-8")
    result = load_dataset(data)
    assert _phrases_aside(result.problems) == []
    assert result.dataset is not None
    (report,) = result.dataset.progress["2025-07"].reports
    assert report.items[0].note == "null"


# --- who has reported, and many forms at once -------------------------------------------


def test_the_roll_call_of_june_in_the_demo(plan: CompiledPlan) -> None:
    from safety_plan.engine.asof import snapshot
    from safety_plan.intake.roll_call import roll_call

    june = Month.parse("2025-06")
    roll = roll_call(snapshot(plan, june.end), june, {"区民族宗教办": "张三 69600000"})
    assert [len(roll.of(s)) for s in ("on_time", "late", "not_yet")] == [54, 1, 4]
    (late,) = roll.of("late")
    assert (late.unit, late.submitted, late.days_late) == ("区绿化市容局", dt.date(2025, 6, 30), 5)
    missing = {e.unit: e for e in roll.of("not_yet")}
    assert missing["区民族宗教办"].contact == "张三 69600000"
    assert missing["区民族宗教办"].days_late == 5
    assert [e.state for e in roll.entries] == sorted(
        (e.state for e in roll.entries), key=["on_time", "late", "not_yet"].index
    )


def test_many_forms_are_all_checked_before_anything_is_merged(plan: CompiledPlan, facts: IntakeFacts) -> None:
    from safety_plan.intake.batch import plan_import

    good = filled(blank_form(plan), {"F4": "2025-07-20", "E7": "推进中"})
    bad = filled(blank_form(plan, "城桥镇"), {"F4": "2025-07-21", "E7": "好了"})
    ticks: list[None] = []
    result = plan_import(
        [("a.xlsx", good), ("b.xlsx", bad), ("c.xlsx", good)],
        facts,
        lambda month: None,
        tick=lambda: ticks.append(None),
    )
    assert len(ticks) == 3
    assert [str(p) for p in result.problems] == [
        "b.xlsx!E7: status '好了' is not one of 未开始/推进中/已完成/受阻/不适用",
        "c.xlsx!B3: a second form from 区应急局 for 2025-07 (the first is a.xlsx)",
    ]
    assert result.merges == {} and result.reports == []
    fixed = filled(bad, {"E7": "已完成", "F7": "2025-07-21"})
    result = plan_import([("a.xlsx", good), ("b.xlsx", fixed)], facts, lambda month: None)
    assert result.problems == []
    assert result.changed_months == ["2025-07"]
    assert [c.unit for c in result.merges["2025-07"].changes] == ["区应急局", "城桥镇"]


def _phrases_aside(problems: list) -> list:
    """A tiny test plan need not encode every time phrase of its texts (rule phrase-coverage)."""
    return [p for p in problems if p.rule != "phrase-coverage"]
