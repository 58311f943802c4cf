"""What repeats on every page: the header (logo, clinic) and footer (title, id, page X of Y).

Header and footer are page furniture, drawn straight on the canvas; for tagged
PDF they become artifacts, and this is the one place that draws them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.utils import ImageReader, _digester  # type: ignore[attr-defined]  # not in the stubs
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas

from ..model import Layout, Text
from ..placeholders import fill, holds_page_number
from .styles import Styles, color
from .tagging import TaggingCanvas
from .text import LATIN, Script, draw_line, line_width


@contextmanager
def artifact(canvas: Canvas, subtype: str | None = None) -> Iterator[None]:
    """Page furniture: an ``/Artifact`` of type Pagination on a tagging canvas, plain drawing elsewhere."""
    if isinstance(canvas, TaggingCanvas):
        with canvas.artifact("Pagination", subtype):
            yield
    else:
        yield


def fit(words: str, font: str, size: float, width: float, script: Script = LATIN) -> str:
    """The words, cut short with an ellipsis if they would run past ``width``."""
    if line_width(words, font, size, script) <= width:
        return words
    # The longest start that fits with the ellipsis, found by halving: a label of any length costs a few
    # measurements, not one per character.
    short, long = 0, len(words)
    while short < long:
        middle = (short + long + 1) // 2
        if line_width(words[:middle] + "\u2026", font, size, script) <= width:
            short = middle
        else:
            long = middle - 1
    return words[:short].rstrip() + "\u2026"


@dataclass(frozen=True)
class PageFurniture:
    layout: Layout
    styles: Styles
    values: dict[str, str]  # placeholder values that do not change from page to page
    page_of: str  # the label, e.g. "Page {page} of {pages}"
    logo_size: tuple[float, float] = (0.0, 0.0)  # printed width and height
    # (header or footer, the text, what it was cut to): for a warning, since a cut must not be silent
    cuts: list[tuple[str, str, str]] = field(default_factory=list, compare=False)

    @property
    def size(self) -> float:
        return self.styles.small.fontSize

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        """Header and footer, each an artifact: a screen reader does not read them on every page."""
        canvas.saveState()
        values = self._values(page, pages)
        with artifact(canvas, "Header"):
            self._header(canvas, values)
        with artifact(canvas, "Footer"):
            self._footer(canvas, values)
        canvas.restoreState()

    def draw_numbers(self, canvas: Canvas, page: int, pages: int) -> None:
        """Only the slots that hold the page number, where the header and footer print them (no logo, no rules):
        for a page the clinic's own PDF fills."""
        canvas.saveState()
        values = self._values(page, pages)
        layout = self.layout
        for part, slots, (y, left_x, right_x) in (("Header", layout.header, self._header_line()),
                                                   ("Footer", layout.footer, self._footer_line())):
            left, center, right = (slot if holds_page_number(slot.value) else dataclasses.replace(slot, value="")
                                   for slot in slots)
            numbered = (left, center, right)
            if any(slot.value for slot in numbered):
                with artifact(canvas, part):
                    self._slots(canvas, numbered, values, y, left_x, right_x, part.lower())
        canvas.restoreState()

    def _values(self, page: int, pages: int) -> dict[str, str]:
        values = dict(self.values, page=str(page), pages=str(pages))
        values["page_of"] = fill(self.page_of, values)
        return values

    def _header_line(self) -> tuple[float, float, float]:
        """Where the header's text stands: its baseline and its left and right ends (beside the logo)."""
        layout = self.layout
        logo_w, logo_h = self.logo_size
        base = layout.page_height - layout.margin_top + self.size * 0.9
        text_left, text_right = layout.margin_left, layout.page_width - layout.margin_right
        if layout.logo:  # at the start of the line: the left, or the right of a right-to-left page
            if self.styles.script.rtl:
                text_right -= logo_w + self.size * 0.6
            else:
                text_left += logo_w + self.size * 0.6
        return (base + (logo_h - self.size) / 2 if logo_h else base), text_left, text_right

    def _footer_line(self) -> tuple[float, float, float]:
        layout = self.layout
        return self._footer_rule_y() - self.size * 1.5, layout.margin_left, layout.page_width - layout.margin_right

    def _footer_rule_y(self) -> float:
        return self.layout.margin_bottom - self.size * 0.6

    def _slots(self, canvas: Canvas, slots: tuple[Text, Text, Text], values: dict[str, str], y: float,
               left_x: float, right_x: float, part: str) -> None:
        layout = self.layout
        font = self.styles.body_font
        script = self.styles.script
        width = right_x - left_x
        left, center, right = (fill(slot.value, values) for slot in slots)
        if script.rtl:  # a right-to-left page starts at the right: the "left" slot is printed there
            left, right = right, left
        canvas.setFont(font, self.size)
        canvas.setFillColor(color(layout.colors.muted))
        gap = self.size
        status = values.get("reviewed", "")

        def measure(words: str) -> float:
            return line_width(words, font, self.size, script)

        def kept(words: str) -> bool:  # the review status is never cut short: the other slots give way to it
            return bool(status) and status in words

        def shorten(words: str, room: float) -> str:
            short = words if kept(words) else fit(words, font, self.size, room, script)
            if short != words and (part, words, short) not in self.cuts:
                self.cuts.append((part, words, short))
            return short

        if center:
            # The centre gets what the longer side leaves free, and a third of the width at least.
            room = max(width / 3, width - 2 * (max(measure(left), measure(right)) + gap))
            center = shorten(center, room)
            side = (width - measure(center)) / 2 - gap
            left, right = shorten(left, side), shorten(right, side)
            draw_line(canvas, left_x + width / 2, y, center, font, self.size, "center", script)
        elif measure(left) + measure(right) + gap > width:
            # Two slots that do not fit side by side share the width in proportion to their length.
            share = (width - gap) / (measure(left) + measure(right))
            left_room, right_room = measure(left) * share, measure(right) * share
            if kept(left):
                right_room = width - gap - measure(left)
            elif kept(right):
                left_room = width - gap - measure(right)
            left, right = shorten(left, left_room), shorten(right, right_room)
        if left:
            draw_line(canvas, left_x, y, left, font, self.size, "left", script)
        if right:
            draw_line(canvas, right_x, y, right, font, self.size, "right", script)

    def _header(self, canvas: Canvas, values: dict[str, str]) -> None:
        layout = self.layout
        top = layout.page_height - layout.margin_top
        if layout.logo:
            logo_w, logo_h = self.logo_size
            logo_x = layout.page_width - layout.margin_right - logo_w if self.styles.script.rtl else layout.margin_left
            draw_image(canvas, encoded_image(layout.logo), logo_x, top + self.size * 0.9, logo_w, logo_h)
        self._slots(canvas, layout.header, values, *self._header_line(), "header")
        canvas.setStrokeColor(color(layout.colors.accent))
        canvas.setLineWidth(1)
        canvas.line(layout.margin_left, top + self.size * 0.4, layout.page_width - layout.margin_right,
                    top + self.size * 0.4)

    def _footer(self, canvas: Canvas, values: dict[str, str]) -> None:
        layout = self.layout
        rule_y = self._footer_rule_y()
        canvas.setStrokeColor(color(layout.colors.muted))
        canvas.setLineWidth(0.5)
        canvas.line(layout.margin_left, rule_y, layout.page_width - layout.margin_right, rule_y)
        self._slots(canvas, layout.footer, values, *self._footer_line(), "footer")


