"""The loaded plan: every file's models, indexed by ID, with where each object came from.

Pure data: built by ``safety_plan.loading`` and read by the rules, the engine and the
commands. Nothing here touches files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from safety_plan import month_checks
from safety_plan.directory import UnitDirectory
from safety_plan.models import (
    Deadline,
    DomainLead,
    Group,
    Measure,
    MeasuresFile,
    Phase,
    Plan,
    ProgressFile,
    Recurring,
    RulesFile,
    ScheduleFile,
    Unit,
    UnitsFile,
    WorkingGroup,
)
from safety_plan.positions import Loc, Position, SourceMap

if TYPE_CHECKING:
    from safety_plan.loading.salvage import DroppedReference

_T = TypeVar("_T", Plan, Measure, Unit, Group, Deadline, Recurring)


@dataclass(frozen=True)
class Origin:
    path: str
    source_map: SourceMap
    loc: Loc

    def position(self, *extra: str | int, key: bool = False) -> Position:
        return self.source_map.locate((*self.loc, *extra), key=key)


@dataclass
class Dataset:
    measures_file: MeasuresFile
    units_file: UnitsFile
    schedule_file: ScheduleFile
    progress_files: dict[str, ProgressFile]
    """By the file's path as shown to users, in month order."""
    sources: dict[str, str] = field(default_factory=dict)
    """Texts under ``data/sources/`` by file name (for the verbatim rule)."""
    origins: dict[int, Origin] = field(default_factory=dict, repr=False)
    rules_file: RulesFile | None = None
    """``rules.yaml`` when the data has one: the office's lights and supervision rules."""
    unchecked: set[str] = field(default_factory=set)
    """IDs and names of items the loader left out for schema errors: rules do not report a
    reference to one as unknown, the schema error already says what is wrong there."""
    dropped_references: list[DroppedReference] = field(default_factory=list)
    """References (a ref, a unit) in the items the loader left out, well-formed themselves:
    the rules check them as they check the kept ones (``loading.salvage``)."""

    # --- indexes (first occurrence wins; the duplicate-id rule reports the rest) -----

    @cached_property
    def plans(self) -> dict[str, Plan]:
        return _index(self.measures_file.plans)

    @cached_property
    def measures(self) -> dict[str, Measure]:
        return _index(self.measures_file.measures)

    @cached_property
    def units(self) -> dict[str, Unit]:
        return _index(self.units_file.units)

    @cached_property
    def groups(self) -> dict[str, Group]:
        return _index(self.units_file.groups)

    @cached_property
    def main_plan(self) -> Plan:
        """The plan reported on first (the bulletin's title and issue count, the calendar's
        stamp): the one issued most recently, the three-year plan over the standing measures."""
        return max(self.plans.values(), key=lambda p: (p.issued, p.id))

    @property
    def domains(self) -> list[DomainLead]:
        return self.units_file.domains

    @property
    def working_group(self) -> WorkingGroup | None:
        return self.units_file.working_group

    @property
    def phases(self) -> list[Phase]:
        return self.schedule_file.phases

    @cached_property
    def deadlines(self) -> dict[str, Deadline]:
        return _index(self.schedule_file.deadlines)

    @cached_property
    def recurring(self) -> dict[str, Recurring]:
        return _index(self.schedule_file.recurring)

    @property
    def rules(self) -> RulesFile:
        """The supervision rules, the defaults when there is no ``rules.yaml``."""
        return self.rules_file if self.rules_file is not None else RulesFile()

    @cached_property
    def progress(self) -> dict[str, ProgressFile]:
        """Progress files by month (``2025-06``)."""
        result: dict[str, ProgressFile] = {}
        for progress in self.progress_files.values():
            result.setdefault(progress.month, progress)
        return dict(sorted(result.items()))

    @cached_property
    def directory(self) -> UnitDirectory:
        return UnitDirectory(self.units, self.groups)

    # --- derived facts -------------------------------------------------------------

    @cached_property
    def reporting_facts(self) -> month_checks.ReportingFacts:
        """What the checks of a month file need of the plan (``month_checks``)."""
        return month_checks.reporting_facts(self)

    @cached_property
    def ref_kinds(self) -> dict[str, str]:
        """Every measure, deadline and duty ID → ``measure``, ``deadline`` or ``recurring``."""
        return {
            **dict.fromkeys(self.measures, "measure"),
            **dict.fromkeys(self.deadlines, "deadline"),
            **dict.fromkeys(self.recurring, "recurring"),
        }

    def plan_of(self, item: Measure | Deadline | Recurring) -> Plan:
        if isinstance(item, Measure):
            return self.plans[item.plan]
        if item.measure is not None:
            return self.plans[self.measures[item.measure].plan]
        assert item.plan is not None
        return self.plans[item.plan]

    def owners_of(self, item: Deadline | Recurring) -> list[str]:
        """The owners as written: the item's own, else its measure's."""
        if item.owners:
            return item.owners
        assert item.measure is not None
        return self.measures[item.measure].owners

    @property
    def scheduled(self) -> list[Deadline | Recurring]:
        """Every deadline, then every recurring duty, in file order (what the rules walk)."""
        return [*self.schedule_file.deadlines, *self.schedule_file.recurring]

    def deadlines_of(self, measure_id: str) -> list[Deadline]:
        return [d for d in self.schedule_file.deadlines if d.measure == measure_id]

    def recurring_of(self, measure_id: str) -> list[Recurring]:
        return [r for r in self.schedule_file.recurring if r.measure == measure_id]

    def origin(self, obj: object) -> Origin | None:
        return self.origins.get(id(obj))


def _index(items: list[_T]) -> dict[str, _T]:
    result: dict[str, _T] = {}
    for item in items:
        result.setdefault(item.id, item)
    return result
