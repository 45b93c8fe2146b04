"""The JSON rows every query prints for an obligation: one shape for overdue, due and show."""

from __future__ import annotations

from typing import Any

from safety_plan.engine.asof import Evaluation, OverdueRow


def evaluation_json(ev: Evaluation) -> dict[str, Any]:
    """DESIGN.md's overdue item fields, plus ``phrase``, ``light`` and ``note``."""
    ob = ev.obligation
    return {
        "ref": ob.ref,
        "kind": ob.kind.value,
        "measure": ob.measure,
        "plan": ob.plan,
        "number": ob.number,
        "what": ob.what,
        "phrase": ob.phrase,
        "due": ob.due.isoformat(),
        "unit": ob.unit,
        "light": ev.light.value,
        "days_overdue": ev.days_overdue,
        "status": ev.status,
        "note": ev.note,
        **({"original_due": ob.original_due.isoformat()} if ob.original_due is not None else {}),
    }


def row_json(row: OverdueRow) -> dict[str, Any]:
    """An ``overdue`` item: a recurring duty's row adds how many occurrences were missed."""
    item = evaluation_json(row.evaluation)
    if row.missed is not None:
        item["missed"] = row.missed
    return item
