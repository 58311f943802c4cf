"""The PDF drawing kit that block renderers use, and ``draw_block``.

Each block type's renderer lives with the rest of that type, in
``kratom_handouts/blocks/``; it draws only with the ``BlockContext`` it is
handed, so ReportLab stays behind this module. Text always goes through
``text.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Image as ImageFlowable,
    KeepTogether,
    Spacer,
    Table as TableFlowable,
    TableStyle,
)

from .. import inline
from ..blocks import Block, spec_for
from ..model import Layout
from . import text
from .long_table import LONG_TABLE_ROWS, RowsByPage
from .pages import print_image, upright_size
from .styles import Styles, color
from .tagging import Element, Structure, Tagged, table_marking


@dataclass(frozen=True)
class BlockContext:
    styles: Styles
    layout: Layout
    call_label: str
    text_label: str
    outline_prefix: str = ""  # keeps bookmark keys unique when handouts share one document
    heading_level: int = 0  # outline level of section headings (0 alone, deeper in a bundle)
    heading_rank: int = 2  # H2 in a handout; H3 inside a bundle, under the handout's H2 title
    structure: Structure = field(default_factory=Structure)  # the tagged-PDF tree being built

    @property
    def link_color(self) -> str:
        return self.layout.colors.link

    @property
    def script(self) -> text.Script:
        return self.styles.script

    @property
    def width(self) -> float:
        return self.layout.frame_width

    @property
    def frame_height(self) -> float:
        return self.layout.page_height - self.layout.margin_top - self.layout.margin_bottom

    # --- the kit: everything a block renderer may draw with ---------------------------
    # Each method that draws content makes its structure element under the open group.

    def tagged(self, flowable: Flowable, role: str, **attributes: Any) -> Tagged:
        return Tagged(flowable, self.structure.element(role, **attributes))

    def group(self, role: str, **attributes: Any) -> AbstractContextManager[Element]:
        """Elements made inside the ``with`` block go under a new element (a Div, a Table, an L...)."""
        return self.structure.group(role, **attributes)

    # Each text element carries its words as /ActualText: ReportLab writes no space where a line wraps, so
    # without it a screen reader or a copy would run the last word of a line into the first of the next.

    def para(self, source: str, style: ParagraphStyle | None = None) -> Flowable:
        flowable = text.paragraph(source, style or self.styles.body, self.link_color, script=self.script)
        return self.tagged(flowable, "P", actual_text=inline.plain_text(source))

    def literal(self, words: str, style: ParagraphStyle, page_aligned: bool = False) -> Flowable:
        return self.tagged(text.literal(words, style, script=self.script, page_aligned=page_aligned), "P",
                           actual_text=words)

    def literal_runs(self, runs: list[tuple[str, str | None]], style: ParagraphStyle) -> Flowable:
        words = "".join(run for run, _ in runs).strip()
        return self.tagged(text.literal_runs(runs, style, self.link_color, self.script), "P", actual_text=words)

    def link(self, label: str, href: str, style: ParagraphStyle) -> Flowable:
        """A paragraph that is one link: its words are the Link element's own content, with the annotation."""
        paragraph = self.structure.element("P")
        link = self.structure.element("Link", parent=paragraph, url=href, actual_text=label)
        return Tagged(text.link(label, href, style, self.link_color, self.script), link)

    def heading(self, source: str, style: ParagraphStyle, key: str, outline_title: str, level: int,
                rank: int | None = None) -> Flowable:
        """A heading with its bookmark; ``rank`` 1-6 is its level for screen readers (the kit's own by default)."""
        flowable = text.heading(source, style, self.link_color, key, outline_title, level, self.script)
        return self.tagged(flowable, f"H{rank or self.heading_rank}", actual_text=inline.plain_text(source))

    def list_items(self, items: list[str], marker: Callable[[int], str], style: ParagraphStyle | None = None,
                   literal: bool = False, spaced: bool = True) -> list[Flowable]:
        """An L of LI, each with its marker as Lbl and its text as LBody."""
        style = style or self.styles.list_item
        flowables: list[Flowable] = []
        with self.group("L"):
            for n, item in enumerate(items, 1):
                li = self.structure.element("LI")
                label = self.structure.element("Lbl", parent=li, actual_text=marker(n))
                body = self.structure.element("LBody", parent=li,
                                              actual_text=item if literal else inline.plain_text(item))
                if literal:
                    inner = text.literal(item, style, bullet=marker(n), script=self.script)
                else:
                    inner = text.paragraph(item, style, self.link_color, bullet=marker(n), script=self.script)
                flowables.append(Tagged(inner, body, label_first=label))
        if spaced:
            flowables.append(Spacer(1, self.styles.body.spaceAfter * 0.5))
        return flowables

    def checklist_rows(self, items: list[str], box: float) -> list[list[Flowable]]:
        """Rows of [tick box, text] as an L: the box is each item's Lbl, the text its LBody."""
        rows: list[list[Flowable]] = []
        with self.group("L"):
            for item in items:
                li = self.structure.element("LI")
                label = self.structure.element("Lbl", parent=li, actual_text="\u2610")
                body = self.structure.element("LBody", parent=li, actual_text=inline.plain_text(item))
                rows.append([Tagged(TickBox(box, self.layout.colors.text), label),
                             Tagged(text.paragraph(item, self.styles.cell, self.link_color, script=self.script), body)])
        return rows

    def table_row(self, cells: list[Flowable | list[Flowable]], header: bool = False,
                  row_header: bool = False) -> list[Flowable | list[Flowable]]:
        """A TR of the open Table: TH (scoped to the column, or the row for ``row_header``) and TD cells.

        The cells' paragraphs were made as P elements under the table; each moves into its cell, so a
        cell cut across pages is still one TD.
        """
        row = self.structure.element("TR")
        for column, cell in enumerate(cells):
            is_header = header or (row_header and column == 0)
            scope = "Column" if header else "Row" if is_header else None
            cell_element = self.structure.element("TH" if is_header else "TD", parent=row, scope=scope)
            for flowable in cell if isinstance(cell, list) else [cell]:
                if isinstance(flowable, Tagged):
                    made = flowable.element
                    top = made.parent if made.role == "Link" and made.parent is not None else made
                    if top.parent is not None:
                        _detach(top.parent.content, top)
                    cell_element.add(top)  # TD > P: each paragraph keeps its words, its links and its splits
        return cells

    def spacer(self, height: float) -> Flowable:
        return Spacer(1, height)

    # ReportLab calls ``renderCB(table, cmd, *args)``: a function will do, whatever its stubs say.

    # On a right-to-left page a table is drawn mirrored: first column rightmost, rules and paddings swapped.
    # Its rows are given (and tagged) in reading order; only the drawing is reversed.

    def table(self, rows: Sequence[Sequence[Any]], rows_alike: bool = False,
              **options: Any) -> SplitTable | RowsByPage:
        """``rows_alike``: the style treats every row after the header (``repeatRows``) the same way, so a long
        table may be laid out a page's rows at a time (see ``long_table``)."""
        if rows_alike and len(rows) > LONG_TABLE_ROWS:
            header = int(options.get("repeatRows", 0))
            return RowsByPage(lambda run, repeated: self._split_table(run, repeated, options), list(rows[:header]),
                              list(rows[header:]))
        return self._split_table(rows, 0, options)

    def _split_table(self, rows: Sequence[Sequence[Any]], repeated_header_rows: int,
                     options: dict[str, Any]) -> SplitTable:
        rows, options = _mirrored(rows, options, self.script.rtl)
        table = SplitTable(rows, page_height=self.frame_height, renderCB=table_marking, mirrored=self.script.rtl,
                           **options)
        table.repeated_header_rows = repeated_header_rows
        return table

    def plain_table(self, rows: Sequence[Sequence[Any]], **options: Any) -> TableFlowable:
        rows, options = _mirrored(rows, options, self.script.rtl)
        cls = MirroredTable if self.script.rtl else TableFlowable
        return cls(rows, renderCB=table_marking, **options)  # type: ignore[arg-type]

    def table_style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        return table_style(self, commands)

    def boxed(self, rows: list[list[Flowable]], background: str, border: str, titled: bool = False,
              whole: bool = False) -> TableFlowable:
        return boxed(rows, self, background, border, titled, whole)

    def keep_together(self, flowables: list[Flowable]) -> Flowable:
        return KeepTogether(flowables)

    @staticmethod
    def color(value: str) -> Color:
        return color(value)

    def figure(self, flowable: Flowable, alt: str) -> Flowable:
        return self.tagged(flowable, "Figure", alt=alt)

    def qr_drawing(self, url: str, side: float) -> Flowable:
        widget = QrCodeWidget(url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), -x0, -y0])
        drawing.initialFontName = self.styles.body_font  # type: ignore[attr-defined]  # or it pulls in unembedded Helvetica
        drawing.add(widget)
        return drawing

    @staticmethod
    def image_size(path: Path) -> tuple[int, int]:
        """Pixel width and height, upright (a photo's EXIF orientation applied)."""
        return upright_size(path)

    def image(self, path: Path, width: float, height: float) -> Flowable:
        flowable = ImageFlowable(print_image(path, width, height), width=width, height=height)
        flowable.hAlign = "RIGHT" if self.script.rtl else "LEFT"
        return flowable


