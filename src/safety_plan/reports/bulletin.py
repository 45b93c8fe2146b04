"""The monthly bulletin's context: every number the 月度通报 prints, from the as-of engine.

Pure: a ``Dataset``, its ``CompiledPlan`` and a month in; plain dicts and lists out, so that
any Jinja template (the shipped one or a user's, in the sandbox) can render it. Every count
comes with the obligations behind it (``ids``) for the appendix, and every list is sorted,
so the same data and month always give the same bulletin.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from safety_plan.dataset import Dataset
from safety_plan.engine.asof import (
    LATE,
    MISSING,
    ON_TIME,
    Evaluation,
    Snapshot,
    Tally,
    snapshot,
)
from safety_plan.engine.calendar import month_end, window_of
from safety_plan.engine.types import CompiledPlan, Kind
from safety_plan.output.words import EVERY_ZH
from safety_plan.problems import UsageError
from safety_plan.reports.supervision import bulletin_supervision
from safety_plan.vocabulary import Every


def obligation_id(ev: Evaluation) -> str:
    """How the appendix names one obligation: ref, holder and, for a duty, the window."""
    ob = ev.obligation
    window = f"[{ob.window.label}]" if ob.window is not None else ""
    return f"{ob.ref}{window}@{ob.unit}"


def _ids(evaluations: list[Evaluation]) -> list[str]:
    return sorted(obligation_id(ev) for ev in evaluations)


def first_month(dataset: Dataset) -> dt.date:
    """The first day of the month the reported plan began: its bulletin is 第1期."""
    start = dataset.main_plan.period.start
    return start.replace(day=1)


def issue_number(dataset: Dataset, month: dt.date) -> int:
    """第N期: months since the first plan's first month, counting that month as 1."""
    start = first_month(dataset)
    return (month.year - start.year) * 12 + month.month - start.month + 1


def require_started(dataset: Dataset, month: str) -> None:
    """A bulletin for a month before the plan began would be 第0期 of nothing: refuse it."""
    year, mon = map(int, month.split("-"))
    start = first_month(dataset)
    if (year, mon) < (start.year, start.month):
        first = f"{start.year}-{start.month:02d}"
        raise UsageError(
            f"--month '{month}': the plan began in {first}; the first bulletin (第1期) is --month {first}"
        )


def build_context(
    dataset: Dataset,
    plan: CompiledPlan,
    month: str,
    warn_days: int | None = None,
    data_shown: str = "data",
) -> dict[str, Any]:
    """Every number of the month's bulletin. ``data_shown`` names the data directory as the
    user gave it, for the footer. Counts come in two units, named wherever they are printed:
    次 (one obligation: a deadline, or one occurrence of a duty, for one unit) and 项 (a row of
    the overdue list, where a duty a unit keeps missing is one row with its missed count)."""
    require_started(dataset, month)
    year, mon = map(int, month.split("-"))
    as_of = month_end(year, mon)
    previous = dt.date(year, mon, 1) - dt.timedelta(days=1)
    snap = snapshot(plan, as_of, warn_days)
    before = snapshot(plan, previous, warn_days)
    main = dataset.main_plan
    return {
        "title": f"{main.short}月度通报",
        "plan": {"id": main.id, "title": main.title, "short": main.short, "issuer": main.issuer},
        "issue": issue_number(dataset, as_of),
        "month": month,
        "month_zh": f"{year}年{mon}月",
        "as_of": as_of.isoformat(),
        "phase": phase_info(snap),
        "sections": _sections(snap),
        "goals": _goals(dataset, snap),
        "lights": {light.value: n for light, n in snap.lights().items()},
        "overdue": _overdue_by_lead(snap),
        "overdue_total": len(snap.overdue()),
        "overdue_occurrences": sum(row.missed or 1 for row in snap.overdue()),
        "due_soon": _due_soon(snap, as_of),
        "reporting": _reporting(snap, month),
        "duties": _duty_compliance(dataset, snap),
        "ranking": _ranking(snap),
        "changes": _changes(snap, before),
        "next": _next_period(snap, as_of),
        "warn_days": snap.warn_days,
        "source": source_info(dataset, data_shown, month),
        "supervision": bulletin_supervision(plan, (year, mon)),
    }