@functools.lru_cache(maxsize=64)
def _read(path: Path, size: int, mtime_ns: int) -> tuple[bytes, ImageReader]:
    data = path.read_bytes()
    return data, ImageReader(io.BytesIO(data))


@dataclass(frozen=True)
class EncodedImage:
    """An image as ReportLab writes it into a PDF (``mask="auto"``), encoded once per process.

    ``canvas.drawImage`` encodes an image again for every document and hashes its pixels for every page it is
    drawn on; the logo is on every page of every handout. ReportLab names an image after its content (given a
    file name it would name it after the *path*, and the same project in another folder gave other bytes).
    """

    name: str
    xobject: PDFImageXObject
    soft_mask: PDFImageXObject | None


@functools.lru_cache(maxsize=64)
def _encoded(path: Path, size: int, mtime_ns: int) -> EncodedImage:
    reader = _read(path, size, mtime_ns)[1]
    pixels = reader.getRGBData()  # type: ignore[no-untyped-call]
    alpha = reader._dataA  # type: ignore[attr-defined]  # set by getRGBData; not in the stubs
    name = _digester(pixels + (alpha.getRGBData() if alpha else b"auto"))  # drawImage's own name for it
    xobject = PDFImageXObject(name, reader, mask="auto")
    xobject.name = name
    soft_mask = getattr(xobject, "_smask", None)
    if soft_mask is not None:
        delattr(xobject, "_smask")  # drawImage's step: the mask is registered on its own
    return EncodedImage(name, xobject, soft_mask)


