"""docs/json.md lists every field the commands print, and prints nothing it does not list.

Each ``### heading`` of the page holds one shape's field table; here each shape is taken from
real output (the demo, a moved deadline and a contact in a copy of it, a three-district city)
and its keys compared with the table's, both ways.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

DEMO = REPO / "examples" / "demo"
MONTH = ["--month", "2025-06"]


def _tables() -> dict[str, list[str]]:
    """Each ``### heading`` → the fields (first column, in backticks) of its table."""
    tables: dict[str, list[str]] = {}
    heading = None
    for line in (REPO / "docs" / "json.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            heading = line[4:].strip()
            tables[heading] = []
        elif heading and (found := re.match(r"\| `([a-z_]+)` \|", line)):
            tables[heading].append(found.group(1))
    return tables


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("json-docs")
    copy = root / "copy"
    shutil.copytree(DEMO, copy)
    schedule = copy / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    start = text.index("  - id: zbgj-10.1\n")
    at = text.index("    note:", start)
    moved = "    changes:\n      - due: 2025-03-31\n        approved: 2025-01-15\n        approval: 崇安委办〔2025〕3号\n"
    schedule.write_text(text[:at] + moved + text[at:], encoding="utf-8")
    units = copy / "units.yaml"
    text = units.read_text(encoding="utf-8")
    at = text.index("\n", text.index("- id: 区民族宗教办\n  kind:") + len("- id: 区民族宗教办\n")) + 1
    units.write_text(text[:at] + "  contact: 张三 69691234\n" + text[at:], encoding="utf-8")
    for district in ("chongming", "jiading", "pudong"):
        shutil.copytree(DEMO, root / district)
    (root / "city").mkdir()
    (root / "city" / "districts.yaml").write_text(
        "districts:\n"
        + "".join(
            f"  - id: {d}\n    name: {d}区\n    data: ../{d}\n" for d in ("chongming", "jiading", "pudong")
        ),
        encoding="utf-8",
    )
    return {"copy": copy, "city": root / "city"}


def _keys(rows: list[dict[str, Any]]) -> set[str]:
    return {key for row in rows for key in row}


def test_every_printed_field_is_documented_and_every_documented_one_printed(run, data) -> None:  # type: ignore[no-untyped-def]
    def out(*args: str) -> Any:
        code, text, err = run(*args, "--format", "json")
        assert code == 0, err
        return json.loads(text)

    copy, city = str(data["copy"]), str(data["city"])
    overdue = out("--data", copy, "overdue", *MONTH)
    due = out("--data", copy, "due", *MONTH)
    city_overdue = out("--data", city, "overdue", *MONTH)
    city_due = out("--data", city, "due", *MONTH)
    status = out("--data", copy, "status", *MONTH)
    city_status = out("--data", city, "status", *MONTH)
    reports = out("--data", copy, "reports", *MONTH)
    escalations = out("--data", copy, "escalations", *MONTH)
    visits = out("--data", copy, "escalations", "--quarter", "2025Q2")
    units = out("--data", city, "units", *MONTH)
    city_owners = out("--data", city, "owners", "城桥镇")
    city_show = out("--data", city, "show", "zbgj-10.1", *MONTH)
    city_list = out("--data", city, "list")
    city_reports = out("--data", city, "reports", *MONTH)
    city_escalations = out("--data", city, "escalations", *MONTH)
    city_visits = out("--data", city, "escalations", "--quarter", "2025Q2")
    assert any("original_due" in i for i in overdue["items"])
    assert any(u["contact"] for u in reports["units"])
    printed = {
        "Obligation row": _keys(overdue["items"] + due["items"]),
        "City additions": {"district", "districts"},
        "`overdue`": set(city_overdue),
        "`due`": set(city_due),
        "`units`": _keys(units),
        "`status` (one district)": set(status),
        "Phase": set(status["phase"]),
        "Section row": _keys(status["sections"]),
        "`status` (a city)": set(city_status),
        "District standing": _keys(city_status["districts"]),
        "`owners` and `show` (a city)": set(city_owners) | set(city_show),
        "`reports`": set(reports),
        "Report row": _keys(reports["units"]),
        "`escalations --month`": set(escalations),
        "Escalation row": _keys(escalations["items"]),
        "`escalations --quarter`": set(visits),
        "Visit row": _keys(visits["items"]),
        "`reports` (a city)": set(city_reports),
        "District roll": _keys(city_reports["districts"]),
        "`escalations --month` (a city)": set(city_escalations),
        "`escalations --quarter` (a city)": set(city_visits),
        "Optional fields": {"contact", "waivers", "calendar_domain"},
    }
    tables = _tables()
    assert set(tables) == set(printed)
    for heading, keys in printed.items():
        assert set(tables[heading]) == keys, heading
    assert list(tables["`units`"]) == list(units[0])  # listed in the order printed
    assert list(tables["District standing"]) == list(city_status["districts"][0])
    assert all(
        row["district"]
        for row in city_overdue["items"]
        + city_due["items"]
        + units
        + city_list
        + city_owners["items"]
        + city_show["items"]
    )
    for city_rows, rows in (
        (city_reports["units"], reports["units"]),
        (city_escalations["items"], escalations["items"]),
        (city_visits["items"], visits["items"]),
    ):
        assert _keys(city_rows) == {"district"} | _keys(rows)
    assert set(city_reports["summary"]) == set(reports["summary"]) | {
        "reports_due", "reports_on_time", "on_time_rate"
    }  # fmt: skip
    assert _keys(city_visits["districts"]) == {"id", "name", "candidates"}
    assert set(city_status["totals"]) == {
        "due", "done", "overdue", "overdue_share", "reports_due", "reports_on_time", "on_time_rate", "lights"
    }  # fmt: skip


def test_the_optional_data_fields_are_the_models_own() -> None:
    from safety_plan.models import Plan, ScheduleFile, Unit

    assert "contact" in Unit.model_fields and not Unit.model_fields["contact"].is_required()
    assert "waivers" in ScheduleFile.model_fields and not ScheduleFile.model_fields["waivers"].is_required()
    assert "calendar_domain" in Plan.model_fields
    assert not Plan.model_fields["calendar_domain"].is_required()
