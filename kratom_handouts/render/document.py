"""A handout, a layout and labels -> PDF bytes. A pure function: same inputs, same bytes.

Nothing here reads the clock, the environment or global settings: the
creation date is passed in, ReportLab runs in invariant mode per document,
and the fonts are registered under names derived from their files. The
pieces (story, page template, document) are shared with ``bundle.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from reportlab import rl_config
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from .. import __version__, fonts, inline
from ..dates import format_date
from ..model import Handout, Labels, Layout, Source
from ..placeholders import fill
from ..review import closing_record, metadata_notice, page_status
from . import text
from .blocks import BlockContext, boxed, draw_block
from .keep_with_next import KeptWithStart
from .last_page import EndingChoice, EndingDocument
from .pages import PageFurniture
from .pdf_structure import DocumentFacts, write_structure
from .styles import Styles, make_styles
from .tagging import DeferredFurnitureCanvas, Structure, Tagged, TaggingCanvas

# Streams are written binary (Flate only): ASCII85 costs time, and pikepdf recompresses every stream anyway.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    cuts: tuple[tuple[str, str, str], ...] = ()  # header or footer texts cut short to fit (see PageFurniture)


def dated_canvas(created: dt.datetime, deferred: bool = False) -> type[TaggingCanvas]:
    """A Canvas class whose CreationDate and ModDate are ``created``, not the clock.

    ``deferred``: page furniture is drawn once the page count is known (one layout pass).
    """
    epoch = int(created.replace(tzinfo=dt.UTC).timestamp()) if created.tzinfo is None else int(created.timestamp())

    class DatedCanvas(DeferredFurnitureCanvas if deferred else TaggingCanvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            stamp = TimeStamp(invariant=1)
            stamp.t = epoch
            stamp.lt = time.gmtime(epoch)
            stamp.YMDhms = tuple(stamp.lt)[:6]
            stamp.dhh = stamp.dmm = 0
            stamp.tzname = "UTC"
            self._doc._timeStamp = stamp

    return DatedCanvas


def register_fonts(layout: Layout, lang: str) -> None:
    """The fonts text in ``lang`` may be drawn with, and only those: a CJK font costs 50 MB to load."""
    for family in dict.fromkeys((*layout.font_chain(lang), *layout.font_chain(lang, heading=True))):
        fonts.register(fonts.FAMILIES[family])


def block_context(layout: Layout, labels: Labels, styles: Styles, outline_prefix: str = "", heading_level: int = 0,
                  heading_rank: int = 2, structure: Structure | None = None) -> BlockContext:
    return BlockContext(styles, layout, labels["call"], labels["text"], outline_prefix, heading_level, heading_rank,
                        structure or Structure())


def body_frame(layout: Layout) -> Frame:
    return Frame(layout.margin_left, layout.margin_bottom, layout.frame_width,
                 layout.page_height - layout.margin_top - layout.margin_bottom,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")


def new_document(buffer: io.BytesIO, layout: Layout, styles: Styles, *, title: str, subject: str,
                 keywords: str, lang: str) -> BaseDocTemplate:
    """A document with the metadata and settings every PDF of ours shares (an ``EndingDocument``: each handout's
    story, alone or in a bundle, ends in an ``EndingChoice`` it resolves)."""
    return EndingDocument(
        buffer,
        pagesize=(layout.page_width, layout.page_height),
        leftMargin=layout.margin_left, rightMargin=layout.margin_right,
        topMargin=layout.margin_top, bottomMargin=layout.margin_bottom,
        title=title, author=layout.clinic.name.value, subject=subject,
        keywords=keywords,  # type: ignore[arg-type]  # ReportLab takes a string too
        creator=f"kratom-handouts {__version__}",
        lang=lang,
        displayDocTitle=True,
        invariant=1,
        keepTogetherClass=KeptWithStart,  # a heading kept with the start of what follows it
        initialFontName=styles.body_font,
        initialFontSize=styles.body.fontSize,
    )


def furniture(handout: Handout, layout: Layout, labels: Labels, styles: Styles) -> PageFurniture:
    """Header and footer for the pages of one handout."""
    values = {
        "title": inline.plain_text(handout.title.value),
        "id": handout.id,
        "lang": handout.lang,
        "reviewed": page_status(handout, labels),
        "next_review": f"{labels['next_review']} {format_date(handout.next_review, handout.lang)}",
        **_clinic_values(layout),
    }
    return PageFurniture(layout, styles, values, labels["page_of"], logo_size(layout))


def insert_furniture(title: str, insert_id: str, lang: str, layout: Layout, labels: Labels,
                     styles: Styles) -> PageFurniture:
    """For a page of a clinic's own inserted PDF, which prints only the slots that hold the page number."""
    values = {"title": title, "id": insert_id, "lang": lang, "reviewed": "", "next_review": "",
              **_clinic_values(layout)}
    return PageFurniture(layout, styles, values, labels["page_of"], logo_size(layout))


