"""The as-of engine's edges, each expectation worked out by hand from DESIGN.md's definitions.

Data sets are tiny (see ``tiny_plan``): plan ``demo`` runs 2024-01-01 … 2026-12-31; 各乡镇 is
城桥镇 and 堡镇; 区团委 is also written 团区委. Warning window 30 days unless told.
"""

from __future__ import annotations

from pathlib import Path

from safety_plan.engine.asof import Evaluation, Light, evaluate, snapshot
from safety_plan.engine.compile import compile_plan, occurrence_windows
from safety_plan.engine.types import CompiledPlan, Kind, Obligation, Reported
from safety_plan.loading import load_dataset
from safety_plan.vocabulary import Status
from tiny_plan import dataset, day, plan, snap, write


def _one(
    plan_: CompiledPlan, as_of: str, ref: str, unit: str, label: str | None = None, warn: int = 30
) -> Evaluation:
    """The evaluation of one obligation (for a recurring duty: one occurrence)."""
    found = [
        ev
        for ev in snapshot(plan_, day(as_of), warn).evaluations
        if ev.obligation.ref == ref
        and ev.obligation.unit == unit
        and (label is None or (ev.obligation.window is not None and ev.obligation.window.label == label))
    ]
    assert len(found) == 1, found
    return found[0]


def _rows(plan_: CompiledPlan, as_of: str, **filters) -> list[tuple]:
    """Overdue rows as (ref, unit, due, days_overdue, missed, status)."""
    return [
        (r.obligation.ref, r.obligation.unit, r.obligation.due.isoformat(), r.evaluation.days_overdue, r.missed,
         r.evaluation.status)
        for r in snapshot(plan_, day(as_of)).overdue(**filters)
    ]  # fmt: skip


# --- deadlines: the due day, the warning window ---------------------------------------

DEADLINE_0630 = """\
deadlines:
  - {id: demo-2.1, measure: demo-2, due: 2025-06-30, phrase: 2025年6月底前, what: 建成监测分析系统}
"""


def test_deadline_on_its_due_day_is_overdue_by_zero_days(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=DEADLINE_0630)
    assert _rows(p, "2025-06-30") == [("demo-2.1", "区应急局", "2025-06-30", 0, None, "not_reported")]
    ev = _one(p, "2025-06-30", "demo-2.1", "区应急局")
    assert (ev.light, ev.days_overdue, ev.done) == (Light.red, 0, False)
    # 2025-07-15 − 2025-06-30 = 15 days
    assert _rows(p, "2025-07-15") == [("demo-2.1", "区应急局", "2025-06-30", 15, None, "not_reported")]
    # 2026-06-30 − 2025-06-30 = 365 days
    assert _one(p, "2026-06-30", "demo-2.1", "区应急局").days_overdue == 365


def test_deadline_the_day_before_is_yellow(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=DEADLINE_0630)
    assert _rows(p, "2025-06-29") == []
    ev = _one(p, "2025-06-29", "demo-2.1", "区应急局")
    assert (ev.light, ev.days_overdue) == (Light.yellow, 0)


def test_default_warning_window_is_30_days(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=DEADLINE_0630)
    assert _one(p, "2025-05-31", "demo-2.1", "区应急局").light is Light.yellow  # 30 days ahead
    assert _one(p, "2025-05-30", "demo-2.1", "区应急局").light is Light.green  # 31 days ahead
    assert snapshot(p, day("2025-05-31")).lights() == {Light.red: 0, Light.yellow: 1, Light.green: 0}


def test_custom_warning_window(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=DEADLINE_0630)
    assert _one(p, "2025-06-23", "demo-2.1", "区应急局", warn=7).light is Light.yellow  # 7 days
    assert _one(p, "2025-06-22", "demo-2.1", "区应急局", warn=7).light is Light.green  # 8 days
    assert _one(p, "2025-06-29", "demo-2.1", "区应急局", warn=0).light is Light.green  # 1 day
    assert _one(p, "2025-06-30", "demo-2.1", "区应急局", warn=0).light is Light.red
    assert _one(p, "2025-04-01", "demo-2.1", "区应急局", warn=90).light is Light.yellow  # 90 days
    assert _one(p, "2025-03-31", "demo-2.1", "区应急局", warn=90).light is Light.green  # 91 days


def test_falling_due_lists_what_is_not_done(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=DEADLINE_0630)
    s = snapshot(p, day("2025-06-01"))
    assert [ev.obligation.ref for ev in s.falling_due(day("2025-06-01"), day("2025-06-30"))] == ["demo-2.1"]
    assert s.falling_due(day("2025-07-01"), day("2025-07-31")) == []
    assert s.falling_due(day("2025-06-01"), day("2025-06-30"), unit="区团委") == []


# --- which reports count --------------------------------------------------------------


