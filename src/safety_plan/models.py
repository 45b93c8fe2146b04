"""The data files as Pydantic models: the shape of every YAML file under ``data/``.

Strict on purpose: an unknown key is an error (a mistyped key is otherwise silently lost
data), dates must be real YAML dates (a quoted or numeric date is refused), IDs match their
patterns, and statuses and frequencies are enums. Cross-file facts (does this unit exist?)
are not checked here but by the rules in ``safety_plan.rules``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.types import Strict

from safety_plan.vocabulary import Adjust, Every, Status, UnitKind

# --- reusable field types -------------------------------------------------------------

Date = Annotated[dt.date, Strict()]
"""A real calendar date (YAML ``2024-12-31``); strings and numbers are refused."""

Text = Annotated[str, StringConstraints(min_length=1)]
Name = Annotated[str, StringConstraints(min_length=1, pattern=r"^\S(.*\S)?$")]
"""A unit, group or domain name as the documents write it: no surrounding blanks."""

PlanId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*$")]
MeasureId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*-[1-9][0-9]*$")]
DeadlineId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[1-9][0-9]*)?\.[1-9][0-9]*$")]
"""``<measure>.<k>`` (``zbgj-16.1``) or, for a plan-level deadline, ``<plan>.<k>``."""
RecurringId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[1-9][0-9]*)?\.[a-z][a-z0-9-]*$")]
"""``<measure>.<name>`` (``zbgj-1.meeting``) or, plan-level, ``<plan>.<name>`` (``zbgj.report``)."""
MonthStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
PhaseId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]


class Model(BaseModel):
    """Base for every data model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    cross_references: ClassVar[tuple[tuple[str | None, ...], ...]] = ()
    """Where a file names what another file defines (None: any list index): when a schema
    error drops the item holding one, ``loading.salvage`` keeps it for the rules to check."""


# --- measures.yaml --------------------------------------------------------------------


class Period(Model):
    start: Date
    end: Date


class Section(Model):
    number: Annotated[int, Field(ge=1)]
    label: Text
    """The heading's numeral as printed: ``（一）`` or ``一、``."""
    title: Text


class Goal(Model):
    """A plan-level target (治本攻坚 一、（二）主要目标), quoted from the document."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*-g[1-9][0-9]*$")]
    text: Text
    note: Text | None = None


class Plan(Model):
    id: PlanId
    title: Text
    short: Text
    issuer: Text
    issued: Date
    period: Period
    source: Text
    """File name under ``data/sources/`` holding the document's text."""
    status: Text | None = None
    """E.g. ``送审稿`` for a draft submitted for approval."""
    sections: list[Section]
    goals: list[Goal] = []
    note: Text | None = None
    calendar_domain: (
        Annotated[
            str,
            StringConstraints(
                max_length=253,
                pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
            ),
        ]
        | None
    ) = None
    """The office's internet domain, ending every calendar UID (``export ics``) so that feeds
    of different offices never collide; without it, one is derived from ``issuer``."""


class Measure(Model):
    id: MeasureId
    plan: PlanId
    section: Annotated[int, Field(ge=1)]
    number: Annotated[int, Field(ge=1)]
    title: Text
    text: Text
    """Verbatim from the source document (m81: without the closing owners' parentheses)."""
    owners: list[Name] = Field(min_length=1)
    """Unit or group IDs in the document's order; the first is the lead (牵头) unit."""
    owners_inferred: bool = False
    owners_note: Text | None = None
    """Why the owners are what they are, required when they were inferred."""
    note: Text | None = None

    @model_validator(mode="after")
    def _inferred_owners_need_a_reason(self) -> Measure:
        if self.owners_inferred and not self.owners_note:
            raise ValueError("owners_inferred: true needs an owners_note saying why")
        return self

    @property
    def lead(self) -> str:
        return self.owners[0]


class MeasuresFile(Model):
    plans: list[Plan]
    measures: list[Measure]

    cross_references = (
        ("plans", None, "source"),
        ("measures", None, "plan"),
        ("measures", None, "owners", None),
    )


# --- units.yaml -----------------------------------------------------------------------


class Unit(Model):
    id: Name
    """The short name as the documents write it, e.g. ``区应急局``."""
    name: Text | None = None
    """Official full name where known."""
    kind: UnitKind
    aliases: list[Name] = []
    contact: Text | None = None
    """Who to call about the unit's monthly report (联系人及电话), where the office keeps one:
    ``reports`` lists it beside a unit that has not reported (催报名单)."""
    note: Text | None = None