def _clinic_values(layout: Layout) -> dict[str, str]:
    return {"clinic": layout.clinic.name.value,
            "clinic_phone": layout.clinic.phone.value if layout.clinic.phone else "",
            "clinic_website": layout.clinic.website.value if layout.clinic.website else ""}


def logo_size(layout: Layout) -> tuple[float, float]:
    """The logo at the layout's height, as wide as its proportions make it, but no wider than a third of the page."""
    if layout.logo is None:
        return 0.0, 0.0
    from PIL import Image as PILImage

    with PILImage.open(layout.logo) as picture:
        pixel_width, pixel_height = picture.size
    height = layout.logo_height
    width = height * pixel_width / pixel_height
    widest = layout.frame_width / 3
    if width > widest:
        width, height = widest, height * widest / width
    return width, height


def handout_template(template_id: str, furnish: PageFurniture, layout: Layout, first_page: int | Callable[[], int],
                     total_pages: int | None, numbers_only: bool = False) -> PageTemplate:
    """Pages of one handout; page numbers count from ``first_page`` (a bundle's front matter is not counted).
    With ``numbers_only`` (an insert's pages) the furniture prints only the page number.

    With ``total_pages`` None the furniture waits for the page count (a ``DeferredFurnitureCanvas``), and
    ``first_page`` may be a function, asked then.
    """
    furnish_page = furnish.draw_numbers if numbers_only else furnish.draw

    def on_page(canvas: Canvas, document: BaseDocTemplate) -> None:
        physical = canvas.getPageNumber()
        if total_pages is None:
            def draw(c: Canvas, total: int) -> None:
                first = first_page() if callable(first_page) else first_page
                furnish_page(c, physical - first + 1, total - first + 1)

            cast(DeferredFurnitureCanvas, canvas).furnish_later(draw)
        else:
            assert not callable(first_page)
            furnish_page(canvas, physical - first_page + 1, total_pages)

    return PageTemplate(id=template_id, frames=[body_frame(layout)], onPage=on_page)


def source_runs(number: int, source: Source) -> list[tuple[str, str | None]]:
    """One source as text runs: "1. Title. Publisher. 2024. " and its URL as a link."""
    # The number in bold, so that sources run together in one paragraph can still be told apart.
    runs: list[tuple[str, str | None]] = [(f"{number}.", text.BOLD), (f" {source.citation()} ", None)]
    if source.url is not None:
        runs.append((source.url.value, source.url.value))
        runs.append((" ", None))
    return runs


def handout_story(handout: Handout, layout: Layout, labels: Labels, styles: Styles, ctx: BlockContext,
                  title_outline_level: int | None = None, reading_grade: str | None = None,
                  compact: int | None = 0) -> list[Flowable]:
    """Title and summary, the body blocks, then sources, review dates and the clinic's contact line.

    With ``title_outline_level`` the title gets its own bookmark (a handout inside a bundle). The title is
    one rank above the section headings: H1 alone, H2 inside a bundle. ``compact`` None: the back matter is
    set the way that keeps the last page from holding only the closing lines (``last_page.py``).
    """
    title_rank = ctx.heading_rank - 1
    title: Flowable
    if title_outline_level is None:
        title = ctx.tagged(text.paragraph(handout.title.value, styles.title, ctx.link_color, script=styles.script),
                           f"H{title_rank}",
                           actual_text=inline.plain_text(handout.title.value))
    else:
        title = ctx.heading(handout.title.value, styles.title, f"{ctx.outline_prefix}title",
                            inline.plain_text(handout.title.value), title_outline_level, rank=title_rank)
    story: list[Flowable] = [_in_language(title, handout.lang_of("title"))]
    if handout.draft:
        story.append(ctx.literal(labels["draft"], styles.draft))
    if handout.subtitle is not None:
        story.append(_in_language(ctx.para(handout.subtitle.value, styles.subtitle), handout.lang_of("subtitle")))
    story.append(Spacer(1, styles.body.fontSize * 0.4))
    with ctx.group("Div"):  # the summary box: its label, then the one main message
        label = ctx.literal(labels["in_short"], styles.label)
        summary = _in_language(ctx.para(handout.summary.value, styles.summary), handout.lang_of("summary"))
    story.append(boxed([[label], [summary]], ctx, layout.colors.summary_background, layout.colors.accent, titled=True))
    for index, block in enumerate(handout.body):
        story.extend(draw_block(block, index, ctx, handout.lang_of(block.id)))

    def back_matter(context: BlockContext, level: int) -> list[Flowable]:
        return _back_matter(handout, layout, labels, styles, context, reading_grade, level)

    if compact is None:
        assistance = 1 if layout.assistance_on_handouts and layout.language_assistance else 0
        return [*story, EndingChoice(back_matter, ctx, assistance)]
    return story + back_matter(ctx, compact)


