"""Heading: a section title. It gets a bookmark, and is an H2 in a handout (H3 inside a bundle)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import inline
from ..model import Text
from .spec import BlockSpec, one_text

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext


@dataclass(frozen=True)
class Heading:
    text: Text
    id: str | None = None


def texts(block: Heading) -> Iterator[Text]:
    yield block.text


def pdf(block: Heading, index: int, ctx: BlockContext) -> list[Flowable]:
    key = f"{ctx.outline_prefix}heading-{index}"
    return [ctx.heading(block.text.value, ctx.styles.heading, key, inline.plain_text(block.text.value),
                        ctx.heading_level)]


def html(block: Heading, index: int, ctx: HtmlContext) -> str:
    from ..render.html import inline_html

    return f"<h2>{inline_html(block.text.value)}</h2>"


SPEC = BlockSpec("heading", Heading, one_text(Heading), texts, pdf, role="H2", html=html)
