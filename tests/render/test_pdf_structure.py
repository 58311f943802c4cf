"""The last step of a render: the structure tree and metadata written into ReportLab's PDF by pikepdf."""

from __future__ import annotations

import io
import zlib

import pikepdf
from pikepdf import Array, Name
from reportlab.pdfgen.canvas import Canvas

from kratom_handouts.render.pdf_structure import DocumentFacts, write_structure
from kratom_handouts.render.tagging import Structure


def _reportlab_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, "Kratom is a plant.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_compressed_streams_are_kept_as_they_are_not_compressed_again() -> None:
    """ReportLab writes /Filter [/FlateDecode]; given that array, qpdf decoded every stream and compressed it
    again (the logo's pixels, the fonts, every page), most of the time of a save."""
    content = b"BT /F1 12 Tf 72 720 Td (Kratom is a plant.) Tj ET\n" * 40
    kept = zlib.compress(content, 1)  # not what qpdf would make of it: a stream compressed again would differ
    with pikepdf.open(io.BytesIO(_reportlab_pdf())) as pdf:
        pdf.pages[0].obj.Contents.write(kept, filter=Name.FlateDecode)
        pdf.pages[0].obj.Contents.stream_dict.Filter = Array([Name.FlateDecode])  # as ReportLab writes it
        given = io.BytesIO()
        pdf.save(given, compress_streams=False)
    with pikepdf.open(given) as pdf:
        assert isinstance(pdf.pages[0].obj.Contents.stream_dict.Filter, Array)
    written = write_structure(given.getvalue(), Structure(), DocumentFacts("A title", "en"))
    with pikepdf.open(io.BytesIO(written)) as pdf:
        contents = pdf.pages[0].obj.Contents
        assert contents.stream_dict.Filter == Name.FlateDecode
        assert contents.read_raw_bytes() == kept
        assert contents.read_bytes() == content
