"""The supervision engine and moved deadlines at their edges, each expectation worked out by
hand from issue 13's definitions (see ``engine/escalation.py``).

Tiny data sets (``tiny_plan``): plan ``demo`` 2024-01-01 … 2026-12-31; demo-2 is 区应急局's,
demo-3 is 各乡镇's (城桥镇, 堡镇).
"""

from __future__ import annotations

from pathlib import Path

from safety_plan.engine.asof import Light, changes_approved, snapshot
from safety_plan.engine.escalation import Supervisor
from safety_plan.engine.types import CompiledPlan, SupervisionRule
from tiny_plan import day, plan

LETTER = """\
escalation:
  - {id: letter, action: 督办函, points: -1, when: {overdue_days: 30}}
  - {id: interview, action: 约谈, points: -2, when: {repeated: letter, months: 3, within: 6}}
  - {id: warning, action: 橙色督办单, when: {after: letter, days: 15}}
"""


def _rule(p: CompiledPlan, rule_id: str) -> SupervisionRule:
    return next(r for r in p.supervision.rules if r.id == rule_id)


def _fires(p: CompiledPlan, rule_id: str, as_of: str) -> dict[str, tuple[str, ...]]:
    """unit → refs for one rule as of one day."""
    sup = Supervisor(p)
    return {unit: f.refs for unit, f in sup.fired_rule(_rule(p, rule_id), day(as_of)).items()}


# --- overdue_days ------------------------------------------------------------------------

TWO_DEADLINES = """\
deadlines:
  - {id: demo-2.1, measure: demo-2, due: 2025-04-01, phrase: 2025年4月1日前, what: 建成监测分析系统}
  - {id: demo-2.2, measure: demo-2, due: 2025-04-20, phrase: 2025年4月20日前, what: 完成系统联调}
"""


def test_overdue_days_fires_at_exactly_n_days(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=TWO_DEADLINES, rules=LETTER)
    # 2025-05-01 − 2025-04-01 = 30 days: fires; the day before, 29: does not.
    assert _fires(p, "letter", "2025-05-01") == {"区应急局": ("demo-2.1",)}
    assert _fires(p, "letter", "2025-04-30") == {}
    # 2025-05-20 − 2025-04-20 = 30: both now; refs in due order.
    assert _fires(p, "letter", "2025-05-20") == {"区应急局": ("demo-2.1", "demo-2.2")}
    assert _fires(p, "letter", "2025-05-19") == {"区应急局": ("demo-2.1",)}


def test_each_occurrence_of_a_duty_counts_on_its_own(tmp_path: Path) -> None:
    schedule = """\
    recurring:
      - {id: demo-3.check, measure: demo-3, every: quarter, phrase: 每季度, what: 风险辨识, from: 2025-01-01}
    """
    progress = {
        "2025-03": """\
        reports:
          - unit: 堡镇
            submitted: 2025-03-20
            items: [{ref: demo-3.check, status: done, done: 2025-03-18}]
        """
    }
    p = plan(tmp_path, schedule=schedule, rules=LETTER, progress=progress)
    # As of 2025-06-30, 城桥镇's 2025Q1 is 91 days overdue (from 03-31), 2025Q2 0 days: only
    # Q1 counts; 堡镇 held Q1 and Q2 is not 30 days late.
    assert _fires(p, "letter", "2025-06-30") == {"城桥镇": ("demo-3.check[2025Q1]",)}
    # 2025-09-30: Q1 (183 days) and Q2 (92 days) each on its own, for both towns for Q2.
    assert _fires(p, "letter", "2025-09-30") == {
        "城桥镇": ("demo-3.check[2025Q1]", "demo-3.check[2025Q2]"),
        "堡镇": ("demo-3.check[2025Q2]",),
    }


# --- missed_reports ------------------------------------------------------------------------

REPORT = """\
recurring:
  - {id: demo.report, plan: demo, every: month, day: 25, phrase: 每月25日前, what: 报送工作情况, owners: [城桥镇], from: 2025-01-01, met_by: report}
"""


def _reports(days: dict[str, str]) -> dict[str, str]:
    """Progress files with 城桥镇's report submitted on the given day of each month."""
    return {month: f"reports:\n  - {{unit: 城桥镇, submitted: {d}}}\n" for month, d in days.items()}