def source_info(dataset: Dataset, data_shown: str, month: str) -> dict[str, Any]:
    """What the bulletin was made from, for its footer: the directory and the report months."""
    months = sorted(f.month for f in dataset.progress_files.values() if f.month <= month)
    return {
        "data": data_shown,
        "reports_from": months[0] if months else None,
        "reports_until": months[-1] if months else None,
        "report_months": len(months),
    }


def phase_info(snap: Snapshot) -> dict[str, Any] | None:
    phase = snap.phase
    if phase is None:
        return None
    return {
        "name": phase.phase.name,
        "index": phase.index,
        "of": len(snap.plan.phases),
        "start": phase.phase.start.isoformat(),
        "end": phase.phase.end.isoformat(),
        "elapsed_days": phase.elapsed_days,
        "total_days": phase.total_days,
        "percent": round(phase.fraction * 100),
    }


def _tally_dict(tally: Tally) -> dict[str, Any]:
    done = [e for e in tally.due if e.done]
    return {
        "due": len(tally.due),
        "nothing_due": not tally.due and not tally.overdue and not tally.soon,
        "done": len(done),
        "in_progress": len(tally.in_progress),
        "overdue": len(tally.overdue),
        "soon": len(tally.soon),
        "light": tally.light.value,
        "ids": {
            "due": _ids(tally.due),
            "done": _ids(done),
            "in_progress": _ids(tally.in_progress),
            "overdue": _ids(tally.overdue),
        },
    }


def _sections(snap: Snapshot) -> list[dict[str, Any]]:
    plan = snap.plan
    tallies = snap.by_section()
    rows = []
    for key in plan.section_keys():
        plan_id = key[0]
        tally = tallies.get(key)
        if key[1] is None and tally is None:
            continue
        title = plan.section_title(*key)
        rows.append(
            {
                "key": f"{plan_id}-s{key[1]}" if key[1] is not None else f"{plan_id}-plan",
                "plan": plan_id,
                "plan_short": plan.plans[plan_id],
                "section": key[1],
                "title": title,
                **_tally_dict(tally or Tally(snap.as_of)),
            }
        )
    return rows


def _goals(dataset: Dataset, snap: Snapshot) -> list[dict[str, Any]]:
    """The plan-level goals, with the state of the deadline that dates each, where one does."""
    by_ref: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in snap.evaluations:
        if ev.obligation.measure is None:
            by_ref[ev.obligation.ref].append(ev)
    goals = []
    for plan in dataset.plans.values():
        for goal in plan.goals:
            dated = [
                d
                for d in dataset.schedule_file.deadlines
                if d.measure is None and d.plan == plan.id and _mentions(d.what, goal.text)
            ]
            states = [ev for d in dated for ev in by_ref.get(d.id, [])]
            goals.append(
                {
                    "id": goal.id,
                    "text": goal.text,
                    "due": dated[0].due.isoformat() if dated else None,
                    "light": _worst(states),
                    "done": bool(states) and all(ev.done for ev in states),
                }
            )
    return goals


def _mentions(what: str, goal: str) -> bool:
    core = goal[:12]
    return core in what or what[:12] in goal


def _worst(evaluations: list[Evaluation]) -> str | None:
    if not evaluations:
        return None
    order = {"red": 0, "yellow": 1, "green": 2}
    return min((ev.light.value for ev in evaluations), key=order.__getitem__)


def _row(ev: Evaluation, missed: int | None = None) -> dict[str, Any]:
    ob = ev.obligation
    return {
        "id": obligation_id(ev),
        "ref": ob.ref,
        "kind": ob.kind.value,
        "measure": ob.measure,
        "what": ob.what,
        "phrase": ob.phrase,
        "due": ob.due.isoformat(),
        "unit": ob.unit,
        "days_overdue": ev.days_overdue,
        "status": ev.status,
        "note": ev.note,
        "light": ev.light.value,
        "missed": missed,
    }


