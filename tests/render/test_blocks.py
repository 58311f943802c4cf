"""Every block type drawn and read back; the block-to-role map covers them all."""

from __future__ import annotations

from pypdf import PdfReader

from ..conftest import pdfminer_pages, pypdf_pages, squash

EVERY_BLOCK = """\
id: every
title: Every *block* type
subtitle: A test of the renderer
summary: One **main** message.
updated: 2026-02-01
next_review: 2027-02-01
keywords: [test]
sources:
  - {title: DrugFacts, publisher: NIDA, url: "https://nida.nih.gov"}
body:
  - heading: Lists
  - bullets: [First bullet, "Second with [a link](https://example.org/help)"]
  - steps: [Step one, Step two]
  - checklist: [Tick this, And this]
  - heading: Boxes
  - callout: {kind: tip, title: A tip, text: Tip text.}
  - callout: {kind: emergency, title: Call 911, bullets: [Seizure, Not breathing]}
  - table: {header: [Column A, Column B], rows: [[a one, b one], [a two, b two]]}
  - contacts:
      - {label: SAMHSA National Helpline, phone: 1-800-662-4357, note: "Free, 24/7"}
      - {label: 988 Lifeline, phone: "988", text: "988", url: "https://988lifeline.org"}
  - qr: {url: "https://findtreatment.gov", caption: Find treatment}
  - image: {path: layouts/sample-clinic-logo.png, alt: The clinic logo, width: 20mm}
"""

EXPECTED = ["Every block type", "A test of the renderer", "One main message.", "First bullet", "Second with a link",
            "Step one", "Tick this", "A tip", "Tip text.", "Call 911", "Not breathing", "Column A", "b two",
            "SAMHSA National Helpline", "Call 1-800-662-4357", "Free, 24/7", "Text 988", "https://988lifeline.org",
            "Find treatment", "https://findtreatment.gov", "Sources", "1. DrugFacts. NIDA. https://nida.nih.gov"]


def test_every_block_reads_back(project):
    project.handout("every", EVERY_BLOCK)
    result = project.run("build", "--layout", "standard", "--layout", "large-print")
    assert result.exit_code == 0, result.output
    for layout in ("standard", "large-print"):
        pdf = project.pdf("every", layout=layout)
        for reader in (pypdf_pages, pdfminer_pages):
            text = squash("".join(reader(pdf)))
            assert [e for e in EXPECTED if squash(e) not in text] == [], reader.__name__


def test_links_images_and_italics(project):
    project.handout("every", EVERY_BLOCK)
    assert project.run("build").exit_code == 0
    reader = PdfReader(project.pdf("every"))
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert {"https://example.org/help", "tel:18006624357", "tel:988", "https://988lifeline.org",
            "https://findtreatment.gov", "https://nida.nih.gov"} <= uris
    assert all(uri.startswith(("https:", "tel:")) for uri in uris)
    images = [name for page in reader.pages for name in page["/Resources"].get("/XObject", {})]
    assert len(images) >= 2  # the header logo and the image block
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert "NotoSans-BoldItalic" in fonts or "NotoSans-Italic" in fonts


def test_a_box_title_and_a_table_header_never_end_a_page(project):
    """Pushed down line by line past a page end, a box's title always shares a page with its text,
    and a table's header with its first row (before the fix, 21 filler lines left the title alone)."""
    from ..conftest import GOOD_HANDOUT

    boxes = tables = 0
    for filler in range(16, 26):
        body = "".join(f"  - paragraph: Filler line {n}.\n" for n in range(filler))
        project.handout("box", GOOD_HANDOUT.format(id="box") + body +
                        "  - callout: {kind: tip, title: Box title here, text: Box text here and it goes on for a "
                        "while so that it wraps onto a second line of text in the box and maybe even a third line "
                        "too.}\n")
        project.handout("table", GOOD_HANDOUT.format(id="table") + body +
                        "  - table: {header: [Head A, Head B], rows: [[Row one is long enough to wrap onto a second "
                        "line in its narrow cell, x], [Row two, y]]}\n")
        assert project.run("build").exit_code == 0
        box, table = pypdf_pages(project.pdf("box")), pypdf_pages(project.pdf("table"))
        title = [n for n, page in enumerate(box) if "Box title here" in page]
        assert title == [n for n, page in enumerate(box) if "Box text here" in page], filler
        head = [n for n, page in enumerate(table) if "Head A" in page]
        row = [n for n, page in enumerate(table) if "Row one" in page]
        assert head[0] == row[0], filler
        boxes += title == [1]
        tables += head[0] == 1
    assert 0 < boxes < 10 and 0 < tables < 10, "the range must cross a page end"


def test_a_big_sideways_photo_prints_upright_at_print_resolution(project):
    """A phone photo: 4000 x 3000 pixels stored sideways with EXIF orientation 6 (turn 90 degrees to view)."""
    import io

    import pikepdf
    from PIL import Image

    photo = Image.new("RGB", (4000, 3000), (200, 30, 30))
    photo.paste((30, 30, 200), (0, 0, 4000, 300))  # a blue band along the stored top edge
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif, quality=80)
    project.write("photo.jpg", buffer.getvalue())
    from ..conftest import GOOD_HANDOUT

    project.handout("one", GOOD_HANDOUT.format(id="one") + "  - image:\n      path: photo.jpg\n"
                                                           "      alt: A photo\n      width: 2in\n")
    result = project.run("build", "one", "--format", "pdf")
    assert result.exit_code == 0, result.output
    with pikepdf.open(project.pdf("one")) as pdf:
        images = [pikepdf.PdfImage(obj) for page in pdf.pages for obj in page.images.values()]
        shown = max(images, key=lambda image: image.width * image.height)  # the photo, not the logo
        assert shown.height > shown.width  # upright: the stored landscape is a portrait photo
        assert shown.width == 600  # 2 inches at 300 dpi, not 3,000 pixels
        upright = shown.as_pil_image()
    assert upright.getpixel((upright.width - 5, upright.height // 2))[2] > 150  # the band is now on the right
    assert project.pdf("one").stat().st_size < 400_000
