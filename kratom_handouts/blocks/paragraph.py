"""Paragraph: running text with **bold**, *italic* and [links](https://...)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Text
from .spec import BlockSpec, one_text

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext


@dataclass(frozen=True)
class Paragraph:
    text: Text
    id: str | None = None


def texts(block: Paragraph) -> Iterator[Text]:
    yield block.text


def pdf(block: Paragraph, index: int, ctx: BlockContext) -> list[Flowable]:
    return [ctx.para(block.text.value)]


def html(block: Paragraph, index: int, ctx: HtmlContext) -> str:
    return ctx.para(block.text.value)


SPEC = BlockSpec("paragraph", Paragraph, one_text(Paragraph), texts, pdf, role="P", html=html)