def _overdue_by_lead(snap: Snapshot) -> list[dict[str, Any]]:
    """Overdue rows grouped by the unit that holds them, most overdue units first."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in snap.overdue():
        groups[row.obligation.unit].append(_row(row.evaluation, row.missed))
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [
        {
            "unit": unit,
            "rows": rows,
            "occurrences": sum(r["missed"] or 1 for r in rows),
            "days_overdue": sum(r["days_overdue"] for r in rows),
            "longest": max(r["days_overdue"] for r in rows),
        }
        for unit, rows in ordered
    ]


def _due_soon(snap: Snapshot, as_of: dt.date) -> dict[str, Any]:
    """This month's items (done or not) and next month's open ones."""
    this_start = as_of.replace(day=1)
    next_end = month_end(*(_add_month(as_of.year, as_of.month)))
    this_month = [ev for ev in snap.evaluations if this_start <= ev.obligation.due <= as_of]
    next_month = snap.falling_due(as_of + dt.timedelta(days=1), next_end)
    return {
        "this_month": _collapse(this_month),
        "next_month": _collapse(next_month),
        "next_month_label": f"{_add_month(as_of.year, as_of.month)[0]}年{_add_month(as_of.year, as_of.month)[1]}月",
    }


def _add_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _collapse(evaluations: list[Evaluation]) -> list[dict[str, Any]]:
    """One line per item and due day, with how many of its units are done / open."""
    grouped: dict[tuple[dt.date, str], list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        grouped[(ev.obligation.due, ev.obligation.ref)].append(ev)
    lines = []
    for (due, ref), evs in sorted(grouped.items()):
        done = [e for e in evs if e.closed]
        open_ = sorted(e.obligation.unit for e in evs if not e.closed)
        lines.append(
            {
                "ref": ref,
                "what": evs[0].obligation.what,
                "due": due.isoformat(),
                "units": len(evs),
                "done": len(done),
                "open_units": open_,
                "light": _worst(evs),
                "ids": _ids(evs),
            }
        )
    return lines


def _reporting(snap: Snapshot, month: str) -> dict[str, Any]:
    """Who sent this month's report on time, late (with the day) or not at all (晾晒)."""
    reports = [
        ev
        for ev in snap.evaluations
        if ev.obligation.met_by_report
        and ev.obligation.window is not None
        and ev.obligation.window.label == month
    ]
    on_time = sorted((ev.obligation.unit, ev.submitted) for ev in reports if ev.status == ON_TIME)
    late = sorted((ev.obligation.unit, ev.submitted) for ev in reports if ev.status == LATE)
    missing = sorted(ev.obligation.unit for ev in reports if ev.status == MISSING)
    due = reports[0].obligation.due.isoformat() if reports else None
    return {
        "due": due,
        "expected": len(reports),
        "on_time": [{"unit": u, "submitted": d.isoformat() if d else None} for u, d in on_time],
        "late": [{"unit": u, "submitted": d.isoformat() if d else None} for u, d in late],
        "missing": missing,
        "rate": round(len(on_time) / len(reports) * 100) if reports else None,
    }


