"""QR code: a link printed as a code to scan, with a caption and the address beside it."""

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

QR_SIDE_MM = 30
# A code printed 30 mm wide scans with a phone up to about version 10 (57 modules a side, half a millimetre
# each): some 200 to 300 characters. Its caption sits beside it in a row that cannot break across pages.
MAX_URL, MAX_CAPTION = 300, 300


@dataclass(frozen=True)
class QRCode:
    url: Text
    caption: Text | None = None
    id: str | None = None


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> QRCode | None:
    m = reader.mapping(node, what, ("url", "caption"), ("url",))
    if m is None or "url" not in m.entries:
        return None
    url = reader.url(m.entries["url"], f"{what} url")
    caption = reader.optional(m, "caption", reader.text, f"{what} caption")
    if url is not None and len(url.value) > MAX_URL:
        reader.error(url.origin, f"{what} url has {len(url.value):,} characters; a QR code printed {QR_SIDE_MM} mm "
                                 f"wide scans {MAX_URL} at most: use a shorter address (a short link to it)")
        return None
    if caption is not None and len(caption.value) > MAX_CAPTION:
        reader.error(caption.origin, f"{what} caption has {len(caption.value):,} characters; a caption beside the "
                                     f"code holds {MAX_CAPTION} at most (put the rest in a paragraph)")
        return None
    return None if url is None else QRCode(url, caption, block_id)


def texts(block: QRCode) -> Iterator[Text]:
    if block.caption is not None:
        yield block.caption


def pdf(block: QRCode, index: int, ctx: BlockContext) -> list[Flowable]:
    side = QR_SIDE_MM * 72 / 25.4
    words: list[Flowable] = []
    with ctx.group("Div"):
        code = ctx.figure(ctx.qr_drawing(block.url.value, side), alt=f"QR code that opens {block.url.value}")
        if block.caption is not None:
            words.append(ctx.para(block.caption.value, ctx.styles.header_cell))
        words.append(ctx.link(block.url.value, block.url.value, ctx.styles.cell))
    flowable = ctx.plain_table([[code, words]], colWidths=[side + 12, ctx.width - side - 12])
    flowable.setStyle(ctx.table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    flowable.spaceAfter = ctx.styles.body.spaceAfter
    return [ctx.keep_together([flowable])]


def html(block: QRCode, index: int, ctx: HtmlContext) -> str:
    """On a screen the code's address is simply a link (there is nothing to scan)."""
    caption = ctx.para(block.caption.value) if block.caption is not None else ""
    return f'<div class="qr">{caption}<p>{ctx.link(block.url.value, block.url.value)}</p></div>'


# a Figure (the code, with alt text) and its words
SPEC = BlockSpec("qr", QRCode, read, texts, pdf, role="Div", html=html)
