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
            # What was loaded lives until the command ends: moved out of the collector's
            # generations, it is not walked again by the collections that later work triggers.
            gc.freeze()
            gc.enable()
