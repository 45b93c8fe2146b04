"""Finding the nearest valid name for a "did you mean …?" hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(name: str, pool: Iterable[str]) -> str | None:
    """Closest string in ``pool`` by similarity, or None when nothing is close."""
    pool = list(pool)
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    if matches:
        return matches[0]
    # Chinese names: a shared prefix (区应急管理 ~ 区应急局) is a good hint.
    best = max(pool, key=lambda c: (_common_prefix(name, c), -abs(len(c) - len(name))), default=None)
    if best is not None and _common_prefix(name, best) >= 2:
        return best
    return None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def did_you_mean(name: str, pool: Iterable[str]) -> str:
    """`` (did you mean 'X'?)`` for the nearest name in ``pool``, or nothing when none is close.

    The one place the hint is worded, so every message (arguments, rules, schema errors,
    form cells) reads the same.
    """
    return hint(nearest(name, pool))


def hint(near: str | None) -> str:
    """`` (did you mean 'X'?)`` for a nearest name already found, or nothing for None."""
    return f" (did you mean '{near}'?)" if near else ""
