"""A paragraph we break into lines and draw ourselves: right-to-left scripts, and Chinese and Japanese.

ReportLab's Paragraph lays words out left to right and breaks Chinese without
its rules, so these scripts come here instead. The paragraph is its logical
text with a font and a link target per character; it is broken on measured
widths (shaped widths for right-to-left text), never wider than the frame,
then each line is drawn run by run in visual order. A right-to-left line
carries its logical text as ``/ActualText``, so copying and screen readers
get the words in reading order.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import toColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .. import bidi
from . import breaking, shaping


@dataclass(frozen=True)
class Styled:
    """Logical text with, for each character, the face that draws it and the link it belongs to."""

    text: str
    fonts: tuple[str, ...]
    links: tuple[str | None, ...]

    def runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """(start, end) of the stretches of [start, end) that share a face and a link."""
        if end <= start:
            return []
        changes = self._changes
        inside = changes[bisect.bisect_right(changes, start):bisect.bisect_left(changes, end)]
        edges = [start, *inside, end]
        return list(itertools.pairwise(edges))

    @functools.cached_property
    def _changes(self) -> list[int]:
        """Where the face or the link changes (a line is measured over and over: found once, not each time)."""
        keys = list(zip(self.fonts, self.links, strict=True))
        return [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # without the spaces that end it
    width: float


@dataclass(frozen=True)
class Setting:
    """How the paragraph is set: its direction and how lines may break."""

    rtl_script: bool  # the language is written right to left: lines go through bidi and shaping
    ideographic: bool
    link_color: str
    auto_direction: bool = False  # the text's first strong letter decides (a clinic's name on an Arabic page)
    # Aligned to the page's start edge whatever the text's own direction (a Latin clinic name under the logo of an
    # Arabic cover lines up with the logo, on the right).
    page_aligned: bool = False


class SetParagraph(Flowable):
    """A paragraph laid out by the text layer (see the module's docstring)."""

    def __init__(self, styled: Styled, style: ParagraphStyle, setting: Setting, bullet: str | None = None,
                 bookmark: tuple[str, str, int] | None = None, lines: list[Line] | None = None,
                 laid_width: float | None = None):
        super().__init__()
        self.styled = styled
        self.style = style
        self.setting = setting
        self.bullet = bullet
        self.bookmark = bookmark  # (key, title, level) for a heading's outline entry
        self._lines = lines
        self._laid_width = laid_width
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._levels: list[int] | None = None
        self._base = 1 if setting.rtl_script else 0
        if setting.auto_direction:
            self._base = _first_strong(styled.text, self._base)
        self._widths: dict[tuple[int, int], float] = {}

    # --- measuring and breaking ------------------------------------------------------

    @property
    def size(self) -> float:
        return float(self.style.fontSize)

    def _run_width(self, start: int, end: int) -> float:
        key = (start, end)
        if key not in self._widths:
            font = self.styled.fonts[start]
            if self.setting.rtl_script:  # shaped as drawn: each stretch of one level in the paragraph's levels
                self._widths[key] = _shaped_width(self.styled.text[start:end], font, self.size,
                                                  self._paragraph_levels()[start:end])
            else:
                self._widths[key] = float(stringWidth(self.styled.text[start:end], font, self.size))
        return self._widths[key]

    def _paragraph_levels(self) -> list[int]:
        if self._levels is None:
            self._levels = bidi.levels(self.styled.text, self._base == 1)
        return self._levels

    def measure(self, start: int, end: int) -> float:
        return sum(self._run_width(a, b) for a, b in self.styled.runs(start, end)) if end > start else 0.0

    def _text_width(self, available: float) -> float:
        return available - self.style.leftIndent - self.style.rightIndent

    def _break(self, available: float) -> list[Line]:
        text = self.styled.text
        room = self._text_width(available)
        lines: list[Line] = []
        start = end = 0
        width_so_far = 0.0  # of [start, end), spaces included
        for piece_start, piece_end in self._pieces(room):
            words_end = piece_end - breaking.trailing_spaces(text[piece_start:piece_end])
            word_width = self.measure(piece_start, words_end)
            first_room = room - (self.style.firstLineIndent if not lines else 0)
            if end > start and width_so_far + word_width > first_room + 0.01:
                line_end = end - breaking.trailing_spaces(text[start:end])
                lines.append(Line(start, line_end, self.measure(start, line_end)))
                start, width_so_far = piece_start, 0.0
            width_so_far += self.measure(piece_start, piece_end)
            end = piece_end
        if end > start:
            line_end = end - breaking.trailing_spaces(text[start:end])
            lines.append(Line(start, line_end, self.measure(start, line_end)))
        if self.setting.ideographic and len(lines) >= 2:
            lines[-2:] = self._no_lone_last_character(lines[-2], lines[-1], room)
        return lines or [Line(0, 0, 0.0)]

    def _no_lone_last_character(self, before: Line, last: Line, room: float) -> list[Line]:
        """Chinese typesetting avoids a last line of one character (with its punctuation): the line before it
        gives it the piece that ends that line, where the rules allow the break."""
        text = self.styled.text
        if sum(not char.isspace() and char not in breaking.CLOSING for char in text[last.start:last.end]) > 1:
            return [before, last]
        cuts = [cut for cut in breaking.breaks(text, True) if before.start < cut < last.start]
        if not cuts:
            return [before, last]
        cut = cuts[-1]
        before_end = cut - breaking.trailing_spaces(text[before.start:cut])
        last_width = self.measure(cut, last.end)
        if before_end <= before.start or last_width > room + 0.01:
            return [before, last]
        return [Line(before.start, before_end, self.measure(before.start, before_end)), Line(cut, last.end, last_width)]

    def _pieces(self, room: float) -> list[tuple[int, int]]:
        """The unbreakable pieces, each no wider than a line (a longer one is cut between characters)."""
        text = self.styled.text
        found: list[tuple[int, int]] = []
        for start, end in breaking.pieces(text, self.setting.ideographic):
            if self.measure(start, end - breaking.trailing_spaces(text[start:end])) <= room:
                found.append((start, end))
                continue
            cut = start
            for i in range(start + 1, end + 1):
                if i < end and _combines(text[i]):
                    continue
                if i == end or self.measure(cut, i + 1) > room:
                    found.append((cut, i))
                    cut = i
        return found

    def minWidth(self) -> float:
        text = self.styled.text
        widest = max((self.measure(a, b - breaking.trailing_spaces(text[a:b]))
                      for a, b in breaking.pieces(text, self.setting.ideographic)), default=0.0)
        return widest + self.style.leftIndent + self.style.rightIndent

    # --- the flowable ------------------------------------------------------------------

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._lines is None or self._laid_width != available_width:
            self._lines = self._break(available_width)
            self._laid_width = available_width
        self.width = available_width
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        assert self._lines is not None
        fits = int((available_height + 1e-6) // self.style.leading)
        total = len(self._lines)
        if fits >= total:
            return [self]
        if (fits < 2 and not self.style.allowOrphans) or fits < 1:
            return []
        if total - fits == 1 and not self.style.allowWidows:
            fits -= 1
            if fits < 2 and not self.style.allowOrphans:
                return []
        first = SetParagraph(self.styled, self.style, self.setting, self.bullet, self.bookmark,
                             self._lines[:fits], available_width)
        rest = SetParagraph(self.styled, self.style, self.setting, None, None, self._lines[fits:], available_width)
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        assert self._lines is not None
        if self.bookmark is not None:
            key, title, level = self.bookmark
            canvas.bookmarkHorizontal(key, 0, self.height + self.size * 0.5)
            canvas.addOutlineEntry(title, key, level=level)
        y = self.height - self.size  # the first baseline, as ReportLab's Paragraph sets it
        if self.bullet:
            self._draw_bullet(canvas, y)
        for number, line in enumerate(self._lines):
            indent = style.firstLineIndent if number == 0 and self._lines[0].start == 0 else 0
            x = self._line_x(line, indent)
            canvas.setFillColor(toColor(style.textColor))
            if self.setting.rtl_script:
                self._draw_rtl(canvas, line, x, y)
            else:
                self._draw_ltr(canvas, line, x, y)
            y -= style.leading

    @property
    def rtl(self) -> bool:
        """Whether this paragraph runs right to left (a Latin one on an Arabic page may not)."""
        return self._base == 1

    def _line_x(self, line: Line, indent: float) -> float:
        style = self.style
        starts_right = self.setting.rtl_script if self.setting.page_aligned else self.rtl
        left = style.rightIndent if starts_right else style.leftIndent + indent
        right = self.width - (style.leftIndent + indent if starts_right else style.rightIndent)
        alignment: Any = style.alignment
        if starts_right:  # the start of a right-to-left line (or page) is its right edge
            alignment = {TA_LEFT: TA_RIGHT, TA_JUSTIFY: TA_RIGHT, TA_RIGHT: TA_LEFT}.get(alignment, alignment)
        if alignment == TA_RIGHT:
            return float(right - line.width)
        if alignment == TA_CENTER:
            return float(left + (right - left - line.width) / 2)
        return float(left)

    def _draw_bullet(self, canvas: Any, y: float) -> None:
        style = self.style
        marker = self.bullet or ""
        if self.rtl:  # "1." reads number first: shown as ".1" from the right
            order = bidi.visual_order(bidi.levels(marker, True))
            marker = "".join(marker[i] for i in order)
        font, size = style.bulletFontName, style.bulletFontSize
        x = style.bulletIndent
        if self.rtl:
            x = self.width - style.bulletIndent - stringWidth(marker, font, size)
        text = canvas.beginText(x, y)
        text.setFont(font, size)
        text.textOut(marker)
        canvas.setFillColor(toColor(getattr(style, "bulletColor", None) or style.textColor))
        canvas.drawText(text)  # its own text object: a tagged list item's label is the first one drawn

    def _draw_ltr(self, canvas: Any, line: Line, x: float, y: float) -> None:
        if line.end <= line.start:
            return
        text = canvas.beginText(x, y)
        links: list[tuple[str, float, float]] = []
        cursor = x
        for start, end in self.styled.runs(line.start, line.end):
            words = self.styled.text[start:end]
            href = self.styled.links[start]
            text.setFont(self.styled.fonts[start], self.size)
            text.setFillColor(toColor(self.setting.link_color if href else self.style.textColor))
            text.textOut(words)
            run_width = self._run_width(start, end)
            if href:
                links.append((href, cursor, cursor + run_width))
            cursor += run_width
        canvas.drawText(text)
        self._draw_links(canvas, links, y)

    def lines(self) -> list[Line]:
        """The lines of the last ``wrap``."""
        return list(self._lines or [])

    def visual_runs(self, line: Line) -> list[tuple[int, int, int]]:
        """A right-to-left line's runs from left to right: (start, end, bidi level), each of one face and link."""
        styled = self.styled
        paragraph_levels = self._paragraph_levels()
        levels = bidi.line_levels(styled.text[line.start:line.end], paragraph_levels[line.start:line.end], self._base)
        order = [line.start + i for i in bidi.visual_order(levels)]
        runs = _visual_runs(order, lambda i: (levels[i - line.start], styled.fonts[i], styled.links[i]))
        return [(min(a, b), max(a, b) + 1, levels[min(a, b) - line.start]) for a, b in runs]

    def _draw_rtl(self, canvas: Any, line: Line, x: float, y: float) -> None:
        if line.end <= line.start:
            return
        styled = self.styled
        canvas.addLiteral(f"/Span <</ActualText {_pdf_text(styled.text[line.start:line.end])}>> BDC")
        links: list[tuple[str, float, float]] = []
        cursor = x
        for start, end, level in self.visual_runs(line):
            href = styled.links[start]
            glyphs = shaping.shape(styled.text[start:end], styled.fonts[start], rtl=level % 2 == 1)
            canvas.setFillColor(toColor(self.setting.link_color if href else self.style.textColor))
            shaping.draw(canvas, cursor, y, styled.fonts[start], self.size, glyphs)
            run_width = shaping.width(glyphs, self.size)
            if href:
                links.append((href, cursor, cursor + run_width))
            cursor += run_width
        canvas.addLiteral("EMC")
        self._draw_links(canvas, links, y)

    def _draw_links(self, canvas: Any, links: list[tuple[str, float, float]], y: float) -> None:
        """Underline each linked stretch and put a link over it (a link cut by a line end gets one per line)."""
        for href, left, right in links:
            canvas.setStrokeColor(toColor(self.setting.link_color))
            canvas.setLineWidth(max(self.size * 0.05, 0.5))
            canvas.line(left, y - self.size * 0.12, right, y - self.size * 0.12)
            canvas.linkURL(href, (left, y - self.size * 0.25, right, y + self.size * 0.85), relative=1)


def run_width(text: str, font: str, size: float, rtl_script: bool) -> float:
    """The width of a run of one face: shaped in a right-to-left script, from the font's widths otherwise."""
    if not rtl_script:
        return float(stringWidth(text, font, size))
    if not _has_rtl(text):
        return shaping.shaped_width(text, font, False, size)
    return _shaped_width(text, font, size, bidi.levels(text, True) if _has_ltr(text) else [1] * len(text))


def _shaped_width(text: str, font: str, size: float, levels: list[int]) -> float:
    """The width of ``text`` shaped as a line draws it: each stretch of one bidi level on its own. (Shaped whole,
    HarfBuzz takes the script from the first letter: Arabic after a Latin word came out unjoined and too wide,
    and a line measured that way was drawn as much too far to the left, off the page in large print.)"""
    total, start = 0.0, 0
    for end in range(1, len(text) + 1):
        if end == len(text) or levels[end] != levels[start]:
            total += shaping.shaped_width(text[start:end], font, levels[start] % 2 == 1, size)
            start = end
    return total


def _visual_runs(order: list[int], key: Callable[[int], Any]) -> list[tuple[int, int]]:
    """Consecutive visual positions that share a key and are adjacent in the text: (first, last) logical index."""
    runs: list[tuple[int, int]] = []
    first = previous = order[0]
    for index in order[1:]:
        if key(index) == key(previous) and abs(index - previous) == 1:
            previous = index
            continue
        runs.append((first, previous))
        first = previous = index
    runs.append((first, previous))
    return runs


def _first_strong(text: str, default: int) -> int:
    """Rules P2-P3: the paragraph level set by its first strong letter (1 right to left, 0 left to right)."""
    import unicodedata

    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return 1
        if kind == "L":
            return 0
    return default


def _has_rtl(text: str) -> bool:
    import unicodedata

    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def _has_ltr(text: str) -> bool:
    import unicodedata

    return any(unicodedata.bidirectional(char) == "L" for char in text)


def _combines(char: str) -> bool:
    import unicodedata

    return unicodedata.combining(char) > 0 or char in "\u200c\u200d"


def _pdf_text(text: str) -> str:
    """A PDF text string in UTF-16 (big-endian, with its byte-order mark), written in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
