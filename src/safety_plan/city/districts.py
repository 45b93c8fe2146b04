"""Reading a city's ``districts.yaml``: which districts, and where each one's data is.

The file is read by the project's one YAML reader (``loading.yaml_source``: safe, duplicate
keys refused, a position for every value) and checked here by hand, since it is three keys
deep: every problem names ``districts.yaml`` at the line and column of the value at fault.
A district's own data is not touched: it joins a city unchanged.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safety_plan.positions import DeferredSourceMap, Loc, SourceMap
from safety_plan.problems import Level, Problem
from safety_plan.suggest import did_you_mean

CITY_FILE = "districts.yaml"
DISTRICT_KEYS = ("id", "name", "data")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
"""ASCII, as unit-free as a file name: lower-case letters, digits, '-' and '_'."""


TO_BUILD = 50
"""How much more a district to build again weighs than one whose answer is kept: after one
month's correction it takes 50–80 ms, reading a kept answer 2–3 ms (and a first build half a
second). So a corrected district makes a city's query fork: it is worked on at once, on its
own core, while the others' kept answers are read beside it."""


@dataclass(frozen=True)
class District:
    id: str
    name: str
    data: Path
    """The district's data directory, as a path the process can open."""
    shown: str
    """The same directory as messages name it: under the city's directory as the user gave it."""

    def data_bytes(self) -> int:
        """The size of the district's YAML files (``progress/`` included): how much work
        checking it is, to share districts between cores evenly (``parallel``)."""
        return self._files()[0]

    def opening_work(self) -> int:
        """How much work opening the district for a query is likely to be, to share districts
        between cores (``parallel`` starts with the most, and forks when the rest is worth
        it): its YAML's size, ``TO_BUILD`` times over when a file is newer than anything
        kept from it (its plan, its answers), which will be built again, not just read back.
        Modification times only guess the order of work here; every answer is keyed on the
        files' contents (``opening.fingerprint``)."""
        from safety_plan.opening import cached_since

        size, newest = self._files()
        since = cached_since(self.data)
        return size if since is not None and newest <= since else size * TO_BUILD

    def _files(self) -> tuple[int, float]:
        """The YAML files' total size and newest modification time."""
        total, newest = 0, 0.0
        for folder in (self.data, self.data / "progress"):
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.name.endswith(".yaml") and entry.is_file():
                            info = entry.stat()
                            total += info.st_size
                            newest = max(newest, info.st_mtime)
            except OSError:  # unreadable or gone: opening the district will say so
                continue
        return total, newest


@dataclass(frozen=True)
class City:
    path: Path
    shown: str
    districts: tuple[District, ...]

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.districts]


def is_city(data_dir: Path) -> bool:
    """A directory holding ``districts.yaml`` is a city; a district's data never does."""
    return os.path.lexists(data_dir / CITY_FILE)


def read_city(data_dir: Path, shown: str) -> tuple[City, list[Problem]]:
    """The city's valid districts, and every problem of ``districts.yaml``; never raises."""
    from safety_plan.loading import parse_yaml
    from safety_plan.loading.files import UnreadableFile, read_data_file

    file_shown = str(Path(shown) / CITY_FILE)
    problems: list[Problem] = []
    empty = City(data_dir, shown, ())
    try:
        raw = read_data_file(data_dir / CITY_FILE)
    except FileNotFoundError:
        return empty, [Problem(file_shown, 1, 1, Level.error, "file not found", "missing-file")]
    except UnreadableFile as exc:
        return empty, [Problem(file_shown, 1, 1, Level.error, f"not read: {exc}", "unreadable")]
    file = data_dir / CITY_FILE
    remembered = _recall(file, raw)
    if remembered is not None:  # parsed before without a problem: positions only if one is found
        data: Any = remembered.data
        source_map: SourceMap = DeferredSourceMap(lambda: parse_yaml(raw, file_shown).source_map)
    else:
        parsed = parse_yaml(raw, file_shown)
        problems.extend(parsed.problems)
        if parsed.data is None:
            return empty, sorted(problems)
        data, source_map = parsed.data, parsed.source_map
        if not parsed.problems:
            _remember(file, raw, data)
    reader = _Reader(data_dir, shown, file_shown, source_map, problems)
    return City(data_dir, shown, tuple(reader.districts(data))), sorted(problems)


