"""The exports: a unit's task list (md, xlsx), the Mermaid gantt, the iCalendar feed and the
responsibility matrix (csv, xlsx) — all through the CLI, their numbers checked against `overdue`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

DEMO = str(REPO / "examples" / "demo")
DATA = str(REPO / "data")
ISSUER_DOMAIN = "xn--fhquopls2ft4cd5b1zr2mdg9dy3cq98alkugyw"
"""上海市崇明区安全生产委员会 as an IDNA label: where UIDs end when the data names no domain."""


@pytest.fixture(autouse=True)
def _private_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(shared_cache))


def _schedule() -> dict:
    return yaml.safe_load((REPO / "data" / "schedule.yaml").read_text(encoding="utf-8"))


def _overdue(run, data: str, *args: str) -> list[dict]:
    code, out, err = run("--data", data, "overdue", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)["items"]


def _one_line_usage_error(code: int, err: str, *words: str) -> None:
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


# --- tasklist ---------------------------------------------------------------------------


def _section(markdown: str, heading: str) -> list[str]:
    """The table rows (without header and rule) under the ``## heading…`` line."""
    block = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in block.splitlines() if line.startswith("| ")]
    return rows[2:]


def test_tasklist_markdown_counts_match_overdue_and_due(run) -> None:
    code, out, err = run("--data", DEMO, "tasklist", "--unit", "区应急局", "--month", "2025-06")
    assert code == 0, err
    assert out.startswith("# 区应急局 任务清单（截至 2025-06-30）")
    overdue = _overdue(run, DEMO, "--month", "2025-06", "--unit", "区应急局")
    red = _section(out, "三、逾期未完成事项")
    assert len(red) == len(overdue) > 0
    assert [r.split(" | ")[0].strip("| ") for r in red] == [i["ref"] for i in overdue]
    code, due_out, _ = run(
        "--data", DEMO, "due", "--month", "2025-06", "--unit", "区应急局", "--format", "json"
    )
    yellow = [i for i in json.loads(due_out)["items"] if i["light"] == "yellow"]
    assert len(_section(out, "二、30 天内到期事项")) == len(yellow)
    code, owners_out, _ = run("--data", DEMO, "owners", "区应急局", "--format", "json")
    owned = json.loads(owners_out)
    measures = _section(out, "一、牵头、配合及经分组承担的措施")
    assert sum(r.startswith("| 牵头 |") for r in measures) == len(owned["lead"])


def test_tasklist_shows_group_holdings_and_notes(tmp_path: Path, run) -> None:
    code, out, err = run("--data", DEMO, "tasklist", "-u", "城桥镇", "-m", "2025-06")
    assert code == 0, err
    target = tmp_path / "城桥镇.md"
    assert run("--data", DEMO, "tasklist", "-u", "城桥镇", "-m", "2025-06", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == out
    assert "| 配合（经各乡镇） | zbgj-1 |" in out
    assert "党委主要负责人主持召开专题会议" in out  # 城桥镇's own note on zbgj-1.meeting


def test_tasklist_xlsx_has_three_sheets_with_chinese_headers(tmp_path: Path, run) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "任务清单.xlsx"
    code, out, err = run(
        "--data", DEMO, "tasklist", "-u", "区应急局", "-m", "2025-06", "-f", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    assert str(target) in out
    book = load_workbook(target)
    assert book.sheetnames == ["牵头配合", "到期", "逾期"]
    overdue = _overdue(run, DEMO, "--month", "2025-06", "--unit", "区应急局")
    sheet = book["逾期"]
    assert [c.value for c in sheet[1]][:3] == ["编号", "类型", "事项"]
    assert sheet.max_row == 1 + len(overdue)
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(overdue))] == [i["ref"] for i in overdue]
    for ws in book:
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["C"].width > 10
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["tasklist", "-m", "2025-06"], ["--unit"]),
        (["tasklist", "-u", "城桥"], ["'城桥'", "'城桥镇'"]),
        (["tasklist", "-u", "城桥镇", "-f", "xlsx"], ["-o FILE"]),
        (["tasklist", "-u", "城桥镇", "-m", "2025-13"], ["2025-13"]),
        (["tasklist", "-u", "城桥镇", "-o", "/no/such/dir/x.md"], ["/no/such/dir"]),
    ],
)
def test_tasklist_bad_usage_is_one_line_exit_2(args: list[str], words: list[str], run) -> None:
    code, _, err = run("--data", DEMO, *args)
    _one_line_usage_error(code, err, *words)


