"""Heading: a section title. It gets a bookmark, and is an H2 in a handout (H3 inside a bundle)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import inline
from ..model import Text
from .spec import BlockSpec

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..validate import Reader


@dataclass(frozen=True)
class Heading:
    text: Text
    id: str | None = None


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> Heading | None:
    text = reader.text(node, what)
    return None if text is None else Heading(text, block_id)


def texts(block: Heading) -> Iterator[Text]:
    yield block.text


def pdf(block: Heading, index: int, ctx: BlockContext) -> list[Flowable]:
    key = f"{ctx.outline_prefix}heading-{index}"
    return [ctx.heading(block.text.value, ctx.styles.heading, key, inline.plain_text(block.text.value), ctx.heading_level)]


SPEC = BlockSpec("heading", Heading, read, texts, pdf, role="H2")