@dataclass(frozen=True)
class ParsedCityFile:
    """``districts.yaml`` as parsed, cached under its contents and the code: a warm city query
    then neither imports nor runs the YAML parser (the districts are checked again each time:
    their data directories may have moved since)."""

    data: Any


def _recall(file: Path, raw: bytes) -> ParsedCityFile | None:
    from safety_plan.opening import cache

    return cache.recall_file(file, raw, ParsedCityFile) if cache.enabled() else None


def _remember(file: Path, raw: bytes, data: Any) -> None:
    from safety_plan.opening import cache

    if cache.enabled():
        cache.remember_file(file, raw, ParsedCityFile(data))


class _Reader:
    def __init__(
        self, data_dir: Path, shown: str, file_shown: str, source_map: SourceMap, problems: list[Problem]
    ) -> None:
        self.data_dir = data_dir
        self.shown = shown
        self.file_shown = file_shown
        self.source_map = source_map
        self.problems = problems

    def error(self, loc: Loc, message: str, rule: str, *, key: bool = False) -> None:
        line, column = self.source_map.locate(loc, key=key)
        self.problems.append(Problem(self.file_shown, line, column, Level.error, message, rule))

    def districts(self, data: Any) -> list[District]:
        if not isinstance(data, dict):
            self.error((), "the file must be a mapping with the key 'districts'", "schema")
            return []
        for key in data:
            if key != "districts":
                self.error(
                    (key,),
                    f"unknown key '{key}'{did_you_mean(str(key), ['districts'])}",
                    "unknown-key",
                    key=True,
                )
        if "districts" not in data:
            self.error((), "missing key 'districts' (the list of the city's districts)", "missing-key")
            return []
        items = data["districts"]
        if not isinstance(items, list) or not items:
            self.error(("districts",), "'districts' must be a non-empty list of {id, name, data}", "schema")
            return []
        found: list[District] = []
        seen: set[str] = set()
        data_of: dict[Path, str] = {}
        for index, item in enumerate(items):
            district = self.district(("districts", index), item)
            if district is None:
                continue
            if district.id in seen:
                self.error(
                    ("districts", index, "id"), f"duplicate district id '{district.id}'", "duplicate-id"
                )
                continue
            same = data_of.get(district.data.resolve())
            if same is not None:  # its every count would be in the city's totals twice
                self.error(
                    ("districts", index, "data"),
                    f"district '{district.id}': data directory '{item['data']}' is district '{same}''s already",
                    "duplicate-data",
                )
                continue
            seen.add(district.id)
            data_of[district.data.resolve()] = district.id
            found.append(district)
        return found

    def district(self, loc: Loc, item: Any) -> District | None:
        if not isinstance(item, dict):
            self.error(loc, "a district must be a mapping with the keys id, name and data", "schema")
            return None
        ok = True
        for key in item:
            if key not in DISTRICT_KEYS:
                hint = did_you_mean(str(key), DISTRICT_KEYS)
                self.error((*loc, key), f"unknown key '{key}'{hint}", "unknown-key", key=True)
                ok = False
        for key in DISTRICT_KEYS:
            if key not in item:
                self.error(loc, f"missing key '{key}'", "missing-key")
                ok = False
            elif not isinstance(item[key], str) or not item[key].strip():
                self.error((*loc, key), f"'{key}' must be non-empty text", "schema")
                ok = False
        if not ok:
            return None
        district_id, name, data = item["id"], item["name"], item["data"]
        if not _ID.match(district_id):
            self.error(
                (*loc, "id"),
                f"district id '{district_id}' must be ASCII: lower-case letters, digits, '-' and '_' "
                "(e.g. chongming)",
                "schema",
            )
            return None
        path = self.data_dir / data
        if not path.is_dir():
            what = "is not a directory" if path.exists() else "not found"
            self.error(
                (*loc, "data"), f"district '{district_id}': data directory '{data}' {what}", "missing-dir"
            )
            return None
        return District(district_id, name, path, os.path.normpath(os.path.join(self.shown, data)))
