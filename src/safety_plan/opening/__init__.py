"""Opening a data set for a command, in one pass: fingerprint, cache lookup, load, check,
compile, store. The result is valid data or a clear error (``InvalidDataError``, exit 1).

Levels of cache: a query's answer (``answers``) and the whole data set (dataset and compiled
plan) under the fingerprint of all its files, the plan's parts (``incremental``), and each
file's validated model under its own contents, so that after one month's report is edited
only that file is parsed again.

The fingerprint (files' contents and the code) is taken once per command, whatever it opens;
what was built is stored only if the files still have that fingerprint afterwards, so an edit
made while a command ran is never cached under the old contents.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from safety_plan.gcpause import paused_gc
from safety_plan.problems import InvalidDataError, UsageError

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan
    from safety_plan.loading import FileMemo, LoadResult


def load(data_dir: Path, shown: str, memo: FileMemo | None = None) -> LoadResult:
    """Load and check every file, problems and all (what ``check`` reports).

    Without a ``memo`` (as ``check`` calls it) every file is parsed; with one, unchanged files
    are taken from it."""
    from safety_plan.loading import load_dataset

    _require_dir(data_dir, shown)
    return load_dataset(data_dir, shown_root=shown, memo=memo)


def cached_since(data_dir: Path) -> float | None:
    """When something opened from the directory was last kept (its compiled plan, or an
    answer: a modification time), or None."""
    from safety_plan.opening import cache

    return cache.last_written(data_dir) if cache.enabled() else None


def open_dataset(data_dir: Path, shown: str) -> Dataset:
    """The dataset, valid; raises ``InvalidDataError`` (exit 1) when ``check`` would fail."""
    return Opening(data_dir, shown).dataset()


def open_plan(data_dir: Path, shown: str, dataset: Dataset | None = None) -> CompiledPlan:
    """The compiled plan, from the cache when neither the files nor the code changed since."""
    return Opening(data_dir, shown).plan(dataset)


def open_both(data_dir: Path, shown: str) -> tuple[Dataset, CompiledPlan]:
    """The dataset and its compiled plan, each from the cache where it can be."""
    return Opening(data_dir, shown).both()


class Opening:
    """One data directory being opened: its fingerprint taken once, its loads shared."""

    def __init__(self, data_dir: Path, shown: str) -> None:
        from safety_plan.opening import cache
        from safety_plan.opening.fingerprint import Fingerprint

        _require_dir(data_dir, shown)
        self.data_dir = data_dir
        self.shown = shown
        self.fingerprint = Fingerprint.of(data_dir) if cache.enabled() else None
        self._still_fresh: bool | None = None
        self._read_files = False
        """Files were read here without a check against the fingerprint (a full load)."""

    @property
    def key(self) -> str:
        """The whole data set's cache key; empty when the cache is off."""
        return self.fingerprint.whole if self.fingerprint is not None else ""

    def dataset(self, *, store: bool = True) -> Dataset:
        from safety_plan.dataset import Dataset
        from safety_plan.opening import cache

        cached = cache.load(self.data_dir, self.key, Dataset) if self.key else None
        if cached is not None:
            return cached
        self._read_files = True
        result = load(self.data_dir, self.shown, cache.FileCache() if self.key else None)
        if result.dataset is None or result.errors:
            raise InvalidDataError(result.problems)
        dataset = result.dataset
        if store:
            # Positions are only needed to report problems, and valid data has none; they are
            # keyed by object identity, which does not survive pickling anyway.
            self._store(replace(dataset, origins={}))
        return dataset

    def both(self) -> tuple[Dataset, CompiledPlan]:
        """The dataset and its compiled plan, each from the cache where it can be."""
        dataset = self.dataset()
        return dataset, self.plan(dataset)

    def plan(self, dataset: Dataset | None = None) -> CompiledPlan:
        from safety_plan.engine.types import CompiledPlan
        from safety_plan.opening import cache

        cached = cache.load(self.data_dir, self.key, CompiledPlan) if self.key else None
        if cached is not None:
            return cached
        if dataset is not None:
            self._read_files = True  # loaded by the caller, maybe before the fingerprint was taken
        reopened = None
        with paused_gc():
            if dataset is None and self.fingerprint is not None:  # after a month was edited or added
                from safety_plan.opening.incremental import reopen

                reopened = reopen(self.data_dir, self.shown, self.fingerprint, self.fresh)
            plan = self._compile(dataset) if reopened is None else reopened.plan
            plan.reported_by  # noqa: B018  (the index by unit is stored with the plan, not rebuilt per query)
            plan.closed_from  # noqa: B018  (so is each obligation's closing day)
        if reopened is None or not reopened.months_compiled:
            # Right after a month was read again, only its part is kept, and the command's
            # answer (``answers``): while a month's reports come in, every import changes it
            # again, and writing the whole plan back (30 ms for a district) would be undone by
            # the next. The next query that needs the plan assembles it from the parts, all
            # unchanged then, and keeps it whole.
            self._store(plan)
        return plan

    def _compile(self, dataset: Dataset | None) -> CompiledPlan:
        from safety_plan.engine.compile import compile_plan

        if dataset is None:  # a query of the plan alone: the files' entries suffice next time
            dataset = self.dataset(store=False)
        if self.fingerprint is None or not self.fresh():
            return compile_plan(dataset)
        from safety_plan.opening.incremental import store_parts

        return store_parts(self.data_dir, self.fingerprint, dataset)

    def _store(self, value: object) -> None:
        from safety_plan.opening import cache

        if self.fresh():
            cache.store(self.data_dir, self.key, value)

    def fresh(self) -> bool:
        """What was built here is the fingerprint's, so it may be kept under its key.

        Entries read from the cache are keyed on the fingerprint, and a month read again after
        an edit is checked against it (``incremental``): built from those alone, nothing needs
        checking. After a full load, the files are walked again: an edit made while they were
        read must not be kept under the old contents."""
        from safety_plan.opening.fingerprint import data_fingerprint

        if not self.key:
            return False
        if not self._read_files:
            return True
        if self._still_fresh is None:
            self._still_fresh = data_fingerprint(self.data_dir) == self.key
        return self._still_fresh


def _require_dir(data_dir: Path, shown: str) -> None:
    if not data_dir.exists():
        raise UsageError(f"--data: directory '{shown}' not found")
    if not data_dir.is_dir():
        raise UsageError(f"--data: '{shown}' is not a directory")
