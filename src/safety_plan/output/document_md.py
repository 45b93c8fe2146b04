"""A ``Document`` as Markdown that renders on GitHub and GitLab: the same words as its Word
edition, every piece of text escaped (a unit's note cannot break a table or inject markup)."""

from __future__ import annotations

from safety_plan.output.document import (
    Document,
    GroupRow,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Span,
    Table,
    Text,
)
from safety_plan.output.render import md_escape
from safety_plan.output.templating import light_mark

_HEADING = {1: "##", 2: "###", 3: "####"}


def to_markdown(document: Document) -> str:
    lines = []
    if document.masthead:
        lines += [f"**{md_escape(document.masthead)}**", ""]
    number = f"（{md_escape(document.number)}）" if document.number else ""
    lines += [f"# {md_escape(document.title)}{number}", ""]
    if document.addressee:
        lines += [f"{md_escape(document.addressee)}：", ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            lines += [f"{_HEADING[block.level]} {md_escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            lines += [_text(block.text), ""]
        elif isinstance(block, Table):
            lines += [*_table(block), ""]
        elif isinstance(block, PageBreak):
            lines += ["---", ""]
    if document.signature is not None:
        lines += [document.signature.organ, "", document.signature.date, ""]
    lines += [*(line for note in document.notes for line in (md_escape(note), ""))]
    return "\n".join(lines).rstrip("\n") + "\n"


def _escape(text: str) -> str:
    """Escaped, line breaks folded, the spaces at either end kept (pieces of one paragraph)."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return lead + md_escape(text) + trail


def _inline(piece: Inline) -> str:
    if isinstance(piece, str):
        return _escape(piece)
    text = md_escape(piece.text)
    if piece.tone:
        text = light_mark(piece.tone) + text
    return f"**{text}**" if piece.bold and text else text


def _text(text: Text) -> str:
    return md_escape(text) if isinstance(text, str) else "".join(_inline(p) for p in text)


def _table(table: Table) -> list[str]:
    if not table.rows:
        return [md_escape(table.empty)]
    lines = [
        "| " + " | ".join(md_escape(c.header) for c in table.columns) + " |",
        "| " + " | ".join("---:" if c.numeric else "---" for c in table.columns) + " |",
    ]
    for row in table.rows:
        if isinstance(row, GroupRow):
            cells = [f"**{md_escape(row.text)}**", *([""] * (len(table.columns) - 1))]
        else:
            cells = [_inline(cell) if isinstance(cell, Span) else md_escape(cell) for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