def test_missed_reports_needs_the_last_n_in_a_row(tmp_path: Path) -> None:
    # Jan on time, Feb missing, Mar late (28th), Apr on time, May and Jun missing.
    progress = _reports({"2025-01": "2025-01-20", "2025-03": "2025-03-28", "2025-04": "2025-04-25"})
    rules = "escalation:\n  - {id: report-missed, action: 通报批评, when: {missed_reports: 2}}\n"
    p = plan(tmp_path, schedule=REPORT, rules=rules, progress=progress)
    expected = {
        "2025-01-31": {},  # only one report due so far
        "2025-02-28": {},  # Jan on time, Feb missing
        "2025-03-31": {"城桥镇": ("demo.report[2025-02]", "demo.report[2025-03]")},  # missing, late
        "2025-04-30": {},  # Apr on time breaks the run
        "2025-05-31": {},  # Apr on time, May missing
        "2025-06-30": {"城桥镇": ("demo.report[2025-05]", "demo.report[2025-06]")},
    }
    for as_of, fired in expected.items():
        assert _fires(p, "report-missed", as_of) == fired, as_of
    # As of 06-24 June's report is not yet due: the last two due are Apr (on time) and May.
    assert _fires(p, "report-missed", "2025-06-24") == {}
    items = Supervisor(p).escalations((2025, 6))
    assert [(i.unit, i.rule.id, i.since, i.new) for i in items] == [
        ("城桥镇", "report-missed", "2025-06", True)
    ]
    assert Supervisor(p).escalations((2025, 3))[0].since == "2025-03"


# --- repeated --------------------------------------------------------------------------


def test_repeated_counts_non_consecutive_months(tmp_path: Path) -> None:
    # Reports missing in Jan, Mar and May; on time in Feb, Apr and Jun.
    progress = _reports({"2025-02": "2025-02-20", "2025-04": "2025-04-20", "2025-06": "2025-06-20"})
    rules = """\
    escalation:
      - {id: late, action: 提醒函, when: {missed_reports: 1}}
      - {id: habit, action: 约谈, points: -2, when: {repeated: late, months: 3, within: 5}}
    """
    p = plan(tmp_path, schedule=REPORT, rules=rules, progress=progress)
    assert [m for m in ("01", "02", "03", "04", "05", "06") if _fires(p, "late", f"2025-{m}-28")] == [
        "01",
        "03",
        "05",
    ]
    # As of May: Jan … May holds 3 firings (Jan, Mar, May).
    assert _fires(p, "habit", "2025-05-31") == {"城桥镇": ("late@2025-01", "late@2025-03", "late@2025-05")}
    # As of April: Dec … Apr holds only Jan and Mar; as of June: Feb … Jun only Mar and May.
    assert _fires(p, "habit", "2025-04-30") == {}
    assert _fires(p, "habit", "2025-06-30") == {}
    (item,) = [i for i in Supervisor(p).escalations((2025, 5)) if i.rule.id == "habit"]
    assert (item.since, item.new, item.points) == ("2025-05", True, -2)


# --- after -------------------------------------------------------------------------------


def test_after_keeps_only_items_that_fired_n_days_ago_and_are_still_open(tmp_path: Path) -> None:
    progress = {
        "2025-06": """\
        reports:
          - unit: 区应急局
            submitted: 2025-06-12
            items: [{ref: demo-2.1, status: done, done: 2025-06-10}]
        """
    }
    p = plan(tmp_path, schedule=TWO_DEADLINES, rules=LETTER, progress=progress)
    # letter fires for demo-2.1 from 05-01 (30 days): warning from 05-16 (05-01 + 15).
    assert _fires(p, "warning", "2025-05-16") == {"区应急局": ("demo-2.1",)}
    assert _fires(p, "warning", "2025-05-15") == {}
    # 05-31: letter lists both; 15 days earlier (05-16) demo-2.2 was 26 days late: not yet.
    assert _fires(p, "letter", "2025-05-31") == {"区应急局": ("demo-2.1", "demo-2.2")}
    assert _fires(p, "warning", "2025-05-31") == {"区应急局": ("demo-2.1",)}
    # 06-30: demo-2.1 was done 06-10; demo-2.2 fired the letter on 06-15 and is still open.
    assert _fires(p, "warning", "2025-06-30") == {"区应急局": ("demo-2.2",)}