def _duty_compliance(dataset: Dataset, snap: Snapshot) -> list[dict[str, Any]]:
    """Each recurring duty's latest occurrence due by the as-of day: held or not, by unit."""
    latest: dict[str, dict[str, Evaluation]] = defaultdict(dict)
    for ev in snap.evaluations:
        ob = ev.obligation
        if ob.kind is not Kind.recurring or ob.met_by_report or ob.due > snap.as_of:
            continue
        current = latest[ob.ref].get(ob.unit)
        if current is None or current.obligation.due < ob.due:
            latest[ob.ref][ob.unit] = ev
    rows = []
    for ref in sorted(latest):
        evs = list(latest[ref].values())
        duty = dataset.recurring[ref]
        window = evs[0].obligation.window
        done = sorted(e.obligation.unit for e in evs if e.done)
        missed = sorted(e.obligation.unit for e in evs if not e.done and not e.not_applicable)
        rows.append(
            {
                "ref": ref,
                "what": duty.what,
                "every": EVERY_ZH[duty.every.value],
                "window": window.label if window else "",
                "due": evs[0].obligation.due.isoformat(),
                "units": len(evs),
                "done": done,
                "missed": missed,
                "ids": _ids(evs),
            }
        )
    return rows


def _ranking(snap: Snapshot) -> list[dict[str, Any]]:
    """Units by share of their due obligations done, then fewer days overdue; units equal on
    both share one rank (并列, numbered 1, 1, 3), listed by name."""
    rows: list[dict[str, Any]] = []
    reports = snap.report_compliance()
    for unit, tally in snap.by_unit().items():
        if not tally.due:
            continue
        done = [e for e in tally.due if e.done]
        days = sum(e.days_overdue for e in tally.overdue)
        rows.append(
            {
                "unit": unit,
                "due": len(tally.due),
                "done": len(done),
                "overdue": len(tally.overdue),
                "days_overdue": days,
                "percent": round(len(done) / len(tally.due) * 100, 1),
                "share": len(done) / len(tally.due),
                "reports_on_time": None
                if unit not in reports or reports[unit].on_time_rate is None
                else round(reports[unit].on_time / reports[unit].due * 100),
            }
        )
    rows.sort(key=lambda r: (-r["share"], r["days_overdue"], r["unit"]))
    first: dict[tuple[float, int], int] = {}
    for position, row in enumerate(rows, start=1):
        row["rank"] = first.setdefault((row["share"], row["days_overdue"]), position)
    sharing = Counter(row["rank"] for row in rows)
    for row in rows:
        row["tied"] = sharing[row["rank"]] > 1
        del row["share"]
    return rows


def _changes(snap: Snapshot, before: Snapshot) -> dict[str, Any]:
    """Newly overdue and newly closed since the previous month's end."""
    was_overdue = {obligation_id(ev) for ev in before.evaluations if ev.overdue}
    was_closed = {obligation_id(ev) for ev in before.evaluations if ev.done}
    newly_overdue = [ev for ev in snap.evaluations if ev.overdue and obligation_id(ev) not in was_overdue]
    newly_closed = [ev for ev in snap.evaluations if ev.done and obligation_id(ev) not in was_closed]
    return {
        "newly_overdue": _collapse(newly_overdue),
        "newly_closed": _collapse(newly_closed),
        "newly_overdue_count": len(newly_overdue),
        "newly_closed_count": len(newly_closed),
    }


def _next_period(snap: Snapshot, as_of: dt.date) -> dict[str, Any]:
    """What falls due in the next quarter, and the next phase if it starts within it."""
    quarter = window_of(Every.quarter, as_of + dt.timedelta(days=1))
    if quarter.start <= as_of:  # still inside this quarter: look to its end and the next one
        quarter = window_of(Every.quarter, quarter.end + dt.timedelta(days=1))
    start = as_of + dt.timedelta(days=1)
    items = snap.falling_due(start, quarter.end)
    upcoming_phase = next((p for p in snap.plan.phases if start <= p.start <= quarter.end), None)
    return {
        "until": quarter.end.isoformat(),
        "label": f"{quarter.start.year}年第{(quarter.start.month - 1) // 3 + 1}季度",
        "deadlines": _collapse([ev for ev in items if ev.obligation.kind is Kind.deadline]),
        "duties": _collapse([ev for ev in items if ev.obligation.kind is Kind.recurring]),
        "phase": None
        if upcoming_phase is None
        else {"name": upcoming_phase.name, "start": upcoming_phase.start.isoformat()},
    }
