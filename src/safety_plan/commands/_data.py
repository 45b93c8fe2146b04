"""Opening the data directory for a command: the dataset, or a clear error."""

from __future__ import annotations

from pathlib import Path

from safety_plan.dataset import Dataset
from safety_plan.loading import LoadResult, load_dataset
from safety_plan.problems import InvalidDataError, UsageError


def load(data_dir: Path, shown: str) -> LoadResult:
    if not data_dir.exists():
        raise UsageError(f"--data: directory '{shown}' not found")
    if not data_dir.is_dir():
        raise UsageError(f"--data: '{shown}' is not a directory")
    return load_dataset(data_dir, shown_root=shown)


def open_dataset(data_dir: Path, shown: str) -> Dataset:
    """The dataset, valid; raises ``InvalidDataError`` (exit 1) when ``check`` would fail."""
    result = load(data_dir, shown)
    if result.dataset is None or result.errors:
        raise InvalidDataError(result.problems)
    return result.dataset
