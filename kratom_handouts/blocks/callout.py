"""Callout: a tinted box with a strong rule (info, tip, warning, emergency), a title, text and bullets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Text
from .spec import BlockSpec

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext
    from ..validate import Reader

CALLOUT_KINDS = ("info", "tip", "warning", "emergency")


@dataclass(frozen=True)
class Callout:
    kind: str
    title: Text | None
    text: Text | None
    bullets: tuple[Text, ...] = ()
    id: str | None = None


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> Callout | None:
    m = reader.mapping(node, what, ("kind", "title", "text", "bullets"), ("kind",))
    if m is None or "kind" not in m.entries:
        return None
    kind = reader.choice(m.entries["kind"], f"{what} kind", CALLOUT_KINDS)
    title = reader.optional(m, "title", reader.text, f"{what} title")
    text = reader.optional(m, "text", reader.text, f"{what} text")
    bullets = reader.optional(m, "bullets", lambda n, w: reader.each(n, w, reader.text), f"{what} bullets") or ()
    if "text" not in m.entries and "bullets" not in m.entries:
        reader.error(m.origin, f"{what} needs 'text', 'bullets' or both")
        return None
    return None if kind is None else Callout(kind, title, text, bullets, block_id)


def texts(block: Callout) -> Iterator[Text]:
    yield from (t for t in (block.title, block.text) if t is not None)
    yield from block.bullets


def pdf(block: Callout, index: int, ctx: BlockContext) -> list[Flowable]:
    colors = ctx.layout.colors
    rows: list[list[Flowable]] = []
    with ctx.group("Div"):  # the box's parts are read together: title, text, then its list
        if block.title is not None:
            rows.append([ctx.para(block.title.value, ctx.styles.label)])
        if block.text is not None:
            rows.append([ctx.para(block.text.value, ctx.styles.cell)])
        if block.bullets:
            items = ctx.list_items([item.value for item in block.bullets], lambda n: "\u2022", spaced=False)
            rows.extend([item] for item in items)
    # A box is read in one glance, its title with all it says: it moves whole to the next page rather than split
    # (a warning's last sign alone at the top of a page read as a box of its own), unless taller than a page.
    return [ctx.boxed(rows, getattr(colors, f"{block.kind}_background"), getattr(colors, f"{block.kind}_border"),
                      titled=block.title is not None, whole=True)]


def html(block: Callout, index: int, ctx: HtmlContext) -> str:
    parts = [ctx.box_heading(block.title.value)] if block.title is not None else []
    if block.text is not None:
        parts.append(ctx.para(block.text.value))
    if block.bullets:
        parts.append(ctx.list_items([item.value for item in block.bullets]))
    return f'<section class="callout callout-{block.kind}">' + "".join(parts) + "</section>"


SPEC = BlockSpec("callout", Callout, read, texts, pdf, role="Div", html=html)
