"""Page furniture: the logo, encoded once, on every page."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image as PILImage
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from kratom_handouts.render.pages import draw_image, encoded_image

from ..conftest import REPO


def _logo(tmp_path: Path, mode: str) -> Path:
    path = tmp_path / f"logo-{mode}.png"
    image = PILImage.new(mode, (60, 30), (200, 40, 40, 128) if mode == "RGBA" else (200, 40, 40))
    image.putpixel((3, 3), (0, 0, 255, 255) if mode == "RGBA" else (0, 0, 255))
    image.save(path)
    return path


def _two_pages(draw) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for page in range(2):
        draw(canvas, 40 + page * 10)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])  # with an alpha channel, the soft mask is an image of its own
def test_the_encoded_image_draws_what_drawimage_draws_byte_for_byte(tmp_path: Path, mode: str) -> None:
    path = _logo(tmp_path, mode)
    reader = ImageReader(io.BytesIO(path.read_bytes()))
    theirs = _two_pages(lambda canvas, x: canvas.drawImage(reader, x, 700, width=60, height=30, mask="auto"))
    ours = _two_pages(lambda canvas, x: draw_image(canvas, encoded_image(path), x, 700, 60, 30))
    assert ours == theirs
    with pikepdf.open(io.BytesIO(ours)) as pdf:
        images = [pdf.pages[n].Resources.XObject for n in range(2)]
        assert [list(found.keys()) for found in images] == [list(images[0].keys())] * 2 and len(images[0]) == 1
        drawn = next(iter(images[0].values()))
        assert drawn.Width == 60 and ("/SMask" in drawn) == (mode == "RGBA")


def test_every_page_of_a_handout_draws_the_one_logo(shipped_build: Path) -> None:
    logo_width = PILImage.open(REPO / "layouts" / "sample-clinic-logo.png").size[0]
    for pdf_path in sorted(shipped_build.glob("*/en/*.pdf")):
        with pikepdf.open(pdf_path) as pdf:
            logos = set()
            for page in pdf.pages:
                images = [(name, image) for name, image in page.Resources.get("/XObject", {}).items()
                          if image.get("/Subtype") == "/Image" and image.get("/Width") == logo_width]
                assert len(images) == 1, f"{pdf_path.name}: page without its logo"
                name, image = images[0]
                assert f"{name} Do".encode() in page.Contents.read_bytes()
                logos.add(image.objgen)
            assert len(logos) == 1 and len(pdf.pages) >= 2, pdf_path.name  # one image, drawn on every page