# --- gantt ------------------------------------------------------------------------------

_TASK = re.compile(r"^(?P<name>[^:#;]+?) :(?P<data>[^#;]+)$")
_TAGS = {"milestone", "crit", "active", "done"}


def mermaid_gantt(markdown: str) -> list[tuple[str, list[str], str, dt.date, str]]:
    """Check the ```mermaid block is a well-formed gantt; return its tasks (section, tags, id, date, name)."""
    block = markdown.split("```mermaid\n", 1)[1].split("\n```", 1)[0].splitlines()
    if block[0].startswith("%%{init:"):
        assert json.loads(block[0][len("%%{init:") : -len("}%%")])  # the config is JSON
        block = block[1:]
    assert block[0] == "gantt"
    tasks: list[tuple[str, list[str], str, dt.date, str]] = []
    ids: set[str] = set()
    section = ""
    for raw in block[1:]:
        line = raw.strip()
        keyword = line.split(" ", 1)[0]
        if keyword in {"title", "dateFormat", "axisFormat", "tickInterval", "todayMarker"}:
            assert line.split(" ", 1)[1].strip()
            continue
        if keyword == "section":
            section = line.split(" ", 1)[1]
            assert section and not set(section) & set(":#;")
            continue
        match = _TASK.match(line)
        assert match, f"not a gantt task line: {line!r}"
        *tags, task_id, day, duration = (p.strip() for p in match["data"].split(","))
        assert set(tags) <= _TAGS, line
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", task_id), line
        assert task_id not in ids, f"duplicate id {task_id}"
        ids.add(task_id)
        date = dt.date.fromisoformat(day)
        assert re.fullmatch(r"\d+d", duration), line
        assert section, "a task before any section"
        tasks.append((section, tags, task_id, date, match["name"]))
    return tasks


def test_gantt_is_a_wellformed_mermaid_block_with_every_deadline(run) -> None:
    code, out, err = run("--data", DEMO, "gantt", "--month", "2025-06")
    assert code == 0, err
    tasks = mermaid_gantt(out)
    schedule = _schedule()
    milestones = {t[2]: t for t in tasks if "milestone" in t[1] and t[2] != "as_of" and t[0] != "图例"}
    assert len(milestones) == len(schedule["deadlines"])
    assert next(t for t in tasks if t[0].startswith("第"))[1] == ["done"]  # the mobilisation phase
    red = {i["ref"] for i in _overdue(run, DEMO, "--month", "2025-06") if i["kind"] == "deadline"}
    crit = {t[4].split(" ")[0] for t in milestones.values() if "crit" in t[1]}
    assert crit == red
    deadline = next(d for d in schedule["deadlines"] if d["id"] == "zbgj-16.1")
    assert milestones["zbgj_16_1"][3] == deadline["due"]


def test_gantt_plan_filter_and_bad_plan(run) -> None:
    code, out, _ = run("--data", DEMO, "gantt", "--plan", "zbgj", "--month", "2025-06")
    assert code == 0
    sections = {
        t[0] for t in mermaid_gantt(out) if "milestone" in t[1] and t[2] != "as_of" and t[0] != "图例"
    }
    assert sections and all(s.startswith("治本攻坚三年行动") for s in sections)
    code, out, _ = run("--data", DEMO, "gantt", "--plan", "m81", "--month", "2025-06")
    assert code == 0 and "没有限时任务" in out  # the 81 measures carry no dated deadlines
    assert all(t[0].startswith("第") or t[0] == "图例" for t in mermaid_gantt(out))  # only the phases
    code, _, err = run("--data", DEMO, "gantt", "--plan", "zbg")
    _one_line_usage_error(code, err, "'zbg'", "'zbgj'")


