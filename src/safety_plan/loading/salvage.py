"""What survives a schema error: a file's valid items, so the cross-file rules still see them.

``check`` reports every problem in one run, as yamllint does: a bad ``status`` in one report
must not hide an unknown unit in another file. Pydantic reports all of a file's errors in one
pass; each error's location runs through the list item that holds it (the deepest one), so
dropping those items leaves the valid rest, which is validated again (dropping an item can
empty a list that must not be empty: then its holder goes too). A top-level key that has a
default is dropped the same way; a file whose very shape is wrong (no ``measures:`` list, a
bad ``month``) has no valid part.

The IDs and names of dropped items are kept, so a reference to one is not also reported as
unknown: the schema error already names what is wrong there. And the references a dropped
item makes (the paths its model lists in ``cross_references``: a report's ``unit``, an item's
``ref``, a measure's ``owners``, a deadline's ``measure``) are kept with where they stand as
written, when they are well-formed themselves: the rules still check them, so a bad ``status``
does not hide an unknown ``ref`` in the same item, nor a bad date an unknown owner.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from safety_plan.positions import Loc, SourceMap

Pattern = tuple[str | None, ...]
"""A path from the document root with None for any list index: ``("reports", None, "unit")``."""

MAX_ROUNDS = 8
"""Each round drops at least one item; a few rounds reach any real nesting (item, list, holder)."""


@dataclass(frozen=True, eq=False)
class DroppedReference:
    """A well-formed name in an item salvage left out, still to be checked by the rules."""

    holder: Loc
    """Where the item holding it stands in the file as written (not re-keyed): a report, an
    item, or the list of names it is one of (a measure's ``owners``)."""
    key: str | int
    """The holder's key whose value it is (``ref``, ``unit``), or its index in that list."""
    name: str
    pattern: Pattern = ()
    """The model's ``cross_references`` path it stands at: what the name must be (a unit, a
    measure …) and so which rule checks it."""


@dataclass
class Salvaged:
    value: BaseModel
    rounds: list[set[Loc]]
    """What each round removed, in the coordinates of the data it removed them from."""
    dropped_names: set[str] = field(default_factory=set)
    dropped_references: list[DroppedReference] = field(default_factory=list)

    def rekey(self, source_map: SourceMap) -> SourceMap:
        """The whole file's positions, re-keyed to the kept items' new indexes."""
        for removed in self.rounds:
            source_map = _rekeyed(source_map, removed)
        return source_map


def salvage(data: Any, model: type[BaseModel], error: ValidationError) -> Salvaged | None:
    """The valid part of ``data`` as ``model``, or None when nothing of it can be kept."""
    dropped_names: set[str] = set()
    references: list[DroppedReference] = []
    patterns: tuple[Pattern, ...] = getattr(model, "cross_references", ())
    rounds: list[set[Loc]] = []
    for _ in range(MAX_ROUNDS):
        errors = error.errors(include_url=False)
        targets = {_removable(tuple(e["loc"]), data, model) for e in errors}
        if None in targets or not targets:
            return None
        removed: set[Loc] = {t for t in targets if t is not None}
        if patterns:
            bad = {tuple(e["loc"]) for e in errors}
            for loc in sorted(removed, key=_sort_key):
                if not any(loc[:end] in removed for end in range(1, len(loc))):  # once, in its holder
                    references.extend(_references(_at(data, loc), loc, patterns, bad, rounds))
        data = _without(data, removed, (), dropped_names)
        rounds.append(removed)
        try:
            return Salvaged(model.model_validate(data), rounds, dropped_names, references)
        except ValidationError as again:
            error = again
    return None


def _sort_key(loc: Loc) -> tuple[tuple[int, int | str], ...]:
    """File order for locs whose parts may mix keys and indexes."""
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in loc)


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _references(
    node: Any, loc: Loc, patterns: tuple[Pattern, ...], bad: set[Loc], earlier: list[set[Loc]]
) -> Iterator[DroppedReference]:
    """The well-formed references in ``node``, dropped from ``loc``: a string value at one of
    the ``patterns`` whose path no schema error names (a ref that is not empty, a unit that
    is a name), located as written (``earlier``: what the rounds before this one removed)."""
    for pattern in patterns:
        if len(pattern) <= len(loc) or not _matches(loc, pattern):
            continue
        for path, value in _under(node, pattern[len(loc) :], loc):
            if isinstance(value, str) and path not in bad:
                written = _as_written(path, earlier)  # a list index too may have moved
                yield DroppedReference(written[:-1], written[-1], value, pattern)


def _matches(loc: Loc, pattern: Pattern) -> bool:
    """``loc`` is where ``pattern`` starts (``pattern`` is longer)."""
    return all(p == q or (q is None and isinstance(p, int)) for p, q in zip(loc, pattern, strict=False))


def _under(node: Any, rest: Pattern, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """Every value in ``node`` at the (pattern) path ``rest``, with its full path."""
    if not rest:
        yield loc, node
        return
    part, more = rest[0], rest[1:]
    if part is None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _under(item, more, (*loc, i))
    elif isinstance(node, dict) and part in node:
        yield from _under(node[part], more, (*loc, part))


def _as_written(loc: Loc, earlier: list[set[Loc]]) -> Loc:
    """``loc``, in the data left after the ``earlier`` rounds, as it stands in the file."""
    for removed in reversed(earlier):
        gone = _gone_by_list(removed)
        out: list[str | int] = []
        for part in loc:
            if isinstance(part, int):
                for index in gone.get(tuple(out), ()):
                    if index > part:
                        break
                    part += 1
            out.append(part)
        loc = tuple(out)
    return loc


def _gone_by_list(removed: set[Loc]) -> dict[Loc, list[int]]:
    """The indexes ``removed`` took out of each list, by the list's path, in order."""
    gone: dict[Loc, list[int]] = defaultdict(list)
    for item in removed:
        if isinstance(item[-1], int):
            gone[item[:-1]].append(item[-1])
    for indexes in gone.values():
        indexes.sort()
    return gone


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
    gone_by_list = _gone_by_list(removed)

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
