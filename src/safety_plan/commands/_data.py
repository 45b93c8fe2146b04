"""Opening the data directory for a command: the dataset or compiled plan, or a clear error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from safety_plan.gcpause import paused_gc
from safety_plan.problems import InvalidDataError, UsageError

if TYPE_CHECKING:
    from safety_plan.dataset import Dataset
    from safety_plan.engine.types import CompiledPlan
    from safety_plan.loading import LoadResult


def _require_dir(data_dir: Path, shown: str) -> None:
    if not data_dir.exists():
        raise UsageError(f"--data: directory '{shown}' not found")
    if not data_dir.is_dir():
        raise UsageError(f"--data: '{shown}' is not a directory")


def load(data_dir: Path, shown: str) -> LoadResult:
    from safety_plan.loading import load_dataset

    _require_dir(data_dir, shown)
    return load_dataset(data_dir, shown_root=shown)


def open_dataset(data_dir: Path, shown: str) -> Dataset:
    """The dataset, valid; raises ``InvalidDataError`` (exit 1) when ``check`` would fail."""
    from safety_plan import cache
    from safety_plan.dataset import Dataset

    _require_dir(data_dir, shown)
    key = cache.fingerprint(data_dir) if cache.enabled() else ""
    cached = cache.load(data_dir, key, Dataset) if key else None
    if cached is not None:
        return cached
    result = load(data_dir, shown)
    if result.dataset is None or result.errors:
        raise InvalidDataError(result.problems)
    dataset = result.dataset
    if key:
        # Positions are only needed to report problems, and valid data has none; they are
        # keyed by object identity, which does not survive pickling anyway.
        cache.store(data_dir, key, replace(dataset, origins={}))
    return dataset


def open_plan(data_dir: Path, shown: str, dataset: Dataset | None = None) -> CompiledPlan:
    """The compiled plan, from the cache when the files have not changed since."""
    from safety_plan import cache
    from safety_plan.engine.types import CompiledPlan

    _require_dir(data_dir, shown)
    key = cache.fingerprint(data_dir) if cache.enabled() else ""
    cached = cache.load(data_dir, key, CompiledPlan) if key else None
    if cached is not None:
        return cached
    from safety_plan.engine.compile import compile_plan

    if dataset is None:
        dataset = open_dataset(data_dir, shown)
    with paused_gc():
        plan = compile_plan(dataset)
    if key:
        cache.store(data_dir, key, plan)
    return plan


def open_both(data_dir: Path, shown: str) -> tuple[Dataset, CompiledPlan]:
    """The dataset and its compiled plan, each from the cache where it can be."""
    dataset = open_dataset(data_dir, shown)
    return dataset, open_plan(data_dir, shown, dataset)