# --- since, points, the month's items -------------------------------------------------


def test_since_new_and_points_this_year(tmp_path: Path) -> None:
    schedule = """\
    deadlines:
      - {id: demo-2.1, measure: demo-2, due: 2024-10-31, phrase: 2024年10月底前, what: 建成监测分析系统}
    """
    p = plan(tmp_path, schedule=schedule, rules=LETTER)
    sup = Supervisor(p)
    # letter: 30 days from 2024-11-30, so at every month end from November on.
    items = {i.rule.id: i for i in sup.escalations((2025, 2))}
    assert items["letter"].since == "2024-11"
    assert items["letter"].refs == ("demo-2.1",)
    # interview: letter in 3 of 6 months from 2025-01 (Nov, Dec, Jan).
    assert items["interview"].since == "2025-01"
    assert items["interview"].refs == ("letter@2024-11", "letter@2024-12", "letter@2025-01", "letter@2025-02")
    # Points count 2025 only: Jan (−1 −2) and Feb (−1 −2) = −6; Nov and Dec 2024 do not.
    assert items["letter"].points == -6
    assert sup.points((2024, 12)) == {"区应急局": -2}
    assert not items["letter"].new and not items["interview"].new
    assert {i.rule.id: i.new for i in sup.escalations((2025, 1))}["interview"] is True


def test_no_rules_means_no_escalations(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=TWO_DEADLINES)
    assert p.supervision.rules == ()
    assert Supervisor(p).escalations((2025, 6)) == []


def test_visits_rank_by_points_then_overdue_load(tmp_path: Path) -> None:
    schedule = """\
    deadlines:
      - {id: demo-2.1, measure: demo-2, due: 2025-04-01, phrase: 2025年4月1日前, what: 建成监测分析系统}
      - {id: demo-3.1, measure: demo-3, due: 2025-06-20, phrase: 2025年6月20日前, what: 风险辨识, each: true}
    """
    p = plan(tmp_path, schedule=schedule, rules=LETTER)
    visits, candidates = Supervisor(p).visits(2025, 2, 2)
    # 区应急局: letter at the end of May and June (−2), warning (no points); the towns hold
    # demo-3.1 10 days overdue each, no rule fired: equal, so by name.
    assert candidates == 3
    assert [(v.rank, v.unit, v.points, v.overdue, v.days_overdue) for v in visits] == [
        (1, "区应急局", -2, 1, 90),
        (2, "城桥镇", 0, 1, 10),
    ]
    assert [(r.id, months) for r, months in visits[0].fired] == [
        ("letter", ("2025-05", "2025-06")),
        ("warning", ("2025-05", "2025-06")),
    ]


# --- lights from rules.yaml --------------------------------------------------------------


def test_yellow_days_is_the_default_window(tmp_path: Path) -> None:
    schedule = (
        "deadlines:\n  - {id: demo-2.1, measure: demo-2, due: 2025-06-30, phrase: 6月底前, what: 建成系统}\n"
    )
    p = plan(tmp_path, schedule=schedule, rules="lights: {yellow_days: 7}\n")
    assert snapshot(p, day("2025-06-23")).evaluations[0].light is Light.yellow  # 7 days ahead
    assert snapshot(p, day("2025-06-22")).evaluations[0].light is Light.green  # 8 days ahead
    assert snapshot(p, day("2025-06-22"), 30).evaluations[0].light is Light.yellow  # told otherwise


def test_recurring_grace_days_delay_red_for_duties_only(tmp_path: Path) -> None:
    schedule = """\
    deadlines:
      - {id: demo-2.1, measure: demo-2, due: 2025-06-30, phrase: 6月底前, what: 建成系统}
    recurring:
      - {id: demo-2.check, measure: demo-2, every: quarter, phrase: 每季度, what: 检查, from: 2025-04-01}
    """
    p = plan(tmp_path, schedule=schedule, rules="lights: {recurring_grace_days: 25}\n")

    def state(as_of: str) -> dict[str, tuple[Light, int]]:
        return {
            ev.obligation.ref: (ev.light, ev.days_overdue)
            for ev in snapshot(p, day(as_of)).evaluations
            if ev.obligation.due <= day("2025-06-30")
        }

    # 2025-06-30 + 25 days = 2025-07-25: the duty's Q2 is red from then, 0 days overdue.
    assert state("2025-07-24") == {"demo-2.1": (Light.red, 24), "demo-2.check": (Light.yellow, 0)}
    assert state("2025-07-25") == {"demo-2.1": (Light.red, 25), "demo-2.check": (Light.red, 0)}
    assert state("2025-07-31")["demo-2.check"] == (Light.red, 6)


