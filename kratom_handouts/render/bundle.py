"""A program's bundle as one ReportLab document: cover, contents, handouts, blank pages, insert placeholders.

Rendering every handout into one document lets them share one font subset,
which is what keeps a bundle far smaller than its handouts built alone.
Inserts (the clinic's own PDFs) get blank placeholder pages here; ``bundle.py``
one layer up overlays the real pages with pypdf.

Layout takes one pass. What is known only at the end waits for it: a duplex
blank page goes in when the next part would start on a left-hand page (decided
as the layout reaches it), and the contents page's numbers and every page's
"page X of Y" are drawn at save time by the ``DeferredFurnitureCanvas``. The
older two-pass layout (measure every part, then draw) is kept, behind
``passes=2``, for the tests to compare against.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Image as ImageFlowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from .. import inline
from ..i18n.languages import labelled
from ..model import Handout, Labels, Layout, ProgramText
from ..review import bundle_metadata_notice, bundle_status
from . import text
from .blocks import BlockContext, boxed, table_style
from .document import (
    assistance_lines,
    block_context,
    body_frame,
    dated_canvas,
    furniture,
    handout_story,
    handout_template,
    insert_furniture,
    logo_size,
    new_document,
    register_fonts,
)
from .pages import artifact, image_file
from .pdf_structure import DocumentFacts, write_structure
from .styles import Styles, color, make_styles
from .tagging import DeferredFurnitureCanvas, Element, Structure, Tagged


@dataclass(frozen=True)
class InsertPages:
    """An insert as the renderer sees it: a title and how many pages to reserve."""

    id: str
    title: str
    page_count: int
    accessible: bool = False  # tagged and PDF/UA itself (its tags are grafted in by bundle.py)


BundlePart = Handout | InsertPages


@dataclass(frozen=True)
class BundlePlan:
    program_id: str
    text: ProgramText
    lang: str
    duplex: bool
    parts: tuple[BundlePart, ...]


@dataclass(frozen=True)
class RenderedBundle:
    pdf: bytes
    pages: int
    front_pages: int  # cover and contents (and a duplex blank), numbered i, ii, ...
    part_starts: tuple[int, ...]  # 1-based physical page where each part starts
    blank_pages: int

    def insert_first_pages(self, plan: BundlePlan) -> dict[str, int]:
        """Insert id -> 0-based index of its first placeholder page."""
        return {part.id: start - 1
                for part, start in zip(plan.parts, self.part_starts, strict=False) if isinstance(part, InsertPages)}


class PageMarker(Flowable):
    """Takes no space; notes the page it lands on, and can leave a page bookmark there."""

    def __init__(self, on_draw: Callable[[Flowable], None] | None = None):
        super().__init__()
        self.on_draw = on_draw

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.on_draw is not None:
            self.on_draw(self)


def _bookmark(key: str, title: str, level: int) -> Callable[[Flowable], None]:
    def leave(flowable: Flowable) -> None:
        flowable.canv.bookmarkPage(key)
        flowable.canv.addOutlineEntry(title, key, level=level)

    return leave


class DuplexBlank(ActionFlowable):
    """In a duplex bundle, a blank page when the next part would otherwise start on a left-hand (even) page.

    An action, not a flowable that takes space: it must act even when the page before is full.
    """

    def apply(self, document: Any) -> None:
        if (document.page + 1) % 2 == 0:
            document.handle_nextPageTemplate("blank")
            document.handle_pageBreak()


class LaterNumber(Flowable):
    """A page number that is known only when the layout ends: its room is kept now, the number drawn at save."""

    def __init__(self, make: Callable[[str], Flowable], number: Callable[[], int], digits: int = 3):
        super().__init__()
        self.make = make
        self.number = number
        self.placeholder = "0" * digits

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = (available_width,
                                   self.make(self.placeholder).wrap(available_width, available_height)[1])
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        width, height = self.width, self.height

        def draw_number(canvas: Any, total_pages: int) -> None:
            flowable = self.make(str(self.number()))
            flowable.wrap(width, height)
            flowable.drawOn(canvas, x, y)

        cast(DeferredFurnitureCanvas, self.canv).furnish_later(draw_number)  # numbers are drawn on that canvas only


def _title_of(part: BundlePart) -> str:
    return inline.plain_text(part.title.value) if isinstance(part, Handout) else part.title


@dataclass(frozen=True)
class _Pagination:
    """Where things go: known after the first pass, used by the second."""

    front_blank: bool
    blanks_before: frozenset[int]  # part indexes that get a duplex blank page before them
    starts: tuple[int, ...]  # physical start page of each part
    front_pages: int
    total_pages: int

    @property
    def numbers(self) -> tuple[int, ...]:
        """Each part's printed page number (the count restarts at 1 after the front matter)."""
        return tuple(start - self.front_pages for start in self.starts)


