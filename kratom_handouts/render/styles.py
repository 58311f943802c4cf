"""Layout -> the paragraph styles every block draws with.

All sizes derive from the layout's body size, so a large-print layout scales
every part of the page, not just the paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle

from ..fonts import FAMILIES, Family
from ..model import Layout
from .text import LATIN, Script, script_for


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    summary: ParagraphStyle
    label: ParagraphStyle  # a small bold caption such as "In short"
    list_item: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle
    small: ParagraphStyle
    compact: ParagraphStyle  # the closing lines, when set small enough not to spill onto a page of their own
    draft: ParagraphStyle  # the notice on a handout printed with untranslated parts
    body_family: Family
    heading_family: Family
    script: Script = LATIN  # the language's direction, line breaking and fonts

    @property
    def body_font(self) -> str:
        return self.body_family.face_name("regular")

    @property
    def bold_font(self) -> str:
        return self.body_family.face_name("bold")


def color(hex_value: str) -> Color:
    return HexColor(hex_value)


def make_styles(layout: Layout, lang: str = "en") -> Styles:
    """The styles for text in ``lang``: drawn in the first font the layout names for that language."""
    body_family = FAMILIES[layout.font_chain(lang)[0]]
    heading_family = FAMILIES[layout.font_chain(lang, heading=True)[0]]
    size = layout.body_size
    text_color = color(layout.colors.text)
    body = ParagraphStyle(
        "body", fontName=body_family.face_name("regular"), fontSize=size, leading=size * layout.leading,
        textColor=text_color, spaceAfter=size * 0.55, splitLongWords=1, allowWidows=0, allowOrphans=0,
        bulletFontName=body_family.face_name("regular"), bulletFontSize=size,
    )
    heading_size = size * layout.heading_scale
    title_size = size * layout.title_scale
    # Large print keeps everything at the body size: notes, sources, header and footer too.
    small_size = size if layout.large_print else max(size * 0.8, 10.0)
    # The closing lines when they would have a page to themselves: in large print they may shrink further
    # (the words: "a compact last-page block"), as sources are looked up rather than read.
    compact_size = max(size * 0.62, 10.0) if layout.large_print else small_size * 0.85
    small = ParagraphStyle("small", parent=body, fontSize=small_size, leading=small_size * 1.35,
                           textColor=color(layout.colors.muted), spaceAfter=small_size * 0.3, bulletFontSize=small_size)
    return Styles(
        body=body,
        title=ParagraphStyle(
            "title", parent=body, fontName=heading_family.face_name("bold"), fontSize=title_size,
            leading=title_size * 1.2, textColor=color(layout.colors.heading), spaceAfter=size * 0.3,
        ),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=size * 1.1, leading=size * 1.1 * layout.leading,
                                textColor=color(layout.colors.muted)),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=heading_family.face_name("bold"), fontSize=heading_size,
            leading=heading_size * 1.25, textColor=color(layout.colors.heading), spaceBefore=size * 0.9,
            spaceAfter=size * 0.35, keepWithNext=1,
        ),
        summary=ParagraphStyle("summary", parent=body, fontSize=size * 1.05, leading=size * 1.05 * layout.leading,
                               spaceAfter=0),
        label=ParagraphStyle("label", parent=body, fontName=body_family.face_name("bold"), spaceAfter=size * 0.15,
                             textColor=color(layout.colors.heading)),
        list_item=ParagraphStyle("list_item", parent=body, leftIndent=size * 1.6, bulletIndent=size * 0.4,
                                 spaceAfter=size * 0.3),
        cell=ParagraphStyle("cell", parent=body, spaceAfter=0),
        header_cell=ParagraphStyle("header_cell", parent=body, fontName=body_family.face_name("bold"), spaceAfter=0),
        small=small,
        compact=ParagraphStyle("compact", parent=small, fontSize=compact_size, leading=compact_size * 1.25,
                               spaceAfter=compact_size * 0.2, bulletFontSize=compact_size),
        draft=ParagraphStyle("draft", parent=body, fontName=body_family.face_name("bold"),
                             textColor=color(layout.colors.emergency_border)),
        body_family=body_family,
        heading_family=heading_family,
        script=script_for(layout, lang),
    )
