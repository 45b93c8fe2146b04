"""data/schedule.yaml covers every time phrase of the three-year plan's 31 tasks.

Every time phrase found in a zbgj task's text (20XX年底前, a bare 20XX年 target, 3年内/三年内,
每月, 每季度, 每半年, 每年, 年度) must fall inside the `phrase` of a deadline or recurring duty
of that same task, or inside a waiver's `text` in schedule.yaml (with its note: why). `check`
enforces the same for every measure (rule phrase-coverage); the files are read here with
yaml.safe_load, not through the project's loader, so this test stands on its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

PLAN_START = dt.date(2024, 3, 1)
PLAN_END = dt.date(2026, 12, 31)

TIME_PHRASE = re.compile(r"20\d\d年底前|20\d\d年|3年内|三年内|每月|每季度|每半年|每年|年度")
"""The time phrases to cover. `20\\d\\d年底前` comes first so that it wins over the bare year."""

UNDATED: dict[tuple[str, str], str] = {
    # (measure, verbatim text): one-off obligations the text gives no date for, so no deadline
    (
        "zbgj-6",
        "各乡镇、各部门、各园区牵头组织一次本区域、本行业领域的城乡安全风险辨识工作",
    ): "organised once, but the text gives no date; none is invented",
    ("zbgj-17", "建成崇明区应急管理综合指挥系统"): "no date given",
    (
        "zbgj-20",
        "对安全生产培训机构进行一轮全覆盖条件复核",
    ): "the review itself is undated; its consequence (2024年底前清退) is zbgj-20.1",
}


def _load(name: str):
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def schedule() -> dict:
    return _load("schedule.yaml")


@pytest.fixture(scope="module")
def measures() -> dict[str, dict]:
    return {m["id"]: m for m in _load("measures.yaml")["measures"]}


@pytest.fixture(scope="module")
def tasks(measures) -> dict[str, dict]:
    found = {mid: m for mid, m in measures.items() if m["plan"] == "zbgj"}
    assert sorted(found, key=lambda i: int(i.split("-")[1])) == [f"zbgj-{n}" for n in range(1, 32)]
    return found


def _entries(schedule: dict) -> list[dict]:
    return list(schedule.get("deadlines") or []) + list(schedule.get("recurring") or [])


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def test_schedule_validates_against_the_model(schedule):
    from safety_plan.models import ScheduleFile

    ScheduleFile.model_validate(schedule)


def test_every_time_phrase_of_every_task_is_covered(schedule, tasks):
    missing = []
    for mid, m in tasks.items():
        text = m["text"]
        covering = [
            span for e in _entries(schedule) if e.get("measure") == mid for span in _spans(text, e["phrase"])
        ]
        excused = [
            span for w in _waivers(schedule) if w["measure"] == mid for span in _spans(text, w["text"])
        ]
        for hit in TIME_PHRASE.finditer(text):
            span = (hit.start(), hit.end())
            if not _inside(span, covering) and not _inside(span, excused):
                context = text[max(0, hit.start() - 12) : hit.end() + 12]
                missing.append(f"{mid}: {hit.group()!r} in …{context}…")
    assert not missing, "time phrases with no deadline or recurring duty:\n" + "\n".join(missing)


def _waivers(schedule: dict) -> list[dict]:
    return list(schedule.get("waivers") or [])


def test_exceptions_are_real_and_not_also_covered(schedule, tasks):
    for waiver in _waivers(schedule):
        mid, stretch = waiver["measure"], waiver["text"]
        if mid not in tasks:
            continue  # an m81 measure: check's phrase-coverage rule holds it
        assert waiver["note"]
        text = tasks[mid]["text"]
        assert stretch in text, f"{mid}: {stretch!r} is not in the text"
        assert TIME_PHRASE.search(stretch), f"{mid}: {stretch!r} has no time phrase to excuse"
        for e in _entries(schedule):
            if e.get("measure") == mid:
                assert not _inside(
                    (text.index(stretch), text.index(stretch) + len(stretch)),
                    _spans(text, e["phrase"]),
                ), f"{mid}: {stretch!r} is listed as uncovered but {e['id']} covers it"


def test_undated_obligations_stay_undated(schedule, tasks):
    for (mid, stretch), reason in UNDATED.items():
        assert reason
        text = tasks[mid]["text"]
        assert stretch in text, f"{mid}: {stretch!r} is not in the text"
        where = (text.index(stretch), text.index(stretch) + len(stretch))
        for d in schedule.get("deadlines") or []:
            if d.get("measure") == mid:
                for s, e in _spans(text, d["phrase"]):
                    assert e <= where[0] or s >= where[1], (
                        f"{d['id']} dates {stretch!r}, which the text leaves undated"
                    )


def test_phrases_are_verbatim(schedule, measures):
    source = (DATA / "sources" / "zbgj.txt").read_text(encoding="utf-8")
    for e in _entries(schedule):
        if e.get("measure"):
            assert e["measure"] in measures, f"{e['id']}: unknown measure {e['measure']}"
            assert e["phrase"] in measures[e["measure"]]["text"], (
                f"{e['id']}: phrase {e['phrase']!r} is not in {e['measure']}'s text"
            )
        else:
            assert e["plan"] == "zbgj"
            assert e["phrase"] in source, f"{e['id']}: phrase {e['phrase']!r} is not in zbgj.txt"


def test_deadline_ids_follow_their_measure_in_text_order(schedule, measures):
    by_measure: dict[str, list[dict]] = {}
    for d in schedule["deadlines"]:
        owner = d.get("measure") or d["plan"]
        assert d["id"].rsplit(".", 1)[0] == owner, d["id"]
        by_measure.setdefault(owner, []).append(d)
    for owner, ds in by_measure.items():
        ks = sorted(int(d["id"].rsplit(".", 1)[1]) for d in ds)
        assert ks == list(range(1, len(ds) + 1)), f"{owner}: deadline numbers {ks}"
        if owner in measures:
            text, pos, previous = measures[owner]["text"], -1, None
            for d in sorted(ds, key=lambda d: int(d["id"].rsplit(".", 1)[1])):
                # One phrase may date two targets (zbgj-19: 消防供水 and 自建房, both 2025年底前).
                start = pos if d["phrase"] == previous else pos + 1
                found = text.find(d["phrase"], start)
                assert found >= start >= 0 or found > pos, f"{d['id']}: not in text order"
                pos, previous = found, d["phrase"]


def test_four_contiguous_ordered_phases(schedule):
    phases = schedule["phases"]
    assert [p["id"] for p in phases] == ["mobilise", "remediate", "consolidate", "evaluate"]
    assert phases[0]["start"] == PLAN_START
    assert phases[-1]["end"] == PLAN_END
    for p in phases:
        assert isinstance(p["start"], dt.date) and p["start"] <= p["end"], p["id"]
    for a, b in itertools.pairwise(phases):
        assert b["start"] == a["end"] + dt.timedelta(days=1), f"{a['id']} → {b['id']}"


def test_zbgj_16_has_its_three_deadlines(schedule):
    dues = sorted(d["due"] for d in schedule["deadlines"] if d.get("measure") == "zbgj-16")
    assert dues == [dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(2026, 12, 31)]


def test_dates_lie_inside_the_plan_period(schedule):
    for d in schedule["deadlines"]:
        assert isinstance(d["due"], dt.date), d["id"]
        assert PLAN_START <= d["due"] <= PLAN_END, f"{d['id']}: due {d['due']}"
    for r in schedule["recurring"]:
        for key in ("from", "until"):
            if key in r:
                assert PLAN_START <= r[key] <= PLAN_END, f"{r['id']}: {key} {r[key]}"


def test_only_the_monthly_report_is_met_by_report(schedule):
    assert [r["id"] for r in schedule["recurring"] if r.get("met_by") == "report"] == ["zbgj.report"]
    report = next(r for r in schedule["recurring"] if r["id"] == "zbgj.report")
    assert report["every"] == "month" and report["day"] == 25
