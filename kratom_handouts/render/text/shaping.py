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

from dataclasses import dataclass
from functools import cache
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


def shape(text: str, font_name: str, rtl: bool) -> list[Glyph]:
    """The glyphs of ``text`` in ``font_name``, left to right as they are drawn (a rtl run comes out reversed)."""
    import uharfbuzz

    hb_font, upem = _hb_font(font_name)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, _FEATURES)
    ttf: Any = pdfmetrics.getFont(font_name)
    scale = 1000 / upem
    glyphs = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        advance = position.x_advance * scale
        glyphs.append(Glyph(_code_for(ttf, info.codepoint, advance), advance, position.x_offset * scale,
                            position.y_offset * scale))
    return glyphs


def width(glyphs: list[Glyph], size: float) -> float:
    return sum(glyph.advance for glyph in glyphs) * size / 1000


def draw(canvas: Canvas, x: float, y: float, font_name: str, size: float, glyphs: list[Glyph]) -> None:
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

    for glyph in glyphs:
        ((subset, encoded),) = ttf.splitString(chr(glyph.code), document)
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
