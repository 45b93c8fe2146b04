"""The one loader: a data directory in, a ``Dataset`` and every problem found out.

Steps, each collecting problems rather than stopping at the first: read each file, parse it
safely with positions (``yaml_source``), validate it against its model (``models``) with
Pydantic's errors mapped back to ``line:column``, then run the cross-file rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from safety_plan.dataset import Dataset, Origin
from safety_plan.gcpause import paused_gc
from safety_plan.loading.schema_errors import problems_from_validation
from safety_plan.loading.yaml_source import parse_yaml
from safety_plan.models import (
    MeasuresFile,
    Model,
    ProgressFile,
    RulesFile,
    ScheduleFile,
    UnitsFile,
)
from safety_plan.positions import Position, SourceMap
from safety_plan.problems import Level, Problem

MAIN_FILES: dict[str, type[Model]] = {
    "measures.yaml": MeasuresFile,
    "units.yaml": UnitsFile,
    "schedule.yaml": ScheduleFile,
}
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


@dataclass
class _Loaded:
    model: Any
    path: str
    source_map: SourceMap


def display_path(root: Path, name: str | Path, shown_root: str | None = None) -> str:
    """How a file is named in messages: under the directory as the user gave it."""
    base = shown_root if shown_root is not None else str(root)
    return str(Path(base) / name)


def load_dataset(root: Path, *, shown_root: str | None = None, run_rules: bool = True) -> LoadResult:
    """Load and check the data directory ``root``; never raises for bad data."""
    with paused_gc():
        return _load_dataset(root, shown_root, run_rules)


def _load_dataset(root: Path, shown_root: str | None, run_rules: bool) -> LoadResult:
    problems: list[Problem] = []
    loaded: dict[str, _Loaded | None] = {}
    for name, model in MAIN_FILES.items():
        loaded[name] = _load_file(root / name, display_path(root, name, shown_root), model, problems)

    progress: list[_Loaded] = []
    progress_dir = root / PROGRESS_DIR
    if progress_dir.is_dir():
        for file in sorted(progress_dir.glob("*.yaml")) + sorted(progress_dir.glob("*.yml")):
            shown = display_path(root, Path(PROGRESS_DIR) / file.name, shown_root)
            result = _load_file(file, shown, ProgressFile, problems)
            if result is not None:
                progress.append(result)

    rules: _Loaded | None = None
    if (root / RULES_FILE).exists():
        rules = _load_file(root / RULES_FILE, display_path(root, RULES_FILE, shown_root), RulesFile, problems)
        if rules is None:
            return LoadResult(None, sorted(problems))

    measures, units, schedule = (loaded[n] for n in MAIN_FILES)
    if measures is None or units is None or schedule is None:
        return LoadResult(None, sorted(problems))

    dataset = Dataset(
        measures_file=measures.model,
        units_file=units.model,
        schedule_file=schedule.model,
        progress_files={p.path: p.model for p in progress},
        sources=_read_sources(root / SOURCES_DIR),
        rules_file=rules.model if rules is not None else None,
    )
    _record_origins(dataset, [measures, units, schedule, *progress, *([rules] if rules else [])])
    if run_rules:
        from safety_plan.rules import run_rules as run

        problems.extend(run(dataset))
    return LoadResult(dataset, sorted(problems))


def _load_file(file: Path, shown: str, model: type[BaseModel], problems: list[Problem]) -> _Loaded | None:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(shown, 1, 1, Level.error, "file not found", "missing-file"))
        return None
    except OSError as exc:
        problems.append(
            Problem(shown, 1, 1, Level.error, f"cannot read the file: {exc.strerror}", "missing-file")
        )
        return None
    parsed = parse_yaml(raw, shown)
    problems.extend(parsed.problems)
    if parsed.data is None:
        return None
    try:
        value = model.model_validate(parsed.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, model, shown, parsed.source_map, parsed.broken))
        return None
    if parsed.problems:  # duplicate keys etc.: the model is valid but something was lost
        return None
    return _Loaded(value, shown, parsed.source_map)


def _read_sources(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    texts: dict[str, str] = {}
    for file in sorted(folder.iterdir()):
        if file.is_file():
            texts[file.name] = file.read_bytes().decode("utf-8-sig", errors="replace")
    return texts


def _record_origins(dataset: Dataset, files: list[_Loaded]) -> None:
    """Remember where each object stands so rules can point at it."""
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
        origins[id(model)] = Origin(loaded.path, loaded.source_map, ())


__all__ = ["LoadResult", "Position", "load_dataset"]
