"""Where the shipped data and templates are: inside the wheel, or in the source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]  # src/safety_plan -> repository root
DATA_ENV = "SAFETY_PLAN_DATA"


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_shipped" / name
    return installed if installed.is_dir() else _CHECKOUT / name


def shipped_data_dir() -> Path:
    return _shipped("data")


def inside_installed_package(path: Path) -> bool:
    """Whether ``path`` is the copy of the data installed with the package (never written:
    the next ``pip install`` would replace it); a source checkout's ``data/`` is not."""
    try:
        return path.resolve().is_relative_to(_PACKAGE / "_shipped")
    except OSError:
        return False


def templates_dir() -> Path:
    return _shipped("templates")


def default_data_dir() -> tuple[Path, str]:
    """The data directory to use when none is given, and how to show it in messages.

    ``$SAFETY_PLAN_DATA``, else ``./data`` when it exists, else the shipped data, so that the
    tool answers right after ``pip install``.
    """
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env), env
    local = Path("data")
    if local.is_dir():
        return local, "data"
    shipped = shipped_data_dir()
    return shipped, str(shipped)
