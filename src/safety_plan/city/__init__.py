"""A city as a kind of data set: a directory whose ``districts.yaml`` lists districts' data.

``--data CITY`` makes the queries answer for every district at once. The command layer asks
``run_command`` to run each command: on one district's data it runs the command as it always
has; on a city it runs the command's city edition (``editions``), which opens each district
with the one opening room and evaluates it with the one as-of engine, then joins the answers.
A command without a city edition (forms, import: a district's own work) refuses a city in
one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safety_plan.city.districts import is_city
from safety_plan.problems import UsageError

if TYPE_CHECKING:
    from safety_plan.commands.base import Command, Request, Result

_COMMAND_NAMES = {"import_forms": "import", "listing": "list"}


def command_name(command: Command) -> str:
    """The name a user types for ``command`` (its module's name, as cli.py registers it)."""
    module = command.__module__.rsplit(".", 1)[-1]
    return _COMMAND_NAMES.get(module, module.replace("_", "-"))


def run_command(command: Command, request: Request, options: dict[str, Any]) -> Result:
    """Run ``command`` on the request's data: one district's as before, or a city's."""
    district = options.pop("district", None)
    if not is_city(request.data.path):
        if district is not None:
            raise UsageError(
                f"--district: '{request.data.shown}' is one district's data, not a city (it has no districts.yaml)"
            )
        return command(request, **options)
    from safety_plan.city.editions import EDITIONS

    name = command_name(command)
    edition = EDITIONS.get(name)
    if edition is None:
        raise UsageError(
            f"{name}: '{request.data.shown}' is a city (districts.yaml); {name} is a district's own work: "
            f"give one district's data directory with --data"
        )
    return edition(request, district=district, **options)


__all__ = ["command_name", "is_city", "run_command"]
