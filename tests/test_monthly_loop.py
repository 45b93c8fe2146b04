"""The monthly loop through the CLI, on a copy of the demo (issue #11, "Done when"): forms for
2025-07; three filled by code, one with mistakes; the import refuses it cell by cell and writes
nothing; fixed, it imports; overdue, reports and the bulletin follow; a re-import changes
nothing; a comment in the progress file survives."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import REPO

HAND_TYPED = """\
# 2025年7月 — 区团委的报告由办公室手工录入（纸质件）
month: 2025-07
reports:
- unit: 区团委  # 别名，即团区委
  submitted: 2025-07-18
  items: []
"""


def fill(form: Path, cells: dict[str, Any], target: Path | None = None) -> Path:
    book = load_workbook(form)
    sheet = book.worksheets[0]
    for cell, value in cells.items():
        sheet[cell] = value
    book.save(target or form)
    return target or form


def rows_of(form: Path) -> dict[str, int]:
    sheet = load_workbook(form, read_only=True).worksheets[0]
    return {
        row[0]: number
        for number, row in enumerate(sheet.iter_rows(min_row=7, max_col=1, values_only=True), start=7)
        if row[0]
    }


@pytest.fixture
def month(tmp_path: Path, run: Any) -> dict[str, Any]:
    """The demo copied, July's forms written, the office's hand-typed start of the month."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "examples" / "demo", data)
    (data / "progress" / "2025-07.yaml").write_text(HAND_TYPED, encoding="utf-8")
    forms = tmp_path / "forms"
    # Only 城桥镇's form here; the whole month's test writes all 59.
    code, out, err = run("--data", str(data), "forms", "--month", "2025-07", "-u", "城桥镇", "-o", str(forms))
    assert code == 0, err
    assert f"wrote 1 report form(s) for 2025-07 to {forms}/ (报送截止 2025-07-25)" in out
    return {"data": data, "forms": forms, "progress": data / "progress" / "2025-07.yaml"}


def test_a_whole_month(month: dict[str, Any], run: Any) -> None:
    data, forms, progress = month["data"], month["forms"], month["progress"]
    d = ["--data", str(data)]
    code, out, err = run(*d, "forms", "--month", "2025-07", "-o", str(forms))
    assert code == 0, err
    assert "59 report form(s) for 2025-07" in out
    assert len(list(forms.glob("2025-07-*.xlsx"))) == 59

    # Before any report: 区应急局's zbgj-26.1 (due 2024-12-31) is overdue.
    def overdue_refs(unit: str) -> set[str]:
        code, out, err = run(*d, "overdue", "--month", "2025-07", "--unit", unit, "--format", "json")
        assert code == 0, err
        return {item["ref"] for item in json.loads(out)["items"]}

    assert "zbgj-26.1" in overdue_refs("区应急局")
    code, bulletin_before, err = run(*d, "bulletin", "--month", "2025-07")
    assert code == 0, err

    ems = forms / "2025-07-区应急局.xlsx"
    rows = rows_of(ems)
    fill(
        ems,
        {
            "F4": dt.datetime(2025, 7, 22),
            f"E{rows['zbgj-26.1']}": "已完成",
            f"F{rows['zbgj-26.1']}": "2025-07-15",
            f"G{rows['zbgj-26.1']}": "执法统计和典型案例报送制度已印发",
            f"E{rows['zbgj-13.inspection-high-risk']}": "推进中",
        },
    )
    town = forms / "2025-07-城桥镇.xlsx"
    town_rows = rows_of(town)
    meeting = town_rows["zbgj-1.meeting"]
    fill(town, {"F4": "2025年7月24日", f"E{meeting}": "已完成", f"F{meeting}": dt.datetime(2025, 7, 8)})
    other = forms / "2025-07-堡镇.xlsx"
    other_rows = rows_of(other)
    first = min(other_rows.values())
    fill(
        other,
        {
            "F4": "2025-07-23",
            f"E{first}": "完成了",
            f"B{first}": "改掉的事项",
            f"A{max(other_rows.values()) + 2}": "zbgj-99.1",
        },
    )
    before = progress.read_bytes()

    # The import refuses the form with mistakes, cell by cell, and writes nothing at all.
    code, out, err = run(*d, "import", str(ems), str(town), str(other))
    assert code == 1
    problems = [line for line in err.splitlines() if line.startswith(str(other))]
    assert len(problems) == 3, err
    assert f"{other}!E{first}: status '完成了' is not one of 未开始/推进中/已完成/受阻/不适用" in err
    assert f"{other}!B{first}: edited outside the input cells" in err
    assert "ref 'zbgj-99.1' was not on the form as issued" in err
    assert "nothing was written" in err
    assert progress.read_bytes() == before

    # Fixed (a fresh form for 堡镇, filled right), everything imports.
    code, out, err = run(*d, "forms", "--month", "2025-07", "--unit", "堡镇", "-o", str(forms))
    assert code == 0, err
    fill(other, {"F4": "2025-07-23", f"E{first}": "推进中", f"G{first}": "已部署"})
    code, out, err = run(*d, "import", str(ems), str(town), str(other))
    assert code == 0, err
    assert "区应急局 2025-07: new report" in out
    assert "zbgj-26.1 已完成 2025-07-15" in out
    text = progress.read_text(encoding="utf-8")
    assert text.startswith(HAND_TYPED), "the hand-typed report and its comments come first, as they were"
    code, _, err = run(*d, "check")
    assert code == 0, err

    # overdue, reports and the bulletin follow.
    assert "zbgj-26.1" not in overdue_refs("区应急局")
    code, out, err = run(*d, "reports", "--month", "2025-07", "--format", "json")
    assert code == 0, err
    roll = {u["unit"]: u for u in json.loads(out)["units"]}
    assert {u for u, e in roll.items() if e["status"] == "on_time"} == {
        "区应急局",
        "城桥镇",
        "堡镇",
        "团区委",
    }
    assert roll["区应急局"]["submitted"] == "2025-07-22"
    assert sum(e["status"] == "not_yet" for e in roll.values()) == 55
    code, out, err = run(*d, "bulletin", "--month", "2025-07")
    assert code == 0, err
    # The bulletin counts the four reports and names zbgj-26.1 among this month's completions.
    assert "按时报送 4 家" in out and "按时报送 4 家" not in bulletin_before
    completed = out[out.index("新完成") :]
    assert "| zbgj-26.1 |" in completed[: completed.index("\n## ")]
    assert "zbgj-26.1" not in bulletin_before[bulletin_before.index("新完成") :].split("\n## ")[0]

    # Re-importing the same forms changes nothing, byte for byte.
    after = progress.read_bytes()
    code, out, err = run(*d, "import", str(ems), str(town), str(other))
    assert code == 0, err
    assert progress.read_bytes() == after
    assert "unchanged" in out

    # A comment the office adds by hand survives the next import that changes a report.
    progress.write_text(
        text.replace("- unit: 区应急局", "# 区应急局 7月22日邮件报送\n- unit: 区应急局"), encoding="utf-8"
    )
    fill(
        ems,
        {
            f"E{rows['zbgj-13.inspection-high-risk']}": "已完成",
            f"F{rows['zbgj-13.inspection-high-risk']}": "2025-07-21",
        },
    )
    code, out, err = run(*d, "import", str(ems))
    assert code == 0, err
    assert "区应急局 2025-07: replaces the report submitted 2025-07-22" in out
    assert "zbgj-13.inspection-high-risk: 推进中 → 已完成 2025-07-21" in out
    final = progress.read_text(encoding="utf-8")
    assert "# 区应急局 7月22日邮件报送\n- unit: 区应急局" in final
    assert final.startswith(HAND_TYPED)