def test_report_submitted_after_the_as_of_day_does_not_count(tmp_path: Path) -> None:
    progress = {
        "2025-07": """\
            reports:
              - unit: 区应急局
                submitted: 2025-07-10
                items:
                  - {ref: demo-2.1, status: done, done: 2025-06-20}
            """
    }
    p = plan(tmp_path, schedule=DEADLINE_0630, progress=progress)
    # As of 07-09 the report is not in yet: overdue by 9 days, nothing reported.
    assert _rows(p, "2025-07-09") == [("demo-2.1", "区应急局", "2025-06-30", 9, None, "not_reported")]
    # As of 07-10 it counts, and the work was done on time (06-20).
    ev = _one(p, "2025-07-10", "demo-2.1", "区应急局")
    assert (ev.done, ev.done_on, ev.light, ev.status) == (True, day("2025-06-20"), Light.green, "done")
    assert _rows(p, "2025-07-10") == []


def test_done_date_after_the_as_of_day_does_not_count() -> None:
    # Data like this fails `check` (done after submitted), so the plan is built by hand:
    # a report submitted 06-10 claims done on 06-20. As of 06-15 that is not done yet.
    obligation = Obligation(
        ref="demo-2.1",
        kind=Kind.deadline,
        plan="demo",
        measure="demo-2",
        section=1,
        number=2,
        unit="区应急局",
        closers=frozenset({"区应急局"}),
        due=day("2025-06-30"),
        what="建成监测分析系统",
        phrase="2025年6月底前",
    )
    claim = Reported("区应急局", day("2025-06-10"), Status.done, day("2025-06-20"), None, "2025-06")
    p = CompiledPlan(obligations=[obligation], items={"demo-2.1": [claim]}, reports={}, phases=[])
    early = evaluate(obligation, p, day("2025-06-15"))
    assert (early.done, early.done_on, early.light) == (False, None, Light.yellow)  # 15 days ahead
    assert early.status == "not_reported"  # the claim is about a day still to come
    late = evaluate(obligation, p, day("2025-06-20"))
    assert (late.done, late.done_on, late.light) == (True, day("2025-06-20"), Light.green)


# --- owners: each, joint, groups, aliases ---------------------------------------------

EACH_TOWN = """\
deadlines:
  - {id: demo-3.1, measure: demo-3, due: 2025-03-31, phrase: 2025年一季度, what: 风险辨识, each: true}
"""


def test_group_owner_expands_to_its_member_units(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=EACH_TOWN)
    assert sorted((o.unit, sorted(o.closers)) for o in p.obligations) == [
        ("城桥镇", ["城桥镇"]),
        ("堡镇", ["堡镇"]),
    ]


def test_nested_group_owner_expands_through_both_groups(tmp_path: Path) -> None:
    schedule = """\
        deadlines:
          - id: demo-2.1
            measure: demo-2
            due: 2025-06-30
            phrase: 2025年6月底前
            what: 各单位自查
            owners: [全区]
            each: true
            note: 全区不在本措施责任单位之列，这里只为测试嵌套的组。
        """
    p = plan(tmp_path, schedule=schedule)
    # 全区 = 各乡镇 (城桥镇, 堡镇) + 区应急局
    assert sorted(o.unit for o in p.obligations) == sorted(["城桥镇", "堡镇", "区应急局"])


def test_each_deadline_done_by_some_owners_only(tmp_path: Path) -> None:
    progress = {
        "2025-03": """\
            reports:
              - unit: 城桥镇
                submitted: 2025-03-20
                items:
                  - {ref: demo-3.1, status: done, done: 2025-03-15}
            """
    }
    p = plan(tmp_path, schedule=EACH_TOWN, progress=progress)
    # 2025-04-30 − 2025-03-31 = 30 days; only 堡镇 still owes it.
    assert _rows(p, "2025-04-30") == [("demo-3.1", "堡镇", "2025-03-31", 30, None, "not_reported")]
    done = _one(p, "2025-04-30", "demo-3.1", "城桥镇")
    assert (done.done, done.done_on, done.light) == (True, day("2025-03-15"), Light.green)
    # the group filter finds its member's row
    assert _rows(p, "2025-04-30", unit="各乡镇") == _rows(p, "2025-04-30")
    assert _rows(p, "2025-04-30", unit="城桥镇") == []


JOINT = """\
deadlines:
  - {id: demo-1.1, measure: demo-1, due: 2025-06-30, phrase: 2025年6月底前, what: 联合检查}
"""


def test_joint_deadline_is_one_obligation_held_by_the_lead(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=JOINT)
    assert len(p.obligations) == 1
    only = p.obligations[0]
    assert only.unit == "区应急局"
    assert only.closers == frozenset({"区应急局", "城桥镇", "堡镇"})


def test_joint_deadline_closed_by_a_supporting_owner(tmp_path: Path) -> None:
    progress = {
        "2025-06": """\
            reports:
              - unit: 堡镇
                submitted: 2025-06-24
                items:
                  - {ref: demo-1.1, status: done, done: 2025-06-20}
            """
    }
    p = plan(tmp_path, schedule=JOINT, progress=progress)
    ev = _one(p, "2025-06-30", "demo-1.1", "区应急局")
    assert (ev.done, ev.done_on, ev.light) == (True, day("2025-06-20"), Light.green)
    assert _rows(p, "2025-06-30") == []


