"""Cross-file checks, each a small registered rule with an ID and a one-line description.

A rule is a function from a ``Dataset`` to the problems it finds; ``run_rules`` runs them
all and stamps each problem with the ID of the rule that found it (as yamllint does), so a
rule never types its own ID and ``check --list-rules`` lists every ID a problem can carry.
Adding a check means adding one decorated function in one of the modules below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from safety_plan.dataset import Dataset
from safety_plan.month_checks import Finding
from safety_plan.problems import Level, Problem

if TYPE_CHECKING:
    from safety_plan.loading.salvage import DroppedReference, Pattern

Check = Callable[[Dataset], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    check: Check
    reads_progress: bool = False
    """The rule looks into the month files, and what it finds in one of them depends on that
    file and the plan alone (not on other months): its month part is ``month_checks``', which
    the run after a month was edited runs on that month alone (``opening.incremental``; the
    one exception, two files for the same month, it checks itself across all months)."""

    def run(self, dataset: Dataset) -> Iterator[Problem]:
        """The rule's problems, each stamped with the rule's ID."""
        for found in self.check(dataset):
            yield replace(found, rule=self.id)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, description: str, *, reads_progress: bool = False) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, description, check, reads_progress)
        return check

    return register


def problem(
    dataset: Dataset,
    obj: object,
    *extra: str | int,
    message: str,
    level: Level = Level.error,
    key: bool = False,
) -> Problem:
    """A problem located at ``obj`` (or one of its fields or list items); ``run_rules``
    stamps the rule ID."""
    origin = dataset.origin(obj)
    if origin is None:
        return Problem("?", 1, 1, level, message, "")
    pos = origin.position(*extra, key=key)
    return Problem(origin.path, pos.line, pos.column, level, message, "")


def located(dataset: Dataset, findings: Iterable[Finding]) -> Iterator[Problem]:
    """The month checks' findings (``month_checks``) as problems at their line and column."""
    for found in findings:
        yield problem(dataset, found.at, found.field, message=found.message, level=found.level)


def dropped(dataset: Dataset, *patterns: Pattern) -> Iterator[DroppedReference]:
    """The well-formed references at ``patterns`` (a model's ``cross_references``) in the
    items a schema error left out: a rule checks them as it checks the kept items'."""
    return (reference for reference in dataset.dropped_references if reference.pattern in patterns)


def run_rules(dataset: Dataset) -> Iterator[Problem]:
    """Every rule's problems."""
    for registered in RULES.values():
        yield from registered.run(dataset)


# Register the rules (import order is report order within a file).
from safety_plan.rules import (  # noqa: E402,F401
    calendar,
    changes,
    coverage,
    identity,
    owners,
    phrases,
    progress,
    references,
    structure,
    supervision,
    verbatim,
)
