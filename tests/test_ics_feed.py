"""The iCalendar feed as a subscriber's calendar reads it: reminders, short titles with the
full text behind them, UIDs of the plan's own domain, yearly rules, SEQUENCE on change and a
refresh hint (through the CLI, read back with icalendar)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from conftest import REPO
from safety_plan.commands.export_ics import parse_reminders, short_summary

DEMO = REPO / "examples" / "demo"


@pytest.fixture(autouse=True)
def _private_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(shared_cache))


def _feed(run, data: Path, *args: str) -> Calendar:
    code, out, err = run("--data", str(data), "export", "ics", *args)
    assert code == 0, err
    return Calendar.from_ical(out)


def _events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    return data


def test_every_event_reminds_three_days_and_one_day_before_at_nine(run) -> None:
    cal = _feed(run, DEMO)
    for event in cal.walk("VEVENT"):
        alarms = event.walk("VALARM")
        triggers = sorted(a.decoded("TRIGGER") for a in alarms)
        assert triggers == [dt.timedelta(days=-3, hours=9), dt.timedelta(days=-1, hours=9)], event["UID"]
        assert all(str(a["ACTION"]) == "DISPLAY" and "天后到期" in str(a["DESCRIPTION"]) for a in alarms)


def test_reminders_are_configurable_in_the_feed_builder() -> None:
    from safety_plan.commands._data import open_both
    from safety_plan.commands.export_ics import calendar

    dataset, plan = open_both(DEMO, "examples/demo")
    none = Calendar.from_ical(calendar(dataset, plan, None, reminders=()))
    assert not any(e.walk("VALARM") for e in none.walk("VEVENT"))
    week = Calendar.from_ical(calendar(dataset, plan, None, reminders=(7,)))
    assert {a.decoded("TRIGGER") for a in week.walk("VALARM")} == {dt.timedelta(days=-7, hours=9)}
    assert parse_reminders("1, 3,3") == (3, 1)
    assert parse_reminders("none") == ()
    with pytest.raises(ValueError, match="x"):
        parse_reminders("3,x")


def test_summaries_are_short_and_descriptions_carry_the_full_text(run) -> None:
    schedule = yaml.safe_load((DEMO / "schedule.yaml").read_text(encoding="utf-8"))
    events = _events(_feed(run, DEMO))
    for item in schedule["deadlines"] + schedule["recurring"]:
        event = events[item["id"]]
        assert len(str(event["SUMMARY"])) <= 40, event["SUMMARY"]
        assert " ".join(item["what"].split()) in " ".join(str(event["DESCRIPTION"]).split())
    assert str(events["zbgj-16.1"]["SUMMARY"]).startswith("【限时】")
    assert short_summary("甲" * 30, 10) == "甲" * 9 + "…"
    assert short_summary("短句，后面很长很长很长很长很长很长很长很长很长很长", 10) == "短句"


def test_feed_asks_subscribers_to_refresh_daily(run) -> None:
    cal = _feed(run, DEMO)
    assert cal.decoded("REFRESH-INTERVAL") == dt.timedelta(days=1)
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["X-PUBLISHED-TTL"].to_ical().decode()) == "P1D"


def test_yearly_duties_are_freq_yearly(run) -> None:
    schedule = yaml.safe_load((DEMO / "schedule.yaml").read_text(encoding="utf-8"))
    yearly = [d["id"] for d in schedule["recurring"] if d["every"] == "year"]
    assert yearly
    events = _events(_feed(run, DEMO))
    for ref in yearly:
        assert events[ref]["RRULE"]["FREQ"] == ["YEARLY"], ref
    monthly = [d["id"] for d in schedule["recurring"] if d["every"] == "month"]
    assert all(events[ref]["RRULE"]["FREQ"] == ["MONTHLY"] for ref in monthly)


def test_uids_end_with_the_domain_the_data_names(tmp_path: Path, run) -> None:
    data = _copy(tmp_path)
    measures = data / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    text = text.replace(
        "  issuer: 上海市崇明区安全生产委员会\n",
        "  issuer: 上海市崇明区安全生产委员会\n  calendar_domain: yjj.example.cn\n",
    )
    measures.write_text(text, encoding="utf-8")
    uids = [str(e["UID"]) for e in _feed(run, data).walk("VEVENT")]
    assert uids and all(uid.endswith("@yjj.example.cn") for uid in uids)
    measures.write_text(text.replace("yjj.example.cn", "Not A Domain!"), encoding="utf-8")
    code, out, _ = run("--data", str(data), "check", "--format", "text")
    assert code == 1 and "calendar_domain: expected a domain name in lower case (example.gov.cn)" in out
    measures.write_text(text.replace("yjj.example.cn", "a" * 254), encoding="utf-8")
    code, out, _ = run("--data", str(data), "check", "--format", "text")
    assert code == 1 and "calendar_domain: must be at most 253 characters long" in out


def test_a_moved_deadline_starts_on_its_new_day_with_a_sequence(tmp_path: Path, run) -> None:
    data = _copy(tmp_path)
    schedule = data / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    moved = (
        "    note: 一个系统。\n"
        "    changes:\n"
        "      - due: 2025-03-31\n        approved: 2024-12-10\n        approval: 崇安委办〔2024〕9号\n"
        "      - due: 2025-06-30\n        approved: 2025-03-20\n        approval: 崇安委办〔2025〕2号\n"
    )
    schedule.write_text(text.replace("    note: 一个系统。\n", moved, 1), encoding="utf-8")
    event = _events(_feed(run, data))["zbgj-16.1"]
    assert event.decoded("DTSTART") == dt.date(2025, 6, 30)
    assert int(event["SEQUENCE"]) == 2
    assert "原定 2024-12-31" in str(event["DESCRIPTION"]) and "崇安委办〔2025〕2号" in str(
        event["DESCRIPTION"]
    )


def test_rewriting_the_feed_raises_the_sequence_of_what_changed_only(tmp_path: Path, run) -> None:
    data = _copy(tmp_path)
    target = tmp_path / "feed.ics"
    code, _, err = run("--data", str(data), "export", "ics", "-o", str(target))
    assert code == 0, err
    first = target.read_bytes()
    code, _, _ = run("--data", str(data), "export", "ics", "-o", str(target))
    assert target.read_bytes() == first  # nothing changed: the same bytes, the same sequences
    schedule = data / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    edited = "建设完善危险化学品等高危企业安全生产监测分析系统（含预警平台）"
    schedule.write_text(
        text.replace("建设完善危险化学品等高危企业安全生产监测分析系统", edited, 1), encoding="utf-8"
    )
    run("--data", str(data), "export", "ics", "-o", str(target))
    after = _events(Calendar.from_ical(target.read_bytes()))
    before = _events(Calendar.from_ical(first))
    changed = {ref for ref in after if int(after[ref]["SEQUENCE"]) != int(before[ref]["SEQUENCE"])}
    assert changed == {"zbgj-16.1"}
    assert int(after["zbgj-16.1"]["SEQUENCE"]) == 1
    run("--data", str(data), "export", "ics", "-o", str(target))
    assert int(_events(Calendar.from_ical(target.read_bytes()))["zbgj-16.1"]["SEQUENCE"]) == 1


def test_remind_option(run) -> None:
    cal = _feed(run, DEMO, "--remind", "7")
    assert {a.decoded("TRIGGER") for a in cal.walk("VALARM")} == {dt.timedelta(days=-7, hours=9)}
    assert not _feed(run, DEMO, "--remind", "none").walk("VALARM")
    code, _, err = run("--data", str(DEMO), "export", "ics", "--remind", "3,x")
    assert code == 2 and err.count("\n") == 1 and "'x'" in err and "--remind 3,1" in err
