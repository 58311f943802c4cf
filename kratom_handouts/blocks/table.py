"""Table: a header row and rows of cells, at most five columns; the header repeats on a new page."""

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

MAX_TABLE_COLUMNS = 5


@dataclass(frozen=True)
class Table:
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    id: str | None = None


def read(reader: Reader, node: Any, what: str, block_id: str | None) -> Table | None:
    m = reader.mapping(node, what, ("header", "rows"), ("header", "rows"))
    if m is None or "header" not in m.entries or "rows" not in m.entries:
        return None
    header = reader.each(m.entries["header"], f"{what} header", reader.text)
    if len(header) > MAX_TABLE_COLUMNS:
        reader.error(m.entries["header"].origin, f"{what} has {len(header)} columns; a page holds {MAX_TABLE_COLUMNS} "
                                                 "at most (split the table)")
    rows = []
    for number, row_node in enumerate(reader.sequence(m.entries["rows"], f"{what} rows"), 1):
        cells = reader.sequence(row_node, f"{what} row {number}")
        row = tuple(reader.text(cell, f"{what} row {number} cell {column}") for column, cell in enumerate(cells, 1))
        if len(row) != len(header):
            reader.error(row_node.origin, f"{what} row {number} has {len(row)} cells but the header has {len(header)}")
        rows.append(tuple(cell for cell in row if cell is not None))
    return Table(header, tuple(rows), block_id)


def texts(block: Table) -> Iterator[Text]:
    yield from block.header
    for row in block.rows:
        yield from row


def pdf(block: Table, index: int, ctx: BlockContext) -> list[Flowable]:
    styles = ctx.styles
    with ctx.group("Table"):
        header = ctx.table_row([ctx.para(cell.value, styles.header_cell) for cell in block.header], header=True)
        rows = [ctx.table_row([ctx.para(cell.value, styles.cell) for cell in row]) for row in block.rows]
    columns = len(block.header)
    flowable = ctx.table([header, *rows], rows_alike=True, colWidths=[ctx.width / columns] * columns, repeatRows=1)
    pad = styles.body.fontSize * 0.45
    colors = ctx.layout.colors
    flowable.setStyle(ctx.table_style([
        ("NOSPLIT", (0, 0), (-1, 1)),  # never a header row alone at the foot of a page
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), ctx.color(colors.summary_background)),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, ctx.color(colors.accent)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, ctx.color(colors.muted)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    flowable.spaceAfter = styles.body.spaceAfter * 1.2
    return [flowable]


def html(block: Table, index: int, ctx: HtmlContext) -> str:
    from ..render.html import inline_html

    header = "".join(f'<th scope="col">{inline_html(cell.value)}</th>' for cell in block.header)
    rows = "".join("<tr>" + "".join(f"<td>{inline_html(cell.value)}</td>" for cell in row) + "</tr>"
                   for row in block.rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"


SPEC = BlockSpec("table", Table, read, texts, pdf, role="Table", html=html)
