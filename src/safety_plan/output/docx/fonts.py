"""The fonts of an official document (GB/T 9704-2012) and what stands in for each.

Every run and every style names its East Asian font in ``w:eastAsia``: Word and LibreOffice
take Chinese text from that attribute, and a run that names only ``w:ascii`` (the classic
mistake) shows its Chinese in the Latin font's fallback. Theme fonts are removed, since a
theme attribute beside an explicit one wins in Word.

The official fonts are often missing (Linux desktops, Macs, LibreOffice): each is written into
the document's font table with the Windows font that stands in for it (``w:altName``) and the
GB2312 character set, so Word picks the nearest, and ``FALLBACKS`` names the free fonts to
install or map where neither exists (Noto CJK, AR PL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


@dataclass(frozen=True)
class Font:
    name: str
    """As the standard names it and as Chinese Windows installs it."""
    alternate: str
    """The font Word uses when ``name`` is missing (font table ``w:altName``)."""
    family: str
    """roman (serif) or swiss (sans): how LibreOffice chooses a replacement."""


TITLE = Font("方正小标宋简体", "宋体", "roman")
"""小标宋: the title and the masthead."""
HEI = Font("黑体", "SimHei", "swiss")
"""Level-1 headings and table headers."""
KAI = Font("楷体_GB2312", "楷体", "roman")
"""Level-2 headings."""
FANGSONG = Font("仿宋_GB2312", "仿宋", "roman")
"""Body text, level-3 headings, tables."""
SONG = Font("宋体", "SimSun", "roman")
"""Page numbers (4号半角宋体)."""
LATIN = "Times New Roman"
"""Digits and Latin letters in every run."""

FALLBACKS: dict[str, tuple[str, ...]] = {
    TITLE.name: ("方正小标宋_GBK", "华文中宋", "宋体", "Noto Serif CJK SC"),
    HEI.name: ("SimHei", "微软雅黑", "Noto Sans CJK SC"),
    KAI.name: ("楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    FANGSONG.name: ("仿宋", "FangSong", "Noto Serif CJK SC"),
    SONG.name: ("SimSun", "Noto Serif CJK SC"),
}
"""Where the official font is missing, the next of these that is installed (README says how)."""

ALL = (TITLE, HEI, KAI, FANGSONG, SONG)
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def fonts_xml(font: Font) -> str:
    """``w:rFonts`` and ``w:lang`` for a run built as text, the same as ``set_fonts`` makes."""
    return f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" w:eastAsia="{font.name}" w:hint="eastAsia"/>'


LANGUAGE_XML = '<w:lang w:val="en-US" w:eastAsia="zh-CN"/>'


def set_fonts(rpr: Any, font: Font) -> None:
    """Name ``font`` for East Asian text and Times New Roman for Latin in a ``w:rPr``."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), font.name)
    fonts.set(qn("w:hint"), "eastAsia")
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def declare(font_table: Any) -> None:
    """Add each official font to the font table with its stand-in and character set."""
    present = {f.get(qn("w:name")) for f in font_table.findall(qn("w:font"))}
    for font in ALL:
        if font.name in present:
            continue
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), font.name)
        for tag, value in (
            ("w:altName", font.alternate),
            ("w:charset", "86"),  # GB2312
            ("w:family", font.family),
            ("w:pitch", "variable"),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            entry.append(child)
        font_table.append(entry)
