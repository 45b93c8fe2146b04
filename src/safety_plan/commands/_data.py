"""Opening the data directory for a command: the dataset or compiled plan, or a clear error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
    result = load(data_dir, shown)
    if result.dataset is None or result.errors:
        raise InvalidDataError(result.problems)
    return result.dataset


def open_plan(data_dir: Path, shown: str) -> CompiledPlan:
    """The compiled plan, from the cache when the files have not changed since."""
    from safety_plan import cache

    _require_dir(data_dir, shown)
    key = cache.fingerprint(data_dir) if cache.enabled() else ""
    if key:
        cached = cache.load(data_dir, key)
        if cached is not None:
            return cached
    from safety_plan.engine.compile import compile_plan

    plan = compile_plan(open_dataset(data_dir, shown))
    if key:
        cache.store(data_dir, key, plan)
    return plan


def open_both(data_dir: Path, shown: str) -> tuple[Dataset, CompiledPlan]:
    """The dataset and its compiled plan, loading the files once."""
    from safety_plan.engine.compile import compile_plan

    dataset = open_dataset(data_dir, shown)
    return dataset, compile_plan(dataset)
