"""Helpers for the CLI tests (test_cli_queries.py, test_cli_errors.py): a private cache and a
session-wide memo of parsed data directories, so that ~150 CLI runs stay fast."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., tuple[int, str, str]]

_LOADED: dict[tuple[str, str, str], Any] = {}


def private_cache(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Never read or write the user's cache."""
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(directory))
    monkeypatch.delenv("SAFETY_PLAN_NO_CACHE", raising=False)


def private_cache_and_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A cache and a cache key of the test's own, the cache on; returns the cache folder."""
    private_cache(monkeypatch, tmp_path / "cache")
    monkeypatch.setenv("SAFETY_PLAN_CACHE_KEY", str(tmp_path / "state" / "cache.key"))
    return tmp_path / "cache"


def parse_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse each data directory once per session while its files stay unchanged.

    Keyed on the fingerprint the product's own cache uses (every file's path and contents,
    and the code), so an edited copy is parsed again. Commands still get the loader's
    real result, problems included; only the repeated YAML parsing is saved. Without the
    loader this wraps (a refactor), the tests just run slower.
    """
    import safety_plan.commands.check  # noqa: F401  (binds the real loader first: check stays real)
    from safety_plan import opening
    from safety_plan.opening.fingerprint import data_fingerprint

    real = opening.load

    def load(data_dir: Path, shown: str, memo: Any = None) -> Any:
        if not Path(data_dir).is_dir():
            return real(data_dir, shown)
        key = (str(Path(data_dir).resolve()), shown, data_fingerprint(Path(data_dir)))
        if key not in _LOADED:
            _LOADED[key] = real(data_dir, shown)
        return _LOADED[key]

    monkeypatch.setattr(opening, "load", load)