def test_gantt_escapes_mermaid_punctuation_in_names(tmp_path: Path, run) -> None:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    schedule = data / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    deadline = next(d for d in _schedule()["deadlines"] if d["id"] == "zbgj-16.1")
    assert f"what: {deadline['what']}\n" in text
    schedule.write_text(text.replace(deadline["what"], "a:b#c;d", 1), encoding="utf-8")
    code, out, err = run("--data", str(data), "gantt", "--month", "2025-06")
    assert code == 0, err
    names = {t[2]: t[4] for t in mermaid_gantt(out)}
    assert names["zbgj_16_1"] == "zbgj-16.1 a：b＃c；d"


# --- export ics -------------------------------------------------------------------------


def _calendar(text: str):
    from icalendar import Calendar

    return Calendar.from_ical(text)


def _dates(event, name: str) -> set[dt.date]:
    value = event.get(name)
    lists = [] if value is None else value if isinstance(value, list) else [value]
    return {d.dt for dates in lists for d in dates.dts}


def _expand(event) -> list[dt.date]:
    """Every day the event recurs on, as a calendar app computes it: DTSTART, the RRULE's days,
    plus RDATE, less EXDATE."""
    from dateutil.rrule import rrulestr

    start = event.decoded("dtstart")
    rule = event["RRULE"].to_ical().decode()
    days = {d.date() for d in rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time()))} | {start}
    return sorted((days | _dates(event, "RDATE")) - _dates(event, "EXDATE"))


def test_ics_has_every_deadline_and_duty_and_is_byte_identical(run) -> None:
    code, first, err = run("--data", DEMO, "export", "ics")
    assert code == 0, err
    assert first == run("--data", DEMO, "export", "ics")[1]
    cal = _calendar(first)
    schedule = _schedule()
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(schedule["deadlines"]) + len(schedule["recurring"])
    assert str(cal["X-WR-CALNAME"]).endswith("任务日历")
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == len(events) and f"zbgj-16.1@{ISSUER_DOMAIN}" in uids
    report = next(e for e in events if str(e["UID"]) == f"zbgj.report@{ISSUER_DOMAIN}")
    rule = report["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYMONTHDAY"] == [25]
    assert rule["UNTIL"] == [dt.date(2026, 12, 31)]
    assert report.decoded("dtstart") == dt.date(2024, 4, 25)
    assert str(report["SUMMARY"]).startswith("【每月】") and "每月25日前" in str(report["DESCRIPTION"])
    assert "各乡镇" in str(report["DESCRIPTION"])
    deadline = next(e for e in events if str(e["UID"]) == f"zbgj-16.1@{ISSUER_DOMAIN}")
    assert deadline.decoded("dtstart") == dt.date(2024, 12, 31) and "RRULE" not in deadline
    assert "2024年底前" in str(deadline["DESCRIPTION"])


def test_ics_recurrences_fall_on_the_engines_due_days(run) -> None:
    """On the shipped data nothing is reported, so as of the plan's end every occurrence is
    missed: `overdue`'s `missed` and `due` per duty are the engine's occurrences."""
    code, out, _ = run("--data", DATA, "export", "ics")
    assert code == 0
    events = {str(e["UID"]).split("@")[0]: e for e in _calendar(out).walk("VEVENT") if "RRULE" in e}
    engine = {i["ref"]: i for i in _overdue(run, DATA, "--as-of", "2026-12-31") if i["kind"] == "recurring"}
    assert set(events) == set(engine)
    for ref, event in events.items():
        days = _expand(event)
        assert len(days) == engine[ref]["missed"], ref
        assert days[-1].isoformat() == engine[ref]["due"], ref
    quarterly = events["zbgj.supervision"]["RRULE"]
    assert quarterly["BYMONTH"] == [3, 6, 9, 12] and quarterly["BYMONTHDAY"] == [-1]


