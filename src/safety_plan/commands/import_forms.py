"""``safety-plan import``: filled report forms into ``progress/YYYY-MM.yaml``, all or nothing.

Every form is checked first and every problem printed as ``FILE!CELL: message``; only when
there are none, and the data with the new reports would still pass ``check``, are the
progress files written, each atomically.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from safety_plan.arguments import parse_day
from safety_plan.commands._data import open_plan
from safety_plan.commands._progress import progress_bar
from safety_plan.commands.base import Request, Result
from safety_plan.files import write_atomic
from safety_plan.intake.batch import ImportPlan, plan_import
from safety_plan.intake.form_reader import FormProblem, IntakeFacts
from safety_plan.intake.progress_yaml import NEW, REPLACED, Change
from safety_plan.problems import SafetyPlanError, UsageError
from safety_plan.resources import inside_installed_package


def run(
    request: Request, *, files: list[Path], submitted: str | None = None, dry_run: bool = False
) -> Result:
    """Check every form, then (not on a dry run) write each month's progress file.

    The one command that writes into the data directory: what it writes is the data itself,
    not an ``-o`` document, so it goes through ``write_atomic`` here rather than the writer
    that keeps documents out of the data directory.
    """
    day = parse_day(submitted, "--submitted") if submitted is not None else None
    if not files:
        raise UsageError("give the filled forms to import, e.g. forms/2025-07/*.xlsx")
    data_dir, shown = request.data.path, request.data.shown
    if inside_installed_package(data_dir):
        raise UsageError(
            f"--data: '{shown}' is the data installed with the package, which import does not write; "
            "give your data directory with --data DIR (or run where ./data is)"
        )
    plan = open_plan(data_dir, shown)
    progress_dir = data_dir / "progress"
    forms: list[tuple[str, bytes]] = []
    unreadable: list[FormProblem] = []
    for path in files:
        try:
            forms.append((str(path), path.read_bytes()))
        except OSError as exc:
            unreadable.append(FormProblem(str(path), None, f"cannot read: {exc.strerror or exc}"))
    with progress_bar(len(forms), "读取报表") as tick:
        result = plan_import(
            forms, IntakeFacts.of(plan), lambda month: _existing(progress_dir / f"{month}.yaml"), day, tick
        )
    problems = [*unreadable, *result.problems]
    if problems:
        bad = len({p.file for p in problems})
        summary = f"error: {len(problems)} problem(s) in {bad} of {len(files)} form(s); nothing was written"
        return Result(notes=[*map(str, problems), summary], exit_code=1)
    _still_valid(data_dir, shown, result)
    lines: list[str] = []
    shown_dir = f"{shown.rstrip('/')}/progress"
    for month, merge in result.merges.items():
        lines.extend(_describe(change, month) for change in merge.changes)
        target = f"{shown_dir}/{month}.yaml"
        if not merge.changed:
            lines.append(f"{target}: unchanged")
        elif dry_run:
            lines.append(f"{target}: would be written (dry run: nothing was written)")
        else:
            try:
                progress_dir.mkdir(parents=True, exist_ok=True)
                write_atomic(progress_dir / f"{month}.yaml", merge.text)
            except OSError as exc:
                raise UsageError(f"cannot write '{target}': {exc.strerror or exc}") from None
            lines.append(f"{target}: written")
    return Result(text="\n".join(lines))


def _existing(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read '{path}': {exc}") from None


def _still_valid(data_dir: Path, shown: str, result: ImportPlan) -> None:
    """The data with the new progress files must pass ``check``: tried on a copy first."""
    from safety_plan.loading import load_dataset

    changed = {m: r for m, r in result.merges.items() if r.changed}
    if not changed:
        return
    with tempfile.TemporaryDirectory(prefix="safety-plan-import-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(data_dir, copy, symlinks=False, ignore=shutil.ignore_patterns(".git"))
        (copy / "progress").mkdir(exist_ok=True)
        for month, merge in changed.items():
            (copy / "progress" / f"{month}.yaml").write_text(merge.text, encoding="utf-8")
        loaded = load_dataset(copy, shown_root=shown)
    errors = [p for p in loaded.problems if p.is_error]
    if errors:
        from safety_plan.output.problems import format_text

        print(format_text(errors), file=sys.stderr)
        raise SafetyPlanError(
            "with these reports the data would not pass `check` (above); nothing was written"
        )


def _describe(change: Change, month: str) -> str:
    if change.kind == NEW:
        head = f"{change.unit} {month}: new report"
    elif change.kind == REPLACED:
        head = f"{change.unit} {month}: replaces the report submitted {change.previous_submitted}"
    else:
        return f"{change.unit} {month}: the same report again, unchanged"
    return head + "".join(f"\n  {line}" for line in change.details)