def _in_language(flowable: Flowable, lang: str | None) -> Flowable:
    """Mark a part printed in another language (an untranslated fallback) on its structure element."""
    if lang is not None and isinstance(flowable, Tagged):
        flowable.element.lang = lang
    return flowable


def assistance_lines(layout: Layout, ctx: BlockContext, compact: bool = False) -> list[Flowable]:
    """The clinic's language-assistance lines as a Div of paragraphs, each set in its own language's fonts,
    direction and line breaking, and tagged with its language."""
    if not layout.language_assistance:
        return []
    values = {"clinic": layout.clinic.name.value,
              "clinic_phone": layout.clinic.phone.value if layout.clinic.phone else "",
              "clinic_website": layout.clinic.website.value if layout.clinic.website else ""}
    flowables: list[Flowable] = []
    with ctx.group("Div"):
        for lang, line in layout.language_assistance:
            register_fonts(layout, lang)
            styles = make_styles(layout, lang)
            words = fill(line.value, values)
            style = styles.compact if compact else styles.small
            flowables.append(ctx.tagged(text.literal(words, style, script=styles.script), "P", actual_text=words,
                                        lang=lang))
    return flowables


def _back_matter(handout: Handout, layout: Layout, labels: Labels, styles: Styles, ctx: BlockContext,
                 reading_grade: str | None, compact: int = 0) -> list[Flowable]:
    """Sources, the review record and the clinic's contact line. ``compact`` 1: set smaller; 2: smaller and kept
    together as one last-page block (so that the review line and the address never make a page of their own)."""
    small = styles.compact if compact else styles.small
    sources = [run for number, source in enumerate(handout.sources, 1) for run in source_runs(number, source)]
    dates = closing_record(handout, labels, reading_grade if layout.show_reading_grade else None)
    block = [
        _kept_with_next(ctx.tagged(text.literal(labels["sources"], styles.label, script=styles.script),
                                   f"H{ctx.heading_rank}",
                                   actual_text=labels["sources"])),  # a heading, to jump to by heading
        ctx.literal_runs(sources, small),
        ctx.literal(dates, small),
        ctx.literal(layout.clinic.contact_line(), small),
        *(assistance_lines(layout, ctx, compact > 0) if layout.assistance_on_handouts else []),
    ]
    gap = Spacer(1, styles.body.fontSize * (0.2 if compact else 0.6))
    return [gap, ctx.keep_together(block)] if compact == 2 else [gap, *block]


def _kept_with_next(flowable: Flowable) -> Flowable:
    flowable.keepWithNext = 1  # a label is never left alone at the foot of a page
    return flowable




def _build(handout: Handout, layout: Layout, labels: Labels, created: dt.datetime, total_pages: int | None,
           reading_grade: str | None, final: bool = True, compact: int | None = None,
           structure: Structure | None = None) -> Rendered:
    """The handout, laid out once; ``compact`` None: its back matter set the way ``last_page.choose`` picks as
    layout reaches it (0-2: set that way). ``structure``: the tree to build (a test reads it afterwards)."""
    styles = make_styles(layout, handout.lang)
    buffer = io.BytesIO()
    doc = new_document(buffer, layout, styles, title=inline.plain_text(handout.title.value),
                       subject=metadata_notice(handout, labels) + inline.plain_text(handout.summary.value),
                       keywords=", ".join(handout.keywords), lang=handout.lang)
    furnish = furniture(handout, layout, labels, styles)
    doc.addPageTemplates([handout_template("handout", furnish, layout, 1, total_pages)])
    ctx = block_context(layout, labels, styles, structure=structure)
    story = handout_story(handout, layout, labels, styles, ctx, reading_grade=reading_grade, compact=compact)
    doc.build(story, canvasmaker=dated_canvas(created, deferred=total_pages is None))
    if not final:  # a counting pass: only the page count is kept
        return Rendered(b"", doc.page)
    pdf = write_structure(buffer.getvalue(), ctx.structure,
                          DocumentFacts(inline.plain_text(handout.title.value), handout.lang))
    return Rendered(pdf, doc.page, tuple(furnish.cuts))


def render_handout(handout: Handout, layout: Layout, labels: Labels, created: dt.datetime,
                   reading_grade: str | None = None) -> Rendered:
    """The handout as PDF bytes, laid out once: "page X of Y" is drawn when the page count is known."""
    register_fonts(layout, handout.lang)
    return _build(handout, layout, labels, created, None, reading_grade)


def render_handout_two_passes(handout: Handout, layout: Layout, labels: Labels, created: dt.datetime,
                              reading_grade: str | None = None) -> Rendered:
    """The older way, kept to test the one-pass result against: count the pages, then lay out again."""
    register_fonts(layout, handout.lang)
    first = _build(handout, layout, labels, created, 0, reading_grade, final=False)
    return _build(handout, layout, labels, created, first.pages, reading_grade)
