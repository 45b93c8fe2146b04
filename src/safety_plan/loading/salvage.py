"""What survives a schema error: a file's valid items, so the cross-file rules still see them.

``check`` reports every problem in one run, as yamllint does: a bad ``status`` in one report
must not hide an unknown unit in another file. Pydantic reports all of a file's errors in one
pass; each error's location runs through the list item that holds it (the deepest one), so
dropping those items leaves the valid rest, which is validated again (dropping an item can
empty a list that must not be empty: then its holder goes too). A top-level key that has a
default is dropped the same way; a file whose very shape is wrong (no ``measures:`` list, a
bad ``month``) has no valid part.

The IDs and names of dropped items are kept, so a reference to one is not also reported as
unknown: the schema error already names what is wrong there.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from safety_plan.positions import Loc, SourceMap

MAX_ROUNDS = 8
"""Each round drops at least one item; a few rounds reach any real nesting (item, list, holder)."""


@dataclass
class Salvaged:
    value: BaseModel
    rounds: list[set[Loc]]
    """What each round removed, in the coordinates of the data it removed them from."""
    dropped_names: set[str] = field(default_factory=set)

    def rekey(self, source_map: SourceMap) -> SourceMap:
        """The whole file's positions, re-keyed to the kept items' new indexes."""
        for removed in self.rounds:
            source_map = _rekeyed(source_map, removed)
        return source_map


def salvage(data: Any, model: type[BaseModel], error: ValidationError) -> Salvaged | None:
    """The valid part of ``data`` as ``model``, or None when nothing of it can be kept."""
    dropped_names: set[str] = set()
    rounds: list[set[Loc]] = []
    for _ in range(MAX_ROUNDS):
        targets = {_removable(tuple(e["loc"]), data, model) for e in error.errors(include_url=False)}
        if None in targets or not targets:
            return None
        removed: set[Loc] = {t for t in targets if t is not None}
        data = _without(data, removed, (), dropped_names)
        rounds.append(removed)
        try:
            return Salvaged(model.model_validate(data), rounds, dropped_names)
        except ValidationError as again:
            error = again
    return None


def _removable(loc: Loc, data: Any, model: type[BaseModel]) -> Loc | None:
    """The deepest list item on the way to ``loc``, or an optional top-level key; else None."""
    node = data
    deepest: Loc | None = None
    for depth, part in enumerate(loc):
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            deepest = loc[: depth + 1]
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    if deepest is not None:
        return deepest
    if loc and isinstance(data, dict) and loc[0] in data:
        info = _field(model, loc[0])
        if info is not None and not info.is_required():
            return loc[:1]
    return None


def _field(model: type[BaseModel], key: str | int) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _without(node: Any, removed: set[Loc], loc: Loc, dropped_names: set[str]) -> Any:
    """A copy of ``node`` without the items and keys at ``removed`` (paths from the root)."""
    if isinstance(node, list):
        kept = []
        for i, item in enumerate(node):
            if (*loc, i) in removed:
                _remember(item, dropped_names)
            else:
                kept.append(_without(item, removed, (*loc, i), dropped_names))
        return kept
    if isinstance(node, dict):
        return {
            k: _without(v, removed, (*loc, k), dropped_names)
            for k, v in node.items()
            if (*loc, k) not in removed
        }
    return node


def _remember(item: Any, dropped_names: set[str]) -> None:
    """The names a dropped item answers to: its ID and aliases (units, groups, measures …)."""
    if not isinstance(item, dict):
        return
    if isinstance(item.get("id"), str):
        dropped_names.add(item["id"])
    aliases = item.get("aliases")
    if isinstance(aliases, list):
        dropped_names.update(a for a in aliases if isinstance(a, str))


def _rekeyed(source_map: SourceMap, removed: set[Loc]) -> SourceMap:
    """``source_map`` with the removed items' entries gone and later indexes moved up."""
    gone_by_list: dict[Loc, list[int]] = defaultdict(list)
    for item in removed:
        if isinstance(item[-1], int):
            gone_by_list[item[:-1]].append(item[-1])
    for indexes in gone_by_list.values():
        indexes.sort()

    def moved(loc: Loc) -> Loc | None:
        out: list[str | int] = []
        for depth, part in enumerate(loc):
            if loc[: depth + 1] in removed:
                return None
            if isinstance(part, int):
                gone = gone_by_list.get(loc[:depth])
                if gone:
                    part -= bisect.bisect_left(gone, part)
            out.append(part)
        return tuple(out)

    rekeyed = SourceMap()
    for source, target in ((source_map.values, rekeyed.values), (source_map.keys, rekeyed.keys)):
        for old, pos in source.items():
            new = moved(old)
            if new is not None:
                target[new] = pos
    return rekeyed
