"""The text layer: the one place that turns content text into drawable lines.

Blocks never build ReportLab markup or choose line breaking or direction
themselves; they ask this package for a paragraph, in the ``Script`` of the
document's language:

- Latin, Cyrillic, Greek, Vietnamese and Korean (which breaks at spaces) go
  to ReportLab's Paragraph; a character the first font lacks is drawn by the
  next font of the language's chain that has it.
- Right-to-left scripts and Chinese and Japanese are set by ``lines.py``:
  our own line breaking (``breaking.py``), bidi (``render/bidi.py``, which
  the web edition shares) and shaping (``shaping.py``).

``draw_line`` sets one line of page furniture (a header or footer slot) the
same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ... import fonts, inline
from ...i18n.languages import direction_of, script_of
from ...model import Layout
from . import breaking
from .kept_lines import KeptLines
from .lines import SetParagraph, Setting, Styled, run_width

BOLD = "bold"  # the href of a run that is bold text rather than a link
IDEOGRAPHIC_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Hani"})


@dataclass(frozen=True)
class Script:
    """How text in one language is set: direction, line breaking, and the fonts tried for each character."""

    rtl: bool = False
    ideographic: bool = False  # breaks between ideographs, with the Chinese line-start and line-end rules
    chain: tuple[fonts.Family, ...] = ()  # after the style's own font, the families tried in order

    @property
    def own_lines(self) -> bool:
        """Whether lines are broken and drawn here rather than by ReportLab."""
        return self.rtl or self.ideographic

    def families(self, font_name: str) -> tuple[fonts.Family, ...]:
        """The style's family first, then the rest of the chain."""
        own = fonts.face_of(font_name)[0]
        return (own, *(family for family in self.chain if family is not own))


def script_for(layout: Layout, lang: str) -> Script:
    chain = tuple(fonts.FAMILIES[name] for name in layout.font_chain(lang))
    return Script(direction_of(lang) == "rtl", script_of(lang) in IDEOGRAPHIC_SCRIPTS, chain)


LATIN = Script()


def _styled(spans: Iterable[inline.Span], font_name: str, script: Script) -> Styled:
    """Each character with the face that draws it: the first family of the chain that has it, in the span's
    emphasis; spaces and other characters every family has stay with the run they are in."""
    families = script.families(font_name)
    text: list[str] = []
    faces: list[str] = []
    links: list[str | None] = []
    current = families[0]
    family_of: dict[str, fonts.Family] = {}  # each character's family, looked up once per paragraph
    for span in spans:
        link = span.href if span.href and inline.is_safe_url(span.href) else None
        face_in: dict[str, str] = {}  # family name -> its face in this span's emphasis
        for char in span.text:
            if char not in " \u3000" or ord(char) not in fonts.coverage(current):
                family = family_of.get(char)
                if family is None:
                    family = family_of[char] = fonts.family_for(char, families) or families[0]
                current = family
            face = face_in.get(current.name)
            if face is None:
                face = face_in[current.name] = fonts.with_emphasis(font_name, span.bold, span.italic, current)
            text.append(char)
            faces.append(face)
            links.append(link)
    return Styled("".join(text), tuple(faces), tuple(links))


def _fallback_markup(words: str, font_name: str, script: Script, bold: bool = False, italic: bool = False) -> str:
    """Escaped text for ReportLab, with ``<font>`` around characters the style's font cannot draw (naming the
    face with the text's own emphasis: ReportLab would print a named regular face regular inside <b>). A phone
    number's spaces do not break."""
    words = breaking.unbroken_numbers(words)
    families = script.families(font_name)
    if len(families) == 1 or all(ord(c) in fonts.coverage(families[0]) or ord(c) in fonts.NOT_DRAWN for c in words):
        return inline.escape(words)
    out: list[str] = []
    for char in words:
        family = families[0] if ord(char) in fonts.NOT_DRAWN else fonts.family_for(char, families) or families[0]
        piece = inline.escape(char)
        face = fonts.with_emphasis(font_name, bold, italic, family)
        out.append(piece if family is families[0] else f'<font face="{face}">{piece}</font>')
    return "".join(out)


def _set(spans: list[inline.Span], style: ParagraphStyle, link_color: str, script: Script, bullet: str | None,
         bookmark: tuple[str, str, int] | None = None, auto: bool = False, page_aligned: bool = False) -> SetParagraph:
    """``auto``: the text's first letter decides its direction (literal text such as a source's English title
    or the clinic's address on an Arabic page); content text takes the page's direction. ``page_aligned``: its
    lines start at the page's start edge even so."""
    setting = Setting(script.rtl, script.ideographic, link_color, auto_direction=auto, page_aligned=page_aligned)
    return SetParagraph(_styled(spans, style.fontName, script), style, setting, bullet, bookmark)


def paragraph(source: str, style: ParagraphStyle, link_color: str, bullet: str | None = None,
              script: Script = LATIN) -> Flowable:
    """Content text with its inline emphasis; everything else prints literally."""
    if script.own_lines:
        return _set(inline.parse(source), style, link_color, script, bullet)
    markup = inline.to_markup(source, link_color, lambda span: _fallback_markup(span.text, style.fontName, script,
                                                                                  span.bold, span.italic))
    return KeptLines(markup, style, bulletText=bullet)


