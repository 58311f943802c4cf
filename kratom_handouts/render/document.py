"""A handout, a layout and labels -> PDF bytes. A pure function: same inputs, same bytes.

Nothing here reads the clock, the environment or global settings: the
creation date is passed in, ReportLab runs in invariant mode per document,
and the fonts are registered under names derived from their files.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from dataclasses import dataclass

from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from .. import __version__, fonts, inline
from ..dates import format_date
from ..model import Handout, Labels, Layout, Source
from . import text
from .blocks import BlockContext, boxed, draw_block
from .pages import PageFurniture
from .styles import Styles, make_styles


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def _canvas_with_date(created: dt.datetime):
    """A Canvas class whose CreationDate and ModDate are ``created``, not the clock."""
    epoch = int(created.replace(tzinfo=dt.UTC).timestamp()) if created.tzinfo is None else int(created.timestamp())

    class DatedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stamp = TimeStamp(invariant=1)
            stamp.t = epoch
            stamp.lt = time.gmtime(epoch)
            stamp.YMDhms = tuple(stamp.lt)[:6]
            stamp.dhh = stamp.dmm = 0
            stamp.tzname = "UTC"
            self._doc._timeStamp = stamp

    return DatedCanvas


def _front_matter(handout: Handout, labels: Labels, styles: Styles, ctx: BlockContext) -> list[Flowable]:
    flowables: list[Flowable] = [ctx.para(handout.title.value, styles.title)]
    if handout.subtitle is not None:
        flowables.append(ctx.para(handout.subtitle.value, styles.subtitle))
    flowables.append(Spacer(1, styles.body.fontSize * 0.4))
    rows = [[text.literal(labels["in_short"], styles.label)], [ctx.para(handout.summary.value, styles.summary)]]
    colors = ctx.layout.colors
    flowables.append(boxed(rows, ctx, colors.summary_background, colors.accent))
    return flowables


def source_runs(number: int, source: Source) -> list[tuple[str, str | None]]:
    """One source as text runs: "1. Title. Publisher. 2024. " and its URL as a link."""
    parts = [source.title.value, source.publisher.value] + ([str(source.year)] if source.year is not None else [])
    runs: list[tuple[str, str | None]] = [(f"{number}. " + ". ".join(part.rstrip(".") for part in parts) + ". ", None)]
    if source.url is not None:
        runs.append((source.url.value, source.url.value))
        runs.append((" ", None))
    return runs


def _back_matter(handout: Handout, layout: Layout, labels: Labels, styles: Styles, ctx: BlockContext) -> list[Flowable]:
    """Sources, review dates and the clinic's contact block, in small type after the content."""
    small = styles.small
    sources = [run for number, source in enumerate(handout.sources, 1) for run in source_runs(number, source)]
    dates = (f"{labels['reviewed']}: {format_date(handout.reviewed, handout.lang)}. "
             f"{labels['next_review']}: {format_date(handout.next_review, handout.lang)}.")
    clinic = layout.clinic
    contact = " \u00b7 ".join(t.value for t in (clinic.name, clinic.phone, clinic.address, clinic.website) if t is not None)
    return [
        Spacer(1, styles.body.fontSize * 0.6),
        text.literal(labels["sources"], styles.label),
        text.literal_runs(sources, small, layout.colors.link),
        text.literal(dates, small),
        text.literal(contact, small),
    ]


def _build(handout: Handout, layout: Layout, labels: Labels, created: dt.datetime, total_pages: int) -> Rendered:
    styles = make_styles(layout)
    ctx = BlockContext(styles, layout, labels["call"], labels["text"])
    values = {
        "title": inline.plain_text(handout.title.value),
        "id": handout.id,
        "lang": handout.lang,
        "reviewed": f"{labels['reviewed']} {format_date(handout.reviewed, handout.lang)}",
        "next_review": f"{labels['next_review']} {format_date(handout.next_review, handout.lang)}",
        "clinic": layout.clinic.name.value,
        "clinic_phone": layout.clinic.phone.value if layout.clinic.phone else "",
        "clinic_website": layout.clinic.website.value if layout.clinic.website else "",
    }
    furniture = PageFurniture(layout, styles, values, labels["page_of"])
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(layout.page_width, layout.page_height),
        leftMargin=layout.margin_left, rightMargin=layout.margin_right,
        topMargin=layout.margin_top, bottomMargin=layout.margin_bottom,
        title=inline.plain_text(handout.title.value),
        author=layout.clinic.name.value,
        subject=inline.plain_text(handout.summary.value),
        keywords=", ".join(handout.keywords),
        creator=f"kratom-handouts {__version__}",
        lang=handout.lang,
        displayDocTitle=True,
        invariant=1,
        initialFontName=styles.body_font,
        initialFontSize=styles.body.fontSize,
    )
    frame = Frame(layout.margin_left, layout.margin_bottom, layout.frame_width,
                  layout.page_height - layout.margin_top - layout.margin_bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(
        id="handout", frames=[frame],
        onPage=lambda canvas, document: furniture.draw(canvas, canvas.getPageNumber(), total_pages),
    )])
    story = _front_matter(handout, labels, styles, ctx)
    for index, block in enumerate(handout.body):
        story.extend(draw_block(block, index, ctx))
    story.extend(_back_matter(handout, layout, labels, styles, ctx))
    doc.build(story, canvasmaker=_canvas_with_date(created))
    return Rendered(buffer.getvalue(), doc.page)


def render_handout(handout: Handout, layout: Layout, labels: Labels, created: dt.datetime) -> Rendered:
    """The handout as PDF bytes. Two passes: the first counts pages for "page X of Y"."""
    for family in {layout.body_font, layout.heading_font}:
        fonts.register(fonts.FAMILIES[family])
    first = _build(handout, layout, labels, created, total_pages=0)
    return _build(handout, layout, labels, created, total_pages=first.pages)