class Group(Model):
    id: Name
    members: list[Name]
    """Unit IDs (or other groups' IDs)."""
    aliases: list[Name] = []
    complete: bool = True
    """False where the documents do not enumerate the members and the list is a reading."""
    note: Text | None = None

    @model_validator(mode="after")
    def _incomplete_needs_a_reason(self) -> Group:
        if (not self.complete or not self.members) and not self.note:
            raise ValueError("a group that is incomplete or empty needs a note saying why")
        return self


class DomainLead(Model):
    """One row of the annex: which unit leads which domain (牵头负责 …安全)."""

    domain: Name
    leads: list[Name] = Field(min_length=1)
    note: Text | None = None


class WorkingGroupMember(Model):
    role: Text
    """组长, 常务副组长, 副组长, 成员."""
    person: Text
    position: Text
    unit: Name | None = None


class WorkingGroupOffice(Model):
    unit: Name
    """Where the office sits (设在区应急局)."""
    director: Text
    deputy_units: list[Name]
    note: Text | None = None


class WorkingGroup(Model):
    name: Text
    plan: PlanId
    members: list[WorkingGroupMember]
    office: WorkingGroupOffice


class UnitsFile(Model):
    units: list[Unit]
    groups: list[Group] = []
    domains: list[DomainLead] = []
    working_group: WorkingGroup | None = None

    cross_references = (
        ("groups", None, "members", None),
        ("domains", None, "leads", None),
        ("working_group", "members", None, "unit"),
        ("working_group", "office", "unit"),
        ("working_group", "office", "deputy_units", None),
    )


# --- schedule.yaml --------------------------------------------------------------------


class Phase(Model):
    id: PhaseId
    name: Text
    start: Date
    end: Date
    text: Text | None = None


class DeadlineChange(Model):
    """A move of a deadline, with the document that approved it: the due day never changes
    silently, and ``git log`` says who typed it while the data says who approved it."""

    due: Date
    """The new due day."""
    approved: Date
    """It applies from this day on."""
    approval: Text
    """The approving document, e.g. ``崇安委办〔2025〕3号``."""
    reason: Text | None = None
    note: Text | None = None


class Deadline(Model):
    id: DeadlineId
    measure: MeasureId | None = None
    plan: PlanId | None = None
    """Only for a plan-level deadline (no measure): the plan it belongs to."""
    due: Date
    phrase: Text
    """The exact Chinese time phrase, e.g. ``2024年底前``."""
    what: Text
    owners: list[Name] | None = None
    """Defaults to the measure's owners."""
    each: bool = False
    """True when every owner must deliver separately; false when one joint delivery closes it."""
    note: Text | None = None
    changes: list[DeadlineChange] = []
    """Approved moves, oldest first; ``due`` stays the original day."""

    @model_validator(mode="after")
    def _belongs_somewhere(self) -> Deadline:
        if (self.measure is None) == (self.plan is None):
            raise ValueError("give exactly one of 'measure' and 'plan'")
        if self.measure is None and not self.owners:
            raise ValueError("a plan-level deadline needs its own 'owners'")
        return self


class Recurring(Model):
    id: RecurringId
    measure: MeasureId | None = None
    plan: PlanId | None = None
    every: Every
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    """Due on this day of the window's last month (the 25th); else on the window's last day."""
    adjust: Adjust = Adjust.none
    phrase: Text
    what: Text
    owners: list[Name] | None = None
    each: bool = True
    """Recurring duties bind every owner separately unless said otherwise."""
    from_: Annotated[Date | None, Field(alias="from")] = None
    until: Date | None = None
    met_by: Annotated[str, StringConstraints(pattern=r"^report$")] | None = None
    implied: bool = False
    """True where the document implies the frequency rather than stating it."""
    note: Text | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _belongs_somewhere(self) -> Recurring:
        if (self.measure is None) == (self.plan is None):
            raise ValueError("give exactly one of 'measure' and 'plan'")
        if self.measure is None and not self.owners:
            raise ValueError("a plan-level duty needs its own 'owners'")
        if self.implied and not self.note:
            raise ValueError("implied: true needs a note saying where the frequency comes from")
        return self


class Waiver(Model):
    """A time phrase in a measure's text that is deliberately no deadline or duty, and why."""

    measure: MeasureId
    text: Text
    """A verbatim stretch of the measure's text holding the phrase (``年度任务清单``)."""
    note: Text
    """Why the phrase is no deadline or recurring duty (a document's name, not a frequency …)."""