def literal(source: str, style: ParagraphStyle, bullet: str | None = None, script: Script = LATIN,
            page_aligned: bool = False) -> Flowable:
    """Text with no inline emphasis at all, such as labels, sources and URLs; ``page_aligned``: lined up with the
    page's start edge whatever its own direction."""
    if script.own_lines:
        return _set([inline.Span(source)], style, "", script, bullet, auto=True, page_aligned=page_aligned)
    return KeptLines(_fallback_markup(source, style.fontName, script), style, bulletText=bullet)


def _anchor(label: str, href: str, link_color: str, font_name: str, script: Script) -> str:
    quoted = inline.escape_attribute(href)
    return f'<a href="{quoted}" color="{link_color}" underline="1">{_fallback_markup(label, font_name, script)}</a>'


def link(label: str, href: str, style: ParagraphStyle, link_color: str, script: Script = LATIN) -> Flowable:
    """A literal label that links to href (already validated as a safe URL)."""
    if script.own_lines:
        return _set([inline.Span(label, href=href)], style, link_color, script, None)
    return KeptLines(_anchor(label, href, link_color, style.fontName, script), style)


def literal_runs(runs: list[tuple[str, str | None]], style: ParagraphStyle, link_color: str,
                 script: Script = LATIN) -> Flowable:
    """Literal text made of runs: plain (href None), bold (href BOLD), or a link to href."""
    if script.own_lines:
        spans = [inline.Span(words, bold=href == BOLD, href=None if href in (None, BOLD) else href)
                 for words, href in runs]
        return _set(spans, style, link_color, script, None, auto=True)

    def markup(words: str, href: str | None) -> str:
        if href is None:
            return _fallback_markup(words, style.fontName, script)
        if href == BOLD:
            return f"<b>{_fallback_markup(words, style.fontName, script, bold=True)}</b>"
        return _anchor(words, href, link_color, style.fontName, script)

    return KeptLines("".join(markup(words, href) for words, href in runs), style)


class HeadingParagraph(KeptLines):
    """A heading that leaves a bookmark pointing at itself, and an outline entry."""

    def __init__(self, markup: str | None, style: ParagraphStyle, key: str = "", outline_title: str = "",
                 level: int = 0, **split_parts: Any) -> None:
        super().__init__(markup, style, **split_parts)  # type: ignore[arg-type]  # a split part has frags, no markup
        self.outline_key = key
        self.outline_title = outline_title
        self.outline_level = level

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """A heading taller than the room left: its first part keeps the bookmark, the rest are plain."""
        parts: list[Flowable] = super().split(available_width, available_height)
        if parts and isinstance(parts[0], HeadingParagraph):
            parts[0].outline_key, parts[0].outline_title = self.outline_key, self.outline_title
            parts[0].outline_level = self.outline_level
        return parts

    def draw(self) -> None:
        if self.outline_key:
            self.canv.bookmarkHorizontal(self.outline_key, 0, self.height + self.style.fontSize * 0.5)
            self.canv.addOutlineEntry(self.outline_title, self.outline_key, level=self.outline_level)
        super().draw()


def heading(source: str, style: ParagraphStyle, link_color: str, key: str, outline_title: str, level: int,
            script: Script = LATIN) -> Flowable:
    """A heading with its bookmark and outline entry."""
    if script.own_lines:
        return _set(inline.parse(source), style, link_color, script, None, (key, outline_title, level))
    markup = inline.to_markup(source, link_color, lambda span: _fallback_markup(span.text, style.fontName, script,
                                                                                  span.bold, span.italic))
    return HeadingParagraph(markup, style, key, outline_title, level)


# --- one line of page furniture ------------------------------------------------------------


def line_width(words: str, font_name: str, size: float, script: Script = LATIN) -> float:
    if not script.own_lines and len(script.families(font_name)) == 1:
        return float(stringWidth(words, font_name, size))
    styled = _styled([inline.Span(words)], font_name, script)
    return sum(run_width(styled.text[start:end], styled.fonts[start], size, script.rtl)
               for start, end in styled.runs(0, len(words)))


def draw_line(canvas: Canvas, x: float, y: float, words: str, font_name: str, size: float, align: str,
              script: Script = LATIN) -> None:
    """One line of text, its left edge, centre or right edge (``align``: left, center, right) at ``x``."""
    if not script.own_lines and len(script.families(font_name)) == 1:
        {"left": canvas.drawString, "center": canvas.drawCentredString, "right": canvas.drawRightString}[align](
            x, y, words)
        return
    style = ParagraphStyle("line", fontName=font_name, fontSize=size, leading=size, textColor=canvas._fillColorObj)  # type: ignore[attr-defined]
    flowable = SetParagraph(_styled([inline.Span(words)], font_name, script), style,
                            Setting(script.rtl, script.ideographic, "", auto_direction=True))
    width = line_width(words, font_name, size, script) + 1
    flowable.wrap(width, size * 2)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    flowable.drawOn(canvas, left, y - (flowable.height - size))
