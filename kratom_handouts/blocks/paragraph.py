"""Paragraph: running text with **bold**, *italic* and [links](https://...)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Text
from .spec import BlockSpec

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..validate import Reader


@dataclass(frozen=True)
class Paragraph:
    text: Text
    id: str | None = None


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> Paragraph | None:
    text = reader.text(node, what)
    return None if text is None else Paragraph(text, block_id)


def texts(block: Paragraph) -> Iterator[Text]:
    yield block.text


def pdf(block: Paragraph, index: int, ctx: BlockContext) -> list[Flowable]:
    return [ctx.para(block.text.value)]


SPEC = BlockSpec("paragraph", Paragraph, read, texts, pdf, role="P")
