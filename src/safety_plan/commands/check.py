"""``safety-plan check``: are the data files valid?"""

from __future__ import annotations

from safety_plan.commands._data import load
from safety_plan.commands.base import Request, Result
from safety_plan.output.problems import FORMATTERS, resolve_format

READING_RULES = {
    "syntax": "the file is YAML that parses (no tab indentation, brackets closed …)",
    "encoding": "the file is UTF-8 (a byte-order mark is accepted)",
    "empty-file": "the file is not empty and not just '~' or null",
    "missing-file": "measures.yaml, units.yaml and schedule.yaml exist",
    "unreadable": "every data file is a regular, readable file within the size bound (no FIFO, device, link to one)",
    "skipped-file": "every entry of progress/ and sources/ is read, or said to be skipped (2025-06.YAML)",
    "control-character": "no control characters (ESC, NUL …; tab and line breaks aside), raw or escaped",
    "invisible-character": "no invisible characters (zero-width space, bidirectional controls …), raw or escaped",
    "duplicate-key": "no mapping repeats a key (YAML would keep only the last)",
    "tag": "only plain data: no !!python/… or other tags, no merge keys",
    "value": "dates are real dates (no 2025-02-30)",
    "alias-bomb": "aliases do not expand a file beyond reason",
    "unknown-key": "every key is one the file kind knows (a typo is lost data)",
    "missing-key": "every required key is present",
    "schema": "values have the right type, pattern and enum value",
}
"""Checks made while reading a file; the cross-file rules register themselves in ``rules``."""


def rules() -> str:
    from safety_plan.output.table import to_definitions
    from safety_plan.rules import RULES

    return to_definitions({**READING_RULES, **{r.id: r.description for r in RULES.values()}})


def run(request: Request, *, list_rules: bool = False) -> Result:
    if list_rules:
        return Result(rules())
    shown = request.data.shown
    result = load(request.data.path, shown)
    chosen = resolve_format(request.fmt)
    notes = []
    if chosen in {"text", "colored"}:
        errors = len(result.errors)
        warnings = len(result.problems) - errors
        summary = f"{errors} error(s), {warnings} warning(s)" if result.problems else "no problems"
        notes.append(f"{shown}: {summary}")
    return Result(FORMATTERS[chosen](result.problems), notes=notes, exit_code=1 if result.errors else 0)
