"""``safety-plan forms``: one report form (.xlsx) per unit that must report that month."""

from __future__ import annotations

from pathlib import Path

from safety_plan import __version__
from safety_plan.commands._data import open_plan
from safety_plan.commands._progress import progress_bar
from safety_plan.commands.base import OutputFile, Request, Result
from safety_plan.engine.types import CompiledPlan, Obligation
from safety_plan.intake.contents import Month, form_content, report_obligations, report_span
from safety_plan.intake.form_writer import form_workbook
from safety_plan.intake.layout import file_name
from safety_plan.problems import UsageError
from safety_plan.resolve import Resolver


def run(request: Request, *, units: list[str] | None = None) -> Result:
    """The forms as files for the one writer, into ``-o DIR`` (default ``forms/YYYY-MM/``)."""
    month = Month.parse(request.month)
    plan = open_plan(request.data.path, request.data.shown)
    owed = report_obligations(plan, month)
    if not owed:
        raise UsageError(
            f"--month {month.label}: no unit owes a monthly report for {month.label}{report_span(plan)}"
        )
    chosen = _chosen(plan, owed, units or [], month)
    target = request.output if request.output is not None else Path("forms") / month.label
    files = []
    with progress_bar(len(chosen), "填报表") as tick:
        for obligation in chosen:
            content = form_content(plan, obligation.unit, month, obligation.due)
            path = target / file_name(month.label, obligation.unit)
            files.append(OutputFile(path, form_workbook(content, __version__)))
            tick()
    due_days = sorted({o.due.isoformat() for o in chosen})
    text = (
        f"wrote {len(chosen)} report form(s) for {month.label} to {target}/ "
        f"(报送截止 {'、'.join(due_days)}); send each unit its own, then `safety-plan import` them"
    )
    return Result(text=text, files=files)


def _chosen(
    plan: CompiledPlan, owed: dict[str, Obligation], units: list[str], month: Month
) -> list[Obligation]:
    """Every unit that owes the month's report, or those named (a group names its members)."""
    if not units:
        return list(owed.values())
    chosen: dict[str, Obligation] = {}
    resolver = Resolver.of_plan(plan)
    for name in units:
        canonical = resolver.unit(name)
        members = plan.members.get(canonical, (canonical,))
        bound = [owed[u] for u in members if u in owed]
        if not bound:
            raise UsageError(f"--unit: {canonical} owes no monthly report for {month.label}")
        for obligation in bound:
            chosen.setdefault(obligation.unit, obligation)
    return list(chosen.values())
