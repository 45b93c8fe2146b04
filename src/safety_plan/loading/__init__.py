"""The one loader: a data directory in, a ``Dataset`` and every problem found out.

Steps, each collecting problems rather than stopping at the first: read each file, parse it
safely (``yaml_source``; positions recovered only for a file with a problem), validate it against its model (``models``) with
Pydantic's errors mapped back to ``line:column``, then run the cross-file rules.

Pydantic, the models and PyYAML are imported when a data set is loaded, not when this
package is: ``files`` under it is light, and a city's warm query reads ``districts.yaml`` with
it alone (the file's parse comes from the cache).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from safety_plan.gcpause import paused_gc
from safety_plan.loading.files import UnreadableFile, folder_entries, read_data_file
from safety_plan.positions import DeferredSourceMap, Position, SourceMap
from safety_plan.problems import Level, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

    from safety_plan.dataset import Dataset
    from safety_plan.loading.salvage import DroppedReference
    from safety_plan.loading.yaml_source import ParsedYaml
    from safety_plan.models import Model


def parse_yaml(raw: bytes, path: str, *, positions: bool = True) -> ParsedYaml:
    """``yaml_source.parse_yaml``, PyYAML imported on first use: reading files (``files``)
    needs none of it, and a city's warm query takes ``districts.yaml`` from the cache."""
    from safety_plan.loading import yaml_source

    return yaml_source.parse_yaml(raw, path, positions=positions)


@cache
def main_files() -> dict[str, type[Model]]:
    """The three files every data directory has, each with its model."""
    from safety_plan.models import MeasuresFile, ScheduleFile, UnitsFile

    return {"measures.yaml": MeasuresFile, "units.yaml": UnitsFile, "schedule.yaml": ScheduleFile}


RULES_FILE = "rules.yaml"
"""Optional: the office's supervision rules; without it every default holds."""
PROGRESS_DIR = "progress"
SOURCES_DIR = "sources"


