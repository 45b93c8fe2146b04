"""Opening a district again after month files changed: only those months are parsed,
checked and compiled; the rest of the plan comes from the cache as it was.

Every month a unit's reports are edited or a new month's file arrives; the plan, the units
and the schedule do not change. So besides the whole compiled plan (the warm query's one
read), the cache keeps it in parts: the plan without its reports (``compile_static``) under
the digest of everything but the month files (``Fingerprint.static``), and each month file's
compiled reports (``month_reports``) under that file's contents and the same digest.

It stays exact. The parts are stored only from a data set that had no error, and a part is
used only while everything it was built from is unchanged. The months that changed are read
with the plan and checked by every rule that reads month files (``Rule.reads_progress``: what
such a rule finds in a month depends on that month and the plan alone); the one check across
months, two files for the same month, is made here. Any problem at all, or any part missing
but the months', sends the opening down the full path, which reports every problem exactly as
``check`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from safety_plan.engine.types import CompiledPlan, MonthReports
from safety_plan.opening import cache
from safety_plan.opening.fingerprint import Fingerprint

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset

PROGRESS = "progress"


@dataclass(frozen=True)
class StaticPlan:
    """The plan without its reports, as the cache names it (apart from the whole plan)."""

    plan: CompiledPlan


def reopen(
    data_dir: Path, shown: str, fingerprint: Fingerprint, fresh: Callable[[], bool]
) -> CompiledPlan | None:
    """The compiled plan from its cached parts, compiling only the months that changed; None
    when the parts cannot answer exactly (the caller then loads everything)."""
    from safety_plan.loading import month_file_names

    static = cache.load(data_dir, fingerprint.static, StaticPlan)
    if static is None:
        return None
    names = month_file_names(data_dir)
    parts: dict[str, MonthReports] = {}
    changed: list[str] = []
    for name in names:
        key = _part_key(fingerprint, name)
        if key is None:
            return None  # listed by the loader but not a regular file when the digest was taken
        part = cache.load_part(data_dir / PROGRESS / name, key, MonthReports)
        if part is None:
            changed.append(name)
        else:
            parts[name] = part
    if changed:
        compiled = _compile_months(data_dir, shown, changed)
        if compiled is None:
            return None
        parts.update(compiled)
        if fresh():
            _store_months(data_dir, fingerprint, compiled)
    months = [parts[name] for name in names]
    if len({m.month for m in months}) != len(months):
        return None  # two files for one month: the full path reports it
    from safety_plan.engine.compile import with_reports

    return with_reports(static.plan, months)


def store_parts(
    data_dir: Path, fingerprint: Fingerprint, dataset: Dataset, static: CompiledPlan
) -> list[MonthReports]:
    """Keep the parts of a valid data set's plan; returns its months' reports, in order."""
    cache.store(data_dir, fingerprint.static, StaticPlan(static))
    months = _month_reports(dataset)
    _store_months(data_dir, fingerprint, months)
    return list(months.values())


def _compile_months(data_dir: Path, shown: str, names: list[str]) -> dict[str, MonthReports] | None:
    """The months named, read and checked against the plan; None at the first problem."""
    from safety_plan.loading import load_months

    result = load_months(data_dir, names, shown_root=shown, memo=cache.FileCache())
    if result.dataset is None or result.errors:
        return None
    compiled = _month_reports(result.dataset)
    return compiled if set(compiled) == set(names) else None


def _month_reports(dataset: Dataset) -> dict[str, MonthReports]:
    """Each month file's compiled reports, by file name, in the loader's order."""
    from safety_plan.engine.compile import month_reports

    directory = dataset.directory
    return {PurePath(path).name: month_reports(directory, p) for path, p in dataset.progress_files.items()}


def _store_months(data_dir: Path, fingerprint: Fingerprint, months: dict[str, MonthReports]) -> None:
    for name, part in months.items():
        key = _part_key(fingerprint, name)
        if key is not None:
            cache.store_part(data_dir / PROGRESS / name, key, part)


def _part_key(fingerprint: Fingerprint, name: str) -> str | None:
    digest = fingerprint.months.get(f"{PROGRESS}/{name}")
    return None if digest is None else f"{digest}\0{fingerprint.static}"