def _mirrored(rows: Sequence[Sequence[Any]], options: dict[str, Any],
              rtl: bool) -> tuple[Sequence[Sequence[Any]], dict[str, Any]]:
    if not rtl:
        return rows, options
    options = dict(options)
    if options.get("colWidths") is not None:
        options["colWidths"] = list(reversed(options["colWidths"]))
    return [list(reversed(row)) for row in rows], options


_SWAPPED = {"LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE", "LEFTPADDING": "RIGHTPADDING",
            "RIGHTPADDING": "LEFTPADDING"}


def mirror_commands(commands: Sequence[tuple[Any, ...]], columns: int) -> list[tuple[Any, ...]]:
    """Table style commands for the same table drawn right to left."""
    def column(c: int) -> int:
        return columns - 1 - (c if c >= 0 else columns + c)

    mirrored = []
    for name, (start_col, start_row), (end_col, end_row), *rest in commands:
        if name == "ALIGN" and rest and rest[0] in ("LEFT", "RIGHT"):
            rest = ["RIGHT" if rest[0] == "LEFT" else "LEFT", *rest[1:]]
        mirrored.append((_SWAPPED.get(name, name), (column(end_col), start_row), (column(start_col), end_row), *rest))
    return mirrored


def mirrored_style(style: Any, columns: int) -> TableStyle:
    commands = style.getCommands() if isinstance(style, TableStyle) else list(style)
    return TableStyle(mirror_commands(commands, columns))