class ScheduleFile(Model):
    phases: list[Phase]
    deadlines: list[Deadline] = []
    recurring: list[Recurring] = []
    waivers: list[Waiver] = []
    """Time phrases of the measures' texts that are neither a deadline nor a duty, each with why."""

    cross_references = (
        ("deadlines", None, "measure"),
        ("deadlines", None, "plan"),
        ("deadlines", None, "owners", None),
        ("recurring", None, "measure"),
        ("recurring", None, "plan"),
        ("recurring", None, "owners", None),
        ("waivers", None, "measure"),
    )


# --- progress/YYYY-MM.yaml ------------------------------------------------------------


class ProgressItem(Model):
    ref: Text
    """A deadline, recurring duty or measure ID."""
    status: Status
    done: Date | None = None
    note: Text | None = None


class Report(Model):
    unit: Name
    submitted: Date
    items: list[ProgressItem] = []


class ProgressFile(Model):
    month: MonthStr
    reports: list[Report] = []

    cross_references = (("reports", None, "unit"), ("reports", None, "items", None, "ref"))


# --- rules.yaml -------------------------------------------------------------------------

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
Count = Annotated[int, Field(ge=1, le=1000)]


class Lights(Model):
    yellow_days: Annotated[int, Field(ge=0, le=3660)] = 30
    """The due-soon (黄灯) window: the default of every ``--warn-days``."""
    recurring_grace_days: Annotated[int, Field(ge=0, le=366)] = 0
    """A recurring occurrence turns red only this many days after its due day (work done on
    30 June reaches the office with July's report)."""
    note: Text | None = None


class When(Model):
    """One condition, of exactly one kind: ``overdue_days``, ``missed_reports``,
    ``repeated`` (with ``months`` and ``within``) or ``after`` (with ``days``)."""

    overdue_days: Annotated[int, Field(ge=0, le=3660)] | None = None
    missed_reports: Count | None = None
    repeated: RuleId | None = None
    months: Count | None = None
    within: Count | None = None
    after: RuleId | None = None
    days: Annotated[int, Field(ge=1, le=3660)] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> When:
        kinds = [k for k in WHEN_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            given = f" (got {', '.join(kinds)})" if kinds else ""
            raise ValueError(f"give exactly one of {', '.join(WHEN_KINDS)}{given}")
        kind = kinds[0]
        needs = {"repeated": ("months", "within"), "after": ("days",)}.get(kind, ())
        for name in needs:
            if getattr(self, name) is None:
                raise ValueError(f"'{kind}' needs '{name}'")
        for name in ("months", "within", "days"):
            if name not in needs and getattr(self, name) is not None:
                raise ValueError(f"'{name}' does not go with '{kind}'")
        if self.months is not None and self.within is not None and self.months > self.within:
            raise ValueError(f"months {self.months} cannot exceed within {self.within}")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in WHEN_KINDS if getattr(self, k) is not None)


WHEN_KINDS = ("overdue_days", "missed_reports", "repeated", "after")


class EscalationRule(Model):
    id: RuleId
    action: Text
    """What the office does, as it says it: 督办函, 通报批评, 约谈 …"""
    points: Annotated[int, Field(ge=-100, le=100)] | None = None
    """For the unit's assessment score, each month the rule fires."""
    when: When
    note: Text | None = None
    """Which sentence of the plan the rule serves, or that it is the office's own choice."""


class Letters(Model):
    reply_days: Annotated[int, Field(ge=1, le=366)] = 10
    """The reply deadline: this many days after the letter's date."""
    sender: Text = "区安委会办公室"
    note: Text | None = None


def _defaults(model: type[Model]) -> dict[str, Any]:
    """A model's defaults as its JSON schema shows them, without building the model: an
    instance built at import would build its validator and load Pydantic's plugins, some
    30 ms on every run that imports the models (a warm query of the dataset) but validates
    nothing."""
    return {name: info.default for name, info in model.model_fields.items()}


class RulesFile(Model):
    lights: Lights = Field(default_factory=Lights, json_schema_extra={"default": _defaults(Lights)})
    escalation: list[EscalationRule] = []
    letters: Letters = Field(default_factory=Letters, json_schema_extra={"default": _defaults(Letters)})

    cross_references = (("escalation", None, "when", "repeated"), ("escalation", None, "when", "after"))


FILE_MODELS: dict[str, type[Model]] = {
    "measures": MeasuresFile,
    "units": UnitsFile,
    "schedule": ScheduleFile,
    "progress": ProgressFile,
    "rules": RulesFile,
}
"""Each file kind and its model: the loader and ``schema`` share this table."""