def test_ics_follows_working_day_shifts(tmp_path: Path, run) -> None:
    """Due days moved to the previous or next working day land on exactly the engine's due
    days (`show` lists every occurrence): RRULE plus RDATE, less EXDATE."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    schedule = data / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    text = text.replace("    day: 25\n    adjust: none\n", "    day: 25\n    adjust: previous\n", 1)
    text = text.replace(
        "  - id: zbgj.supervision\n    plan: zbgj\n    every: quarter\n",
        "  - id: zbgj.supervision\n    plan: zbgj\n    every: quarter\n    day: 30\n    adjust: next\n",
        1,
    )
    schedule.write_text(text, encoding="utf-8")
    code, out, err = run("--data", str(data), "export", "ics")
    assert code == 0, err
    events = {str(e["UID"]).split("@")[0]: e for e in _calendar(out).walk("VEVENT")}
    for ref in ("zbgj.report", "zbgj.supervision"):
        code, shown, _ = run("--data", str(data), "show", ref, "--as-of", "2026-12-31", "--format", "json")
        engine = sorted({dt.date.fromisoformat(s["due"]) for s in json.loads(shown)["status"]})
        assert _expand(events[ref]) == engine, ref
    assert events["zbgj.supervision"]["RRULE"]["BYMONTHDAY"] == [30]
    assert "EXDATE" in events["zbgj.report"] and "RDATE" in events["zbgj.report"]
    assert dt.date(2025, 5, 23) in _expand(events["zbgj.report"])  # the 25th was a Sunday


def test_ics_for_one_unit_lists_what_it_holds(tmp_path: Path, run) -> None:
    target = tmp_path / "城桥镇.ics"
    code, out, err = run("--data", DATA, "export", "ics", "--unit", "城桥镇", "-o", str(target))
    assert code == 0, err
    assert "个日程" in out
    events = list(_calendar(target.read_bytes()).walk("VEVENT"))
    held = {i["ref"] for i in _overdue(run, DATA, "--as-of", "2026-12-31", "--unit", "城桥镇")}
    assert {str(e["UID"]) for e in events} == {f"{ref}.城桥镇@{ISSUER_DOMAIN}" for ref in held}
    assert all(str(e["SUMMARY"]).endswith("（城桥镇）") for e in events)
    code, stdout, _ = run("--data", DATA, "export", "ics", "--unit", "城桥镇")
    # RFC 5545's CRLF, in the file and on standard output alike.
    assert target.read_bytes().count(b"\r\n") == target.read_bytes().count(b"\n")
    assert stdout == target.read_bytes().decode("utf-8")


def test_ics_unknown_unit_suggests_the_nearest(run) -> None:
    code, _, err = run("--data", DEMO, "export", "ics", "--unit", "区应急")
    _one_line_usage_error(code, err, "'区应急'", "'区应急局'")


# --- export matrix ----------------------------------------------------------------------


def test_matrix_xlsx_has_lead_and_support_cells(tmp_path: Path, run) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "任务分工表.xlsx"
    code, _, err = run("--data", DATA, "export", "matrix", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows["m81-62"]
    assert row["区委政法委"] == "牵头"
    assert row["区检察院"] == "配合"
    assert row["城桥镇"] == "配合（各乡镇）"
    assert row["区民政局"] is None
    assert sheet.freeze_panes == "C2"
    assert len(rows) == len(yaml.safe_load((REPO / "data" / "measures.yaml").read_text("utf-8"))["measures"])


def test_matrix_csv_has_a_bom_and_agrees_with_owners(tmp_path: Path, run) -> None:
    import csv

    code, out, err = run("--data", DATA, "export", "matrix", "--plan", "zbgj")
    assert code == 0, err
    assert out.startswith("\ufeff编号,")
    table = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert all(r["编号"].startswith("zbgj-") for r in table)
    owners = json.loads(run("--data", DATA, "owners", "区应急局", "--format", "json")[1])
    zbgj_lead = [m for m in owners["lead"] if m.startswith("zbgj-")]
    assert [r["编号"] for r in table if r["区应急局"] == "牵头"] == zbgj_lead
    target = tmp_path / "分工表.csv"
    code, _, _ = run("--data", DATA, "export", "matrix", "--plan", "zbgj", "-o", str(target))
    assert code == 0
    assert target.read_bytes().decode("utf-8") == out


def test_matrix_bad_usage(run) -> None:
    code, _, err = run("--data", DATA, "export", "matrix", "-f", "xlsx")
    _one_line_usage_error(code, err, "-o FILE")
    code, _, err = run("--data", "/no/such/data", "export", "matrix")
    _one_line_usage_error(code, err, "/no/such/data")  # the global --data reaches the sub-app


def test_export_libraries_load_only_when_used() -> None:
    code = (
        "import sys\n"
        "import safety_plan.cli\n"
        "from safety_plan.commands import tasklist, gantt, export_ics, export_matrix\n"
        "import safety_plan.output.xlsx\n"
        "loaded = [m for m in ('openpyxl', 'icalendar', 'dateutil') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_gantt_has_no_machine_today_line_and_a_legend(run) -> None:
    code, out, err = run("--data", DEMO, "gantt", "--month", "2025-06")
    assert code == 0, err
    block = out.split("```mermaid\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert [line.strip() for line in block].count("todayMarker off") == 1
    legend = [t for t in mermaid_gantt(out) if t[0] == "图例"]
    assert sorted(tuple(t[1]) for t in legend) == sorted(
        [("milestone", "crit"), ("milestone", "active"), ("milestone", "done"), ("milestone",)]
    )
    assert {t[3] for t in legend} == {dt.date(2025, 6, 30)}  # drawn at the as-of day
    assert "图例：红色 = 红灯" in out and "不画本机的“今天”线" in out
    current = next(t for t in mermaid_gantt(out) if t[2] == "phase_remediate")
    assert current[1] == []  # the current phase is not yellow: yellow means due soon here


def test_gantt_recurring_duties_are_an_option(run) -> None:
    schedule = _schedule()
    _, plain, _ = run("--data", DEMO, "gantt", "--month", "2025-06")
    code, out, err = run("--data", DEMO, "gantt", "--month", "2025-06", "--recurring")
    assert code == 0, err
    assert "常态任务" not in plain
    bars = {t[2]: t for t in mermaid_gantt(out) if t[0] == "常态任务（周期性）"}
    assert set(bars) == {re.sub(r"[^A-Za-z0-9]", "_", d["id"]) for d in schedule["recurring"]}
    assert all("milestone" not in t[1] for t in bars.values())
    red = {i["ref"] for i in _overdue(run, DEMO, "--month", "2025-06") if i["kind"] == "recurring"}
    assert {t[2] for t in bars.values() if "crit" in t[1]} == {re.sub(r"[^A-Za-z0-9]", "_", r) for r in red}


def test_gantt_stays_legible_with_a_hundred_deadlines(tmp_path: Path, run) -> None:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    schedule = data / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    dues = [
        dt.date(2024, 6, 30) + dt.timedelta(days=9 * k) for k in range(100 - len(_schedule()["deadlines"]))
    ]
    extra = "".join(
        f"  - id: zbgj-16.{100 + k}\n    measure: zbgj-16\n    due: {due}\n"
        f"    phrase: {due.year}年{due.month}月{due.day}日前\n"  # a phrase that means its due day
        f"    what: 第{k}项模拟限时任务：检查各重点企业安全生产责任制落实情况并形成书面报告\n"
        for k, due in enumerate(dues)
    )
    schedule.write_text(
        text.replace("\nrecurring:", "\n" + extra.rstrip("\n") + "\nrecurring:", 1), encoding="utf-8"
    )
    code, out, err = run("--data", str(data), "gantt", "--month", "2025-06")
    assert code == 0, err
    milestones = [t for t in mermaid_gantt(out) if "milestone" in t[1] and t[2] != "as_of" and t[0] != "图例"]
    assert len(milestones) == 100
    assert max(len(t[4]) for t in milestones) <= 28  # names cut, so the label column stays narrow
    assert '"barHeight": 16' in out and "tickInterval 3month" in out
