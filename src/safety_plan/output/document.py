"""A document as plain values: title, headings, paragraphs, tables, the signature.

The view behind every printed document (the bulletin in Word, the summary, the progress
review, urging letters): a report builds one ``Document`` from its context and each format
renders it, ``output.docx`` as an official document (GB/T 9704) and ``output.document_md`` as
Markdown. Nothing here knows a file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Tone = Literal["red", "yellow", "green"]


@dataclass(frozen=True)
class Span:
    """A piece of text with emphasis: bold, or the colour of a light (红灯 in red)."""

    text: str
    bold: bool = False
    tone: Tone | None = None


Inline = str | Span
Text = str | tuple[Inline, ...]


def plain(text: Text) -> str:
    """The words of a text without its emphasis."""
    return text if isinstance(text, str) else "".join(p if isinstance(p, str) else p.text for p in text)


@dataclass(frozen=True)
class Heading:
    """A numbered heading as official documents number them: level 1 ``一、`` (黑体),
    level 2 ``（一）`` (楷体), level 3 ``1.`` (仿宋, bold). The text carries its own number."""

    text: str
    level: Literal[1, 2, 3] = 1


@dataclass(frozen=True)
class Paragraph:
    text: Text
    indent: bool = True
    """Body text starts two characters in; a list line or a note may not."""


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 1.0
    """Relative to the other columns' widths."""
    numeric: bool = False
    """Counts and dates: centred in Word, right-aligned in Markdown."""


@dataclass(frozen=True)
class GroupRow:
    """A row across the whole table that heads the rows after it (the unit they belong to)."""

    text: str


Cell = Inline
Row = tuple[Cell, ...] | GroupRow


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str = "无"
    """What stands in place of a table without rows."""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass(frozen=True)
class Signature:
    """The issuing organ (发文机关署名) and the date (成文日期), as written: 2025年7月1日."""

    organ: str
    date: str


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    masthead: str | None = None
    """The red organ mark at the top (发文机关标志), e.g. 治本攻坚三年行动月度通报."""
    number: str | None = None
    """The document number under the masthead (发文字号), e.g. 第16期."""
    addressee: str | None = None
    """Who it is sent to (主送机关), e.g. 区交通委."""
    signature: Signature | None = None
    notes: tuple[str, ...] = field(default=())
    """Lines after the signature (附注): where the numbers come from."""
