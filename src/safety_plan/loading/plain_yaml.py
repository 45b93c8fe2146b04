"""A month file read without PyYAML, when it is written in the plain YAML month files are
written in; None for anything else, which the caller then gives to the loader.

The run after one month's reports were corrected reads that file alone (``opening.incremental``),
and importing PyYAML and composing its node graph is most of what it does beyond a warm run.
Month files are block mappings and lists of names, dates, statuses and notes, one value to a
line: read line by line here, in a fraction of the time. What this reads, it reads as
``yaml_source.parse_yaml`` would, value for value and type for type (a test runs both over
thousands of mutated files); what it is not sure of, it does not guess: it declines, and the
loader reads the file, reporting any problem at its line and column as ever.

It declines anything but: block mappings whose keys are plain names (ASCII letters, digits and
``_``, not one YAML 1.1 reads as true, false or null), block lists (``- ``, at the key's
indentation or deeper), and one-line values: plain text that no resolver of the safe loader
would read as anything else (its first character none of theirs, a name that is not a bool or
null word, or text beyond ASCII, which their patterns are not), dates written ``YYYY-MM-DD``,
``YYYY-MM``, quoted text without escapes, ``[]``, and nothing (null); comments and blank lines
anywhere, ``\\r\\n`` line ends. So: no anchors, aliases, tags, flow collections (but ``[]``),
block scalars, multi-line values, escapes, numbers, document markers or directives, no
duplicate keys, no tab, and no character the loader refuses (control, invisible, or ones YAML
forbids).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from safety_plan.loading.characters import CONTROL, INVISIBLE

_UNSURE = re.compile(f"[{CONTROL}{INVISIBLE}\t\r\ufffe\uffff]")
"""Characters the loader refuses or reports, and tabs and bare carriage returns, which YAML
reads in ways a line reader would have to mimic: a file with any goes to the loader."""
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)' *(?: #.*)?")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)" *(?: #.*)?')
_EMPTY_LIST = re.compile(r"\[\] *(?: #.*)?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters a plain value cannot start with (or that start something else)."""
_RESOLVED_FROM = frozenset("-+.0123456789<=FNOTYfnoty~!&*")
"""The first characters PyYAML's safe loader looks for another type at (its implicit resolvers'
keys; a test checks them against PyYAML's): a plain value starting with any other is text."""
_WORDS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
    | {"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~"}
)
"""The words YAML 1.1's bool and null resolvers read (and the only ones that look at a letter)."""
_MAX_DEPTH = 32
"""Month files nest four levels; past this, a file is the loader's to judge (and to report
as nested too deeply), not a recursion here."""
_MAX_KEY = 128
"""libyaml refuses an implicit key longer than 1024 characters; no month file key is near."""


class _Unsure(Exception):
    """The text is not (or not surely) what this reader reads exactly."""


def read_plain(raw: bytes) -> dict[str, Any] | None:
    """The mapping ``raw`` holds, as the loader reads it; None when the file is not plainly
    written (the loader then reads it, and reports whatever is wrong)."""
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNSURE.search(text) is not None:
        return None
    lines = _significant(text)
    if len(lines) < 2 or lines[0][0] != 0:
        return None
    try:
        value, end = _block(lines, 0, 0, 0)
    except _Unsure:
        return None
    if end != len(lines) - 1 or not isinstance(value, dict):
        return None
    return value


Line = tuple[int, str]
"""A line's indentation and what follows it."""
_END: Line = (-1, "")
"""After the last line: indented less than any, so that every block ends there."""


def _significant(text: str) -> list[Line]:
    """The lines that hold values (not blank, not only a comment), then ``_END``; none for a
    file with a document marker or a directive."""
    lines: list[Line] = []
    for line in text.split("\n"):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        if not indent and content.startswith(("---", "...", "%")):
            return []
        lines.append((indent, content.rstrip(" ")))
    lines.append(_END)
    return lines


def _is_entry(content: str) -> bool:
    return content[:2] == "- " or content == "-"


