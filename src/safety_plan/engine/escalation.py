"""Supervision (督办): which of ``rules.yaml``'s escalation rules fire, for which unit, and why.

Pure functions of the compiled plan and a day, read through the one as-of engine, so a rule
sees exactly what ``overdue`` sees. The rule kinds, as of a day D (normally a month's end):

* ``overdue_days: N`` — the unit holds obligations overdue by at least N days as of D
  (each occurrence of a recurring duty on its own); the refs are those obligations;
* ``missed_reports: N`` — the unit's last N monthly reports due by D were not on time
  (late or missing); the refs are those reports;
* ``repeated: R, months: K, within: W`` — R fired for the unit as of the end of at least K
  of the W months ending with D's month (D itself for that month); the refs name the
  months (``letter@2025-04``);
* ``after: R, days: N`` — R fired for the unit as of D − N days, and the obligations that
  made it fire then are still overdue on D (those are the refs); over a rule whose refs are
  months (``repeated``), R simply fires on both days.

A rule fires "since" the first month of its unbroken run of month ends up to D, and the
unit's points for a year add each rule's points for every month end it fired at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from safety_plan.engine.asof import LATE, MISSING, Evaluation, Snapshot
from safety_plan.engine.calendar import month_end
from safety_plan.engine.types import CompiledPlan, SupervisionRule

Month = tuple[int, int]
"""(year, month)."""


def month_label(month: Month) -> str:
    return f"{month[0]}-{month[1]:02d}"


def month_of(day: dt.date) -> Month:
    return (day.year, day.month)


def previous_month(month: Month) -> Month:
    year, mon = month
    return (year - 1, 12) if mon == 1 else (year, mon - 1)


def obligation_key(ev: Evaluation) -> str:
    """How a ref names one obligation: the ID and, for a recurring occurrence, its window."""
    ob = ev.obligation
    return f"{ob.ref}[{ob.window.label}]" if ob.window is not None else ob.ref


@dataclass(frozen=True)
class Firing:
    """One rule firing for one unit as of one day."""

    unit: str
    rule: SupervisionRule
    refs: tuple[str, ...]
    evaluations: tuple[Evaluation, ...] = ()
    """The overdue obligations behind it, as of the day (for a letter's items)."""


@dataclass(frozen=True)
class Escalation:
    """One item of ``escalations --month``: a unit, a rule that fires, and why."""

    unit: str
    rule: SupervisionRule
    refs: tuple[str, ...]
    since: str
    """The first month (``YYYY-MM``) of the unbroken run of months it has fired in."""
    points: int
    """The unit's points so far this year, every rule's, this month included."""
    evaluations: tuple[Evaluation, ...]
    new: bool
    """It did not fire at the end of the month before."""


@dataclass(frozen=True)
class Visit:
    """One unit proposed for the quarter's 专项督导, and why."""

    rank: int
    unit: str
    points: int
    """Points of the rules fired in the quarter's months."""
    overdue: int
    days_overdue: int
    fired: tuple[tuple[SupervisionRule, tuple[str, ...]], ...]
    """Each rule fired in the quarter, with the months it fired in."""


class Supervisor:
    """Evaluates the rules as of any day, remembering each snapshot and each rule's firings
    by day (a month's escalations look back over earlier months for ``since``, ``repeated``
    and the year's points)."""

    def __init__(self, plan: CompiledPlan) -> None:
        self.plan = plan
        self.rules = plan.supervision.rules
        self._by_id = {r.id: r for r in self.rules}
        self._snapshots: dict[dt.date, Snapshot] = {}
        self._memo: dict[tuple[str, dt.date], dict[str, Firing]] = {}
        self._active: set[tuple[str, dt.date]] = set()

    @cached_property
    def _first_due(self) -> dt.date | None:
        return min((o.due for o in self.plan.obligations), default=None)

    def snapshot(self, day: dt.date) -> Snapshot:
        if day not in self._snapshots:
            self._snapshots[day] = Snapshot(self.plan, day)
        return self._snapshots[day]

    def fired(self, day: dt.date) -> dict[tuple[str, str], Firing]:
        """Every (unit, rule ID) that fires as of ``day``."""
        return {(unit, rule.id): f for rule in self.rules for unit, f in self.fired_rule(rule, day).items()}

    def fired_rule(self, rule: SupervisionRule, day: dt.date) -> dict[str, Firing]:
        """The units ``rule`` fires for as of ``day``, by unit."""
        key = (rule.id, day)
        if key in self._memo:
            return self._memo[key]
        if key in self._active or self._first_due is None or day < self._first_due:
            return {}  # a cycle (``check`` refuses them) or a day before anything was due
        self._active.add(key)
        try:
            found = {f.unit: f for f in self._fire(rule, day)}
        finally:
            self._active.discard(key)
        self._memo[key] = found
        return found

    def _target(self, rule: SupervisionRule) -> SupervisionRule | None:
        return self._by_id.get(rule.target or "")

    def _fire(self, rule: SupervisionRule, day: dt.date) -> list[Firing]:
        if rule.kind == "overdue_days":
            return self._overdue_days(rule, day)
        if rule.kind == "missed_reports":
            return self._missed_reports(rule, day)
        if rule.kind == "repeated":
            return self._repeated(rule, day)
        if rule.kind == "after":
            return self._after(rule, day)
        return []

    def _overdue_days(self, rule: SupervisionRule, day: dt.date) -> list[Firing]:
        by_unit: dict[str, list[Evaluation]] = {}
        for ev in self.snapshot(day).overdue_obligations():
            if ev.days_overdue >= rule.count:
                by_unit.setdefault(ev.obligation.unit, []).append(ev)
        return [_firing(unit, rule, evs) for unit, evs in sorted(by_unit.items())]

    def _missed_reports(self, rule: SupervisionRule, day: dt.date) -> list[Firing]:
        reports: dict[str, list[Evaluation]] = {}
        for ev in self.snapshot(day).reports_due():
            reports.setdefault(ev.obligation.unit, []).append(ev)
        firings = []
        for unit, evs in sorted(reports.items()):
            last = evs[-rule.count :]  # reports_due is in due order
            if len(last) == rule.count and all(e.status in (LATE, MISSING) for e in last):
                firings.append(_firing(unit, rule, last))
        return firings

    def _repeated(self, rule: SupervisionRule, day: dt.date) -> list[Firing]:
        target = self._target(rule)
        if target is None or rule.within is None:
            return []
        now = self.fired_rule(target, day)
        months_by_unit: dict[str, list[str]] = {}
        month = month_of(day)
        for back in range(rule.within):
            fired = now if back == 0 else self.fired_rule(target, month_end(*month))
            for unit in fired:
                months_by_unit.setdefault(unit, []).append(month_label(month))
            month = previous_month(month)
        firings = []
        for unit, months in sorted(months_by_unit.items()):
            if len(months) >= rule.count:
                refs = tuple(f"{target.id}@{m}" for m in sorted(months))
                current = now.get(unit)
                firings.append(Firing(unit, rule, refs, current.evaluations if current else ()))
        return firings

    def _after(self, rule: SupervisionRule, day: dt.date) -> list[Firing]:
        target = self._target(rule)
        if target is None:
            return []
        if target.kind == "overdue_days":
            return self._after_overdue(rule, target, day)
        then = self.fired_rule(target, day - dt.timedelta(days=rule.count))
        firings = []
        if _refs_are_obligations(target, self._by_id):
            still = {obligation_key(ev): ev for ev in self.snapshot(day).overdue_obligations()}
            for unit, earlier in sorted(then.items()):
                open_now = [still[key] for key in earlier.refs if key in still]
                if open_now:
                    firings.append(_firing(unit, rule, open_now))
        else:
            now = self.fired_rule(target, day)
            for unit in sorted(then):
                if unit in now:
                    firings.append(Firing(unit, rule, now[unit].refs, now[unit].evaluations))
        return firings

    def _after_overdue(self, rule: SupervisionRule, target: SupervisionRule, day: dt.date) -> list[Firing]:
        """``after`` over an ``overdue_days`` rule, without evaluating the whole plan on the
        earlier day: an item it fired for then and still overdue now is one of today's overdue
        items that was, on that day, overdue by the target's days."""
        then = day - dt.timedelta(days=rule.count)
        if self._first_due is None or then < self._first_due:
            return []
        earlier = Snapshot(self.plan, then)
        by_unit: dict[str, list[Evaluation]] = {}
        for ev in self.snapshot(day).overdue_obligations():
            past = earlier.evaluate_one(ev.obligation)
            if past.overdue and past.days_overdue >= target.count:
                by_unit.setdefault(ev.obligation.unit, []).append(ev)
        return [_firing(unit, rule, evs) for unit, evs in sorted(by_unit.items())]

    # --- what the commands ask --------------------------------------------------------

    def since(self, unit: str, rule_id: str, month: Month) -> str:
        """The first month of the unbroken run of month ends, up to ``month``, it fired at."""
        rule = self._by_id[rule_id]
        start = month
        earlier = previous_month(month)
        while unit in self.fired_rule(rule, month_end(*earlier)):
            start = earlier
            earlier = previous_month(earlier)
        return month_label(start)

    def points(self, month: Month, first: Month | None = None) -> dict[str, int]:
        """Each unit's points over the month ends from ``first`` (January) to ``month``."""
        first = first or (month[0], 1)
        totals: dict[str, int] = {}
        current = month
        while current >= first:
            for (unit, _), firing in self.fired(month_end(*current)).items():
                if firing.rule.points:
                    totals[unit] = totals.get(unit, 0) + firing.rule.points
            current = previous_month(current)
        return totals

    def escalations(self, month: Month, *, units: set[str] | None = None) -> list[Escalation]:
        """The month's escalations: per unit (in name order) and rule (in file order)."""
        day = month_end(*month)
        fired = self.fired(day)
        points = self.points(month)
        before = self.fired(month_end(*previous_month(month)))
        order = {r.id: i for i, r in enumerate(self.rules)}
        items = []
        for (unit, rule_id), firing in sorted(fired.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
            if units is not None and unit not in units:
                continue
            items.append(
                Escalation(
                    unit=unit,
                    rule=firing.rule,
                    refs=firing.refs,
                    since=self.since(unit, rule_id, month),
                    points=points.get(unit, 0),
                    evaluations=firing.evaluations,
                    new=(unit, rule_id) not in before,
                )
            )
        return items

    def visits(self, year: int, quarter: int, count: int | None) -> tuple[list[Visit], int]:
        """The quarter's 专项督导 proposal: the ``count`` units (None: every candidate) ranked
        first by the points of the rules fired in the quarter (lowest first), then by how many
        obligations they hold overdue at its end and for how many days in all; and how many
        units were candidates."""
        months = [(year, m) for m in range(3 * quarter - 2, 3 * quarter + 1)]
        points = self.points(months[-1], first=months[0])
        fired: dict[str, dict[str, list[str]]] = {}
        rules: dict[str, SupervisionRule] = {r.id: r for r in self.rules}
        for month in months:
            for unit, rule_id in self.fired(month_end(*month)):
                fired.setdefault(unit, {}).setdefault(rule_id, []).append(month_label(month))
        overdue: dict[str, list[Evaluation]] = {}
        for ev in self.snapshot(month_end(*months[-1])).overdue_obligations():
            overdue.setdefault(ev.obligation.unit, []).append(ev)
        candidates = sorted(set(fired) | set(overdue))
        ranked = sorted(
            candidates,
            key=lambda u: (
                points.get(u, 0),
                -len(overdue.get(u, [])),
                -sum(e.days_overdue for e in overdue.get(u, [])),
                u,
            ),
        )
        visits = [
            Visit(
                rank=i,
                unit=unit,
                points=points.get(unit, 0),
                overdue=len(overdue.get(unit, [])),
                days_overdue=sum(e.days_overdue for e in overdue.get(unit, [])),
                fired=tuple(
                    (rules[rule_id], tuple(ms))
                    for rule_id, ms in sorted(
                        fired.get(unit, {}).items(), key=lambda kv: _index(self.rules, kv[0])
                    )
                ),
            )
            for i, unit in enumerate(ranked[:count], start=1)
        ]
        return visits, len(candidates)


def _index(rules: tuple[SupervisionRule, ...], rule_id: str) -> int:
    return next(i for i, r in enumerate(rules) if r.id == rule_id)


def _firing(unit: str, rule: SupervisionRule, evaluations: list[Evaluation]) -> Firing:
    """``evaluations`` come in the snapshot's order (due day, plan, number): the refs' order."""
    return Firing(unit, rule, tuple(obligation_key(e) for e in evaluations), tuple(evaluations))


def _refs_are_obligations(rule: SupervisionRule, by_id: dict[str, SupervisionRule]) -> bool:
    """Whether a rule's refs name obligations (not months): an ``after`` chain ending in
    ``overdue_days`` or ``missed_reports``."""
    seen: set[str] = set()
    current: SupervisionRule | None = rule
    while current is not None and current.kind == "after" and current.id not in seen:
        seen.add(current.id)
        current = by_id.get(current.target or "")
    return current is not None and current.kind in ("overdue_days", "missed_reports")
