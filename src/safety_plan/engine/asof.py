"""The as-of engine: the state of every obligation on a given day, from the progress files.

Every command and the bulletin read the plan through ``snapshot()``, so "overdue" means the
same everywhere. The rules (DESIGN.md, "What the words mean"):

* only reports submitted on or before the as-of day count;
* a deadline is done once a counted report by a unit that can close it marks it ``done``
  with a ``done`` date on or before the as-of day;
* a recurring occurrence is done when such a ``done`` date falls inside its window;
* the monthly report occurrence is done when that month's report was submitted by its due
  day (on time); submitted after it is *late* (not done, but no longer overdue once it came
  in), not at all is *missing* (overdue);
* a unit that reports ``not_applicable`` for an item is not held to it;
* red (红灯) = not done and due on or before the as-of day; yellow (黄灯) = not done and
  due within the warning window; green (绿灯) = done, not applicable, or not yet near;
* a moved deadline is due on the day in force as of the as-of day (the latest change
  approved on or before it), and a recurring occurrence turns red only ``grace_days`` after
  its due day when ``rules.yaml`` grants a grace (days overdue then count from its end).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import compress, count
from operator import attrgetter

from safety_plan.engine.types import CompiledPlan, Kind, Obligation, PhaseSpan, Reported
from safety_plan.vocabulary import Status

DEFAULT_WARN_DAYS = 30
NOT_REPORTED = "not_reported"
ON_TIME, LATE, MISSING = "on_time", "late", "missing"


class Light(StrEnum):
    red = "red"
    yellow = "yellow"
    green = "green"


# The enum members the evaluation reads, once: on Python 3.11 ``Status.done`` is a descriptor
# call (some 180 ns, a dozen times a plain name's), and a query reads these for every report
# about every obligation still open.
_DONE, _NOT_APPLICABLE, _DONE_VALUE = Status.done, Status.not_applicable, Status.done.value
_RED, _YELLOW, _GREEN = Light.red, Light.yellow, Light.green
_RECURRING, _DEADLINE = Kind.recurring, Kind.deadline


@dataclass(slots=True)
class Evaluation:
    """One obligation's state as of a day. Not frozen, though nothing changes one
    (``dataclasses.replace`` makes another): a frozen dataclass sets each field through
    ``object.__setattr__``, six times the cost, and a query makes one per obligation still
    open."""

    obligation: Obligation
    done: bool
    done_on: dt.date | None
    status: str
    """The latest reported status (``Status`` values), ``not_reported``; for the monthly
    report: ``on_time``, ``late`` or ``missing``."""
    note: str | None
    light: Light
    days_overdue: int
    not_applicable: bool = False
    submitted: dt.date | None = None
    """For the monthly report: the day it came in."""

    @property
    def closed(self) -> bool:
        """Nothing more is owed: done, not applicable, or a monthly report that came in late."""
        return self.done or self.not_applicable or self.status == LATE

    @property
    def overdue(self) -> bool:
        return self.light is _RED


def _counted(plan: CompiledPlan, ref: str, units: Iterable[str], as_of: dt.date) -> list[Reported]:
    """What the given units reported about ``ref`` by the as-of day, oldest first."""
    index = plan.reported_by
    found: list[Reported] = []
    for unit in units:
        found.extend(r for r in index.get((ref, unit), ()) if r.submitted <= as_of)
    found.sort(key=lambda r: (r.submitted, r.unit))  # closers is a set: fix the order of ties
    return found


def evaluate(
    obligation: Obligation,
    plan: CompiledPlan,
    as_of: dt.date,
    warn_days: int = DEFAULT_WARN_DAYS,
    grace_days: int = 0,
) -> Evaluation:
    """The state of one obligation as of ``as_of`` (its ``due`` being the day in force)."""
    if obligation.met_by_report:
        return _evaluate_report(obligation, plan, as_of, warn_days)
    reported = _counted(plan, obligation.ref, obligation.closers, as_of)
    window = obligation.window
    closing = [
        r
        for r in reported
        if r.status is _DONE
        and r.done is not None
        and r.done <= as_of
        and (window is None or r.done in window)
    ]
    done_dates = [r.done for r in closing if r.done is not None]
    # An occurrence's status is what the unit said during its window, not about later ones.
    # A ``done`` whose date does not close this obligation is about another occurrence (Q1's
    # meeting reported in April) or a day still to come: it says nothing here, else an
    # overdue row would show status "done".
    relevant = [
        r
        for r in reported
        if (window is None or window.start <= r.submitted <= window.end)
        and (r.status is not _DONE or r in closing)
    ]
    latest = relevant[-1] if relevant else None
    not_applicable = latest is not None and latest.status is _NOT_APPLICABLE
    done = bool(done_dates)
    status = _DONE_VALUE if done else latest.status.value if latest else NOT_REPORTED
    note = next((r.note for r in reversed(relevant if window is not None else reported) if r.note), None)
    grace = grace_days if obligation.kind is _RECURRING else 0
    light, days = _light(obligation.due, done or not_applicable, as_of, warn_days, grace)
    return Evaluation(
        obligation, done, min(done_dates) if done else None, status, note, light, days, not_applicable
    )


def closing_days(plan: CompiledPlan) -> list[dt.date | None]:
    """For each of the plan's obligations, the first as-of day from which ``evaluate`` finds
    it closed for good, or None. Reports only accumulate as the day moves on, so from that
    day on it is done (a closer's ``done`` report counted, its date inside the window) or,
    for the monthly report, in (on time or late): green on every later day, whatever else
    is reported. Not applicable is left out: a later report can take it back."""
    done_by = done_reports(plan.reported_by)
    return [closing_day(o, done_by, plan.reports) for o in plan.obligations]


DoneBy = dict[tuple[str, str], list[tuple[dt.date, dt.date]]]
"""(ref, unit) → (done date, the day from which that report counts) of its ``done`` reports."""


def done_reports(
    reported_by: Mapping[tuple[str, str], Iterable[Reported]], pairs: Iterable[tuple[str, str]] | None = None
) -> DoneBy:
    """The ``done`` reports of ``reported_by`` (``CompiledPlan.reported_by``), of every
    (ref, unit) or of those in ``pairs``, as ``closing_day`` looks them up."""
    done_by: DoneBy = {}
    for pair in reported_by if pairs is None else pairs:
        found = [
            (r.done, max(r.done, r.submitted))  # counted once both days have passed
            for r in reported_by.get(pair, ())
            if r.status is _DONE and r.done is not None
        ]
        if found:
            done_by[pair] = found
    return done_by


def closing_day(o: Obligation, done_by: DoneBy, reports: Mapping[tuple[str, str], dt.date]) -> dt.date | None:
    """One obligation's day of ``closing_days``, from its refs' ``done_reports``."""
    window = o.window
    if o.met_by_report:
        assert window is not None
        return reports.get((window.label, o.unit))
    first: dt.date | None = None
    for unit in o.closers:
        for done, day in done_by.get((o.ref, unit), ()):
            if (window is None or window.start <= done <= window.end) and (first is None or day < first):
                first = day
    return first


def _evaluate_report(
    obligation: Obligation, plan: CompiledPlan, as_of: dt.date, warn_days: int
) -> Evaluation:
    assert obligation.window is not None
    submitted = plan.reports.get((obligation.window.label, obligation.unit))
    if submitted is not None and submitted > as_of:
        submitted = None
    status = MISSING if submitted is None else ON_TIME if submitted <= obligation.due else LATE
    done = status == ON_TIME
    # A late report is not done (it counts against the unit's on-time rate) but it is no
    # longer overdue once it has come in: 红灯 is for reports still missing.
    light, days = _light(obligation.due, done or status == LATE, as_of, warn_days)
    if status == MISSING and light is not _RED:
        status = NOT_REPORTED  # not yet due: nothing is missing yet
    return Evaluation(
        obligation, done, submitted if done else None, status, None, light, days, submitted=submitted
    )


def _light(
    due: dt.date, closed: bool, as_of: dt.date, warn_days: int, grace_days: int = 0
) -> tuple[Light, int]:
    """The light, and the days overdue (0 unless red), counted from the end of any grace."""
    if closed:
        return _GREEN, 0
    red_from = due + dt.timedelta(days=grace_days) if grace_days else due
    if red_from <= as_of:
        return _RED, (as_of - red_from).days
    if (due - as_of).days <= warn_days:
        return _YELLOW, 0
    return _GREEN, 0


# --- the snapshot every command reads -------------------------------------------------


@dataclass(slots=True)
class OverdueRow:
    """One overdue obligation; for a recurring duty, its latest missed occurrence (not frozen,
    as ``Evaluation``)."""

    evaluation: Evaluation
    missed: int | None = None
    """For a recurring duty: how many occurrences were missed so far."""

    @property
    def obligation(self) -> Obligation:
        return self.evaluation.obligation


@dataclass(frozen=True)
class ReportCompliance:
    due: int
    on_time: int
    late: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class PhaseProgress:
    phase: PhaseSpan
    index: int
    """1-based position among the phases."""
    elapsed_days: int
    total_days: int

    @property
    def fraction(self) -> float:
        return self.elapsed_days / self.total_days


@dataclass
class Tally:
    """Counts behind one line of the dashboard, with the obligations behind each count."""

    as_of: dt.date
    due: list[Evaluation] = field(default_factory=list)
    done: list[Evaluation] = field(default_factory=list)
    in_progress: list[Evaluation] = field(default_factory=list)
    overdue: list[Evaluation] = field(default_factory=list)
    soon: list[Evaluation] = field(default_factory=list)

    def add(self, ev: Evaluation) -> None:
        if ev.not_applicable:
            return
        if ev.obligation.due <= self.as_of:
            self.due.append(ev)
        if ev.done:
            self.done.append(ev)
        elif ev.status == Status.in_progress.value:
            self.in_progress.append(ev)
        if ev.light is Light.red:
            self.overdue.append(ev)
        elif ev.light is Light.yellow:
            self.soon.append(ev)

    @property
    def light(self) -> Light:
        if self.overdue:
            return Light.red
        if self.soon:
            return Light.yellow
        return Light.green

    @property
    def done_share(self) -> float | None:
        due_done = sum(1 for ev in self.due if ev.done)
        return due_done / len(self.due) if self.due else None


class Snapshot:
    """The whole plan as of one day: every obligation evaluated once, queried many ways."""

    def __init__(self, plan: CompiledPlan, as_of: dt.date, warn_days: int | None = None) -> None:
        self.plan = plan
        self.as_of = as_of
        self.warn_days = plan.supervision.yellow_days if warn_days is None else warn_days
        self.grace_days = plan.supervision.grace_days

    @cached_property
    def obligations(self) -> list[Obligation]:
        """The plan's obligations as of the day: a moved deadline due on the day in force
        then, carrying its ``original_due``; in due order."""
        return self._in_force[0]

    @cached_property
    def _in_force(self) -> tuple[list[Obligation], list[dt.date | None]]:
        """``obligations`` and, in the same order, each one's ``CompiledPlan.closed_from``.

        The plan's obligations are in ``sort_key`` order (``compile.all_obligations``) and only
        a deadline with a change approved by the day moves: each is taken out and put back at
        its new place, instead of sorting the whole plan again (a few against thousands)."""
        obligations = self.plan.obligations
        closed_from = self.plan.closed_from
        as_of = self.as_of
        moving = [
            i for i in compress(count(), map(_CHANGES, obligations)) if _in_force(obligations[i], as_of)
        ]
        if not moving:
            return obligations, closed_from
        kept = list(obligations)
        kept_closed = list(closed_from)
        moved = []
        for i in reversed(moving):
            o = kept.pop(i)
            moved.append((o._replace(due=o.due_as_of(as_of), original_due=o.due), kept_closed.pop(i)))
        for o, closed in moved:
            # sort_key ends with (ref, unit), one deadline's own: no other obligation ties it.
            at = bisect_right(kept, o.sort_key, key=_SORT_KEY)
            kept.insert(at, o)
            kept_closed.insert(at, closed)
        return kept, kept_closed

    def evaluate_one(self, obligation: Obligation) -> Evaluation:
        """One obligation (possibly from another day's snapshot) as of this day, with the due
        day in force on this day."""
        base = obligation
        if base.original_due is not None:
            base = base._replace(due=base.original_due, original_due=None)
        if base.changes and _in_force(base, self.as_of):
            base = base._replace(due=base.due_as_of(self.as_of), original_due=base.due)
        return self._evaluate(base)

    def _evaluate(self, obligation: Obligation) -> Evaluation:
        return evaluate(obligation, self.plan, self.as_of, self.warn_days, self.grace_days)

    @cached_property
    def evaluations(self) -> list[Evaluation]:
        return [self._evaluate(o) for o in self.obligations]

    def evaluations_for(self, *, unit: str | None = None, plan: str | None = None) -> list[Evaluation]:
        """Evaluations held by ``unit`` (a unit, or any member of a group) in ``plan``."""
        holders = None if unit is None else {unit, *self.plan.members.get(unit, ())}
        return [
            ev
            for ev in self.evaluations
            if (holders is None or ev.obligation.unit in holders)
            and (plan is None or ev.obligation.plan == plan)
        ]

    def overdue(self, *, unit: str | None = None, plan: str | None = None) -> list[OverdueRow]:
        """Overdue rows: each deadline obligation; per recurring duty and unit, the latest miss."""
        rows: list[OverdueRow] = []
        missed: dict[tuple[str, str], list[Evaluation]] = defaultdict(list)
        for ev in self._still_open(unit=unit, plan=plan):
            if not ev.overdue:
                continue
            if ev.obligation.kind is _DEADLINE:
                rows.append(OverdueRow(ev))
            else:
                missed[(ev.obligation.ref, ev.obligation.unit)].append(ev)
        for misses in missed.values():
            latest = max(misses, key=lambda e: e.obligation.due)
            rows.append(OverdueRow(latest, missed=len(misses)))
        rows.sort(key=lambda r: r.obligation.sort_key)
        return rows

    def _evaluated_until(
        self, day: dt.date, *, unit: str | None = None, plan: str | None = None
    ) -> list[Evaluation]:
        """Evaluations of the obligations due by ``day`` only: ``overdue`` needs no others,
        and skipping the future half of the plan halves a query's work."""
        if "evaluations" in self.__dict__:
            return [ev for ev in self.evaluations_for(unit=unit, plan=plan) if ev.obligation.due <= day]
        holders = None if unit is None else {unit, *self.plan.members.get(unit, ())}
        return [
            self._evaluate(o)
            for o in self.obligations[: self._due_by(day)]
            if (holders is None or o.unit in holders) and (plan is None or o.plan == plan)
        ]

    def _due_by(self, day: dt.date) -> int:
        """How many of ``obligations`` are due by ``day``: they come first, in due order."""
        return bisect_right(self.obligations, day, key=_DUE)

    def _still_open(self, *, unit: str | None = None, plan: str | None = None) -> list[Evaluation]:
        """Evaluations of the obligations that can be overdue: due by the day and not closed
        for good before it (``CompiledPlan.closed_from``); every other one is green, so the
        overdue rows are the same as from ``_evaluated_until``, at a fraction of the work."""
        if "evaluations" in self.__dict__:
            return self._evaluated_until(self.as_of, unit=unit, plan=plan)
        if "_due_by_now" in self.__dict__ and unit is None and plan is None:
            return self._due_by_now
        as_of = self.as_of
        holders = None if unit is None else {unit, *self.plan.members.get(unit, ())}
        obligations, closed_from = self._in_force
        due = self._due_by(as_of)
        found: list[Evaluation] = []
        for o, closed in zip(obligations[:due], closed_from[:due], strict=True):
            if (
                (closed is None or closed > as_of)
                and (holders is None or o.unit in holders)
                and (plan is None or o.plan == plan)
            ):
                found.append(self._evaluate(o))
        return found

    @cached_property
    def _due_by_now(self) -> list[Evaluation]:
        return self._evaluated_until(self.as_of)

    def reports_due(self) -> list[Evaluation]:
        """Every monthly report (``met_by: report``) due by the day, in due order."""
        return [ev for ev in self._due_by_now if ev.obligation.met_by_report]

    def overdue_obligations(self) -> list[Evaluation]:
        """Every overdue obligation, each occurrence of a recurring duty on its own."""
        return [ev for ev in self._still_open() if ev.overdue]

    def evaluations_of(self, ref: str) -> list[Evaluation]:
        """One deadline's or duty's obligations, evaluating only those."""
        if "evaluations" in self.__dict__:
            return [ev for ev in self.evaluations if ev.obligation.ref == ref]
        return [self._evaluate(o) for o in self.obligations if o.ref == ref]

    def falling_due(
        self, start: dt.date, end: dt.date, *, unit: str | None = None, plan: str | None = None
    ) -> list[Evaluation]:
        """Obligations not done (nor waived) as of the day, due between ``start`` and ``end``."""
        return [
            ev
            for ev in self.evaluations_for(unit=unit, plan=plan)
            if start <= ev.obligation.due <= end and not ev.closed
        ]

    @cached_property
    def phase(self) -> PhaseProgress | None:
        for i, phase in enumerate(self.plan.phases, start=1):
            if phase.start <= self.as_of <= phase.end:
                total = (phase.end - phase.start).days + 1
                return PhaseProgress(phase, i, (self.as_of - phase.start).days + 1, total)
        return None

    def by_section(self) -> dict[tuple[str, int | None], Tally]:
        """Tallies per (plan, section); plan-level items under section None."""
        tallies: dict[tuple[str, int | None], Tally] = defaultdict(lambda: Tally(self.as_of))
        for ev in self.evaluations:
            tallies[(ev.obligation.plan, ev.obligation.section)].add(ev)
        return dict(tallies)

    def by_unit(self) -> dict[str, Tally]:
        tallies: dict[str, Tally] = defaultdict(lambda: Tally(self.as_of))
        for ev in self.evaluations:
            tallies[ev.obligation.unit].add(ev)
        return dict(tallies)

    def report_compliance(self) -> dict[str, ReportCompliance]:
        """Per unit: its monthly reports due by the as-of day, and how many came in on time."""
        result: dict[str, ReportCompliance] = {}
        for ev in self._evaluated_until(self.as_of):
            if ev.obligation.met_by_report:
                unit = ev.obligation.unit
                before = result.get(unit, ReportCompliance(0, 0, 0))
                result[unit] = ReportCompliance(
                    before.due + 1, before.on_time + (ev.status == ON_TIME), before.late + (ev.status == LATE)
                )
        return result

    def lights(self) -> dict[Light, int]:
        counts = dict.fromkeys(Light, 0)
        for ev in self.evaluations:
            if not ev.not_applicable:
                counts[ev.light] += 1
        return counts


def snapshot(plan: CompiledPlan, as_of: dt.date, warn_days: int | None = None) -> Snapshot:
    """The plan as of ``as_of``; ``warn_days`` defaults to ``rules.yaml``'s ``yellow_days``."""
    return Snapshot(plan, as_of, warn_days)


_CHANGES = attrgetter("changes")
_SORT_KEY = attrgetter("sort_key")
_DUE = attrgetter("due")


def _in_force(obligation: Obligation, day: dt.date) -> bool:
    return any(change.approved <= day for change in obligation.changes)


def changes_approved(plan: CompiledPlan, start: dt.date, end: dt.date) -> list[tuple[Obligation, int]]:
    """Deadline moves approved between ``start`` and ``end`` (调整事项): each deadline's
    obligation (one per deadline) with the index of the change, in order of approval."""
    found: dict[tuple[str, int], Obligation] = {}
    for o in plan.obligations:
        for i, change in enumerate(o.changes):
            if start <= change.approved <= end:
                found.setdefault((o.ref, i), o)
    ordered = sorted(found.items(), key=lambda kv: (kv[1].changes[kv[0][1]].approved, kv[0][0]))
    return [(o, i) for (_, i), o in ordered]