def test_joint_deadline_not_closed_by_a_unit_that_does_not_own_it(tmp_path: Path) -> None:
    progress = {
        "2025-06": """\
            reports:
              - unit: 区团委
                submitted: 2025-06-24
                items:
                  - {ref: demo-1.1, status: done, done: 2025-06-20}
            """
    }
    # check refuses the report (progress-holder); the engine, given it anyway, ignores it.
    result = load_dataset(write(tmp_path, schedule=JOINT, progress=progress))
    assert [p.rule for p in _phrases_aside(result.problems)] == ["progress-holder"]
    assert result.dataset is not None
    p = compile_plan(result.dataset)
    assert _rows(p, "2025-06-30") == [("demo-1.1", "区应急局", "2025-06-30", 0, None, "not_reported")]


def test_alias_in_a_progress_file_closes_the_canonical_units_obligation(tmp_path: Path) -> None:
    schedule = """\
        deadlines:
          - {id: demo-4.1, measure: demo-4, due: 2025-06-30, phrase: 2025年6月底前, what: 示范岗, each: true}
        """
    progress = {
        "2025-06": """\
            reports:
              - unit: 团区委
                submitted: 2025-06-25
                items:
                  - {ref: demo-4.1, status: done, done: 2025-06-01}
            """
    }
    p = plan(tmp_path, schedule=schedule, progress=progress)
    ev = _one(p, "2025-06-30", "demo-4.1", "区团委")
    assert (ev.done, ev.done_on) == (True, day("2025-06-01"))
    # 区应急局 (the other `each` owner) still owes it: overdue by 0 days on the due day.
    assert _rows(p, "2025-06-30") == [("demo-4.1", "区应急局", "2025-06-30", 0, None, "not_reported")]
    assert p.reports[("2025-06", "区团委")] == day("2025-06-25")


def test_not_applicable_exempts_a_unit(tmp_path: Path) -> None:
    progress = {
        "2025-03": """\
            reports:
              - unit: 堡镇
                submitted: 2025-03-10
                items:
                  - {ref: demo-3.1, status: not_applicable, note: 无此类场所}
            """
    }
    p = plan(tmp_path, schedule=EACH_TOWN, progress=progress)
    s = snapshot(p, day("2025-04-30"))
    assert _rows(p, "2025-04-30") == [("demo-3.1", "城桥镇", "2025-03-31", 30, None, "not_reported")]
    exempt = _one(p, "2025-04-30", "demo-3.1", "堡镇")
    assert (exempt.not_applicable, exempt.done, exempt.light, exempt.status) == (
        True,
        False,
        Light.green,
        "not_applicable",
    )
    assert s.lights() == {Light.red: 1, Light.yellow: 0, Light.green: 0}  # the exempt one is not counted
    assert "堡镇" not in s.by_unit() or s.by_unit()["堡镇"].due == []
    assert s.falling_due(day("2025-03-01"), day("2025-03-31")) == [
        _one(p, "2025-04-30", "demo-3.1", "城桥镇")
    ]


# --- recurring duties: which occurrences exist ----------------------------------------


def _occurrences(tmp_path: Path, duty: str, period: tuple[str, str] = ("2024-01-01", "2026-12-31")):
    ds = dataset(tmp_path, schedule="recurring:\n" + duty, period=period)
    (only,) = ds.schedule_file.recurring
    return [(w.label, due.isoformat()) for w, due in occurrence_windows(ds, only)]


def test_monthly_duty_due_on_the_last_day_of_february(tmp_path: Path) -> None:
    duty = """\
  - {id: demo-2.check, measure: demo-2, every: month, phrase: 每月, what: 检查, from: 2024-02-01, until: 2025-03-31}
"""
    p = plan(tmp_path, schedule="recurring:\n" + duty)
    dues = {o.window.label: o.due.isoformat() for o in p.obligations if o.window}
    assert dues["2024-02"] == "2024-02-29"
    assert dues["2025-02"] == "2025-02-28"
    assert len(dues) == 14  # 2024-02 … 2025-03
    ev = _one(p, "2024-02-28", "demo-2.check", "区应急局", "2024-02")
    assert ev.light is Light.yellow  # due tomorrow
    ev = _one(p, "2024-02-29", "demo-2.check", "区应急局", "2024-02")
    assert (ev.light, ev.days_overdue) == (Light.red, 0)
    ev = _one(p, "2024-03-01", "demo-2.check", "区应急局", "2024-02")
    assert ev.days_overdue == 1
    ev = _one(p, "2025-02-28", "demo-2.check", "区应急局", "2025-02")
    assert (ev.light, ev.days_overdue) == (Light.red, 0)


def test_monthly_duty_on_day_25_in_february(tmp_path: Path) -> None:
    duty = """\
  - {id: demo-2.check, measure: demo-2, every: month, day: 25, phrase: 每月25日前, what: 检查, from: 2024-02-01, until: 2025-02-28}
"""
    occ = dict(_occurrences(tmp_path, duty))
    assert occ["2024-02"] == "2024-02-25"
    assert occ["2025-02"] == "2025-02-25"
    assert len(occ) == 13  # 2024-02 … 2025-02


