"""Small images of a PDF's first page for the catalog, drawn by a real PDF rasteriser (PDFium).

Reproducible: the same PDF gives the same PNG bytes (no dithering, no
timestamps). A thumbnail newer than its PDF is kept as it is; the others are
drawn in worker processes, and written here.
"""

from __future__ import annotations

import io
from pathlib import Path

from .errors import Diagnostics, Origin

WIDTH_PX = 180
COLOURS = 48  # a small palette keeps a page image well under 30 KB


def thumbnail_png(pdf: Path) -> bytes:
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        bitmap = page.render(scale=WIDTH_PX / page.get_width())
        picture = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    # The fast octree palette and zlib's default level: 2 ms a page against 10 ms for median cut and an optimised
    # PNG, which was 2% smaller; the thumbnails were made one by one after every build.
    small = picture.quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, "PNG")
    return buffer.getvalue()


def is_current(pdf: Path, png: Path) -> bool:
    """Whether ``png`` was made after ``pdf`` was last written."""
    try:
        return png.stat().st_mtime_ns >= pdf.stat().st_mtime_ns
    except OSError:
        return False


def make_thumbnails(wanted: list[tuple[Path, Path]], output_dir: Path, diagnostics: Diagnostics,
                    workers: int = 1) -> set[Path]:
    """Make each ``(pdf, png)`` pair's PNG (in ``output_dir``) unless it is current; the PNGs that could not be
    made are returned, and why is a warning at their PDF."""
    from .output import write_atomic
    from .workers import map_in_workers

    stale = [(pdf, png) for pdf, png in wanted if not is_current(pdf, png)]
    missing: set[Path] = set()
    drawn = map_in_workers(_png_or_reason, [pdf for pdf, _ in stale], workers, _drawing_ended)
    for (pdf, png), made in zip(stale, drawn, strict=True):
        if isinstance(made, str):
            diagnostics.warn(Origin(pdf), f"the catalog shows no picture of this PDF: {made}")
            missing.add(png)
            continue
        try:
            write_atomic(png, made, output_dir)
        except OSError as exc:
            diagnostics.warn(Origin(png), f"the catalog's picture of a PDF is not written: {exc.strerror or exc}")
            missing.add(png)
    return missing


def _png_or_reason(pdf: Path) -> bytes | str:
    """The thumbnail, or why the PDF cannot be drawn (what is in output/ may have been changed by hand)."""
    try:
        return thumbnail_png(pdf)
    except Exception as exc:  # PDFium's and Pillow's errors for a file that is not a whole PDF
        reason = (str(exc) or type(exc).__name__).rstrip(".")
        return f"it cannot be read ({reason}); build it again with --force"


def _drawing_ended(pdf: Path) -> str:
    return ("the process drawing it ended unexpectedly (out of memory, or a PDF that PDFium could not read); "
            "run 'kratom-handouts catalog' again")
