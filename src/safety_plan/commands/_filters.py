"""Checking the filters users type (--unit, --plan): exit 2 with the nearest valid value."""

from __future__ import annotations

from safety_plan.arguments import choose
from safety_plan.engine.types import CompiledPlan
from safety_plan.problems import UsageError


def check_unit(plan: CompiledPlan, unit: str | None) -> str | None:
    """The canonical unit or group ID for ``unit`` (an ID or alias), or a usage error."""
    if unit is None:
        return None
    canonical = plan.names.get(unit.strip())
    if canonical is None:
        from safety_plan.suggest import nearest

        hint = nearest(unit, plan.names)
        raise UsageError(f"--unit: unknown unit '{unit}'" + (f" (did you mean '{hint}'?)" if hint else ""))
    return canonical


def check_plan(plan: CompiledPlan, plan_id: str | None) -> str | None:
    if plan_id is None:
        return None
    return choose(plan_id.strip(), list(plan.plans), "plan", "--plan")


def check_ref(plan: CompiledPlan, ref: str, option: str = "ID") -> str:
    if ref in plan.refs or ref in plan.names:
        return ref
    from safety_plan.suggest import nearest

    hint = nearest(ref, [*plan.refs, *plan.names])
    raise UsageError(f"{option}: unknown ID '{ref}'" + (f" (did you mean '{hint}'?)" if hint else ""))