def paginate(front_pages: int, lengths: list[int], duplex: bool) -> _Pagination:
    """Place every part, with duplex blank pages so each part starts on a right-hand (odd) page."""
    page = front_pages + 1
    front_blank = duplex and page % 2 == 0
    if front_blank:
        page += 1
    blanks: set[int] = set()
    starts = []
    for index, length in enumerate(lengths):
        if duplex and page % 2 == 0:
            blanks.add(index)
            page += 1
        starts.append(page)
        page += length
    return _Pagination(front_blank, frozenset(blanks), tuple(starts), front_pages + int(front_blank), page - 1)


BULLET = "\u2022"


class _Renderer:
    def __init__(self, plan: BundlePlan, layout: Layout, labels: Labels):
        self.plan = plan
        self.layout = layout
        self.labels = labels
        self.styles: Styles = make_styles(layout, plan.lang)
        self.structure = Structure()  # made anew for each pass
        self.pagination: _Pagination | None = None
        self.measuring = False
        self.starts: list[int] = []
        self.blank_pages = 0

    def _ctx(self, **options: Any) -> BlockContext:
        return block_context(self.layout, self.labels, self.styles, structure=self.structure, **options)

    # --- front matter ---------------------------------------------------------

    def cover(self) -> list[Flowable]:
        styles, layout, labels, plan = self.styles, self.layout, self.labels, self.plan
        ctx = self._ctx()
        title = inline.plain_text(plan.text.title.value)
        story: list[Flowable] = [PageMarker(self._page_labels), PageMarker(_bookmark("program", title, 0))]
        if layout.logo is not None:
            width, height = logo_size(layout)
            scale = 0.9 * inch / height  # the cover shows the logo larger than the header does
            logo = ImageFlowable(image_file(layout.logo), width=width * scale, height=height * scale)
            logo.hAlign = "RIGHT" if styles.script.rtl else "LEFT"
            story += [ctx.figure(logo, alt=layout.clinic.name.value), Spacer(1, styles.body.fontSize * 0.6)]
        story.append(ctx.literal(layout.clinic.name.value, styles.label, page_aligned=True))  # under the logo
        gap = Spacer(1, 0.8 * inch)
        story.append(gap)
        title_flowable = text.paragraph(plan.text.title.value, styles.title, ctx.link_color, script=styles.script)
        story.append(ctx.tagged(title_flowable, "H1", actual_text=inline.plain_text(plan.text.title.value)))
        if plan.text.subtitle is not None:
            story.append(ctx.para(plan.text.subtitle.value, styles.subtitle))
        story.append(Spacer(1, styles.body.fontSize))
        language = _language_name(plan.lang)
        story.append(ctx.literal(labelled(labels["language"], language, plan.lang), styles.body))
        story.append(ctx.literal(bundle_status(self._handouts(), labels), styles.body))
        story.append(Spacer(1, styles.body.fontSize))
        packet = [ctx.literal(labels["in_this_packet"], styles.label),
                  *ctx.list_items([_title_of(part) for part in plan.parts], lambda n: BULLET, literal=True,
                                  spaced=False),
                  Spacer(1, styles.body.fontSize)]
        story += packet
        with ctx.group("Div"):
            rows = [[ctx.literal(layout.clinic.name.value, styles.label, page_aligned=True)],  # by the box's rule
                    [ctx.literal(layout.clinic.contact_line(), styles.cell, page_aligned=True)]]
        story.append(boxed(rows, ctx, layout.colors.summary_background, layout.colors.accent, titled=True))
        set_as = (assistance_lines(layout, ctx), assistance_lines(layout, ctx, compact=True))
        notices: list[Flowable] = [AtFoot(lines) for lines in set_as if lines]
        return self._fitted_cover(story, gap, packet, notices)

    def _fitted_cover(self, story: list[Flowable], gap: Flowable, packet: list[Flowable],
                      notices: list[Flowable]) -> list[Flowable]:
        """The cover on one page: if it is too tall the space above the title shrinks; if that is not enough the
        packet list goes (the contents page, next, lists the same titles); and then the language-assistance
        lines at the foot (``notices``: as set, and compact) are set compact, as a handout's closing lines are
        (a line for each of six languages does not fit a large-print cover at its body size). The elements of
        what is left out stay empty and drop out of the tree."""
        ctx = self._ctx()
        small_gap = Spacer(1, self.styles.body.fontSize)
        shorter = [small_gap if flowable is gap else flowable for flowable in story]
        without_list = [flowable for flowable in story if all(flowable is not item for item in packet)]
        shortest = [small_gap if flowable is gap else flowable for flowable in without_list]
        foot, compact_foot = notices[:1], notices[1:]
        candidates = [[*candidate, *foot] for candidate in (story, shorter, without_list, shortest)]
        if compact_foot:
            candidates.append([*shortest, *compact_foot])
        for candidate in candidates:
            if _height(candidate, ctx.width, ctx.frame_height) <= ctx.frame_height:
                return candidate
        return candidates[-1]

    def _handouts(self) -> list[Handout]:
        return [part for part in self.plan.parts if isinstance(part, Handout)]

    def contents(self, numbers: tuple[int, ...] | None) -> list[Flowable]:
        """The contents page; with ``numbers`` None each number is drawn once the layout has placed its part."""
        styles = self.styles
        ctx = self._ctx()
        heading = ctx.tagged(text.literal(self.labels["contents"], styles.title, script=styles.script), "H2",
                             actual_text=self.labels["contents"])
        rows = []
        with ctx.group("TOC"):
            for index, part in enumerate(self.plan.parts):
                title = _title_of(part)
                entry = ctx.structure.element("TOCI", actual_text=f"{title} {numbers[index]}" if numbers else title)
                number = self._number(numbers[index], entry) if numbers else self._later_number(index, title, entry)
                rows.append([Tagged(text.literal(title, styles.cell, script=styles.script), entry), number])
        number_width = styles.body.fontSize * 3
        table = ctx.plain_table(rows, colWidths=[ctx.width - number_width, number_width])
        table.setStyle(table_style(ctx, [
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, color(self.layout.colors.muted)),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), styles.body.fontSize * 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), styles.body.fontSize * 0.5),
        ]))
        return [heading, Spacer(1, styles.body.fontSize), table]

    def _number(self, number: int, entry: Element | None = None) -> Flowable:
        flowable = text.literal(str(number), self.styles.cell, script=self.styles.script)
        return Tagged(flowable, entry) if entry is not None else flowable

    def _later_number(self, index: int, title: str, entry: Element) -> Flowable:
        def number() -> int:
            printed = self.starts[index] - self.front_pages
            entry.actual_text = f"{title} {printed}"
            return printed

        right = ParagraphStyle("contents-number", parent=self.styles.cell, alignment=TA_RIGHT)
        return LaterNumber(lambda digits: Tagged(text.literal(digits, right, script=self.styles.script), entry), number)

    def _page_labels(self, flowable: Flowable) -> None:
        flowable.canv.addPageLabel(0, "ROMAN_LOWER", 1)
        if self.pagination is not None:
            flowable.canv.addPageLabel(self.pagination.front_pages, "ARABIC", 1)

    def _part_starts(self, canvas: Any) -> None:
        """A part's first page is reached: note it (the first one ends the front matter, numbered i, ii...)."""
        self.starts.append(canvas.getPageNumber())
        if len(self.starts) == 1 and self.pagination is None:
            canvas.addPageLabel(self.front_pages, "ARABIC", 1)

    @property
    def front_pages(self) -> int:
        """Cover, contents and a duplex blank: the pages before the first part."""
        return self.starts[0] - 1

    # --- templates --------------------------------------------------------------

    def templates(self) -> list[PageTemplate]:
        layout = self.layout
        plain = [PageTemplate(id="cover", frames=[body_frame(layout)]),
                 PageTemplate(id="front", frames=[body_frame(layout)]),
                 PageTemplate(id="blank", frames=[body_frame(layout)], onPage=self._draw_blank_notice)]
        pagination = self.pagination
        for index, part in enumerate(self.plan.parts):
            if isinstance(part, Handout):
                furnish = furniture(part, layout, self.labels, self.styles)
            else:  # the clinic's own pages get the page number the pages around them have (bundle.py keeps it)
                furnish = insert_furniture(part.title, part.id, self.plan.lang, layout, self.labels, self.styles)
            numbers_only = not isinstance(part, Handout)
            if pagination is None:  # numbers count from the first part, known once it is reached
                template = handout_template(f"part-{index}", furnish, layout, lambda: self.front_pages + 1, None,
                                            numbers_only)
            else:
                template = handout_template(f"part-{index}", furnish, layout, pagination.front_pages + 1,
                                            pagination.total_pages - pagination.front_pages, numbers_only)
            plain.append(template)
        return plain

    def _draw_blank_notice(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        self.blank_pages += 1
        with artifact(canvas):
            self._blank_notice(canvas)

    def _blank_notice(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFont(self.styles.body_font, self.styles.body.fontSize)
        canvas.setFillColor(color(self.layout.colors.muted))
        text.draw_line(canvas, self.layout.page_width / 2, self.layout.page_height / 2, self.labels["blank_page"],
                       self.styles.body_font, self.styles.body.fontSize, "center", self.styles.script)
        canvas.restoreState()

    # --- the whole document -------------------------------------------------------

    def story(self) -> list[Flowable]:
        pagination, duplex = self.pagination, self.plan.duplex and not self.measuring
        with self.structure.group("Part"):
            story = self.cover() if self._handouts() else []
        if duplex and story:  # the contents starts a sheet of its own, not the back of the cover
            story += self._blank_page() if pagination is not None else [DuplexBlank()]
        with self.structure.group("Part"):
            story += [NextPageTemplate("front"), PageBreak(),
                      *self.contents(pagination.numbers if pagination else None)]
        for index, part in enumerate(self.plan.parts):
            if pagination is not None:
                if (pagination.front_blank and index == 0) or index in pagination.blanks_before:
                    story += self._blank_page()
            elif duplex:
                story.append(DuplexBlank())
            marker = PageMarker(lambda flowable: self._part_starts(flowable.canv))
            if isinstance(part, Handout):
                # Inside a bundle the program title is the H1: a handout's title is H2, its headings H3.
                ctx = self._ctx(outline_prefix=f"part{index}-", heading_level=2, heading_rank=3)
                with self.structure.group("Part"):
                    # Its back matter is set as a handout's alone is (last_page.py): no page of the packet holds
                    # only a handout's review line and address.
                    parts = handout_story(part, self.layout, self.labels, self.styles, ctx, title_outline_level=1,
                                          compact=None)
                story += [NextPageTemplate(f"part-{index}"), PageBreak(), marker, *parts]
            else:
                # Its Part stays in the tree, empty, for bundle.py to graft the insert's own tags into.
                self.structure.element("Part", title=part.title, insert=part.id)
                story += [NextPageTemplate(f"part-{index}"), PageBreak(), marker,
                          PageMarker(_bookmark(f"insert-{part.id}", part.title, 1))]
                for _ in range(part.page_count - 1):
                    story += [PageBreak(), PageMarker()]
        return story

    def _blank_page(self) -> list[Flowable]:
        return [NextPageTemplate("blank"), PageBreak(), PageMarker()]

    def build(self, created: dt.datetime, pagination: _Pagination | None = None,
              measuring: bool = False) -> RenderedBundle:
        """One layout pass. Without ``pagination`` it places blank pages and numbers as it goes (and draws
        them at save); ``measuring`` is the first of the older two passes: no duplex blanks, no bytes."""
        self.pagination, self.measuring = pagination, measuring
        self.structure = Structure()
        self.starts = []
        self.blank_pages = 0
        buffer = io.BytesIO()
        title = inline.plain_text(self.plan.text.title.value)
        subject = inline.plain_text(self.plan.text.subtitle.value) if self.plan.text.subtitle else title
        subject = bundle_metadata_notice(self._handouts(), self.labels) + subject
        doc = new_document(buffer, self.layout, self.styles, title=title, subject=subject,
                           keywords=self.plan.program_id, lang=self.plan.lang)
        doc.addPageTemplates(self.templates())
        doc.build(self.story(), canvasmaker=dated_canvas(created, deferred=pagination is None))
        rendered = RenderedBundle(b"", doc.page, self.front_pages, tuple(self.starts), self.blank_pages)
        if measuring:
            return rendered
        # An insert is the clinic's own PDF: the bundle claims PDF/UA only if every insert does itself.
        inserts_accessible = all(part.accessible for part in self.plan.parts if isinstance(part, InsertPages))
        pdf = write_structure(buffer.getvalue(), self.structure,
                              DocumentFacts(title, self.plan.lang, inserts_accessible, show_outline=True))
        return dataclasses.replace(rendered, pdf=pdf)


def _height(flowables: list[Flowable], width: float, height: float) -> float:
    """How tall the flowables stand in a frame of this width, spacing included (a little to spare)."""
    total = 0.0
    for flowable in flowables:
        if isinstance(flowable, AtFoot):
            total += flowable.content_height(width, height)
            continue
        total += flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total * 1.02


class AtFoot(Flowable):
    """Flowables drawn at the foot of the page they land on: it takes the rest of the frame."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables

    def content_height(self, width: float, height: float) -> float:
        return sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.flowables)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        needed = self.content_height(available_width, available_height)
        self.width, self.height = available_width, max(needed, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []  # whole, on the next page, if it does not fit

    def draw(self) -> None:
        y = self.content_height(self.width, self.height)
        for flowable in self.flowables:
            y -= flowable.getSpaceBefore()
            _, height = flowable.wrap(self.width, self.height)
            y -= height
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()


def _language_name(lang: str) -> str:
    from babel import Locale

    locale = Locale.parse(lang, sep="-")
    name = locale.get_display_name(locale) or lang  # in the language itself: "中文 (简体)", "العربية"
    return name[:1].upper() + name[1:]


def render_bundle(plan: BundlePlan, layout: Layout, labels: Labels, created: dt.datetime,
                  passes: int = 1) -> RenderedBundle:
    """The bundle's PDF bytes, with blank placeholder pages where inserts go, laid out once (or, with
    ``passes=2``, the older way: measured, then drawn)."""
    register_fonts(layout, plan.lang)
    renderer = _Renderer(plan, layout, labels)
    if passes == 1:
        return renderer.build(created)
    measured = renderer.build(created, measuring=True)
    lengths = [after - start
               for start, after in zip(measured.part_starts, (*measured.part_starts[1:], measured.pages + 1),
                                       strict=False)]
    cover_blank = int(plan.duplex and measured.front_pages > 1)  # measured without it
    pagination = paginate(measured.front_pages + cover_blank, lengths, plan.duplex)
    rendered = renderer.build(created, pagination)
    if rendered.part_starts != pagination.starts or rendered.pages != pagination.total_pages:
        raise RuntimeError(f"bundle pages moved between passes: planned {pagination.starts}, "
                           f"got {rendered.part_starts}")
    return rendered