def _block(lines: list[Line], at: int, indent: int, depth: int) -> tuple[Any, int]:
    """The mapping or list whose first line, ``lines[at]``, is indented ``indent``."""
    content = lines[at][1]
    if _is_entry(content):
        return _sequence(lines, at, indent, depth)
    match = _KEY.fullmatch(content)
    if match is None:
        raise _Unsure  # a value on the line below its key, or a key YAML may read otherwise
    return _mapping(lines, at, indent, match, depth)


def _sequence(lines: list[Line], at: int, indent: int, depth: int) -> tuple[list[Any], int]:
    if depth > _MAX_DEPTH:
        raise _Unsure  # every level of nesting passes here or through _mapping
    items: list[Any] = []
    below, content = lines[at]
    while below == indent and _is_entry(content):
        after = content[1:]
        rest = after.lstrip(" ")
        if not rest or rest[0] == "#" or _is_entry(rest):
            raise _Unsure  # the item on the lines below, or a list in a list
        match = _KEY.fullmatch(rest)
        if match is not None:
            item, at = _mapping(lines, at, indent + 1 + len(after) - len(rest), match, depth + 1)
        else:
            item = _scalar(rest)
            at += 1
        items.append(item)
        below, content = lines[at]
    if below > indent:
        raise _Unsure  # a value continued on the next line
    return items, at


def _mapping(
    lines: list[Line], at: int, indent: int, match: re.Match[str], depth: int
) -> tuple[dict[str, Any], int]:
    """The mapping whose first key ``match`` matched, on ``lines[at]`` at ``indent`` (for a
    list item's first key, where it starts after ``- ``)."""
    if depth > _MAX_DEPTH:
        raise _Unsure
    result: dict[str, Any] = {}
    while True:
        key, written = match.groups()
        if key in result or key in _WORDS or len(key) > _MAX_KEY:
            raise _Unsure  # a duplicate (the loader reports it), a bool or null, or too long
        at += 1
        value = _NOTHING if written is None else _scalar(written)
        below, content = lines[at]
        if value is _NOTHING:  # the value is on the lines below, or is null
            value = None
            if below > indent:
                value, at = _block(lines, at, below, depth + 1)
            elif below == indent and _is_entry(content):
                value, at = _sequence(lines, at, indent, depth + 1)
            below, content = lines[at]
        result[key] = value
        if below < indent:
            return result, at
        if below > indent:
            raise _Unsure  # a value continued on the next line, or a misplaced key
        following = _KEY.fullmatch(content)
        if following is None:
            raise _Unsure  # a list after a value, or a key YAML may read otherwise
        match = following


_NOTHING: Any = object()
"""What a key's line says when its value is on the lines below (or is null): a comment."""


def _scalar(written: str) -> Any:
    """One value as written after ``key: `` or ``- `` (no trailing spaces)."""
    first = written[0]
    if first in _INDICATORS:
        if first == "'":
            match = _SINGLE_QUOTED.fullmatch(written)
            if match is None:
                raise _Unsure
            return match.group(1).replace("''", "'")
        if first == '"':
            match = _DOUBLE_QUOTED.fullmatch(written)
            if match is None:
                raise _Unsure  # an escape, or more after the closing quote
            return match.group(1)
        if first == "#":
            return _NOTHING
        if first == "[" and _EMPTY_LIST.fullmatch(written):
            return []  # a report without items
        raise _Unsure
    cut = written.find(" #")
    if cut >= 0:
        written = written[:cut].rstrip(" ")
    if ": " in written or written.endswith(":"):
        raise _Unsure  # a mapping where a value should be: the loader explains
    if first not in _RESOLVED_FROM:
        return written
    if first.isalpha():
        if written in _WORDS:
            raise _Unsure
        return written  # only the bool and null resolvers look at a letter: a name
    if not written.isascii():
        return written  # the others' patterns are ASCII throughout: "2025年度…" is text
    date = _DATE.fullmatch(written)
    if date is not None:
        try:
            return dt.date(int(date.group(1)), int(date.group(2)), int(date.group(3)))
        except ValueError:
            raise _Unsure from None  # the loader reports the impossible date
    if _MONTH.fullmatch(written):
        return written  # a month: no resolver reads it as a number or a date
    raise _Unsure
