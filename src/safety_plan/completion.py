"""Shell completion's words: unit names, IDs, plans and a city's districts, from the data in use.

One district's data offers its own names. A city (``districts.yaml``) offers its district IDs
for ``--district`` and, for the rest, the names of every district (or of the one ``--district``
already names), each once, in the order the districts and their files list them. Completion
must never print an error into the shell: data that cannot be read offers nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from safety_plan.engine.types import CompiledPlan


def _plans(data: Path, shown: str, district: str | None) -> list[CompiledPlan]:
    from safety_plan.city.districts import is_city, read_city
    from safety_plan.opening import open_plan

    if not is_city(data):
        return [open_plan(data, shown)]
    city, _ = read_city(data, shown)
    chosen = [d for d in city.districts if district is None or d.id == district] or list(city.districts)
    plans = []
    for each in chosen:
        try:
            plans.append(open_plan(each.data, each.shown))
        except Exception:  # a broken district still lets the others complete
            continue
    return plans


def _words(
    data: Path,
    shown: str,
    district: str | None,
    incomplete: str,
    pick: Callable[[CompiledPlan], Iterable[str]],
) -> list[str]:
    try:
        plans = _plans(data, shown, district)
    except Exception:
        return []
    found = dict.fromkeys(word for plan in plans for word in pick(plan) if word.startswith(incomplete))
    return list(found)


def units(data: Path, shown: str, district: str | None, incomplete: str) -> list[str]:
    """Every unit, group and alias."""
    return _words(data, shown, district, incomplete, lambda plan: plan.names)


def refs(data: Path, shown: str, district: str | None, incomplete: str) -> list[str]:
    """Measure, deadline and duty IDs, then units."""
    return _words(data, shown, district, incomplete, lambda plan: [*plan.refs, *plan.names])


def plans(data: Path, shown: str, district: str | None, incomplete: str) -> list[str]:
    """Plan IDs (zbgj, m81 …)."""
    return _words(data, shown, district, incomplete, lambda plan: plan.plans)


def districts(data: Path, shown: str, incomplete: str) -> list[str]:
    """A city's district IDs; nothing for one district's data."""
    from safety_plan.city.districts import is_city, read_city

    try:
        if not is_city(data):
            return []
        city, _ = read_city(data, shown)
    except Exception:
        return []
    return [d for d in city.ids if d.startswith(incomplete)]