def test_duty_starting_mid_quarter(tmp_path: Path) -> None:
    # from 2025-05-15: Q2 is due 06-30, after from, so Q2 exists (its window still starts 04-01).
    duty = """\
  - {id: demo-2.meeting, measure: demo-2, every: quarter, phrase: 每季度, what: 会议, from: 2025-05-15, until: 2025-12-31}
"""
    assert _occurrences(tmp_path, duty) == [
        ("2025Q2", "2025-06-30"),
        ("2025Q3", "2025-09-30"),
        ("2025Q4", "2025-12-31"),
    ]


def test_until_cuts_occurrences(tmp_path: Path) -> None:
    # until 2025-12-30: Q4 would be due 12-31, one day too late.
    duty = """\
  - {id: demo-2.meeting, measure: demo-2, every: quarter, phrase: 每季度, what: 会议, from: 2025-05-15, until: 2025-12-30}
"""
    assert _occurrences(tmp_path, duty) == [("2025Q2", "2025-06-30"), ("2025Q3", "2025-09-30")]


def test_from_and_until_inside_one_quarter_give_nothing(tmp_path: Path) -> None:
    duty = """\
  - {id: demo-2.meeting, measure: demo-2, every: quarter, phrase: 每季度, what: 会议, from: 2025-07-01, until: 2025-09-29}
"""
    assert _occurrences(tmp_path, duty) == []


def test_monthly_from_after_the_25th_and_until_on_the_25th(tmp_path: Path) -> None:
    # from 05-26: May's 25th is gone, June is first; until 08-25: August is last (inclusive).
    duty = """\
  - {id: demo-2.check, measure: demo-2, every: month, day: 25, phrase: 每月, what: 检查, from: 2025-05-26, until: 2025-08-25}
"""
    assert _occurrences(tmp_path, duty) == [
        ("2025-06", "2025-06-25"),
        ("2025-07", "2025-07-25"),
        ("2025-08", "2025-08-25"),
    ]


SHORT_PERIOD = ("2024-03-15", "2024-08-10")


def test_first_and_last_months_of_the_plan_period(tmp_path: Path) -> None:
    # Period 2024-03-15 … 2024-08-10: March's 25th is inside, August's 25th is not.
    duty = "  - {id: demo-2.check, measure: demo-2, every: month, day: 25, phrase: 每月, what: 检查}\n"
    assert _occurrences(tmp_path, duty, SHORT_PERIOD) == [
        ("2024-03", "2024-03-25"),
        ("2024-04", "2024-04-25"),
        ("2024-05", "2024-05-25"),
        ("2024-06", "2024-06-25"),
        ("2024-07", "2024-07-25"),
    ]


def test_plan_period_cuts_quarters_halves_and_years(tmp_path: Path) -> None:
    duties = """\
  - {id: demo-2.quarter, measure: demo-2, every: quarter, phrase: 每季度, what: 会议}
  - {id: demo-2.half, measure: demo-2, every: half-year, phrase: 每半年, what: 评估}
  - {id: demo-2.year, measure: demo-2, every: year, phrase: 每年, what: 演练}
  - {id: demo-2.month, measure: demo-2, every: month, phrase: 每月, what: 检查}
"""
    ds = dataset(tmp_path, schedule="recurring:\n" + duties, period=SHORT_PERIOD)
    got = {
        d.id: [(w.label, due.isoformat()) for w, due in occurrence_windows(ds, d)]
        for d in ds.recurring.values()
    }
    # 2024-03-31 and 06-30 lie in the period; 09-30 and 12-31 do not.
    assert got["demo-2.quarter"] == [("2024Q1", "2024-03-31"), ("2024Q2", "2024-06-30")]
    assert got["demo-2.half"] == [("2024H1", "2024-06-30")]
    assert got["demo-2.year"] == []
    assert [label for label, _ in got["demo-2.month"]] == [
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
        "2024-07",
    ]
    assert compile_plan(ds).obligations[0].due == day("2024-03-31")


def test_last_occurrences_of_a_three_year_plan(tmp_path: Path) -> None:
    duty = "  - {id: demo-2.check, measure: demo-2, every: month, day: 25, phrase: 每月, what: 检查}\n"
    occ = _occurrences(tmp_path, duty)
    assert len(occ) == 36  # 2024-01 … 2026-12
    assert occ[0] == ("2024-01", "2024-01-25")
    assert occ[-1] == ("2026-12", "2026-12-25")


# --- recurring duties: done dates and windows -----------------------------------------

MEETING_2025 = """\
recurring:
  - {id: demo-2.meeting, measure: demo-2, every: quarter, phrase: 每季度, what: 会议, from: 2025-01-01}
"""