# --- deadlines that move only with an approval --------------------------------------------

MOVED = """\
deadlines:
  - id: demo-2.1
    measure: demo-2
    due: 2024-12-31
    phrase: 2024年底前
    what: 建成监测分析系统
    changes:
      - {due: 2025-12-31, approved: 2025-03-01, approval: 测安委办〔2025〕3号, reason: 待市级系统统一上线}
      - {due: 2025-10-31, approved: 2025-09-01, approval: 测安委办〔2025〕9号}
"""


def test_a_change_applies_from_its_approval_day_on(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=MOVED)

    def state(as_of: str) -> tuple[str, str | None, int, Light]:
        (ev,) = snapshot(p, day(as_of)).evaluations
        ob = ev.obligation
        return ob.due.isoformat(), ob.original_due and ob.original_due.isoformat(), ev.days_overdue, ev.light

    # Before the approval (a change approved after the as-of day): still overdue from 2024-12-31.
    assert state("2025-01-31") == ("2024-12-31", None, 31, Light.red)
    assert state("2025-02-28") == ("2024-12-31", None, 59, Light.red)
    # From 2025-03-01 on: due 2025-12-31, 305 days ahead: green; original kept.
    assert state("2025-03-01") == ("2025-12-31", "2024-12-31", 0, Light.green)
    assert state("2025-06-30") == ("2025-12-31", "2024-12-31", 0, Light.green)
    # The second change (2025-09-01) brings it forward to 2025-10-31.
    assert state("2025-08-31") == ("2025-12-31", "2024-12-31", 0, Light.green)
    assert state("2025-10-01") == ("2025-10-31", "2024-12-31", 0, Light.yellow)  # 30 days
    assert state("2025-11-01") == ("2025-10-31", "2024-12-31", 1, Light.red)
    assert [r.obligation.ref for r in snapshot(p, day("2025-01-31")).overdue()] == ["demo-2.1"]
    assert snapshot(p, day("2025-06-30")).overdue() == []


AROUND = (
    MOVED
    + """\
  - {id: demo-1.1, measure: demo-1, due: 2025-06-30, phrase: 6月底前, what: 制定子方案}
  - {id: demo-3.1, measure: demo-3, due: 2025-11-30, phrase: 11月底前, what: 完成风险辨识}
  - {id: demo-4.1, measure: demo-4, due: 2024-06-30, phrase: 6月底前, what: 创建示范岗}
"""
)


def test_a_moved_deadline_takes_its_place_among_the_others(tmp_path: Path) -> None:
    """Put back where sorting the whole plan by ``sort_key`` would put it, its closing day
    (``closed_from``, same order) moving with it."""
    done = """\
    reports:
      - unit: 区应急局
        submitted: 2025-05-25
        items:
          - {ref: demo-1.1, status: done, done: 2025-05-20}
          - {ref: demo-2.1, status: done, done: 2025-05-21}
    """
    p = plan(tmp_path, schedule=AROUND, progress={"2025-05": done})
    closing = {(o.ref, o.unit): closed for o, closed in zip(p.obligations, p.closed_from, strict=True)}
    assert closing[("demo-2.1", "区应急局")] == day("2025-05-25")  # counted once submitted

    def order(as_of: str) -> list[str]:
        obligations, closed_from = snapshot(p, day(as_of))._in_force
        assert obligations == sorted(obligations, key=lambda o: o.sort_key)
        assert closed_from == [closing[(o.ref, o.unit)] for o in obligations]
        return [o.ref for o in obligations]

    assert order("2025-01-31") == ["demo-4.1", "demo-2.1", "demo-1.1", "demo-3.1"]  # not yet moved
    assert order("2025-08-31") == ["demo-4.1", "demo-1.1", "demo-3.1", "demo-2.1"]  # to 2025-12-31
    assert order("2025-09-01") == ["demo-4.1", "demo-1.1", "demo-2.1", "demo-3.1"]  # to 2025-10-31


