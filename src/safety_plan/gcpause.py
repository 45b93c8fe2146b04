"""Pausing Python's garbage collector around bulk loading."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Loading builds many long-lived objects; Python's collector, triggered again and again
    by them, would otherwise take over half the time of a large load and find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
