"""Contacts: help lines, one row each: the name (and a note), then how to reach them (call, text, web)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Text
from ..phones import dialled, tel_link
from .spec import BlockSpec

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext
    from ..validate import Reader


@dataclass(frozen=True)
class Contact:
    label: Text
    phone: Text | None = None
    text: Text | None = None
    url: Text | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Contacts:
    entries: tuple[Contact, ...]
    id: str | None = None


def _contact(reader: Reader, node: Any, what: str) -> Contact | None:
    fields = ("label", "phone", "text", "url", "note")
    m = reader.mapping(node, what, fields, ("label",))
    if m is None or "label" not in m.entries:
        return None
    if not any(k in m.entries for k in ("phone", "text", "url")):
        reader.error(m.origin, f"{what} needs a 'phone', 'text' or 'url'")
    label = reader.text(m.entries["label"], f"{what} label")
    phone = reader.optional(m, "phone", reader.text, f"{what} phone")
    sms = reader.optional(m, "text", reader.text, f"{what} text")
    for number, field in ((phone, "phone"), (sms, "text")):
        problem = dialled(number.value)[1] if number is not None else None
        if problem and number is not None:
            reader.error(number.origin, f"{what} {field}: {problem}")
    url = reader.optional(m, "url", reader.url, f"{what} url")
    note = reader.optional(m, "note", reader.text, f"{what} note")
    return None if label is None else Contact(label, phone, sms, url, note)


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> Contacts | None:
    return Contacts(reader.each(node, what, lambda n, w: _contact(reader, n, w)), block_id)


def texts(block: Contacts) -> Iterator[Text]:
    for entry in block.entries:
        yield from (t for t in (entry.label, entry.note, entry.phone, entry.text, entry.url) if t is not None)


def readable(block: Contacts) -> Iterator[Text]:
    """Names and notes are read; numbers and addresses are not words to score."""
    for entry in block.entries:
        yield from (t for t in (entry.label, entry.note) if t is not None)


def pdf(block: Contacts, index: int, ctx: BlockContext) -> list[Flowable]:
    styles = ctx.styles
    rows = []
    with ctx.group("Table"):  # each help line a row, its name the row's header
        for entry in block.entries:
            left: list[Flowable] = [ctx.para(entry.label.value, styles.header_cell)]
            if entry.note is not None:
                left.append(ctx.para(entry.note.value, styles.small))
            ways = []
            if entry.phone is not None:
                ways.append(ctx.link(f"{ctx.call_label} {entry.phone.value}", tel_link(entry.phone.value),
                                     styles.header_cell))
            if entry.text is not None:
                ways.append(ctx.literal(f"{ctx.text_label} {entry.text.value}", styles.cell))
            if entry.url is not None:
                ways.append(ctx.link(entry.url.value, entry.url.value, styles.cell))
            rows.append(ctx.table_row([left, ways], row_header=True))
    pad = styles.body.fontSize * 0.3
    # A rule above every entry but the first (rather than below every one but the last) reads the same, and
    # holds in each page's part of a long list too: rows_alike.
    flowable = ctx.table(rows, rows_alike=True, colWidths=[ctx.width * 0.6, ctx.width * 0.4])
    flowable.setStyle(ctx.table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (0, 1), (-1, -1), 0.5, ctx.color(ctx.layout.colors.muted)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    flowable.spaceAfter = styles.body.spaceAfter
    return [flowable]


def html(block: Contacts, index: int, ctx: HtmlContext) -> str:
    from ..render.html import inline_html

    rows = []
    for entry in block.entries:
        name = f"<strong>{inline_html(entry.label.value)}</strong>"
        if entry.note is not None:
            name += f'<br><span class="note">{inline_html(entry.note.value)}</span>'
        ways = []
        if entry.phone is not None:
            ways.append(ctx.call_link(entry.phone.value, tel_link(entry.phone.value)))
        if entry.text is not None:
            ways.append(ctx.literal(f"{ctx.text_label} {entry.text.value}"))
        if entry.url is not None:
            ways.append(ctx.link(entry.url.value, entry.url.value))
        rows.append(f'<tr><th scope="row">{name}</th><td>{"<br>".join(ways)}</td></tr>')
    return f'<table class="contacts"><tbody>{"".join(rows)}</tbody></table>'


SPEC = BlockSpec("contacts", Contacts, read, texts, pdf, role="Table", readable=readable, html=html)