def test_changes_approved_in_a_month(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=MOVED)
    found = changes_approved(p, day("2025-03-01"), day("2025-03-31"))
    assert [(o.ref, o.changes[i].approval) for o, i in found] == [("demo-2.1", "测安委办〔2025〕3号")]
    assert changes_approved(p, day("2025-04-01"), day("2025-08-31")) == []


def test_a_moved_deadline_stops_escalating(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=MOVED, rules=LETTER)
    assert _fires(p, "letter", "2025-01-31") == {"区应急局": ("demo-2.1",)}  # 31 days
    assert _fires(p, "letter", "2025-03-31") == {}


# --- the shipped rules -----------------------------------------------------------------


def test_shipped_rules_quote_the_plan_verbatim_and_mark_the_offices_own_choices() -> None:
    """Every “…” a note quotes is in the plan's text; every rule with points says the points
    are the office's own choice (本办自定), since the documents set none."""
    import re

    import yaml

    from conftest import REPO

    source = (REPO / "data" / "sources" / "zbgj.txt").read_text(encoding="utf-8")
    rules = yaml.safe_load((REPO / "data" / "rules.yaml").read_text(encoding="utf-8"))
    notes = [r["note"] for r in rules["escalation"]] + [rules["lights"]["note"]]
    quoted = [
        q.replace("‘", "“").replace("’", "”") for n in notes for q in re.findall(r"“((?:[^“”]|‘[^’]*’)+)”", n)
    ]
    assert len(quoted) >= 6
    for quote in quoted:
        assert quote in source, quote
    for rule in rules["escalation"]:
        assert rule["note"], rule["id"]
        if "points" in rule:
            assert "本办自定" in rule["note"], rule["id"]


# --- letters and the bulletin's sections ------------------------------------------------

TWO_UNITS = """\
deadlines:
  - {id: demo-2.1, measure: demo-2, due: 2025-04-01, phrase: 2025年4月1日前, what: 建成监测分析系统}
  - {id: demo-3.1, measure: demo-3, due: 2025-05-15, phrase: 2025年5月15日前, what: 完成风险辨识, each: true}
"""
TWO_UNITS_PROGRESS = {
    "2025-05": """\
    reports:
      - unit: 城桥镇
        submitted: 2025-05-14
        items: [{ref: demo-3.1, status: done, done: 2025-05-10}]
      - unit: 堡镇
        submitted: 2025-05-20
        items: [{ref: demo-3.1, status: in_progress, note: 已完成辨识初稿}]
    """
}


def test_letters_for_two_units(tmp_path: Path) -> None:
    from safety_plan.output.templating import render_template
    from safety_plan.reports.supervision import letter_contexts
    from safety_plan.resources import templates_dir

    rules = LETTER + "letters: {reply_days: 15, sender: 测试区安委会办公室}\n"
    p = plan(tmp_path, schedule=TWO_UNITS, rules=rules, progress=TWO_UNITS_PROGRESS)
    letters = letter_contexts(p, (2025, 6), {"堡镇": "测试区堡镇"})
    # 区应急局: demo-2.1 90 days late (04-01 → 06-30): 督办函, and 橙色督办单 (fired the letter
    # on 06-15 already). 堡镇: demo-3.1 46 days late (05-15 → 06-30): both too (31 days on
    # 06-15). 城桥镇 did it. Interview: the letter fired only in May and June, not 3 months.
    assert [(x["unit"], x["action"]) for x in letters] == [
        ("区应急局", "橙色督办单"),
        ("区应急局", "督办函"),
        ("堡镇", "橙色督办单"),
        ("堡镇", "督办函"),
    ]
    town = letters[3]
    assert (town["unit_name"], town["reply_by"], town["sender"]) == (
        "测试区堡镇",
        "2025-07-15",
        "测试区安委会办公室",
    )
    assert [(i["ref"], i["due"], i["days_overdue"], i["status"], i["note"]) for i in town["items"]] == [
        ("demo-3.1", "2025-05-15", 46, "推进中", "已完成辨识初稿")
    ]
    assert town["items"][0]["clause"] == "测试（二）第3项“第3项”"
    # Points this year: 区应急局's letter at the ends of May (60 days) and June; 堡镇's in June.
    assert (letters[1]["points"], town["points"]) == (-2, -1)
    text = render_template(templates_dir() / "letter.md.j2", town)
    assert "**测试区堡镇：**" in text
    assert (
        "| 1 | demo-3.1 | 测试（二）第3项“第3项” | 完成风险辨识 | 2025‑05‑15 | 46 | 推进中：已完成辨识初稿 |"
        in text
    )
    assert "于 2025年7月15日 前" in text and text.rstrip().endswith("2025年6月30日")
    assert letters[1]["file"] == "2025-06_区应急局_督办函"


