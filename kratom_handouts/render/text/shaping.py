"""Shaped text: HarfBuzz turns a run of characters into positioned glyphs, which we write into the PDF ourselves.

ReportLab's own shaping guesses each run's direction, reverses Arabic-Indic
digits and fails on a line that starts with a raised mark, so a run here is
shaped in the direction the bidi algorithm gave it and written as a ``TJ``
array. ReportLab still embeds and subsets the font: a glyph that no character
maps to (an Arabic letter's joined form, a ligature) is given a private-use
code point derived from its glyph id, the same in every process and whatever
was drawn before, so output stays byte-identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ... import fonts

_FEATURES = {"kern": True, "liga": True}
_PRIVATE_BASE = 0xF0000  # Supplementary Private Use Area-A: one code point per glyph id


@dataclass(frozen=True)
class Glyph:
    code: int  # what ReportLab subsets and writes for it
    advance: float  # in thousandths of the font size
    x_offset: float
    y_offset: float


@cache
def _hb_font(font_name: str) -> Any:
    import uharfbuzz

    path, index = fonts.face_source(font_name)
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)), index)
    return uharfbuzz.Font(face), face.upem


def _code_for(ttf: Any, gid: int, advance: float) -> int:
    """A character ReportLab can write for glyph ``gid``: one the font maps to it, or a private one."""
    face = ttf.face
    chars = face.glyphToChar.get(gid)
    if chars:
        return int(min(chars))
    code = _PRIVATE_BASE + gid
    if code not in face.charToGlyph:
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = advance
    return code


def shape(text: str, font_name: str, rtl: bool) -> tuple[Glyph, ...]:
    """The glyphs of ``text`` in ``font_name``, left to right as they are drawn (a rtl run comes out reversed)."""
    return _shaped(text, font_name, rtl, pdfmetrics.getFont(font_name))[0]


# A paragraph measures each word, each line and then each run it draws, and three layouts shape the same words:
# nine shapings in ten were of a run shaped before. A run's glyphs depend on its text, face and direction only
# (not on the size), and the private code a glyph gets stays the same once given, so a shaped run is kept. The
# face object is part of the key: a face registered again under the same name has none of our private codes.
@lru_cache(maxsize=16_384)
def _shaped(text: str, font_name: str, rtl: bool, ttf: Any) -> tuple[tuple[Glyph, ...], float]:
    """The glyphs, and the sum of their advances."""
    import uharfbuzz

    hb_font, upem = _hb_font(font_name)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, _FEATURES)
    scale = 1000 / upem
    glyphs = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        advance = position.x_advance * scale
        glyphs.append(Glyph(_code_for(ttf, info.codepoint, advance), advance, position.x_offset * scale,
                            position.y_offset * scale))
    return tuple(glyphs), _advance(glyphs)


def width(glyphs: tuple[Glyph, ...], size: float) -> float:
    return _advance(glyphs) * size / 1000


def shaped_width(text: str, font_name: str, rtl: bool, size: float) -> float:
    """``width(shape(text, font_name, rtl), size)``, from the sum of advances kept with the shaped run."""
    return _shaped(text, font_name, rtl, pdfmetrics.getFont(font_name))[1] * size / 1000


def _advance(glyphs: Sequence[Glyph]) -> float:
    return sum(glyph.advance for glyph in glyphs)


def draw(canvas: Canvas, x: float, y: float, font_name: str, size: float, glyphs: tuple[Glyph, ...]) -> None:
    """Write ``glyphs`` with their left edge at ``x`` on baseline ``y``, in the canvas's fill colour."""
    ttf: Any = pdfmetrics.getFont(font_name)  # a TTFont: subsets are its own business, not in ReportLab's stubs
    document = canvas._doc  # type: ignore[attr-defined]  # ReportLab's subsets are kept per document
    escape = canvas._escape  # type: ignore[attr-defined]
    code: list[str] = [f"BT 1 0 0 1 {_n(x)} {_n(y)} Tm"]
    current_subset = None
    items: list[str] = []
    rise = 0.0

    def flush() -> None:
        if items:
            code.append(f"[{' '.join(items)}] TJ")
            items.clear()

    # One call for the run: ReportLab gives each character one byte of its subset, in order.
    chunks = ttf.splitString("".join(chr(glyph.code) for glyph in glyphs), document)
    per_glyph = [(subset, chunk[i:i + 1]) for subset, chunk in chunks for i in range(len(chunk))]
    for glyph, (subset, encoded) in zip(glyphs, per_glyph, strict=True):
        if subset != current_subset:
            flush()
            code.append(f"{ttf.getSubsetInternalName(subset, document)} {_n(size)} Tf")
            current_subset = subset
        if glyph.y_offset != rise:
            flush()
            rise = glyph.y_offset
            code.append(f"{_n(rise * size / 1000)} Ts")
        # The PDF advances by the glyph's own width; HarfBuzz says where the next one goes (and how far
        # this one is shifted): the difference goes into the TJ array, in thousandths of the font size.
        drawn_width = ttf.face.charWidths.get(glyph.code, ttf.face.defaultWidth)
        if glyph.x_offset:
            items.append(_n(-glyph.x_offset))
        items.append(f"({escape(encoded)})")
        correction = drawn_width - glyph.advance + glyph.x_offset
        if abs(correction) > 0.01:
            items.append(_n(correction))
    flush()
    if rise:
        code.append("0 Ts")
    code.append("ET")
    canvas.addLiteral(" ".join(code))


def _n(value: float) -> str:
    """A number as PDF writes it: short, and the same on every machine."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
