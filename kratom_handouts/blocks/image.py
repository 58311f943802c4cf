"""Image: a picture from the project, with alt text for screen readers (required)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Text
from .spec import BlockSpec

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext
    from ..validate import Reader


@dataclass(frozen=True)
class Image:
    path: Path  # resolved, inside the project
    alt: Text
    width_pt: float | None = None
    id: str | None = None


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> Image | None:
    m = reader.mapping(node, what, ("path", "alt", "width"), ("path", "alt"))
    if m is None or "path" not in m.entries or "alt" not in m.entries:
        return None
    path = reader.image(m.entries["path"], f"{what} path")
    alt = reader.text(m.entries["alt"], f"{what} alt text")
    width = reader.optional(m, "width", reader.length, f"{what} width")
    if path is None or alt is None:
        return None
    return Image(path, alt, width, block_id)


def texts(block: Image) -> Iterator[Text]:
    yield block.alt


def readable(block: Image) -> Iterator[Text]:
    yield from ()  # alt text is for screen readers, not scored as printed reading


def pdf(block: Image, index: int, ctx: BlockContext) -> list[Flowable]:
    pixel_width, pixel_height = ctx.image_size(block.path)
    layout = ctx.layout
    max_height = (layout.page_height - layout.margin_top - layout.margin_bottom) * 0.6
    width = min(block.width_pt or ctx.width, ctx.width, max_height * pixel_width / pixel_height)
    height = width * pixel_height / pixel_width
    return [ctx.figure(ctx.image(block.path, width, height), alt=block.alt.value),
            ctx.spacer(ctx.styles.body.spaceAfter)]


def html(block: Image, index: int, ctx: HtmlContext) -> str:
    return ctx.image(str(block.path), block.alt.value)


SPEC = BlockSpec("image", Image, read, texts, pdf, role="Figure", readable=readable, html=html)
