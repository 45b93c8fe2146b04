#!/usr/bin/env python3
"""Benchmark of the monthly round-trip — run by hand, not part of the test suite.

    python bench/intake.py            # 5 runs of each
    python bench/intake.py --runs 9

On a copy of the demo (examples/demo), for 2025-07 (59 units owe a report):

1. ``safety-plan forms --month 2025-07 -o DIR``: all 59 forms written;
2. ``safety-plan import DIR/*.xlsx``: all 59 forms, each filled through openpyxl (报送日期 and
   every row's 本月状态), read, checked and merged into progress/2025-07.yaml; the progress
   file is removed before each run, so every run does the whole work, writing included;
3. the same import again over the file it wrote (nothing changes: the re-import case).

Each command runs as a whole process (start-up included) after one warm-up run; the script
prints the median, minimum and maximum wall time, and the time per form. Needs the project's
interpreter (openpyxl fills the forms): run it with the venv's python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
MONTH = "2025-07"
WORDS = ("推进中", "已完成", "未开始", "受阻", "不适用")


def cli() -> list[str]:
    beside = Path(sys.executable).with_name("safety-plan")
    found = beside if beside.exists() else shutil.which("safety-plan")
    if found is None:
        sys.exit("safety-plan is not installed next to this interpreter nor on PATH")
    return [str(found)]


def timed(cmd: list[str], env: dict[str, str], before: object = None) -> float:
    if callable(before):
        before()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def fill_all(forms: Path) -> None:
    """Every form filled as a unit would: a date, and each row a status (done rows dated)."""
    from openpyxl import load_workbook

    for n, form in enumerate(sorted(forms.glob("*.xlsx"))):
        book = load_workbook(form)
        sheet = book.worksheets[0]
        sheet["F4"] = dt.datetime(2025, 7, 20)
        row = 7
        while isinstance(sheet[f"A{row}"].value, str) and sheet[f"A{row}"].value.startswith(("zbgj", "m81")):
            word = WORDS[(n + row) % len(WORDS)]
            sheet[f"E{row}"] = word
            if word == "已完成":
                sheet[f"F{row}"] = dt.datetime(2025, 7, 10)
            sheet[f"G{row}"] = "本月按计划推进"
            row += 1
        book.save(form)


def report(name: str, times: list[float], forms: int) -> str:
    median = statistics.median(times)
    return (
        f"{name:<28} median {median:5.2f} s  (min {min(times):.2f}, max {max(times):.2f}; "
        f"{median / forms * 1000:.0f} ms a form)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = cli()
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as scratch:
        root = Path(scratch)
        data, forms = root / "data", root / "forms"
        shutil.copytree(DEMO, data)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETY_PLAN_")}
        env |= {"SAFETY_PLAN_CACHE": str(root / "cache"), "NO_COLOR": "1"}
        make = [*exe, "--data", str(data), "forms", "--month", MONTH, "-o", str(forms)]
        timed(make, env)  # warm-up (and the cache)
        count = len(list(forms.glob("*.xlsx")))
        making = [timed(make, env) for _ in range(args.runs)]
        fill_all(forms)
        progress = data / "progress" / f"{MONTH}.yaml"
        importing = [*exe, "--data", str(data), "import", *map(str, sorted(forms.glob("*.xlsx")))]
        fresh = lambda: progress.unlink(missing_ok=True)  # noqa: E731
        timed(importing, env, fresh)
        first = [timed(importing, env, fresh) for _ in range(args.runs)]
        again = [timed(importing, env) for _ in range(args.runs)]
    print(f"safety-plan forms and import on the demo, {MONTH}: {count} forms, {args.runs} runs each")
    print(report("forms (write all)", making, count))
    print(report("import (read, check, write)", first, count))
    print(report("import again (unchanged)", again, count))


if __name__ == "__main__":
    main()
