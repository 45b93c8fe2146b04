"""Where a value stands in its file: the link between data and ``path:line:column``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

Loc = tuple[str | int, ...]
"""A value's path from the document root: keys and list indexes."""


class Position(NamedTuple):
    """1-based. A tuple, not a dataclass: the loader makes one per value, hundreds of
    thousands for a large data set, and a tuple is several times cheaper to build."""

    line: int
    column: int


@dataclass
class SourceMap:
    """Where each value (by its path from the document root) and each mapping key stands."""

    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)

    def locate(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of ``loc``, or of its nearest ancestor that exists (a missing key)."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return Position(1, 1)


class DeferredSourceMap(SourceMap):
    """A source map built only when a position is first asked for.

    A file taken from the cache was valid when it was stored, so its positions are usually
    never needed; when a cross-file rule does report a problem in it, parsing it again gives
    exactly the positions a fresh load would have.
    """

    def __init__(self, build: Callable[[], SourceMap]) -> None:
        super().__init__()
        self._build: Callable[[], SourceMap] | None = build

    def locate(self, loc: Loc, *, key: bool = False) -> Position:
        if self._build is not None:
            built, self._build = self._build(), None
            self.values, self.keys = built.values, built.keys
        return super().locate(loc, key=key)
