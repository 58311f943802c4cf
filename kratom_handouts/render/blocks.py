"""One function per block type: a content block -> the flowables that draw it.

``ROLES`` is the block-to-role map that tagged PDF will use: each block's
flowables are made in exactly one function here, so each can later be wrapped
in marked content for its role. Text always goes through ``text.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from reportlab.platypus import Image as ImageFlowable
from reportlab.platypus import Paragraph as ParagraphFlowable
from reportlab.platypus import Table as TableFlowable
from reportlab.platypus import TableStyle

from .. import inline, model
from ..model import Layout
from . import text
from .styles import Styles, color

# The role each block plays for a screen reader: heading, paragraph, list, table, figure, group, artifact.
ROLES: dict[type, str] = {
    model.Heading: "heading",
    model.Paragraph: "paragraph",
    model.Bullets: "list",
    model.Steps: "list",
    model.Checklist: "list",
    model.Callout: "group",
    model.Table: "table",
    model.Contacts: "table",
    model.QRCode: "figure",
    model.Image: "figure",
}


@dataclass(frozen=True)
class BlockContext:
    styles: Styles
    layout: Layout
    call_label: str
    text_label: str
    outline_prefix: str = ""  # keeps bookmark keys unique when handouts share one document
    heading_level: int = 0  # outline level of section headings (0 alone, deeper in a bundle)

    @property
    def link_color(self) -> str:
        return self.layout.colors.link

    @property
    def width(self) -> float:
        return self.layout.frame_width

    @property
    def frame_height(self) -> float:
        return self.layout.page_height - self.layout.margin_top - self.layout.margin_bottom

    def table(self, rows, **options) -> "SplitTable":
        return SplitTable(rows, page_height=self.frame_height, **options)

    def para(self, source: str, style=None, bullet: str | None = None) -> ParagraphFlowable:
        return text.paragraph(source, style or self.styles.body, self.link_color, bullet)


class HeadingParagraph(ParagraphFlowable):
    """A heading that leaves a bookmark pointing at itself, and an outline entry."""

    def __init__(self, markup_source: str, style, key: str, outline_title: str, level: int, link_color: str):
        inner = text.paragraph(markup_source, style, link_color)
        super().__init__(inner.text, style)
        self.outline_key = key
        self.outline_title = outline_title
        self.outline_level = level

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.outline_key, 0, self.height + self.style.fontSize * 0.5)
        self.canv.addOutlineEntry(self.outline_title, self.outline_key, level=self.outline_level)
        super().draw()


class SplitTable(TableFlowable):
    """A table that splits between rows, and inside a row only when that row is taller than a whole page.

    ReportLab's ``splitInRow`` alone would cut a row wherever a page ends,
    leaving a sliver of an empty box at the foot of the page; a row is cut
    only when there is no other way to print it.
    """

    def __init__(self, *args, page_height: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_height = page_height

    def split(self, available_width: float, available_height: float):
        self.splitInRow = 0
        parts = super().split(available_width, available_height)
        if not parts and available_height >= self.page_height * 0.98:
            # Nothing fits even on a fresh page: give up keeping rows together and cut inside one.
            self.splitInRow = 1
            self._nosplitCmds = []
            parts = super().split(available_width, available_height)
        for part in parts:  # ReportLab makes the parts without our arguments
            part.page_height = self.page_height
        return parts


class TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float, stroke: str):
        super().__init__()
        self.size = size
        self.stroke = stroke
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.setStrokeColor(color(self.stroke))
        self.canv.setLineWidth(1.2)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def table_style(ctx: BlockContext, commands: list[tuple]) -> TableStyle:
    """A table style whose cell font is ours: ReportLab's default is unembedded Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), ctx.styles.body_font, ctx.styles.body.fontSize)] + commands)


def heading(block: model.Heading, index: int, ctx: BlockContext) -> list[Flowable]:
    title = inline.plain_text(block.text.value)
    key = f"{ctx.outline_prefix}heading-{index}"
    return [HeadingParagraph(block.text.value, ctx.styles.heading, key, title, ctx.heading_level, ctx.link_color)]


def paragraph(block: model.Paragraph, index: int, ctx: BlockContext) -> list[Flowable]:
    return [ctx.para(block.text.value)]


def bullets(block: model.Bullets, index: int, ctx: BlockContext) -> list[Flowable]:
    return _list_items(block.items, ctx, lambda n: "\u2022")


def steps(block: model.Steps, index: int, ctx: BlockContext) -> list[Flowable]:
    return _list_items(block.items, ctx, lambda n: f"{n}.")


def _list_items(items, ctx: BlockContext, marker: Callable[[int], str], style=None) -> list[Flowable]:
    style = style or ctx.styles.list_item
    flowables: list[Flowable] = [ctx.para(item.value, style, bullet=marker(n)) for n, item in enumerate(items, 1)]
    flowables.append(Spacer(1, ctx.styles.body.spaceAfter * 0.5))
    return flowables


def checklist(block: model.Checklist, index: int, ctx: BlockContext) -> list[Flowable]:
    size = ctx.styles.body.fontSize
    box = size * 0.95
    rows = [[TickBox(box, ctx.layout.colors.text), ctx.para(item.value, ctx.styles.cell)] for item in block.items]
    table = ctx.table(rows, colWidths=[box + size * 0.9, ctx.width - box - size * 0.9])
    table.setStyle(table_style(ctx, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (0, -1), size * 0.3),
        ("TOPPADDING", (1, 0), (1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.45),
    ]))
    return [table, Spacer(1, ctx.styles.body.spaceAfter * 0.5)]


