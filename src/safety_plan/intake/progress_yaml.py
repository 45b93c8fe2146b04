"""Unit reports merged into a month's progress file, keeping what people wrote by hand.

A round-trip YAML writer (ruamel.yaml) edits the file in place: a unit's new report replaces
its earlier one for the month where it stands, other reports and their comments are left as
they are, and a new unit's report goes at the end. When nothing changes, the text returned is
the text given, byte for byte, so re-importing the same forms changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from safety_plan.intake.form_reader import FormReport, ReportedItem
from safety_plan.intake.layout import WORD_OF_STATUS
from safety_plan.vocabulary import Status

NEW, REPLACED, UNCHANGED = "new", "replaced", "unchanged"


@dataclass(frozen=True)
class Change:
    """What importing one unit's report did to the file."""

    unit: str
    kind: str
    """``new``, ``replaced`` or ``unchanged``."""
    previous_submitted: dt.date | None = None
    details: tuple[str, ...] = ()
    """Per item: ``+ ref 已完成``, ``- ref``, ``ref: 推进中 → 已完成`` …"""


@dataclass
class Merge:
    text: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.kind != UNCHANGED for c in self.changes)


def merge_reports(
    text: str | None, month: str, reports: Sequence[FormReport], canonical: Callable[[str], str]
) -> Merge:
    """``text`` (None for a new file) with ``reports`` merged in; ``canonical`` resolves a
    unit name as written (an alias) to its ID, so 团区委's report replaces 区团委's."""
    yaml = _yaml(text)
    document: Any = yaml.load(text) if text else None
    if document is None:
        document = _new_document(month)
    if document.get("reports") is None:
        document["reports"] = _seq()
    existing: Any = document["reports"]
    changes: list[Change] = []
    for report in reports:
        index = next(
            (i for i, r in enumerate(existing) if canonical(str(r.get("unit", ""))) == report.unit), None
        )
        if index is None:
            existing.append(_report_node(report))
            changes.append(
                Change(report.unit, NEW, details=tuple(f"+ {_item_text(i)}" for i in report.items))
            )
            continue
        node = existing[index]
        before = _items_of(node)
        previous = node.get("submitted")
        previous_day = previous if isinstance(previous, dt.date) else None
        if previous_day == report.submitted and before == list(report.items):
            changes.append(Change(report.unit, UNCHANGED, previous_day))
            continue
        _replace(node, report)
        changes.append(Change(report.unit, REPLACED, previous_day, _differences(before, report.items)))
    if not any(c.kind != UNCHANGED for c in changes) and text is not None:
        return Merge(text, changes)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return Merge(buffer.getvalue(), changes)


# --- ruamel.yaml ----------------------------------------------------------------------