def test_recurring_done_date_inside_and_outside_its_window(tmp_path: Path) -> None:
    # A meeting held 2025-04-05 belongs to Q2, not to the Q1 that ended 03-31.
    progress = {
        "2025-04": """\
            reports:
              - unit: 区应急局
                submitted: 2025-04-10
                items:
                  - {ref: demo-2.meeting, status: done, done: 2025-04-05}
            """
    }
    p = plan(tmp_path, schedule=MEETING_2025, progress=progress)
    q1 = _one(p, "2025-04-30", "demo-2.meeting", "区应急局", "2025Q1")
    q2 = _one(p, "2025-04-30", "demo-2.meeting", "区应急局", "2025Q2")
    assert (q1.done, q1.light, q1.days_overdue) == (False, Light.red, 30)  # 04-30 − 03-31
    assert (q2.done, q2.done_on, q2.light) == (True, day("2025-04-05"), Light.green)
    # The Q2 report says nothing about Q1: Q1's row must not claim "done".
    assert _rows(p, "2025-04-30") == [("demo-2.meeting", "区应急局", "2025-03-31", 30, 1, "not_reported")]


def test_recurring_done_on_the_windows_last_day_reported_next_day(tmp_path: Path) -> None:
    progress = {
        "2025-04": """\
            reports:
              - unit: 区应急局
                submitted: 2025-04-01
                items:
                  - {ref: demo-2.meeting, status: done, done: 2025-03-31}
            """
    }
    p = plan(tmp_path, schedule=MEETING_2025, progress=progress)
    # As of 03-31 the report is not in: Q1 is overdue by 0 days.
    assert _rows(p, "2025-03-31") == [("demo-2.meeting", "区应急局", "2025-03-31", 0, 1, "not_reported")]
    # As of 04-01 it is, and 03-31 lies in Q1: done; Q2 (due 06-30) is 90 days ahead, green.
    q1 = _one(p, "2025-04-01", "demo-2.meeting", "区应急局", "2025Q1")
    assert (q1.done, q1.done_on) == (True, day("2025-03-31"))
    assert _one(p, "2025-04-01", "demo-2.meeting", "区应急局", "2025Q2").done is False
    assert _rows(p, "2025-04-01") == []


def test_recurring_overdue_row_is_the_latest_miss_with_a_count(tmp_path: Path) -> None:
    # Quarters of 2025 for 区应急局; Q2 was held (05-20); as of 2026-01-15:
    # Q1, Q3, Q4 missed → one row: Q4 (due 2025-12-31), 15 days, missed 3.
    progress = {
        "2025-05": """\
            reports:
              - unit: 区应急局
                submitted: 2025-05-25
                items:
                  - {ref: demo-2.meeting, status: done, done: 2025-05-20}
            """
    }
    p = plan(tmp_path, schedule=MEETING_2025, progress=progress)
    assert _rows(p, "2026-01-15") == [("demo-2.meeting", "区应急局", "2025-12-31", 15, 3, "not_reported")]
    # as of 2025-09-30 (Q3's due day): Q1 and Q3 missed, Q3 by 0 days
    assert _rows(p, "2025-09-30") == [("demo-2.meeting", "区应急局", "2025-09-30", 0, 2, "not_reported")]


def test_recurring_rows_per_unit_for_a_group_duty(tmp_path: Path) -> None:
    schedule = """\
        recurring:
          - {id: demo-3.patrol, measure: demo-3, every: half-year, phrase: 每半年, what: 巡查, from: 2025-01-01}
        """
    progress = {
        "2025-06": """\
            reports:
              - unit: 城桥镇
                submitted: 2025-06-20
                items:
                  - {ref: demo-3.patrol, status: done, done: 2025-06-15}
            """
    }
    p = plan(tmp_path, schedule=schedule, progress=progress)
    # as of 2026-01-31: 城桥镇 missed H2 only; 堡镇 missed H1 and H2. 2026-01-31 − 2025-12-31 = 31.
    assert sorted(_rows(p, "2026-01-31")) == sorted(
        [
            ("demo-3.patrol", "城桥镇", "2025-12-31", 31, 1, "not_reported"),
            ("demo-3.patrol", "堡镇", "2025-12-31", 31, 2, "not_reported"),
        ]
    )


# --- the monthly report (met_by: report, day 25) --------------------------------------

REPORT = """\
recurring:
  - id: demo.report
    plan: demo
    every: month
    day: 25
    phrase: 每月25日前报送
    what: 报送工作开展情况
    owners: [区应急局, 区团委]
    met_by: report
    from: 2025-06-01
    until: 2025-08-31
"""
REPORTS_JUNE = {
    "2025-06": """\
        reports:
          - {unit: 区应急局, submitted: 2025-06-25}
          - {unit: 团区委, submitted: 2025-06-26}
        """
}


