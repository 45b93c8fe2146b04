"""Text as a fixed-width terminal shows it: printable characters, display width, line breaks.

Pure functions shared by every renderer. ``printable`` keeps control characters from the data
(ESC can retitle or clear a terminal; openpyxl refuses most C0 characters) out of what we
write; ``display_width`` counts East Asian wide characters double; ``wrap`` breaks Chinese
text the way it is typeset (never inside an ID or a short phrase such as a unit's name, and no
closing punctuation at the start of a line); ``cut`` shortens a line with ``…``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any


def as_text(value: Any) -> str:
    """How a value reads in a cell: nothing for ``None``, 是/否, a list joined with 、."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "、".join(as_text(v) for v in value)
    return str(value)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and newline, DEL, and the C1 controls (0x80–0x9F)."""


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␍ for CR …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no pictures


def printable(text: str) -> str:
    """``text`` with every control character but tab and newline shown as a visible symbol."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_picture, text)


_TERMINAL = re.compile("\x1b\\[[0-9;]*m|\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """What a terminal may receive: ``printable``, but our own colour codes (SGR) and CR LF kept.

    The last guard before a terminal: renderers already show the data's control characters as
    symbols, so only a colour change could ever pass here, never a title, a clear or a cursor move."""
    if _CONTROL.search(text) is None:
        return text
    return _TERMINAL.sub(lambda m: m.group() if len(m.group()) > 1 else _picture(m), text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f]")


def json_printable(encoded: str) -> str:
    """JSON text with DEL and the C1 controls escaped (``json.dumps`` escapes only C0).

    Such characters can only occur inside JSON strings, where ``\\u009b`` means the same."""
    if _JSON_UNSAFE.search(encoded) is None:
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


_WIDTHS: dict[str, int] = {}


def _char_width(char: str) -> int:
    width = _WIDTHS.get(char)
    if width is None:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            width = 0
        else:
            width = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        _WIDTHS[char] = width
    return width


@functools.lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width view: CJK and full-width characters count double,
    combining marks and format characters nothing. (Cached: a table measures the same unit
    names, dates and texts many times.)"""
    if text.isascii():
        return len(text)
    widths = _WIDTHS
    return sum(widths[c] if c in widths else _char_width(c) for c in text)


_ATOM = re.compile(r"\s+|[!-~\u00a1-\u1fff\u2010\u2011\u2070-\u2e7f]+|.", re.S)
"""What a line may not break inside: a run of spaces, a word or ID in Latin letters and digits
(``zbgj-22.drill-high-risk``, ``2024-03-31``), or any one other character (a hanzi). Written as
positive ranges: a negated class holding whitespace costs 27 ms to compile, a query's budget."""

CLOSING = frozenset("、，。．：；！？）》」』】〕〉”’…—％·～,.;:!?)]}%")
"""Never at the start of a line (Chinese typesetting's 避头点)."""
OPENING = frozenset("（《「『【〔〈“‘([{")
"""Never at the end of a line."""
_SEPARATORS = frozenset("、，。；：！？,;!? ")
"""Where a phrase ends: a line prefers to break after one."""
KEEP_WHOLE = 24
"""A phrase up to this wide moves to the next line whole rather than split."""
KEEP_NAME = 32
"""The same for an item of a list (ending in 、) or a text's last phrase: a unit's or group's name."""


def _units(text: str) -> list[str]:
    """The text as unbreakable pieces: closing punctuation glued to what precedes it (across a
    space too), opening punctuation to what follows; runs of spaces become one space."""
    units: list[str] = []
    glue_next = False
    for atom in _ATOM.findall(text):
        if atom.isspace():
            if units and units[-1] != " ":
                units.append(" ")
            glue_next = False
            continue
        if units and units[-1] != " " and (glue_next or atom[0] in CLOSING):
            units[-1] += atom
        elif len(units) > 1 and units[-1] == " " and atom[0] in CLOSING:  # "1, 2, 3 …": not "…" first
            units.pop()
            units[-1] += " " + atom
        else:
            units.append(atom)
        glue_next = atom[-1] in OPENING
    return units


def _fold(unit: str, width: int) -> list[str]:
    """A piece wider than a whole line (a very long word): cut between characters, the only
    place anything is ever broken."""
    if " " in unit:  # a word and the closing punctuation after its space: apart first
        return [piece for part in unit.split(" ") for piece in _fold(part, width)]
    pieces, piece, used = [], "", 0
    for char in unit:
        w = _char_width(char)
        if piece and used + w > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += w
    if piece:
        pieces.append(piece)
    return pieces


def _wrap_paragraph(text: str, width: int) -> list[str]:
    units = _units(text)
    segments: list[list[str]] = [[]]
    for unit in units:
        segments[-1].append(unit)
        if unit == " " or unit[-1] in _SEPARATORS:
            segments.append([])
    lines: list[str] = []
    line: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal line, used
        lines.append("".join(line).rstrip())
        line, used = [], 0

    def add(unit: str, w: int) -> None:
        nonlocal used
        if unit == " " and not line:
            return
        line.append(unit)
        used += w

    for n, segment in enumerate(segments):
        named = n == len(segments) - 1 or (segment and segment[-1].endswith("、"))
        keep = min(KEEP_NAME if named else KEEP_WHOLE, width)
        widths = [display_width(u) for u in segment]
        total = sum(widths)
        if used + total <= width:
            for unit, w in zip(segment, widths, strict=True):
                add(unit, w)
            continue
        trimmed = total - (1 if segment and segment[-1] == " " else 0)
        if line and used + trimmed <= width:  # fits but for its trailing space
            for unit, w in zip(segment, widths, strict=True):
                add(unit, w)
            continue
        if line and total <= keep:
            flush()
            for unit, w in zip(segment, widths, strict=True):
                add(unit, w)
            continue
        for unit, w in zip(segment, widths, strict=True):
            if used + w > width and unit != " ":
                if line:
                    flush()
                if w > width:
                    *whole, rest = _fold(unit, width)
                    lines.extend(whole)
                    unit, w = rest, display_width(rest)
            add(unit, w)
    if line or not lines:
        flush()
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns (only a word wider than a line is ever cut).

    A line breaks preferably after a separator (、，。；： or a space), and a phrase of up to
    ``KEEP_WHOLE`` columns (``KEEP_NAME`` for a list item) moves down whole, so a list of unit
    names keeps each name on one line;
    longer runs break between hanzi, never before closing or after opening punctuation.
    Line breaks in ``text`` are kept; tabs count as spaces."""
    return list(_wrap(text, max(width, 2)))


@functools.lru_cache(maxsize=2048)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """``wrap``, cached: a table wraps the same text for each unit that holds it."""
    lines: list[str] = []
    for paragraph in text.replace("\t", " ").split("\n"):
        if display_width(paragraph) <= width:
            lines.append(paragraph.rstrip())
        else:
            lines.extend(_wrap_paragraph(paragraph, width))
    return tuple(lines)


def cut(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` columns, ending in ``…`` when shortened."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for char in text:
        w = _char_width(char)
        if used + w > width - 1:
            break
        kept.append(char)
        used += w
    return "".join(kept).rstrip() + "…"
