"""Lists: bullets, numbered steps, and a checklist with boxes to tick by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..model import Text
from .spec import BlockSpec

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext
    from ..validate import Reader


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]
    id: str | None = None


@dataclass(frozen=True)
class Steps:
    items: tuple[Text, ...]
    id: str | None = None


@dataclass(frozen=True)
class Checklist:
    items: tuple[Text, ...]
    id: str | None = None


L = TypeVar("L", Bullets, Steps, Checklist)


def _reader(model: type[L]):  # type: ignore[no-untyped-def]
    def read(reader: Reader, node: Any, what: str, block_id: str | None) -> L | None:
        return model(reader.each(node, what, reader.text), block_id)

    return read


def texts(block: Bullets | Steps | Checklist) -> Iterator[Text]:
    yield from block.items


def bullets_pdf(block: Bullets, index: int, ctx: BlockContext) -> list[Flowable]:
    return ctx.list_items([item.value for item in block.items], lambda n: "\u2022")


def steps_pdf(block: Steps, index: int, ctx: BlockContext) -> list[Flowable]:
    return ctx.list_items([item.value for item in block.items], lambda n: f"{n}.")


def checklist_pdf(block: Checklist, index: int, ctx: BlockContext) -> list[Flowable]:
    size = ctx.styles.body.fontSize
    box = size * 0.95
    rows = ctx.checklist_rows([item.value for item in block.items], box)
    table = ctx.table(rows, rows_alike=True, colWidths=[box + size * 0.9, ctx.width - box - size * 0.9])
    table.setStyle(ctx.table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (0, -1), size * 0.3),
        ("TOPPADDING", (1, 0), (1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.45),
    ]))
    return [table, ctx.spacer(ctx.styles.body.spaceAfter * 0.5)]


def bullets_html(block: Bullets, index: int, ctx: HtmlContext) -> str:
    return ctx.list_items([item.value for item in block.items])


def steps_html(block: Steps, index: int, ctx: HtmlContext) -> str:
    return ctx.list_items([item.value for item in block.items], "ol")


def checklist_html(block: Checklist, index: int, ctx: HtmlContext) -> str:
    return ctx.list_items([item.value for item in block.items], css_class="checklist")  # a box to tick on paper


BULLETS = BlockSpec("bullets", Bullets, _reader(Bullets), texts, bullets_pdf, role="L", html=bullets_html)
STEPS = BlockSpec("steps", Steps, _reader(Steps), texts, steps_pdf, role="L", html=steps_html)
CHECKLIST = BlockSpec("checklist", Checklist, _reader(Checklist), texts, checklist_pdf, role="L", html=checklist_html)
