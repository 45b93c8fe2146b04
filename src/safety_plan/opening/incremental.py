"""Opening a district again after month files changed: only those months are parsed,
checked and compiled; the rest of the plan comes from the cache as it was.

Every month a unit's reports are edited or a new month's file arrives; the plan, the units
and the schedule do not change. So besides the whole compiled plan (the warm query's one
read), the cache keeps it in parts: the plan with each obligation's closing day, the facts
the month checks need of it (``month_checks.ReportingFacts``) and, for every month file it
was joined from, the digest of the contents it was compiled from and the refs its reports
were about (``Bundled``), under the digest of everything but the month files
(``Fingerprint.static``): one read for all the months that did not change. A month that
changed is read (``loading.plain_yaml`` where it is plainly written, else the loader's
parser), compiled (``month_reports``) and patched in (``compile.with_months_replaced``:
its old reports out, its new ones in). A month compiled again after an edit is kept in an
entry of its own, under that file's contents and the same digest, until the next time the
plan is kept whole takes it into the parts.

It stays exact. The parts are stored only from a data set that had no error, and a part is
used only while everything it was built from is unchanged. A month that changed is read
without Pydantic or the models (``loading.month_shape``, which accepts only what the models
accept, as they would give it) and checked by the same functions as the rules that read
month files (``month_checks``: what they find in a month depends on that month and the plan
alone); the one check across months, two files for the same month, is made here. A month
the light reading does not accept, any error in it, or any part missing but the months',
sends the opening down the full path, which reports every problem exactly as ``check`` does.
A warning (a report submitted before its month) does not: a query opens data with warnings
as it is, and says nothing of them (``check`` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, NamedTuple

from safety_plan.engine.types import CompiledPlan, MonthReports
from safety_plan.month_checks import ReportingFacts
from safety_plan.opening import cache
from safety_plan.opening.fingerprint import Fingerprint, contents_digest
from safety_plan.problems import Level

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset

PROGRESS = "progress"


class Bundled(NamedTuple):
    """What the plan kept with its parts took from one month file."""

    digest: str
    """The digest of the contents it was compiled from."""
    month: str
    refs: tuple[str, ...]
    """The refs its items are about (``compile.refs_of``)."""


class StaticPlan(NamedTuple):
    """The plan in parts, as the cache names it (apart from the whole plan): the plan as the
    month files bundled with it made it, what the checks of a month file need of it, and
    what each of those months put in (so that a month edited since can be taken out)."""

    plan: CompiledPlan
    """The whole plan, its ``closed_from`` with it, as of the months ``months`` names."""
    facts: ReportingFacts
    months: dict[str, Bundled]
    """Month file name → what the plan took from it."""


class Reopened(NamedTuple):
    plan: CompiledPlan
    months_compiled: bool
    """Some month was read and compiled again (its part is kept; see ``Opening.plan``)."""


def reopen(
    data_dir: Path, shown: str, fingerprint: Fingerprint, fresh: Callable[[], bool]
) -> Reopened | None:
    """The compiled plan from its cached parts, compiling only the months that changed; None
    when the parts cannot answer exactly (the caller then loads everything)."""
    from safety_plan.engine.compile import refs_of, with_months_replaced
    from safety_plan.loading import month_file_names

    static = cache.load(data_dir, fingerprint.static, StaticPlan)
    if static is None:
        return None
    names = month_file_names(data_dir)
    current: dict[str, MonthReports] = {}
    """The months not as the plan has them: from entries of their own, or compiled here."""
    kept: dict[str, Bundled] = {}
    changed: list[str] = []
    for name in names:
        digest = fingerprint.months.get(f"{PROGRESS}/{name}")
        if digest is None:
            return None  # listed by the loader but not a regular file when the digest was taken
        bundled = static.months.get(name)
        if bundled is not None and bundled.digest == digest:
            kept[name] = bundled
            continue
        part = cache.load_part(data_dir / PROGRESS / name, _own_key(fingerprint, digest), MonthReports)
        if part is None:
            changed.append(name)
        else:
            current[name] = part
    compiled = _compile_months(data_dir, shown, changed, static, fingerprint) if changed else {}
    if compiled is None:
        return None
    current.update(compiled)
    labels = [kept[name].month if name in kept else current[name].month for name in names]
    if len(set(labels)) != len(labels):
        return None  # two files for one month: the full path reports it
    gone = {b.month: b.refs for name, b in static.months.items() if name not in kept}
    plan = with_months_replaced(
        static.plan,
        gone,
        [current[name] for name in names if name in current],
        [kept[name].refs if name in kept else refs_of(current[name]) for name in names],
    )
    if compiled and fresh():
        _store_months(data_dir, fingerprint, compiled)
    elif gone and fresh():
        # Nothing compiled here, but the months changed since the parts were kept (edited
        # earlier, their entries of their own read here, or removed): the plan is kept whole
        # now (``Opening.plan``), and so are its parts, in one entry again.
        _store_static(data_dir, fingerprint, StaticPlan(plan, static.facts, kept), current)
    return Reopened(plan, bool(changed))


def store_parts(data_dir: Path, fingerprint: Fingerprint, dataset: Dataset) -> CompiledPlan:
    """The compiled plan of a valid data set, its parts kept."""
    from safety_plan.engine.compile import compile_static, with_reports

    months = _month_reports(dataset)
    plan = with_reports(compile_static(dataset), months.values())
    _store_static(data_dir, fingerprint, StaticPlan(plan, dataset.reporting_facts, {}), months)
    return plan


def _store_static(
    data_dir: Path, fingerprint: Fingerprint, static: StaticPlan, months: dict[str, MonthReports]
) -> None:
    """Keep the plan in parts: ``static``'s, with what it took from each month, ``months``
    (those compiled from the files the fingerprint was taken of) or those it bundled."""
    from safety_plan.engine.compile import refs_of

    bundled = dict(static.months)
    for name, part in months.items():
        digest = fingerprint.months.get(f"{PROGRESS}/{name}")
        if digest is not None:
            bundled[name] = Bundled(digest, part.month, refs_of(part))
    # The plan alone with its closing days: its index by unit costs less to build than to read.
    plan = replace(static.plan).knowing(static.plan.closed_from)
    cache.store(data_dir, fingerprint.static, StaticPlan(plan, static.facts, bundled))


def _compile_months(
    data_dir: Path, shown: str, names: list[str], static: StaticPlan, fingerprint: Fingerprint
) -> dict[str, MonthReports] | None:
    """The months named, read and checked against the plan; None at the first that is not
    accepted as it is or has an error (a warning does not stop a query), or that changed
    again since the fingerprint was taken (then nothing built here is the fingerprint's)."""
    from safety_plan.engine.compile import month_reports
    from safety_plan.loading import display_path, parse_yaml
    from safety_plan.loading.files import UnreadableFile, read_data_file
    from safety_plan.loading.month_shape import accept_month
    from safety_plan.loading.plain_yaml import read_plain
    from safety_plan.month_checks import month_findings

    today = dt.date.today()
    compiled: dict[str, MonthReports] = {}
    for name in names:
        try:
            raw = read_data_file(data_dir / PROGRESS / name)
        except (FileNotFoundError, UnreadableFile):
            return None
        if contents_digest(raw) != fingerprint.months.get(f"{PROGRESS}/{name}"):
            return None
        data = read_plain(raw)
        if data is None:  # not plainly written: the loader reads it, as the full path would
            parsed = parse_yaml(raw, display_path(data_dir, Path(PROGRESS) / name, shown), positions=False)
            if parsed.problems:
                return None
            data = parsed.data
        month = accept_month(data)
        if month is None or any(
            f.level is Level.error for f in month_findings(name, month, static.facts, today)
        ):
            return None
        compiled[name] = month_reports(static.plan.names, month)
    return compiled


def _month_reports(dataset: Dataset) -> dict[str, MonthReports]:
    """Each month file's compiled reports, by file name, in the loader's order."""
    from safety_plan.engine.compile import month_reports

    names = dataset.directory.canonical_names()
    return {PurePath(path).name: month_reports(names, p) for path, p in dataset.progress_files.items()}


def _store_months(data_dir: Path, fingerprint: Fingerprint, months: dict[str, MonthReports]) -> None:
    for name, part in months.items():
        digest = fingerprint.months.get(f"{PROGRESS}/{name}")
        if digest is not None:
            cache.store_part(data_dir / PROGRESS / name, _own_key(fingerprint, digest), part)


def _own_key(fingerprint: Fingerprint, digest: str) -> str:
    """A month's own entry's key: its contents and everything else it was compiled with."""
    return f"{digest}\0{fingerprint.static}"