def test_letter_file_names_are_safe() -> None:
    from safety_plan.reports.supervision import letter_file_name

    assert letter_file_name((2025, 6), "区应急局", "督办函/约谈") == "2025-06_区应急局_督办函-约谈"
    assert letter_file_name((2025, 6), "../x", "..") == "2025-06_x_-"


def test_bulletin_supervision_marks_new_and_lists_adjustments(tmp_path: Path) -> None:
    from safety_plan.reports.supervision import bulletin_supervision

    schedule = TWO_UNITS + MOVED.split("deadlines:\n", 1)[1].replace("demo-2.1", "demo-2.2")
    p = plan(tmp_path, schedule=schedule, rules=LETTER, progress=TWO_UNITS_PROGRESS)
    june = bulletin_supervision(p, (2025, 6))
    units = {u["unit"]: u for u in june["units"]}
    assert set(units) == {"区应急局", "堡镇"}
    assert [(a["action"], a["new"]) for a in units["堡镇"]["actions"]] == [
        ("督办函", True),
        ("橙色督办单", True),
    ]
    # 区应急局 also held demo-2.2, overdue from 2024-12-31 until its move on 2025-03-01: the
    # letter fired in Jan and Feb (31, 59 days), not Mar or Apr (demo-2.1: 29 days on 04-30),
    # again in May and June. So 约谈 (3 of the 6 months Jan … Jun) fires since May, and the
    # points are Jan −1, Feb −1, May −1 −2, Jun −1 −2 = −8.
    assert [(a["action"], a["new"], a["since"]) for a in units["区应急局"]["actions"]] == [
        ("督办函", False, "2025-05"),
        ("约谈", False, "2025-05"),
        ("橙色督办单", False, "2025-05"),
    ]
    assert june["new_count"] == 2 and june["points"] == {"区应急局": -8, "堡镇": -1}
    assert june["adjustments"] == []
    march = bulletin_supervision(p, (2025, 3))
    assert march["adjustments"] == [
        {
            "ref": "demo-2.2",
            "what": "建成监测分析系统",
            "from": "2024-12-31",
            "to": "2025-12-31",
            "approved": "2025-03-01",
            "approval": "测安委办〔2025〕3号",
            "reason": "待市级系统统一上线",
        }
    ]
    september = bulletin_supervision(p, (2025, 9))
    assert [(a["from"], a["to"]) for a in september["adjustments"]] == [("2025-12-31", "2025-10-31")]


def test_after_over_overdue_days_agrees_with_its_definition() -> None:
    """The shortcut (today's overdue items, each evaluated on the earlier day) gives what the
    definition gives (the target's firing on the earlier day, kept where still overdue), on the
    demo for every month end of 2025's first half and a mid-month day."""
    from conftest import REPO
    from safety_plan.opening import open_plan

    p = open_plan(REPO / "examples" / "demo", "examples/demo")
    sup = Supervisor(p)
    warning, letter = _rule(p, "warning"), _rule(p, "letter")
    for as_of in [
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
        "2025-05-31",
        "2025-06-30",
        "2025-06-17",
    ]:
        d = day(as_of)
        then = sup.fired_rule(letter, d - __import__("datetime").timedelta(days=warning.count))
        still = {
            e.obligation.ref + str(e.obligation.window) + e.obligation.unit
            for e in sup.snapshot(d).overdue_obligations()
        }
        expected = {
            unit: tuple(
                ref
                for ref, ev in zip(f.refs, f.evaluations, strict=True)
                if ev.obligation.ref + str(ev.obligation.window) + ev.obligation.unit in still
            )
            for unit, f in then.items()
        }
        expected = {u: refs for u, refs in expected.items() if refs}
        got = {u: f.refs for u, f in sup.fired_rule(warning, d).items()}
        assert got == expected, as_of