def test_monthly_report_on_time_late_and_missing(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=REPORT, progress=REPORTS_JUNE)
    on_time = _one(p, "2025-07-31", "demo.report", "区应急局", "2025-06")
    assert (on_time.done, on_time.status, on_time.light, on_time.submitted) == (
        True,
        "on_time",
        Light.green,
        day("2025-06-25"),
    )
    late = _one(p, "2025-07-31", "demo.report", "区团委", "2025-06")
    # submitted the 26th, a day after the 25th: late and not done, but no longer overdue
    # once it came in (the engine's rule since "late monthly reports are no longer overdue")
    assert (late.done, late.status, late.light, late.days_overdue) == (False, "late", Light.green, 0)
    missing = _one(p, "2025-07-31", "demo.report", "区应急局", "2025-07")
    assert (missing.done, missing.status, missing.days_overdue) == (False, "missing", 6)  # 07-31 − 07-25
    # August is due 08-25, 25 days ahead: not missing yet, a yellow light.
    august = _one(p, "2025-07-31", "demo.report", "区应急局", "2025-08")
    assert (august.status, august.light) == ("not_reported", Light.yellow)
    assert sorted(_rows(p, "2025-07-31")) == sorted(
        [
            ("demo.report", "区应急局", "2025-07-25", 6, 1, "missing"),
            ("demo.report", "区团委", "2025-07-25", 6, 1, "missing"),  # June was late, not missed
        ]
    )
    # the on-time report counts as done for the tallies, the late one does not
    units = snapshot(p, day("2025-07-31")).by_unit()
    assert (len(units["区应急局"].due), len(units["区应急局"].done)) == (2, 1)
    assert (len(units["区团委"].due), len(units["区团委"].done)) == (2, 0)


def test_monthly_report_around_its_due_day(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=REPORT, progress=REPORTS_JUNE)
    before = _one(p, "2025-06-24", "demo.report", "区团委", "2025-06")
    assert (before.status, before.light) == ("not_reported", Light.yellow)
    due_day = _one(p, "2025-06-25", "demo.report", "区团委", "2025-06")
    assert (due_day.status, due_day.light, due_day.days_overdue) == ("missing", Light.red, 0)
    assert _one(p, "2025-06-25", "demo.report", "区应急局", "2025-06").status == "on_time"
    after = _one(p, "2025-06-26", "demo.report", "区团委", "2025-06")
    assert (after.done, after.status, after.light, after.days_overdue, after.submitted) == (
        False,
        "late",
        Light.green,
        0,
        day("2025-06-26"),
    )
    assert _rows(p, "2025-06-26") == []
    # but as of the 25th itself the late report is not in yet: missing, overdue by 0 days
    assert _rows(p, "2025-06-25") == [("demo.report", "区团委", "2025-06-25", 0, 1, "missing")]


# --- adjust across a real holiday -----------------------------------------------------


def test_adjusted_due_days_across_national_day(tmp_path: Path) -> None:
    # Due the 5th of October 2025, inside the 10-01 … 10-08 holiday; the 28th of September 2025
    # is a Sunday made a working day (调休).
    schedule = """\
        recurring:
          - {id: demo-2.back, measure: demo-2, every: month, day: 5, adjust: previous, phrase: 每月5日前, what: 甲, from: 2025-10-01, until: 2025-10-31}
          - {id: demo-2.fwd, measure: demo-2, every: month, day: 5, adjust: next, phrase: 每月5日前, what: 乙, from: 2025-10-01, until: 2025-10-31}
          - {id: demo-2.sun, measure: demo-2, every: month, day: 28, adjust: previous, phrase: 每月28日前, what: 丙, from: 2025-09-01, until: 2025-09-30}
        """
    p = plan(tmp_path, schedule=schedule)
    dues = {o.ref: (o.window.label if o.window else None, o.due.isoformat()) for o in p.obligations}
    assert dues == {
        "demo-2.back": ("2025-10", "2025-09-30"),
        "demo-2.fwd": ("2025-10", "2025-10-09"),
        "demo-2.sun": ("2025-09", "2025-09-28"),
    }
    # as of 10-08 the moved-forward one is due tomorrow (yellow), the moved-back one 8 days late
    assert _one(p, "2025-10-08", "demo-2.fwd", "区应急局").light is Light.yellow
    assert _one(p, "2025-10-08", "demo-2.back", "区应急局").days_overdue == 8


# --- phases ---------------------------------------------------------------------------


def test_phase_and_its_days_at_the_boundaries(tmp_path: Path) -> None:
    p = plan(tmp_path)

    def phase(as_of: str):
        pp = snapshot(p, day(as_of)).phase
        return None if pp is None else (pp.phase.id, pp.index, pp.elapsed_days, pp.total_days)

    # first: 2024-01-01 … 2024-12-31, 366 days (leap year); second: 2025 + 2026 = 730 days
    assert phase("2023-12-31") is None
    assert phase("2024-01-01") == ("first", 1, 1, 366)
    assert phase("2024-02-29") == ("first", 1, 60, 366)  # 31 + 29
    assert phase("2024-12-31") == ("first", 1, 366, 366)
    assert phase("2025-01-01") == ("second", 2, 1, 730)
    assert phase("2025-12-31") == ("second", 2, 365, 730)
    assert phase("2026-12-31") == ("second", 2, 730, 730)
    assert phase("2027-01-01") is None
    assert snapshot(p, day("2025-12-31")).phase.fraction == 0.5


