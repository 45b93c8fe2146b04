"""Safe YAML parsing that remembers where every value came from.

PyYAML's C parser (libyaml) composes the node graph; we then build plain Python values
ourselves instead of calling a constructor. That gives us, in one pass:

* safety: only the core tags (str, int, float, bool, null, date) are built; any other tag,
  ``!!python/object`` included, is refused without being run;
* duplicate mapping keys as errors (PyYAML silently keeps the last one);
* a position for every value and key, so schema and rule errors point at ``line:column``;
* a bound on alias expansion, so a "billion laughs" document fails fast instead of hanging;
* control and invisible characters refused at their line and column, whether written raw or
  as a double-quoted escape (``"\\e"``): they can retitle or clear a terminal, break the xlsx
  writer, or make two unit names look the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from safety_plan.loading.characters import CONTROL, INVISIBLE
from safety_plan.loading.pyyaml import yaml
from safety_plan.positions import Loc, Position, SourceMap
from safety_plan.problems import Level, Problem

try:  # libyaml when present: several times faster than the pure-Python parser
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"


class _Loader(_SafeLoader):
    """The safe loader, each scalar's tag resolved once per file and value.

    A plain scalar's tag comes from matching it against the implicit resolvers' patterns, in
    Python, for every node; a month file says ``done``, a date and a unit's name hundreds of
    times over. The tag depends on nothing but the node's kind, its value and whether it was
    quoted (the resolvers are the safe loader's own, fixed), so a file's repeats are looked up,
    and a value no resolver can match (quoted, or starting with a character none looks at:
    a name, a note) is text without a look-up.
    """

    _MAY_RESOLVE = frozenset(key for key in _SafeLoader.yaml_implicit_resolvers if key is not None)
    """The first characters a plain scalar can have to be anything but text (digits, signs,
    ``y``/``n``/``t``/``f``/``o`` …), and ``""`` for the empty one."""
    _TEXT_ONLY = None not in _SafeLoader.yaml_implicit_resolvers and not _SafeLoader.yaml_path_resolvers
    """No resolver for any first character nor for a path: what makes ``_MAY_RESOLVE`` exact."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[Any, Any, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if value is None:  # a mapping or a sequence: resolved at once
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return, no-untyped-call]
        if self._TEXT_ONLY and (not implicit[0] or value[:1] not in self._MAY_RESOLVE):
            return _STR  # quoted, or a plain value no resolver looks at: a name, a note (most of a file)
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


MAX_NODES = 200_000
"""More nodes than any real plan file holds; past it, aliases are being used as a bomb."""
MAX_ALIAS_TEXT = 4_000_000
"""How many characters of text aliases may add to a file: a short note reused in every report
is a few thousand; one 1 MB note reused 200 times (200 MB of output) is a bomb of another kind."""

_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()


_FORBIDDEN = re.compile(f"[{CONTROL}{INVISIBLE}]")
_IS_CONTROL = re.compile(f"[{CONTROL}]")
MAX_CHARACTER_PROBLEMS = 20
"""Past this many, a file is binary or mangled, and one more line says nothing new."""


@dataclass
class ParsedYaml:
    data: Any
    source_map: SourceMap
    problems: list[Problem]
    broken: set[Loc]
    """Paths already reported (a bad date, a duplicate key): schema errors there are noise."""


class _TooManyNodes(Exception):
    pass


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def parse_yaml(raw: bytes, path: str, *, positions: bool = True) -> ParsedYaml:
    """Parse one YAML document from ``raw`` bytes; never raises for bad input.

    ``positions=False`` leaves the source map empty: a position per value is most of the
    parse's memory and a good part of its time, and valid data never needs one. Problems the
    parse itself finds carry their exact positions either way (from libyaml's marks); a caller
    that needs more parses again with positions (``positions.DeferredSourceMap``)."""
    source_map = SourceMap()
    problems: list[Problem] = []
    broken: set[Loc] = set()

    def problem(pos: Position, message: str, rule: str) -> ParsedYaml:
        problems.append(Problem(path, pos.line, pos.column, Level.error, message, rule))
        return ParsedYaml(None, source_map, problems, broken)

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return problem(
            _byte_position(raw, exc.start),
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            "encoding",
        )

    found = _forbidden_characters(text, path)
    problems.extend(found)
    if any(p.rule == "control-character" for p in found):
        return ParsedYaml(None, source_map, problems, broken)  # libyaml refuses them, less precisely

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return problem(_pos(mark) if mark else Position(1, 1), _syntax_message(exc), "syntax")
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always gives a mark
        return problem(Position(1, 1), f"YAML syntax error: {exc}", "syntax")
    finally:
        loader.dispose()

    if node is None:
        return problem(Position(1, 1), "the file is empty", "empty-file")
    if node.tag == _TAG + "null":
        return problem(
            _pos(node.start_mark),
            f"the file holds no data: its only value is '{node.value}' (null)",
            "empty-file",
        )

    # Only aliases (``*name``) can make a small file expand without bound; a large file
    # without any is just large, and is neither walked twice nor limited.
    may_expand = "*" in text
    builder = _Builder(
        path, source_map, problems, broken, limit=MAX_NODES if may_expand else None, record=positions
    )
    try:
        if may_expand:
            values, text_size = _expanded_size(node, {}, len(text) + MAX_ALIAS_TEXT)
            if values > MAX_NODES:
                raise _TooManyNodes
            if text_size > len(text) + MAX_ALIAS_TEXT:
                return problem(
                    _pos(node.start_mark),
                    f"aliases repeat text in the document to more than {MAX_ALIAS_TEXT:,} characters beyond "
                    "the file's own (an alias bomb?); refusing to load it",
                    "alias-bomb",
                )
        data = builder.build(node, ())
    except RecursionError:
        return problem(_pos(node.start_mark), "the document is nested too deeply", "syntax")
    except _TooManyNodes:
        return problem(
            _pos(node.start_mark),
            f"the document expands to more than {MAX_NODES:,} values through aliases "
            "(an alias bomb?); refusing to load it",
            "alias-bomb",
        )
    return ParsedYaml(data, source_map, problems, broken)


