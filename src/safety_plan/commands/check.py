"""``safety-plan check``: are the data files valid?"""

from __future__ import annotations

import sys
from pathlib import Path

from safety_plan.commands._data import load
from safety_plan.output.problems import FORMATTERS, resolve_format

READING_RULES = {
    "syntax": "the file is YAML that parses (no tab indentation, brackets closed …)",
    "encoding": "the file is UTF-8 (a byte-order mark is accepted)",
    "empty-file": "the file is not empty",
    "missing-file": "measures.yaml, units.yaml and schedule.yaml exist",
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
    from safety_plan.rules import RULES

    entries = {**READING_RULES, **{r.id: r.description for r in RULES.values()}}
    width = max(map(len, entries))
    return "\n".join(f"{rule_id:<{width}}  {text}" for rule_id, text in entries.items())


def run(data_dir: Path, shown: str, fmt: str) -> int:
    result = load(data_dir, shown)
    chosen = resolve_format(fmt)
    output = FORMATTERS[chosen](result.problems)
    if output or chosen == "json":
        print(output)
    if chosen in {"text", "colored"}:
        errors = len(result.errors)
        warnings = len(result.problems) - errors
        summary = f"{errors} error(s), {warnings} warning(s)" if result.problems else "no problems"
        print(f"{shown}: {summary}", file=sys.stderr)
    return 1 if result.errors else 0