def callout(block: model.Callout, index: int, ctx: BlockContext) -> list[Flowable]:
    colors = ctx.layout.colors
    rows: list[list[Flowable]] = []
    if block.title is not None:
        rows.append([ctx.para(block.title.value, ctx.styles.label)])
    if block.text is not None:
        rows.append([ctx.para(block.text.value, ctx.styles.cell)])
    rows.extend([ctx.para(item.value, ctx.styles.list_item, bullet="\u2022")] for item in block.bullets)
    return [boxed(rows, ctx, getattr(colors, f"{block.kind}_background"), getattr(colors, f"{block.kind}_border"),
                  titled=block.title is not None)]


def boxed(rows: list[list[Flowable]], ctx: BlockContext, background: str, border: str, titled: bool = False) -> TableFlowable:
    """Rows in a tinted box with a strong left rule; rows may split across pages, but a title keeps its first row."""
    pad = ctx.styles.body.fontSize * 0.7
    table = ctx.table(rows, colWidths=[ctx.width])
    keep_title = [("NOSPLIT", (0, 0), (0, 1))] if titled and len(rows) > 1 else []
    table.setStyle(table_style(ctx, keep_title + [
        ("BACKGROUND", (0, 0), (-1, -1), color(background)),
        ("LINEBEFORE", (0, 0), (0, -1), 4, color(border)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.25),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.25),
        ("TOPPADDING", (0, 0), (-1, 0), pad * 0.8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.8),
    ]))
    table.spaceAfter = ctx.styles.body.spaceAfter * 1.2
    return table


def table(block: model.Table, index: int, ctx: BlockContext) -> list[Flowable]:
    styles = ctx.styles
    header = [ctx.para(cell.value, styles.header_cell) for cell in block.header]
    rows = [[ctx.para(cell.value, styles.cell) for cell in row] for row in block.rows]
    columns = len(block.header)
    flowable = ctx.table([header] + rows, colWidths=[ctx.width / columns] * columns, repeatRows=1)
    pad = styles.body.fontSize * 0.45
    flowable.setStyle(table_style(ctx, [
        ("NOSPLIT", (0, 0), (-1, 1)),  # never a header row alone at the foot of a page
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), color(ctx.layout.colors.summary_background)),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, color(ctx.layout.colors.accent)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, color(ctx.layout.colors.muted)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    flowable.spaceAfter = styles.body.spaceAfter * 1.2
    return [flowable]


def _tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def contacts(block: model.Contacts, index: int, ctx: BlockContext) -> list[Flowable]:
    """Help lines: the name (and a note) on the left, how to reach them on the right, one row each."""
    styles = ctx.styles
    rows = []
    for entry in block.entries:
        left: list[Flowable] = [ctx.para(entry.label.value, styles.header_cell)]
        if entry.note is not None:
            left.append(ctx.para(entry.note.value, styles.small))
        ways = []
        if entry.phone is not None:
            ways.append(text.link(f"{ctx.call_label} {entry.phone.value}", _tel(entry.phone.value), styles.header_cell, ctx.link_color))
        if entry.text is not None:
            ways.append(text.literal(f"{ctx.text_label} {entry.text.value}", styles.cell))
        if entry.url is not None:
            ways.append(text.link(entry.url.value, entry.url.value, styles.cell, ctx.link_color))
        rows.append([left, ways])
    pad = styles.body.fontSize * 0.3
    flowable = ctx.table(rows, colWidths=[ctx.width * 0.6, ctx.width * 0.4])
    flowable.setStyle(table_style(ctx, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, color(ctx.layout.colors.muted)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    flowable.spaceAfter = styles.body.spaceAfter
    return [flowable]


def qr(block: model.QRCode, index: int, ctx: BlockContext) -> list[Flowable]:
    side = 30 * mm
    widget = QrCodeWidget(block.url.value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), -x0, -y0])
    drawing.add(widget)
    words: list[Flowable] = []
    if block.caption is not None:
        words.append(ctx.para(block.caption.value, ctx.styles.header_cell))
    words.append(text.link(block.url.value, block.url.value, ctx.styles.cell, ctx.link_color))
    flowable = TableFlowable([[drawing, words]], colWidths=[side + 12, ctx.width - side - 12])
    flowable.setStyle(table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    flowable.spaceAfter = ctx.styles.body.spaceAfter
    return [KeepTogether([flowable])]


def image(block: model.Image, index: int, ctx: BlockContext) -> list[Flowable]:
    from PIL import Image as PILImage

    with PILImage.open(block.path) as picture:
        pixel_width, pixel_height = picture.size
    layout = ctx.layout
    max_height = (layout.page_height - layout.margin_top - layout.margin_bottom) * 0.6
    width = min(block.width_pt or ctx.width, ctx.width, max_height * pixel_width / pixel_height)
    height = width * pixel_height / pixel_width
    flowable = ImageFlowable(str(block.path), width=width, height=height)
    flowable.hAlign = "LEFT"
    return [flowable, Spacer(1, ctx.styles.body.spaceAfter)]


RENDERERS: dict[type, Callable] = {
    model.Heading: heading,
    model.Paragraph: paragraph,
    model.Bullets: bullets,
    model.Steps: steps,
    model.Checklist: checklist,
    model.Callout: callout,
    model.Table: table,
    model.Contacts: contacts,
    model.QRCode: qr,
    model.Image: image,
}


def draw_block(block: model.Block, index: int, ctx: BlockContext) -> list[Flowable]:
    return RENDERERS[type(block)](block, index, ctx)
