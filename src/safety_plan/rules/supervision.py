"""``rules.yaml``'s escalation rules: IDs used once, and every ``repeated`` or ``after``
naming a rule that exists, without a cycle (a rule that waits on itself never fires)."""

from __future__ import annotations

from collections.abc import Iterator

from safety_plan.dataset import Dataset
from safety_plan.models import EscalationRule
from safety_plan.problems import Problem
from safety_plan.rules import dropped, problem, rule
from safety_plan.suggest import nearest


def _target(item: EscalationRule) -> tuple[str, str] | None:
    """(kind, rule ID) of the rule this one builds on, if any."""
    when = item.when
    if when.repeated is not None:
        return "repeated", when.repeated
    if when.after is not None:
        return "after", when.after
    return None


@rule(
    "escalation",
    "escalation rule IDs are unique; 'repeated' and 'after' name an existing rule, without a cycle",
)
def escalation_rules(dataset: Dataset) -> Iterator[Problem]:
    if dataset.rules_file is None:
        return
    rules = dataset.rules_file.escalation
    first: dict[str, int] = {}
    for index, item in enumerate(rules):
        if item.id in first:
            yield problem(
                dataset,
                item,
                "id",
                message=f"duplicate rule ID '{item.id}' (first as rule {first[item.id] + 1})",
            )
        else:
            first[item.id] = index
    by_id = {item.id: item for item in reversed(rules)}  # the first of a duplicate wins
    reported_cycle: set[str] = set()
    for item in rules:
        target = _target(item)
        if target is None:
            continue
        kind, name = target
        if name not in by_id:
            if name not in dataset.unchecked:  # else left out for its own schema error
                yield _unknown_rule(dataset, item, ("when", kind), kind, name, by_id)
            continue
        cycle = _cycle_from(item.id, by_id)
        if cycle and item.id not in reported_cycle:
            reported_cycle.update(cycle)
            yield problem(
                dataset,
                item,
                "when",
                kind,
                message="rules depend on each other in a cycle: " + " → ".join([*cycle, cycle[0]]),
            )
    for reference in dropped(
        dataset, ("escalation", None, "when", "repeated"), ("escalation", None, "when", "after")
    ):
        if reference.name not in by_id and reference.name not in dataset.unchecked:
            yield _unknown_rule(
                dataset, reference, (reference.key,), str(reference.key), reference.name, by_id
            )


def _unknown_rule(
    dataset: Dataset,
    at: object,
    path: tuple[str | int, ...],
    kind: str,
    name: str,
    by_id: dict[str, EscalationRule],
) -> Problem:
    """The problem of ``name``, a rule's ``repeated`` or ``after`` (``kind``) at ``path`` in
    ``at``, that no rule has as its ID."""
    hint = nearest(name, by_id)
    return problem(
        dataset,
        at,
        *path,
        message=f"'{kind}' names unknown rule '{name}'" + (f" (did you mean '{hint}'?)" if hint else ""),
    )


def _cycle_from(start: str, by_id: dict[str, EscalationRule]) -> list[str]:
    """The chain of rules from ``start`` back to itself, or [] when the chain ends."""
    chain = [start]
    current = start
    while True:
        target = _target(by_id[current])
        if target is None or target[1] not in by_id:
            return []
        current = target[1]
        if current == start:
            return chain
        if current in chain:
            return []  # a cycle further down the chain: reported from one of its own rules
        chain.append(current)