@dataclass
class LoadResult:
    dataset: Dataset | None
    """None when a file could not be read or validated at all."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


M = TypeVar("M", bound="BaseModel")


class FileMemo(Protocol):
    """Validated files remembered by their contents, so an unchanged file is not parsed again.

    Only a file that parsed and validated without any problem is remembered; ``recall`` returns
    None for anything else (another content, another model, no entry)."""

    def recall(self, file: Path, raw: bytes, model: type[M]) -> M | None: ...

    def remember(self, file: Path, raw: bytes, value: BaseModel) -> None: ...


@dataclass
class _Loaded:
    model: Any
    path: str
    source_map: SourceMap
    dropped_names: set[str] = field(default_factory=set)
    """IDs and names of items left out for schema errors (see ``salvage``)."""
    dropped_references: list[DroppedReference] = field(default_factory=list)
    """References in those items, still to be checked (see ``salvage``)."""
    as_written: SourceMap | None = None
    """Positions of the file as written, where the dropped references stand (``source_map``
    is re-keyed to the kept items)."""


def display_path(root: Path, name: str | Path, shown_root: str | None = None) -> str:
    """How a file is named in messages: under the directory as the user gave it."""
    base = shown_root if shown_root is not None else str(root)
    return str(Path(base) / name)


def load_dataset(
    root: Path, *, shown_root: str | None = None, run_rules: bool = True, memo: FileMemo | None = None
) -> LoadResult:
    """Load and check the data directory ``root``; never raises for bad data.

    With a ``memo``, unchanged files come from it instead of being parsed (the rules still run
    over the whole data set, and report positions in those files exactly)."""
    with paused_gc():
        return _load_dataset(root, shown_root, run_rules, memo)


def month_file_names(root: Path) -> list[str]:
    """The month files the loader reads, in its order (problems with the folder aside)."""
    return [file.name for file in _progress_files(root / PROGRESS_DIR, PROGRESS_DIR, [])]


def _load_dataset(root: Path, shown_root: str | None, run_rules: bool, memo: FileMemo | None) -> LoadResult:
    from safety_plan.dataset import Dataset
    from safety_plan.models import ProgressFile, RulesFile

    problems: list[Problem] = []
    loaded: dict[str, _Loaded | None] = {}
    for name, model in main_files().items():
        loaded[name] = _load_file(root / name, display_path(root, name, shown_root), model, problems, memo)

    progress: list[_Loaded] = []
    progress_dir = root / PROGRESS_DIR
    for file in _progress_files(progress_dir, display_path(root, PROGRESS_DIR, shown_root), problems):
        shown = display_path(root, Path(PROGRESS_DIR) / file.name, shown_root)
        result = _load_file(file, shown, ProgressFile, problems, memo)
        if result is not None:
            progress.append(result)

    rules: _Loaded | None = None
    if os.path.lexists(root / RULES_FILE):
        shown = display_path(root, RULES_FILE, shown_root)
        rules = _load_file(root / RULES_FILE, shown, RulesFile, problems, memo)
        if rules is None:
            return LoadResult(None, sorted(problems))

    sources = _read_sources(root / SOURCES_DIR, display_path(root, SOURCES_DIR, shown_root), problems)
    measures, units, schedule = (loaded[n] for n in main_files())
    if measures is None or units is None or schedule is None:
        return LoadResult(None, sorted(problems))

    extra = [rules] if rules is not None else []
    dataset = Dataset(
        measures_file=measures.model,
        units_file=units.model,
        schedule_file=schedule.model,
        progress_files={p.path: p.model for p in progress},
        sources=sources,
        rules_file=rules.model if rules is not None else None,
        unchecked={name for f in [measures, units, schedule, *progress, *extra] for name in f.dropped_names},
        dropped_references=[
            r for f in [measures, units, schedule, *progress, *extra] for r in f.dropped_references
        ],
    )
    _record_origins(dataset, [measures, units, schedule, *progress, *extra])
    if run_rules:
        from safety_plan.rules import run_rules as run

        problems.extend(run(dataset))
    return LoadResult(dataset, sorted(problems))


def _load_file(
    file: Path, shown: str, model: type[BaseModel], problems: list[Problem], memo: FileMemo | None
) -> _Loaded | None:
    from pydantic import ValidationError

    from safety_plan.loading.salvage import salvage
    from safety_plan.loading.schema_errors import problems_from_validation

    try:
        raw = read_data_file(file)
    except FileNotFoundError:
        problems.append(Problem(shown, 1, 1, Level.error, _not_found(file), "missing-file"))
        return None
    except UnreadableFile as exc:
        problems.append(Problem(shown, 1, 1, Level.error, f"not read: {exc}", "unreadable"))
        return None
    # Positions only when a problem asks for one: parsed again then, so they are exact.
    positions = DeferredSourceMap(lambda: parse_yaml(raw, shown).source_map)
    remembered = memo.recall(file, raw, model) if memo is not None else None
    if remembered is not None:
        return _Loaded(remembered, shown, positions)
    parsed = parse_yaml(raw, shown, positions=False)
    problems.extend(parsed.problems)
    if parsed.data is None:
        return None
    try:
        value = model.model_validate(parsed.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, model, shown, positions, parsed.broken))
        kept = salvage(parsed.data, model, exc)  # the valid rest, so the cross-file rules see it
        if kept is None:
            return None
        rekeyed = DeferredSourceMap(lambda: kept.rekey(_built(positions)))
        return _Loaded(kept.value, shown, rekeyed, kept.dropped_names, kept.dropped_references, positions)
    if memo is not None and not parsed.problems:  # duplicate keys etc.: reported, never remembered
        memo.remember(file, raw, value)
    return _Loaded(value, shown, positions)


def _built(positions: DeferredSourceMap) -> SourceMap:
    """``positions`` parsed now (one parse for the file as written and its re-keyed view)."""
    positions.locate(())
    return positions


def _not_found(file: Path) -> str:
    """'file not found', naming a file that differs only in case (``Units.yaml``)."""
    try:
        near = [e.name for e in folder_entries(file.parent) if e.name.lower() == file.name.lower()]
    except UnreadableFile:
        near = []
    return f"file not found (there is '{near[0]}': rename it to '{file.name}')" if near else "file not found"


PROGRESS_SUFFIXES = (".yaml", ".yml")


def is_month_file(name: str) -> bool:
    """A file under ``progress/`` that the loader reads as a month's reports (hidden ones,
    ``.gitkeep``, are skipped without a word; others are reported as not read)."""
    return not name.startswith(".") and os.path.splitext(name)[1] in PROGRESS_SUFFIXES


def _progress_files(folder: Path, shown: str, problems: list[Problem]) -> list[Path]:
    """The progress files to read; every other entry of the folder is reported as not read.

    Names starting with a dot (``.gitkeep``) are hidden files, skipped without a word.
    """
    if not os.path.lexists(folder):
        return []
    try:
        entries = folder_entries(folder)
    except UnreadableFile as exc:
        problems.append(Problem(shown, 1, 1, Level.error, f"progress reports not read: {exc}", "unreadable"))
        return []
    files: list[Path] = []
    for entry in entries:
        name = entry.name
        if is_month_file(name):
            files.append(Path(entry.path))
            continue
        if name.startswith("."):
            continue
        suffix = os.path.splitext(name)[1]
        where = f"{shown}/{name}"
        if suffix.lower() in PROGRESS_SUFFIXES:
            fixed = os.path.splitext(name)[0] + suffix.lower()
            message = f"not read: a progress file's name ends in lower-case '{suffix.lower()}' (rename it to '{fixed}')"
            problems.append(Problem(where, 1, 1, Level.error, message, "skipped-file"))
        else:
            what = "a folder" if entry.is_dir() else "not a YYYY-MM.yaml file"
            message = f"not read: {what}; only YYYY-MM.yaml files under progress/ are reports"
            problems.append(Problem(where, 1, 1, Level.warning, message, "skipped-file"))
    return files


def _read_sources(folder: Path, shown: str, problems: list[Problem]) -> dict[str, str]:
    if not os.path.lexists(folder):
        return {}
    try:
        entries = folder_entries(folder)
    except UnreadableFile as exc:
        problems.append(Problem(shown, 1, 1, Level.error, f"source documents not read: {exc}", "unreadable"))
        return {}
    texts: dict[str, str] = {}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        where = f"{shown}/{entry.name}"
        if entry.is_dir():
            message = "not read: a folder; source documents lie directly in sources/"
            problems.append(Problem(where, 1, 1, Level.warning, message, "skipped-file"))
            continue
        try:
            raw = read_data_file(Path(entry.path))
        except (FileNotFoundError, UnreadableFile) as exc:
            reason = exc if isinstance(exc, UnreadableFile) else "the file vanished while it was read"
            problems.append(Problem(where, 1, 1, Level.error, f"not read: {reason}", "unreadable"))
            continue
        texts[entry.name] = raw.decode("utf-8-sig", errors="replace")
    return texts


def _record_origins(dataset: Dataset, files: list[_Loaded]) -> None:
    """Remember where each object stands so rules can point at it."""
    from pydantic import BaseModel

    from safety_plan.dataset import Origin
    from safety_plan.models import ProgressFile

    origins = dataset.origins
    for loaded in files:
        model = loaded.model
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    origins[id(item)] = Origin(loaded.path, loaded.source_map, (name, i))
                    if isinstance(model, ProgressFile):
                        for j, sub in enumerate(item.items):
                            origins[id(sub)] = Origin(loaded.path, loaded.source_map, (name, i, "items", j))
            elif isinstance(value, BaseModel):
                origins[id(value)] = Origin(loaded.path, loaded.source_map, (name,))
        if loaded.as_written is not None:
            for reference in loaded.dropped_references:
                origins[id(reference)] = Origin(loaded.path, loaded.as_written, reference.holder)
        origins[id(model)] = Origin(loaded.path, loaded.source_map, ())


__all__ = ["LoadResult", "Position", "load_dataset", "month_file_names"]
