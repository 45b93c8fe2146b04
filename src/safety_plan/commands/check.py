"""``safety-plan check``: are the data files valid?"""

from __future__ import annotations

import sys
from pathlib import Path

from safety_plan.commands._data import load
from safety_plan.output.problems import FORMATTERS, resolve_format


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
