"""Finishing a bundle: the clinic's PDF inserts laid over their placeholder pages (pypdf).

The renderer reserved blank pages for each insert, already bookmarked, listed
in the contents and counted in the page labels; here each insert page is
merged onto its placeholder and the page takes the insert's size.
"""

from __future__ import annotations

import io

from .render.bundle import BundlePlan, RenderedBundle


def merge_inserts(rendered: RenderedBundle, plan: BundlePlan, insert_pdfs: dict[str, bytes]) -> bytes:
    """The final bundle bytes; without inserts, the rendered bytes unchanged."""
    placements = rendered.insert_first_pages(plan)
    if not placements:
        return rendered.pdf
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(rendered.pdf)))
    for insert_id, first in placements.items():
        source = PdfReader(io.BytesIO(insert_pdfs[insert_id]))
        for offset, page in enumerate(source.pages):
            target = writer.pages[first + offset]
            target.merge_page(page)
            target.mediabox = page.mediabox
            target.cropbox = page.cropbox
            if page.rotation:
                target.rotate(page.rotation)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