class _Builder:
    def __init__(
        self,
        path: str,
        source_map: SourceMap,
        problems: list[Problem],
        broken: set[Loc],
        limit: int | None,
        record: bool = True,
    ) -> None:
        self.path = path
        self.map = source_map
        self.record = record
        self.problems = problems
        self.broken = broken
        self.count = 0
        self.limit = limit

    def error(self, mark: Any, loc: Loc, message: str, rule: str) -> None:
        pos = _pos(mark)
        self.problems.append(Problem(self.path, pos.line, pos.column, Level.error, message, rule))
        self.broken.add(loc)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.limit is not None and self.count > self.limit:
            raise _TooManyNodes
        if self.record:
            self.map.values.setdefault(loc, _pos(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.error(node.start_mark, loc, f"tag '{_short_tag(node.tag)}' is not allowed", "tag")
                return None
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        if node.tag != _TAG + "map":
            self.error(node.start_mark, loc, f"tag '{_short_tag(node.tag)}' is not allowed", "tag")
            return None
        return self.mapping(node, loc)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.error(key_node.start_mark, loc, "merge keys ('<<') are not supported", "tag")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node.start_mark, loc, "a mapping key must be a plain value", "syntax")
                continue
            key = self.scalar(key_node, loc)
            if isinstance(key, dt.date):
                key = key_node.value  # a date-looking key is still a name
            elif key is None or isinstance(key, bool | float):
                reads = "null" if key is None else str(key).lower()
                self.error(
                    key_node.start_mark,
                    (*loc, key_node.value),
                    f"key '{key_node.value}' reads as {reads}, not as a name (quote it if it is one)",
                    "syntax",
                )
                continue
            if key in first_seen:
                self.error(
                    key_node.start_mark,
                    (*loc, key),
                    f"duplicate key '{key}' (first at line {first_seen[key].start_mark.line + 1}); "
                    "YAML would silently keep only the last one",
                    "duplicate-key",
                )
                continue
            first_seen[key] = key_node
            if self.record:
                self.map.keys[(*loc, key)] = _pos(key_node.start_mark)
            result[key] = self.build(value_node, (*loc, key))
        return result

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if node.tag == _STR:  # most values: the text as written, no constructor needed
            if node.style == '"':  # only double quotes have escapes ("\\e", "\\u200b")
                found = _FORBIDDEN.search(node.value)
                if found is not None:
                    what = _character_name(found.group())
                    self.error(
                        node.start_mark, loc, f"{what}, written as an escape: remove it", _rule(found.group())
                    )
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.error(
                node.start_mark,
                loc,
                f"tag '{_short_tag(node.tag)}' is not allowed (only plain data: text, numbers, dates, lists, mappings)",
                "tag",
            )
            return None
        try:
            return _constructor.yaml_constructors[node.tag](_constructor, node)
        except ValueError as exc:
            what = "date" if node.tag.endswith("timestamp") else "value"
            self.error(node.start_mark, loc, f"invalid {what} '{node.value}': {exc}", "value")
            return None


def _expanded_size(node: yaml.Node, memo: dict[int, tuple[int, int]], text_limit: int) -> tuple[int, int]:
    """How many values, and characters of scalar text, the document has once aliases are
    expanded, counted without expanding (each clamped just past its bound).

    Aliased nodes are shared objects in the composed graph, so memoising by identity makes
    this linear in the file's size even when the expansion is exponential.
    """
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = (1, 0)  # a recursive alias counts once instead of looping
    if isinstance(node, yaml.ScalarNode):
        size, text = 1, len(node.value)
    else:
        children = node.value if isinstance(node, yaml.SequenceNode) else [c for kv in node.value for c in kv]
        size, text = 1, 0
        for child in children:
            child_size, child_text = _expanded_size(child, memo, text_limit)
            size += child_size
            text += child_text
    result = (min(size, MAX_NODES + 1), min(text, text_limit + 1))
    memo[id(node)] = result
    return result


def _forbidden_characters(text: str, path: str) -> list[Problem]:
    """Each control or invisible character written raw in ``text``, at its line and column."""
    found: list[Problem] = []
    for match in _FORBIDDEN.finditer(text):
        if len(found) == MAX_CHARACTER_PROBLEMS:
            break
        offset = match.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        char = match.group()
        found.append(
            Problem(path, line, column, Level.error, f"{_character_name(char)}: remove it", _rule(char))
        )
    return found


def _rule(char: str) -> str:
    return "control-character" if _IS_CONTROL.match(char) else "invisible-character"


def _character_name(char: str) -> str:
    kind = "control character" if _IS_CONTROL.match(char) else "invisible character"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"{kind} U+{ord(char):04X}" + (f" ({name})" if name else "")


_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BACKSPACE",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\x85": "NEL",
}


def _byte_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return Position(line, column)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "syntax error"
    if "tab" in problem or "'\\t'" in problem:
        return "a tab character where YAML needs spaces (indent with spaces only)"
    context = f" {exc.context}" if exc.context else ""
    mark, started = exc.problem_mark, exc.context_mark
    if mark is not None and started is not None and started.line != mark.line:
        context += f" started at line {started.line + 1}"
    return f"YAML syntax error: {problem}{context}"


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