def test_dry_run_shows_the_change_and_writes_nothing(month: dict[str, Any], run: Any) -> None:
    form = fill(month["forms"] / "2025-07-城桥镇.xlsx", {"F4": "2025-07-20"})
    before = month["progress"].read_bytes()
    code, out, err = run("--data", str(month["data"]), "import", "--dry-run", str(form))
    assert code == 0, err
    assert "城桥镇 2025-07: new report" in out
    assert "dry run" in out
    assert month["progress"].read_bytes() == before


def test_submitted_from_the_option_where_the_form_leaves_it_empty(month: dict[str, Any], run: Any) -> None:
    form = month["forms"] / "2025-07-城桥镇.xlsx"
    d = ["--data", str(month["data"])]
    code, _, err = run(*d, "import", str(form))
    assert code == 1
    assert f"{form}!F4: 报送日期 is empty: fill it in, or give --submitted YYYY-MM-DD" in err
    code, _, err = run(*d, "import", "--submitted", "2025-07-26", str(form))
    assert code == 0, err
    code, out, _ = run(*d, "reports", "--month", "2025-07", "--format", "json")
    late = {u["unit"]: u for u in json.loads(out)["units"]}["城桥镇"]
    assert (late["status"], late["days_late"]) == ("late", 1)


def test_mistakes_on_the_command_line_are_one_line(month: dict[str, Any], run: Any, tmp_path: Path) -> None:
    d = ["--data", str(month["data"])]
    code, _, err = run(*d, "forms", "--month", "2025-07", "--unit", "区应急管理", "-o", str(tmp_path / "x"))
    assert (code, err.strip()) == (2, "error: --unit: unknown unit '区应急管理' (did you mean '区应急局'?)")
    code, _, err = run(*d, "forms", "--month", "2023-01", "-o", str(tmp_path / "x"))
    assert code == 2 and "no unit owes a monthly report for 2023-01" in err
    span = "(the plan asks for them from 2024-04 to 2026-12)"
    for given in (["--month", "2023-01"], ["--as-of", "2023-01-15"]):  # the option the day came from
        code, _, err = run(*d, "reports", *given)
        assert (code, err.strip()) == (
            2,
            f"error: {' '.join(given)}: no unit owes a monthly report for 2023-01 {span}",
        )
    code, _, err = run(*d, "import", str(tmp_path / "missing.xlsx"))
    assert code == 1 and f"{tmp_path / 'missing.xlsx'}: cannot read" in err
    code, _, err = run(*d, "import", "--submitted", "2025-13-01", str(month["forms"] / "2025-07-城桥镇.xlsx"))
    assert code == 2 and "--submitted" in err
    assert "Traceback" not in err


def test_import_never_writes_the_data_installed_with_the_package(
    month: dict[str, Any], run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safety_plan import resources

    installed = month["data"].parent / "site-packages" / "safety_plan"
    shutil.copytree(month["data"], installed / "_shipped" / "data")
    monkeypatch.setattr(resources, "_PACKAGE", installed)
    form = fill(month["forms"] / "2025-07-城桥镇.xlsx", {"F4": "2025-07-20"})
    code, _, err = run("--data", str(installed / "_shipped" / "data"), "import", str(form))
    assert code == 2 and "is the data installed with the package, which import does not write" in err
    assert not (installed / "_shipped" / "data" / "progress" / "2025-07.yaml").read_text().count("城桥镇")