def encoded_image(path: Path) -> EncodedImage:
    stat = path.stat()
    return _encoded(path, stat.st_size, stat.st_mtime_ns)


def draw_image(canvas: Canvas, image: EncodedImage, x: float, y: float, width: float, height: float) -> None:
    """What ``canvas.drawImage(reader, x, y, width, height, mask="auto")`` draws, from the encoded image."""
    document = canvas._doc  # type: ignore[attr-defined]
    registered = document.getXObjectName(image.name)
    if registered not in document.idToObject:  # first drawn in this document: a copy of its own to register
        xobject = copy.copy(image.xobject)
        canvas._setXObjects(xobject)  # type: ignore[attr-defined]
        document.Reference(xobject, registered)
        document.addForm(image.name, xobject)
        if image.soft_mask is not None:
            mask_name = document.getXObjectName(image.soft_mask.name)
            if mask_name not in document.idToObject:
                soft_mask = copy.copy(image.soft_mask)
                canvas._setXObjects(soft_mask)  # type: ignore[attr-defined]
                document.Reference(soft_mask, mask_name)
            xobject.smask = PDFObjectReference(mask_name)  # type: ignore[attr-defined]  # not in the stubs
    canvas._currentPageHasImages = 1  # type: ignore[attr-defined]
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{registered} Do")  # type: ignore[attr-defined]
    canvas.restoreState()
    canvas._formsinuse.append(image.name)  # type: ignore[attr-defined]  # the page's resources name it


def image_file(path: Path) -> io.BytesIO:
    """The same, for an ``Image`` flowable (which takes a file, not a decoded image)."""
    stat = path.stat()
    return io.BytesIO(_read(path, stat.st_size, stat.st_mtime_ns)[0])


PRINT_DPI = 300  # more pixels than this at the printed size only make the file bigger
_ORIENTATION = 0x0112  # the EXIF tag
_QUARTER_TURNS = (5, 6, 7, 8)  # orientations that swap width and height


def upright_size(path: Path) -> tuple[int, int]:
    """The image's pixel size as it is meant to be seen (a phone photo's EXIF orientation applied)."""
    from PIL import Image

    with Image.open(io.BytesIO(_read(path, *_key(path))[0])) as picture:
        width, height = picture.size
        orientation = picture.getexif().get(_ORIENTATION, 1)
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def _key(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@functools.lru_cache(maxsize=64)
def _print_ready(path: Path, size: int, mtime_ns: int, width_pt: float, height_pt: float) -> bytes:
    from PIL import Image, ImageOps

    data = _read(path, size, mtime_ns)[0]
    with Image.open(io.BytesIO(data)) as opened:
        orientation = opened.getexif().get(_ORIENTATION, 1)
        fitted = (round(width_pt / 72 * PRINT_DPI), round(height_pt / 72 * PRINT_DPI))
        if orientation == 1 and opened.width <= fitted[0] * 1.1 and opened.height <= fitted[1] * 1.1:
            return data  # upright and not much larger than print needs: embedded as it is
        picture = ImageOps.exif_transpose(opened)
        if picture.width > fitted[0] or picture.height > fitted[1]:
            picture = picture.resize((max(1, min(picture.width, fitted[0])), max(1, min(picture.height, fitted[1]))),
                                     Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if opened.format == "JPEG" and picture.mode in ("RGB", "L", "CMYK"):
            picture.save(out, "JPEG", quality=90, optimize=True)
        else:
            picture.save(out, "PNG", optimize=True)
        return out.getvalue()


def print_image(path: Path, width_pt: float, height_pt: float) -> io.BytesIO:
    """The image for an ``Image`` flowable drawn at this size: turned upright (EXIF orientation) and, if it has
    more pixels than 300 dpi at that size, scaled down to that, so a phone photo does not make a 10 MB handout."""
    return io.BytesIO(_print_ready(path, *_key(path), round(width_pt, 2), round(height_pt, 2)))