# --- tallies --------------------------------------------------------------------------

TALLY_SCHEDULE = """\
deadlines:
  - {id: demo-2.1, measure: demo-2, due: 2025-03-31, phrase: 2025年一季度, what: 甲}
  - {id: demo-1.1, measure: demo-1, due: 2025-06-30, phrase: 2025年6月底前, what: 乙}
  - {id: demo-3.1, measure: demo-3, due: 2025-05-31, phrase: 2025年5月底前, what: 丙, each: true}
  - {id: demo-3.2, measure: demo-3, due: 2025-07-20, phrase: 2025年7月20日前, what: 丁, each: true}
  - {id: demo.1, plan: demo, due: 2026-12-31, phrase: 3年内, what: 戊, owners: [区团委]}
"""
TALLY_PROGRESS = {
    "2025-03": """\
        reports:
          - unit: 区应急局
            submitted: 2025-03-25
            items:
              - {ref: demo-2.1, status: done, done: 2025-03-20}
        """,
    "2025-05": """\
        reports:
          - unit: 城桥镇
            submitted: 2025-05-25
            items:
              - {ref: demo-3.1, status: done, done: 2025-05-20}
        """,
    "2025-06": """\
        reports:
          - unit: 区应急局
            submitted: 2025-06-20
            items:
              - {ref: demo-1.1, status: in_progress, note: 正在推进}
        """,
}


def _counts(tally) -> tuple[int, int, int, int, int, float | None, Light]:
    return (
        len(tally.due),
        len(tally.done),
        len(tally.in_progress),
        len(tally.overdue),
        len(tally.soon),
        tally.done_share,
        tally.light,
    )


def test_by_section_by_unit_and_lights(tmp_path: Path) -> None:
    # As of 2025-06-30:
    #   demo-2.1  §1 区应急局  due 03-31  done 03-20            green
    #   demo-1.1  §1 区应急局  due 06-30  in progress           red, 0 days
    #   demo-3.1  §2 城桥镇    due 05-31  done 05-20            green
    #   demo-3.1  §2 堡镇      due 05-31  nothing               red, 30 days
    #   demo-3.2  §2 城桥镇/堡镇 due 07-20 (20 days ahead)      yellow ×2
    #   demo.1    plan-level 区团委 due 2026-12-31             green
    p = plan(tmp_path, schedule=TALLY_SCHEDULE, progress=TALLY_PROGRESS)
    s = snapshot(p, day("2025-06-30"))
    # (due, done, in_progress, overdue, soon, done_share, light)
    sections = {key: _counts(t) for key, t in s.by_section().items()}
    assert sections == {
        ("demo", 1): (2, 1, 1, 1, 0, 0.5, Light.red),
        ("demo", 2): (2, 1, 0, 1, 2, 0.5, Light.red),
        ("demo", None): (0, 0, 0, 0, 0, None, Light.green),
    }
    units = {key: _counts(t) for key, t in s.by_unit().items()}
    assert units == {
        "区应急局": (2, 1, 1, 1, 0, 0.5, Light.red),
        "城桥镇": (1, 1, 0, 0, 1, 1.0, Light.yellow),
        "堡镇": (1, 0, 0, 1, 1, 0.0, Light.red),
        "区团委": (0, 0, 0, 0, 0, None, Light.green),
    }
    assert s.lights() == {Light.red: 2, Light.yellow: 2, Light.green: 3}
    assert sorted(_rows(p, "2025-06-30")) == sorted(
        [
            ("demo-1.1", "区应急局", "2025-06-30", 0, None, "in_progress"),
            ("demo-3.1", "堡镇", "2025-05-31", 30, None, "not_reported"),
        ]
    )
    assert _one(p, "2025-06-30", "demo-1.1", "区应急局").note == "正在推进"
    soon = s.falling_due(day("2025-07-01"), day("2025-07-31"))
    assert sorted(ev.obligation.unit for ev in soon) == sorted(["城桥镇", "堡镇"])
    assert [
        ev.obligation.unit for ev in s.falling_due(day("2025-07-01"), day("2025-07-31"), unit="堡镇")
    ] == ["堡镇"]
    # a plan filter that matches nothing
    assert s.overdue(plan="other") == []


def test_a_done_report_about_another_occurrence_does_not_make_this_one_done(tmp_path: Path) -> None:
    # Q1's meeting (03-31) reported in Q2 (04-01). As of 06-30 Q2 is due and not done: its
    # overdue row must not show the Q1 report's status "done".
    progress = {
        "2025-04": """\
            reports:
              - unit: 区应急局
                submitted: 2025-04-01
                items:
                  - {ref: demo-2.meeting, status: done, done: 2025-03-31, note: 一季度会议已召开}
            """
    }
    p = plan(tmp_path, schedule=MEETING_2025, progress=progress)
    q2 = _one(p, "2025-06-30", "demo-2.meeting", "区应急局", "2025Q2")
    assert (q2.done, q2.light, q2.days_overdue, q2.status, q2.note) == (
        False,
        Light.red,
        0,
        "not_reported",
        None,
    )
    assert _rows(p, "2025-06-30") == [("demo-2.meeting", "区应急局", "2025-06-30", 0, 1, "not_reported")]


