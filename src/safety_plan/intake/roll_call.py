"""Who has reported this month (报送情况): on time, late (with the day), not yet (催报名单),
and each unit's on-time rate so far, all read from the one as-of engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from safety_plan.engine.asof import LATE, ON_TIME, ReportCompliance, Snapshot, evaluate
from safety_plan.intake.contents import Month, report_obligations

ON_TIME_ZH, LATE_ZH, NOT_YET_ZH = "按时报送", "逾期报送", "未报送"


@dataclass(frozen=True)
class RollEntry:
    unit: str
    due: dt.date
    state: str
    """``on_time``, ``late`` or ``not_yet``."""
    submitted: dt.date | None
    days_late: int
    """For a late report: submitted − due; for one not yet in and past due: as-of − due."""
    contact: str | None
    compliance: ReportCompliance

    @property
    def on_time_rate(self) -> float | None:
        return self.compliance.on_time_rate


@dataclass(frozen=True)
class Roll:
    month: Month
    as_of: dt.date
    entries: tuple[RollEntry, ...]
    """On time first, then late, then not yet; by unit order within each."""

    def of(self, state: str) -> list[RollEntry]:
        return [e for e in self.entries if e.state == state]


NOT_YET = "not_yet"
_ORDER = {ON_TIME: 0, LATE: 1, NOT_YET: 2}


def roll_call(snap: Snapshot, month: Month, contacts: Mapping[str, str]) -> Roll:
    """The month's roll as of ``snap``'s day; ``contacts`` gives a unit's contact where known."""
    compliance = snap.report_compliance()
    entries: list[RollEntry] = []
    for obligation in report_obligations(snap.plan, month).values():
        ev = evaluate(obligation, snap.plan, snap.as_of, snap.warn_days)
        state = ev.status if ev.status in (ON_TIME, LATE) else NOT_YET
        if state == LATE and ev.submitted is not None:
            days = (ev.submitted - obligation.due).days
        else:
            days = ev.days_overdue if state == NOT_YET else 0
        unit = obligation.unit
        entries.append(
            RollEntry(
                unit,
                obligation.due,
                state,
                ev.submitted,
                days,
                contacts.get(unit),
                compliance.get(unit, ReportCompliance(0, 0, 0)),
            )
        )
    entries.sort(key=lambda e: _ORDER[e.state])
    return Roll(month, snap.as_of, tuple(entries))