def _yaml(text: str | None) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold a long Chinese note
    yaml.preserve_quotes = True
    # Keep the file's own indentation of the reports list: ``- unit:`` flush under
    # ``reports:`` (as the demo writes it) or indented (as DESIGN.md's example does).
    match = re.search(r"^reports:[ \t]*\r?\n(?:[ \t]*(?:#.*)?\r?\n)*( *)- ", text or "", re.MULTILINE)
    offset = len(match[1]) if match else 0
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _map(pairs: Sequence[tuple[str, Any]]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    for key, value in pairs:
        node[key] = value
    return node


def _seq(values: Sequence[Any] = ()) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(values)


def _new_document(month: str) -> Any:
    return _map([("month", month), ("reports", _seq())])


def _report_node(report: FormReport) -> Any:
    return _map(
        [
            ("unit", report.unit),
            ("submitted", report.submitted),
            ("items", _seq([_item_node(item) for item in report.items])),
        ]
    )


def _item_node(item: ReportedItem) -> Any:
    node = _map([("ref", item.ref), ("status", item.status.value)])
    _set_optional(node, "done", item.done)
    _set_optional(node, "note", _note(item.note))
    return node


_ITEM_KEYS = ("ref", "status", "done", "note")
"""An item's keys in the order DESIGN.md writes them."""


def _set_optional(node: Any, key: str, value: Any) -> None:
    if value is None:
        if key in node:
            del node[key]
    elif key in node or key not in _ITEM_KEYS:
        node[key] = value
    else:
        before = _ITEM_KEYS[: _ITEM_KEYS.index(key)]
        node.insert(sum(1 for k in node if k in before), key, value)


def _note(note: str | None) -> Any:
    """A note that a YAML 1.1 reader (the loader) would take for something else is quoted."""
    if note is None:
        return None
    from safety_plan.loading.pyyaml import yaml

    try:
        plain = yaml.safe_load(note)
    except yaml.YAMLError:
        plain = None
    if plain == note and "\n" not in note:
        return note
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(note)


def _items_of(node: Any) -> list[ReportedItem]:
    """A report's items as written, in order (a hand-written oddity just compares unequal)."""
    items: list[ReportedItem] = []
    for item in node.get("items") or []:
        try:
            status = Status(str(item.get("status")))
        except ValueError:
            status = Status.not_started
        done = item.get("done")
        note = item.get("note")
        items.append(
            ReportedItem(
                str(item.get("ref")),
                status,
                done if isinstance(done, dt.date) else None,
                None if note is None else str(note),
            )
        )
    return items


def _replace(node: Any, report: FormReport) -> None:
    """Replace a report in place, keeping the comment that follows it (the next report's)."""
    trailing = _take_trailing_comment(node)
    node["submitted"] = report.submitted
    old: dict[str, Any] = {}
    for item in node.get("items") or []:
        old.setdefault(str(item.get("ref")), item)
    new_items = []
    for item in report.items:
        reused = old.pop(item.ref, None)
        if reused is None:
            new_items.append(_item_node(item))
            continue
        reused["status"] = item.status.value
        _set_optional(reused, "done", item.done)
        _set_optional(reused, "note", _note(item.note))
        new_items.append(reused)
    if isinstance(node.get("items"), list) and new_items:
        node["items"][:] = new_items
    else:
        node["items"] = _seq(new_items)
    if new_items:
        node["items"].fa.set_block_style()
    _put_trailing_comment(node, trailing)


def _last_key(node: Any) -> tuple[Any, Any] | None:
    """The mapping and key whose line ends this node: where ruamel hangs a following comment."""
    while True:
        if isinstance(node, dict) and node:
            key = list(node)[-1]
            value = node[key]
            if isinstance(value, dict | list) and value:
                node = value
                continue
            return node, key
        if isinstance(node, list) and node:
            node = node[-1]
            continue
        return None


def _take_trailing_comment(node: Any) -> Any:
    found = _last_key(node)
    if found is None:
        return None
    mapping, key = found
    entry = mapping.ca.items.get(key)
    if not entry or len(entry) < 3 or entry[2] is None:
        return None
    token = entry[2]
    if not token.value.startswith("\n"):
        return None  # an inline remark on that line: it stays with its key
    entry[2] = None
    return token


def _put_trailing_comment(node: Any, token: Any) -> None:
    if token is None:
        return
    found = _last_key(node)
    if found is None:
        return
    mapping, key = found
    entry = mapping.ca.items.setdefault(key, [None, None, None, None])
    if entry[2] is None:
        entry[2] = token


# --- describing changes ---------------------------------------------------------------


def _item_text(item: ReportedItem) -> str:
    text = f"{item.ref} {WORD_OF_STATUS[item.status]}"
    return text + (f" {item.done}" if item.done else "")


def _differences(before: Sequence[ReportedItem], after: Sequence[ReportedItem]) -> tuple[str, ...]:
    old = {i.ref: i for i in before}
    new = {i.ref: i for i in after}
    lines: list[str] = []
    for ref, item in new.items():
        was = old.get(ref)
        if was is None:
            lines.append(f"+ {_item_text(item)}")
        elif was != item:
            if (was.status, was.done) != (item.status, item.done):
                lines.append(
                    f"{ref}: {_item_text(was).split(' ', 1)[1]} → {_item_text(item).split(' ', 1)[1]}"
                )
            else:
                lines.append(f"{ref}: 进展情况 updated")
    lines.extend(f"- {ref}" for ref in old if ref not in new)
    return tuple(lines)