def test_overdue_is_the_same_whether_or_not_every_evaluation_was_made(tmp_path: Path) -> None:
    p = plan(tmp_path, schedule=TALLY_SCHEDULE, progress=TALLY_PROGRESS)
    s = snapshot(p, day("2025-06-30"))
    lazy = s.overdue()  # evaluates only what is due by 06-30
    assert len(s.evaluations) == 7  # now every obligation is evaluated and cached
    assert s.overdue() == lazy
    assert s.overdue(unit="各乡镇") == [r for r in lazy if r.obligation.unit in {"城桥镇", "堡镇"}]


def test_a_done_date_before_a_mid_quarter_from_does_not_count(tmp_path: Path) -> None:
    # from 2025-05-15: the Q2 occurrence's window runs 05-15 … 06-30, so a meeting held on
    # 04-20 (before the duty existed) does not meet it; one on 05-20 does.
    duty = """\
recurring:
  - {id: demo-2.meeting, measure: demo-2, every: quarter, phrase: 每季度, what: 会议, from: 2025-05-15, until: 2025-12-31}
"""

    def q2(done: str) -> bool:
        progress = {
            "2025-06": f"""\
reports:
  - unit: 区应急局
    submitted: 2025-06-20
    items:
      - {{ref: demo-2.meeting, status: done, done: {done}}}
"""
        }
        root = tmp_path / done
        s = snap(root, "2025-06-30", schedule=duty, progress=progress)
        (ev,) = [e for e in s.evaluations if e.obligation.window and e.obligation.window.label == "2025Q2"]
        assert ev.obligation.window.start == day("2025-05-15")
        return ev.done

    assert q2("2025-04-20") is False
    assert q2("2025-05-20") is True


def test_a_due_day_moved_out_of_its_window_stretches_the_window(tmp_path: Path) -> None:
    # Day 5 of 2025-10 falls in the National Day holiday (10-01 … 10-08); moved back, it is
    # due 09-30, before October starts. A done date of 09-29 must still meet October's duty.
    duty = """\
recurring:
  - {id: demo-2.check, measure: demo-2, every: month, day: 5, adjust: previous, phrase: 每月5日前, what: 检查, from: 2025-10-01, until: 2025-10-31}
"""
    progress = {
        "2025-09": """\
reports:
  - unit: 区应急局
    submitted: 2025-09-30
    items:
      - {ref: demo-2.check, status: done, done: 2025-09-29}
"""
    }
    s = snap(tmp_path, "2025-10-31", schedule=duty, progress=progress)
    (ev,) = s.evaluations
    assert ev.obligation.due == day("2025-09-30")
    assert ev.obligation.window.start == day("2025-09-30")
    assert ev.done is False  # 09-29 is before even the moved due day's window start
    progress["2025-09"] = progress["2025-09"].replace("done: 2025-09-29}", "done: 2025-09-30}")
    s = snap(tmp_path / "again", "2025-10-31", schedule=duty, progress=progress)
    assert s.evaluations[0].done is True


def test_a_joint_duty_met_by_the_report_is_refused(tmp_path: Path) -> None:
    duty = """\
recurring:
  - {id: demo.report, plan: demo, every: month, day: 25, phrase: 每月25日前, what: 报送, owners: [各乡镇], met_by: report, each: false}
"""
    result = load_dataset(write(tmp_path, schedule=duty))
    assert [p.message for p in _phrases_aside(result.problems)] == [
        "a duty met by the monthly report binds every owner: remove 'each: false'"
    ]


def test_report_compliance_counts_on_time_late_and_missing(tmp_path: Path) -> None:
    # 区应急局 owes a report by the 25th of April, May and June 2025: April's came on the 24th
    # (on time), May's on the 27th (late), June's never. As of 06-30: 3 due, 1 on time, 1 late.
    duty = """\
recurring:
  - {id: demo.report, plan: demo, every: month, day: 25, phrase: 每月25日前, what: 报送, owners: [区应急局], met_by: report, from: 2025-04-01, until: 2025-06-30}
"""
    progress = {
        "2025-04": "reports:\n  - {unit: 区应急局, submitted: 2025-04-24}\n",
        "2025-05": "reports:\n  - {unit: 区应急局, submitted: 2025-05-27}\n",
    }
    s = snap(tmp_path, "2025-06-30", schedule=duty, progress=progress)
    compliance = s.report_compliance()["区应急局"]
    assert (compliance.due, compliance.on_time, compliance.late) == (3, 1, 1)
    assert compliance.on_time_rate == 1 / 3


def _phrases_aside(problems: list) -> list:
    """A tiny test plan need not encode every time phrase of its texts (rule phrase-coverage)."""
    return [p for p in problems if p.rule != "phrase-coverage"]