class MirroredTable(TableFlowable):
    """A table whose style commands are mirrored as they are set (its rows are already reversed)."""

    def setStyle(self, tblstyle: Any) -> None:
        super().setStyle(mirrored_style(tblstyle, self._ncols))  # type: ignore[attr-defined]


class SplitTable(TableFlowable):
    """A table that splits between rows, and inside a row only when that row is taller than a whole page.

    ReportLab's ``splitInRow`` alone would cut a row wherever a page ends,
    leaving a sliver of an empty box at the foot of the page; a row is cut
    only when there is no other way to print it.
    """

    repeated_header_rows: int  # set on the parts after the first (see split)

    def __init__(self, *args: Any, page_height: float = 0.0, mirrored: bool = False, **kwargs: Any) -> None:
        self.mirrored = mirrored  # ReportLab makes the parts of a split without it: their styles are set already
        super().__init__(*args, **kwargs)
        self.page_height = page_height

    def setStyle(self, tblstyle: Any) -> None:
        super().setStyle(mirrored_style(tblstyle, self._ncols) if self.mirrored else tblstyle)  # type: ignore[attr-defined]

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.splitInRow = 0
        parts = super().split(available_width, available_height)
        if not parts and available_height >= self.page_height * 0.98:
            # Nothing fits even on a fresh page: give up keeping rows together and cut inside one.
            self.splitInRow = 1
            self._nosplitCmds: list[tuple[Any, ...]] = []
            parts = super().split(available_width, available_height)
        repeated = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows or ())
        for number, part in enumerate(cast("list[SplitTable]", parts)):  # ReportLab makes them without our arguments
            part.page_height = self.page_height
            # A part after the first starts with the header row again: drawn as an artifact, not read twice.
            continuing: int = number > 0 or getattr(self, "repeated_header_rows", 0)
            part.repeated_header_rows = repeated if continuing else 0
        return parts


def _detach(content: list[Any], element: Element) -> None:
    """Take out an element made a moment ago: looked for from the end, where it is (a table of thousands of
    cells made ``list.remove`` from the front quadratic)."""
    for position in range(len(content) - 1, -1, -1):
        if content[position] is element:
            del content[position]
            return


class TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float, stroke: str) -> None:
        super().__init__()
        self.size = size
        self.stroke = stroke
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.setStrokeColor(color(self.stroke))
        self.canv.setLineWidth(1.2)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def table_style(ctx: BlockContext, commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cell font is ours: ReportLab's default is unembedded Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), ctx.styles.body_font, ctx.styles.body.fontSize), *commands])


def boxed(rows: list[list[Flowable]], ctx: BlockContext, background: str, border: str, titled: bool = False,
          whole: bool = False) -> TableFlowable:
    """Rows in a tinted box with a strong left rule; rows may split across pages, but a title keeps its first row.

    A ``whole`` box moves to the next page rather than split (unless it is taller than a page).
    """
    pad = ctx.styles.body.fontSize * 0.7
    table = ctx._split_table(rows, 0, {"colWidths": [ctx.width]})  # a box is styled by its rows' places
    keep_title = [("NOSPLIT", (0, 0), (0, 1))] if titled and len(rows) > 1 else []
    if whole:
        keep_title = [("NOSPLIT", (0, 0), (-1, -1))]
    table.setStyle(table_style(ctx, [
        *keep_title,
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


def draw_block(block: Block, index: int, ctx: BlockContext, lang: str | None = None) -> list[Flowable]:
    """The block's flowables; ``lang`` marks its elements as printed in another language (a fallback)."""
    holder = ctx.structure.current
    before = len(holder.content)
    flowables = spec_for(block).pdf(block, index, ctx)
    if lang is not None:
        for element in holder.content[before:]:
            if isinstance(element, Element):
                element.lang = lang
    return flowables
